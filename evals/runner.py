"""Run suites through genelm.ask and write manifest.json, results.jsonl and report.md."""
from __future__ import annotations

import json
import os
import subprocess
import time
from collections import defaultdict
from datetime import datetime, timezone
from hashlib import sha256
from pathlib import Path

from genelm import __version__
from genelm.agent.api import ask, make_settings
from genelm.connectors.errors import GenelmError
from genelm.data import snapshot_dir
from genelm.evals.graph_scoring import run_graph_item
from genelm.evals.scoring import score
from genelm.evals.suite import Item, load_suite
from genelm.settings import Settings


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).resolve().parent)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def snapshot_hash() -> str:
    digest = sha256()
    for path in sorted(snapshot_dir().glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def run_item(item: Item, settings: Settings) -> dict:
    started = time.perf_counter()
    try:
        answer = ask(item.question, settings=settings)
        prediction, citations_ok, answered, error = answer.short_answer, answer.citations_ok, answer.answered, None
        cited = sorted({k for s in answer.sentences for k in s.citations})
    except GenelmError as exc:
        prediction, citations_ok, answered, error, cited = None, True, False, str(exc), []
    return {
        "suite": item.suite, "task": item.task, "question": item.question, "gold": item.answer,
        "prediction": prediction, "score": score(item.task, item.answer, prediction),
        "citations_ok": citations_ok, "answered": answered, "citations": cited, "error": error,
        "seconds": round(time.perf_counter() - started, 4),
    }


class _GraphForEval:
    """The graph connection, opened only if the suites hold graph items."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._conn = None

    def connection(self):
        if self._conn is None:
            from genelm.graph.build import require_built
            from genelm.graph.connection import GraphConnection

            require_built(self.settings)
            self._conn = GraphConnection.open(self.settings)
        return self._conn

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._conn is not None:
            self._conn.close()


def per_task(results: list[dict]) -> list[dict]:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in results:
        groups[(r["suite"], r["task"])].append(r)
    rows = []
    for (suite, task), rs in groups.items():
        answered = [r for r in rs if r["answered"]]
        rows.append({
            "suite": suite, "task": task, "n": len(rs), "score": sum(r["score"] for r in rs) / len(rs),
            "answered": len(answered),
            "citations_ok": sum(r["citations_ok"] for r in answered) / len(answered) if answered else 1.0,
        })
    return rows


def report_markdown(rows: list[dict], manifest: dict) -> str:
    lines = [f"# genelm eval — {manifest['mode']}", "", f"started {manifest['started']}, commit {manifest['git_commit']}", "",
             "| suite | task | n | score | answered | cited OK |", "|---|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['suite']} | {r['task']} | {r['n']} | {r['score']:.3f} | {r['answered']} | {r['citations_ok']:.0%} |")
    mean = sum(r["score"] for r in rows) / len(rows) if rows else 0.0
    lines += ["", f"**Mean over tasks: {mean:.3f}**"]
    for suite in sorted({r["suite"] for r in rows}):
        sub = [r for r in rows if r["suite"] == suite]
        lines.append(f"- {suite}: mean over {len(sub)} tasks {sum(r['score'] for r in sub) / len(sub):.3f}")
    return "\n".join(lines) + "\n"


def run_eval(suites: list[Path], out: Path, *, offline: bool, recordings: list[Path] | None = None,
             limit: int | None = None, progress=None) -> tuple[list[dict], dict]:
    settings = make_settings(offline, recordings)
    items = [item for path in suites for item in load_suite(path)]
    if limit:
        items = items[:limit]
    out.mkdir(parents=True, exist_ok=True)
    manifest = {
        "genelm_version": __version__, "git_commit": _git_commit(), "settings_hash": settings.fingerprint(),
        "mode": "grounded", "network_mode": settings.mode.value, "snapshot_hash": snapshot_hash(),
        "suites": [str(p) for p in suites], "n_items": len(items),
        "recordings": [str(p) for p in settings.recordings],
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    results = []
    tmp = out / "results.jsonl.tmp"
    graph = _GraphForEval(settings)
    with tmp.open("w", encoding="utf-8") as handle, graph:
        for item in items:
            result = run_graph_item(item, graph.connection()) if item.cypher else run_item(item, settings)
            results.append(result)
            handle.write(json.dumps(result, default=str) + "\n")
            if progress:
                progress(result)
    os.replace(tmp, out / "results.jsonl")
    manifest["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    rows = per_task(results)
    manifest["mean_over_tasks"] = sum(r["score"] for r in rows) / len(rows) if rows else 0.0
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    (out / "report.md").write_text(report_markdown(rows, manifest))
    return rows, manifest


def diff_runs(run_a: Path, run_b: Path) -> list[dict]:
    """Questions whose prediction or score changed between two runs."""
    def load(run: Path) -> dict[str, dict]:
        path = run / "results.jsonl"
        if not path.is_file():
            raise GenelmError(f"{run} has no results.jsonl; pass the --out folder of a finished `genelm eval`")
        return {r["question"]: r for r in map(json.loads, path.read_text().splitlines()) if r}
    a, b = load(run_a), load(run_b)
    changes = []
    for q in sorted(set(a) | set(b)):
        ra, rb = a.get(q), b.get(q)
        if ra is None or rb is None or ra["prediction"] != rb["prediction"] or ra["score"] != rb["score"]:
            changes.append({"question": q, "task": (ra or rb)["task"],
                            "a": None if ra is None else (ra["prediction"], ra["score"]),
                            "b": None if rb is None else (rb["prediction"], rb["score"])})
    return changes
