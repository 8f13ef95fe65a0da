"""Startup benchmark: the first offline answer in a new process, with the disk table cache and without.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--quick]

Baseline, measured in the same run: the same command with ``GENELM_DISK_CACHE=0``, i.e. the
bundled tables parsed from their gzipped text as before the cache existed (today's path; the CLI
row of both columns has the CLI's deferred garbage collection during imports).  Runs of the two
alternate, so machine noise (a shared 2-core box) falls on both alike; medians are shown.

Rows:
- cold, Python: a new interpreter runs ``import genelm; genelm.ask(Q, offline=True)``; timed inside
  it from before the import to the answer (wall and CPU seconds).
- cold, CLI: ``genelm ask Q --offline`` as a user runs it, timed from outside (interpreter start included).
- warm: a second question in the same process (tables already in memory either way).
- imports only: ``import genelm.agent.api`` in a new interpreter: what no table cache can remove.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

QUESTION = "What is the official gene symbol of SNAT6?"
SECOND = "What is the official gene symbol of LMP10?"
GENELM = Path(sys.executable).with_name("genelm")

PY_COLD = f"""
import json, sys, time
t0, c0 = time.perf_counter(), time.process_time()
import genelm
a = genelm.ask({QUESTION!r}, offline=True)
t1, c1 = time.perf_counter(), time.process_time()
genelm.ask({SECOND!r}, offline=True)
t2 = time.perf_counter()
assert a.short_answer == "SLC38A6", a.short_answer
print(json.dumps({{"cold": t1 - t0, "cold_cpu": c1 - c0, "warm": t2 - t1}}))
"""
IMPORTS = """
import json, time
t0 = time.perf_counter()
import genelm.agent.api
print(json.dumps({"imports": time.perf_counter() - t0}))
"""


def _env(cache_dir: Path, disk_cache: bool) -> dict:
    return {**os.environ, "GENELM_CACHE_DIR": str(cache_dir), "GENELM_DISK_CACHE": "1" if disk_cache else "0"}


def _python(code: str, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"benchmark run failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _cli(env: dict) -> float:
    started = time.perf_counter()
    out = subprocess.run([str(GENELM), "ask", QUESTION, "--offline"], env=env, capture_output=True, text=True,
                         timeout=600)
    seconds = time.perf_counter() - started
    if out.returncode != 0 or "SLC38A6" not in out.stdout:
        raise SystemExit(f"genelm ask failed:\n{out.stderr[-2000:]}")
    return seconds


def measure(runs: int) -> dict[str, dict[str, list[float]]]:
    results: dict[str, dict[str, list[float]]] = {"cache": {}, "parse": {}}
    with tempfile.TemporaryDirectory() as tmp:
        cache_dir = Path(tmp)
        _python(PY_COLD, _env(cache_dir, True))  # fills the disk cache (and the snapshot's own caches)
        for _ in range(runs):
            for name, disk in (("cache", True), ("parse", False)):
                env = _env(cache_dir, disk)
                got = _python(PY_COLD, env)
                for key, value in got.items():
                    results[name].setdefault(key, []).append(value)
                results[name].setdefault("cli", []).append(_cli(env))
                results[name].setdefault("imports", []).append(_python(IMPORTS, env)["imports"])
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each configuration (medians are shown)")
    parser.add_argument("--quick", action="store_true", help="2 runs (a smoke run)")
    args = parser.parse_args(argv)
    runs = 2 if args.quick else args.runs
    if not GENELM.exists():
        raise SystemExit(f"no genelm console script next to {sys.executable}; run with the venv's python")
    r = measure(runs)
    med = {name: {k: statistics.median(v) for k, v in got.items()} for name, got in r.items()}
    table = Table("first answer (SNAT6, offline)", "disk cache (new)", "parse tables (baseline)",
                  "ratio", "target", title=f"genelm startup — medians of {runs} runs each, alternating")

    def row(label: str, key: str, target: float | None = None, unit: str = "s") -> None:
        new, base = med["cache"][key], med["parse"][key]
        goal = "" if target is None else (f"≤ {target:.1f} s: " + ("met" if new <= target else "NOT met"))
        table.add_row(label, f"{new:.2f} {unit}", f"{base:.2f} {unit}", f"{new / base:.2f}", goal)

    row("cold, Python: import + genelm.ask (wall)", "cold", 1.0)
    row("cold, Python: import + genelm.ask (CPU)", "cold_cpu")
    row("cold, CLI: genelm ask … --offline (wall)", "cli", 1.5)
    row("warm: second question, same process", "warm")
    row("imports only (import genelm.agent.api)", "imports")
    console = Console(width=150)  # a pipe gets 80 columns otherwise, and the table wraps
    console.print(table)
    console.print(f"cold answer without imports: {med['cache']['cold'] - med['cache']['imports']:.2f} s (disk cache) vs "
                  f"{med['parse']['cold'] - med['parse']['imports']:.2f} s (parsing)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
