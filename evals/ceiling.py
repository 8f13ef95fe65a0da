"""How far offline replay can go on a suite: the per-task ceiling a run's failures allow.

    python -m genelm.evals.ceiling RUN_DIR RECORDINGS.jsonl [--task-cap "Human genome DNA aligment=0.5"]

A failed question can only be fixed offline if some recorded response other than a search names its
subject (the gene, clone or sequence it asks about); a failure with no such record is capped at its
current score.  ``--task-cap`` caps a whole task where the recordings hold partial answers only (e.g. no
BLAST report holds a GRCh38 coordinate, so human alignment scores at most the chromosome's 0.5).  The
mean of the task ceilings says whether a target is reachable without special-casing questions.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

_SUBJECT = [re.compile(p) for p in (r"([ACGT]{30,})", r"\bis ([\w.\-]+) (?:gene|a protein)", r"of ([\w.\-]+)\?",
                                    r"related to (.+?)[?.]", r"SNP (rs\d+)", r"(rs\d+)")]


def subject(question: str) -> str | None:
    for pattern in _SUBJECT:
        if (m := pattern.search(question)) is not None:
            return m.group(1)[:30]
    return None


def ceilings(results: list[dict], recordings: list[dict], task_caps: dict[str, float]) -> dict[str, tuple]:
    records = [r["response"] for r in recordings if "esearch" not in r.get("endpoint", "")]
    by_task: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by_task[r["task"]].append(r)
    out = {}
    for task, rows in by_task.items():
        best = 0.0
        for r in rows:
            if r["score"] >= 1:
                best += 1
                continue
            name = subject(r["question"])
            recorded = bool(name) and any(name in body for body in records)
            best += min(task_caps.get(task, 1.0), 1.0) if recorded else r["score"]
        out[task] = (sum(r["score"] for r in rows) / len(rows), best / len(rows))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("recordings", type=Path)
    parser.add_argument("--task-cap", action="append", default=[])
    args = parser.parse_args()
    results = [json.loads(line) for line in (args.run / "results.jsonl").read_text().splitlines() if line.strip()]
    recordings = [json.loads(line) for line in args.recordings.read_text().splitlines() if line.strip()]
    caps = {k: float(v) for k, v in (c.rsplit("=", 1) for c in args.task_cap)}
    table = ceilings(results, recordings, caps)
    for task, (now, ceiling) in table.items():
        print(f"{task:32} now {now:.3f}  ceiling {ceiling:.3f}")
    print(f"{'mean over tasks':32} now {sum(n for n, _ in table.values()) / len(table):.3f}  "
          f"ceiling {sum(c for _, c in table.values()) / len(table):.3f}")


if __name__ == "__main__":
    main()
