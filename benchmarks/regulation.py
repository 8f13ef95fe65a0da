"""The regulation dossier offline: cold and warm latency of "Describe how TP53 is regulated".

    .venv/bin/python benchmarks/regulation.py [--repeats 5]

Baseline, measured in the same run and the same kind of process: the bundled alias lookup ("What is the
official gene symbol of SNAT6?"), the cheapest offline answer.  Cold = the first answer in a fresh Python
process (imports done, tables not yet parsed), once with an empty cache directory (the regulation tables
parsed from the .gz files) and once with the parsed tables already on disk; warm = the same question again in
that process.  The ratio column is dossier / baseline.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

DOSSIER = "Describe how TP53 is regulated"
BASELINE = "What is the official gene symbol of SNAT6?"
CHILD = """
import json, sys, time
import genelm
question = sys.argv[1]
t = time.perf_counter(); genelm.ask(question, offline=True); cold = time.perf_counter() - t
t = time.perf_counter(); genelm.ask(question, offline=True); warm = time.perf_counter() - t
print(json.dumps({"cold": cold, "warm": warm}))
"""


def measure(question: str, cache: Path) -> dict:
    env = {"GENELM_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", CHILD, question], capture_output=True, text=True, check=True,
                         env=env, timeout=300)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = {}
    for label, question in (("dossier", DOSSIER), ("baseline", BASELINE)):
        fresh, cached, warm = [], [], []
        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory() as tmp:
                first = measure(question, Path(tmp))  # empty cache: parses the bundled files
                second = measure(question, Path(tmp))  # the parsed tables are on disk now
            fresh.append(first["cold"])
            cached.append(second["cold"])
            warm += [first["warm"], second["warm"]]
        rows[label] = [statistics.median(v) for v in (fresh, cached, warm)]
    table = Table(title=f"Regulation dossier offline (median of {args.repeats} fresh processes)")
    for col in ("measure", "TP53 dossier", "baseline (SNAT6 lookup)", "ratio"):
        table.add_column(col)
    for i, name in enumerate(("cold, empty cache dir", "cold, parsed tables on disk", "warm (same process)")):
        d, b = rows["dossier"][i], rows["baseline"][i]
        table.add_row(name, f"{d * 1000:.0f} ms", f"{b * 1000:.0f} ms", f"{d / b:.1f}×")
    Console().print(table)


if __name__ == "__main__":
    main()
