"""Run suites through genelm.ask and write manifest.json, results.jsonl, report.md and report.html."""
from __future__ import annotations

import json
import os
import subprocess
import time
from collections import defaultdict
from datetime import datetime, timezone
from hashlib import sha256
from pathlib import Path
from typing import Any

from genelm import __version__
from genelm.agent.api import ask, make_settings
from genelm.agent.llm.select import select_llm
from genelm.connectors.errors import GenelmError
from genelm.data import snapshot_dir
from genelm.evals.graph_scoring import run_graph_item
from genelm.evals.report_html import report_html
from genelm.evals.rules import score_contract, score_frame, score_rule
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


def run_item(item: Item, settings: Settings, llm: Any = None) -> dict:
    started = time.perf_counter()
    if item.rule == "frame":
        return score_frame(item) | {"seconds": round(time.perf_counter() - started, 4)}
    planned_by = None
    answer = None
    try:
        answer = ask(item.question, settings=settings, llm=llm)
        prediction, citations_ok, answered, error = answer.short_answer, answer.citations_ok, answer.answered, None
        cited = sorted({k for s in answer.sentences for k in s.citations})
        planned_by = _planned_by(answer.trace.get("llm", {}).get("log", [])) if llm is not None else "grounded"
    except GenelmError as exc:
        prediction, citations_ok, answered, error, cited = None, True, False, str(exc), []
    contract = score_contract(item.answer, answer) if item.rule == "contract" and answer is not None else None
    extra = {} if item.rule != "contract" else {
        "writer": item.answer.get("writer"),
        **({k: contract[k] for k in ("form", "constraints", "short", "detail", "parts")} if contract
           else {"form": 0.0, "constraints": 0.0, "short": 0.0, "detail": [f"no answer: {error}"], "parts": None})}
    return extra | {
        "suite": item.suite, "task": item.task, "question": item.question, "gold": item.answer,
        "prediction": prediction,
        "score": contract["score"] if contract else score_rule(item, answer) if item.rule and answer is not None
        else 0.0 if item.rule else score(item.task, item.answer, prediction),
        "citations_ok": citations_ok, "answered": answered, "citations": cited, "error": error,
        "planned_by": planned_by, "seconds": round(time.perf_counter() - started, 4),
        # The whole answer as a person reads it: report.html and `eval diff` show it beside the gold.
        "answer_text": answer.text if answer is not None else None,
    }


def _planned_by(log: list[dict]) -> str:
    """'llm', 'llm+grounded' (the grounded plan took over) or 'grounded' (the model proposed nothing usable)."""
    ran_llm_calls = any(c.get("accepted") for entry in log for c in entry.get("calls", []))
    fell_back = any("fallback" in entry for entry in log)
    if ran_llm_calls:
        return "llm+grounded" if fell_back else "llm"
    return "grounded"


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


def first_per_task(items: list[Item], n: int) -> list[Item]:
    """The first n questions of every task: a slow model still gets a score over every kind of question."""
    taken: dict[str, int] = defaultdict(int)
    out = []
    for item in items:
        taken[item.task] += 1
        if taken[item.task] <= n:
            out.append(item)
    return out


def run_eval(suites: list[Path], out: Path, *, offline: bool, recordings: list[Path] | None = None,
             limit: int | None = None, progress=None, llm: str | None = None,
             first_of_each_task: int | None = None) -> tuple[list[dict], dict]:
    settings = make_settings(offline, recordings)
    choice = select_llm(llm or "grounded", settings)  # an eval is reproducible: auto never picks a model here
    items = [item for path in suites for item in load_suite(path)]
    if first_of_each_task:
        items = first_per_task(items, first_of_each_task)
    if limit:
        items = items[:limit]
    out.mkdir(parents=True, exist_ok=True)
    manifest = {
        "genelm_version": __version__, "git_commit": _git_commit(), "settings_hash": settings.fingerprint(),
        "mode": choice.mode, "llm_reason": choice.reason, "network_mode": settings.mode.value, "snapshot_hash": snapshot_hash(),
        "suites": [str(p) for p in suites], "n_items": len(items), "first_of_each_task": first_of_each_task,
        "recordings": [str(p) for p in settings.recordings],
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    results = []
    tmp = out / "results.jsonl.tmp"
    graph = _GraphForEval(settings)
    with tmp.open("w", encoding="utf-8") as handle, graph:
        for item in items:
            result = run_graph_item(item, graph.connection()) if item.cypher else run_item(item, settings, choice.model)
            results.append(result)
            handle.write(json.dumps(result, default=str) + "\n")
            handle.flush()  # a long run (a local LLM: a minute a question) shows its progress, and keeps it
            if progress:
                progress(result)
    os.replace(tmp, out / "results.jsonl")
    manifest["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    rows = per_task(results)
    manifest["mean_over_tasks"] = sum(r["score"] for r in rows) / len(rows) if rows else 0.0
    if choice.model is not None:
        planned = [r.get("planned_by") for r in results if r.get("planned_by")]
        manifest["planned_by"] = {k: planned.count(k) for k in sorted(set(planned))}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    (out / "report.md").write_text(report_markdown(rows, manifest))
    (out / "report.html").write_text(report_html(results, rows, manifest), encoding="utf-8")
    return rows, manifest


def diff_runs(run_a: Path, run_b: Path) -> list[dict]:
    """Questions whose prediction or score changed between two runs, with both whole answers where recorded.

    ``a``/``b`` are (prediction, score) or None (the question is not in that run); ``a_text``/``b_text``
    are the answers' Markdown (runs older than that field have None); ``score_changed`` marks the
    changes that moved a score, not only the wording.
    """
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
            changes.append({"question": q, "task": (ra or rb)["task"], "gold": (ra or rb).get("gold"),
                            "a": None if ra is None else (ra["prediction"], ra["score"]),
                            "b": None if rb is None else (rb["prediction"], rb["score"]),
                            "a_text": (ra or {}).get("answer_text"), "b_text": (rb or {}).get("answer_text"),
                            "score_changed": ra is None or rb is None or ra["score"] != rb["score"]})
    return changes
