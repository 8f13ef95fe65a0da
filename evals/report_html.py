"""report.html: one self-contained page per eval run, to look at rather than grep.

A per-task score chart (matplotlib, inline SVG), the per-task table, and one row
per question with its answer, gold and score.  No external JS, CSS or fonts: the
page opens from disk, from a CI artifact or as an e-mail attachment.  Everything
that came from a suite or an answer is HTML-escaped (answers quote API text).
"""
from __future__ import annotations

import html
import io
import json
from typing import Any

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:80rem;padding:0 1rem;line-height:1.45;color:#222}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border-top:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f6f6f6;position:sticky;top:0}td.num{text-align:right;
font-variant-numeric:tabular-nums}.full{background:#e7f5e9}.part{background:#fff6dc}.zero{background:#fde8e8}
details pre{white-space:pre-wrap;font-size:.9em;background:#fafafa;padding:.5rem;margin:.3rem 0}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem}dl.meta dt{color:#666}
.muted{color:#777}figure{margin:1rem 0}
"""


def display_text(value: Any) -> str:
    """Golds and predictions are strings, lists (recall tasks) or dicts (frames, graph plans)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _score_class(score: float) -> str:
    return "full" if score >= 1 else "zero" if score <= 0 else "part"


def task_chart_svg(rows: list[dict]) -> str | None:
    """Mean score per task as a horizontal bar chart, inline SVG; None when matplotlib is not installed.

    Each bar is an SVG group with id ``task-bar-<i>`` (row i of the per-task table), so the page can be
    checked, and text stays text (svg.fonttype none) so it is searchable and small.
    """
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        return None
    labels = [f"{r['task']} ({r['suite']}, n={r['n']})" for r in rows]
    scores = [r["score"] for r in rows]
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "genelm-eval", "font.size": 9}):
        # Figure directly, not pyplot: no global state or GUI backend in a library call.
        fig = Figure(figsize=(8, 0.9 + 0.32 * len(rows)), layout="constrained")
        ax = fig.add_subplot()
        positions = list(range(len(rows)))[::-1]  # first task at the top, as in the table
        bars = ax.barh(positions, scores, color=["#2e7d32" if s >= 1 else "#c62828" if s <= 0 else "#f9a825"
                                                 for s in scores])
        for i, bar in enumerate(bars):
            bar.set_gid(f"task-bar-{i}")
        for pos, s in zip(positions, scores):
            ax.text(min(s, 1.0) + 0.01, pos, f"{s:.2f}", va="center")
        ax.set_yticks(positions, labels)
        ax.set_xlim(0, 1.12)
        ax.set_xlabel("mean score")
        ax.spines[["top", "right"]].set_visible(False)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog and DOCTYPE: the SVG is inlined in HTML


def _meta(manifest: dict) -> str:
    keys = ["mode", "network_mode", "llm_reason", "started", "finished", "genelm_version", "git_commit",
            "snapshot_hash", "settings_hash", "suites", "n_items", "planned_by"]
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(display_text(manifest[k]))}</dd>"
                    for k in keys if manifest.get(k) not in (None, "", []))
    return f"<dl class='meta'>{items}</dl>"


def _task_table(rows: list[dict]) -> str:
    body = "".join(
        f"<tr class='{_score_class(r['score'])}'><td>{html.escape(r['suite'])}</td><td>{html.escape(r['task'])}</td>"
        f"<td class='num'>{r['n']}</td><td class='num'>{r['score']:.3f}</td><td class='num'>{r['answered']}</td>"
        f"<td class='num'>{r['citations_ok']:.0%}</td></tr>" for r in rows)
    return ("<table id='tasks'><thead><tr><th>suite</th><th>task</th><th>n</th><th>score</th><th>answered</th>"
            f"<th>cited OK</th></tr></thead><tbody>{body}</tbody></table>")


def _answer_cell(result: dict) -> str:
    short = html.escape(display_text(result.get("prediction"))) or "<span class='muted'>(no answer)</span>"
    if result.get("error"):
        short += f"<div class='muted'>error: {html.escape(result['error'])}</div>"
    if result.get("answer_text"):
        short += f"<details><summary>whole answer</summary><pre>{html.escape(result['answer_text'])}</pre></details>"
    return short


def _question_table(results: list[dict]) -> str:
    rows = []
    for n, r in enumerate(results, start=1):
        cited = "✓" if r.get("citations_ok", True) else "✗ uncited"
        rows.append(
            f"<tr class='question-row {_score_class(r['score'])}' data-task='{html.escape(r['task'])}' "
            f"data-score='{r['score']}'><td class='num'>{n}</td><td>{html.escape(r['task'])}</td>"
            f"<td class='question'>{html.escape(r['question'])}</td><td class='answer'>{_answer_cell(r)}</td>"
            f"<td class='gold'>{html.escape(display_text(r.get('gold')))}</td>"
            f"<td class='num score'>{r['score']:.2f}</td>"
            f"<td>{cited}</td><td class='num'>{r.get('seconds', 0):.2f}</td></tr>")
    return ("<table id='questions'><thead><tr><th>#</th><th>task</th><th>question</th><th>answer</th><th>gold</th>"
            f"<th>score</th><th>cited</th><th>s</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def report_html(results: list[dict], rows: list[dict], manifest: dict) -> str:
    """The whole page for one run: ``rows`` are runner.per_task(results)."""
    chart = task_chart_svg(rows) if rows else None
    figure = (f"<figure id='task-chart'>{chart}<figcaption>Mean score per task</figcaption></figure>" if chart else
              "<p class='muted'>No chart: matplotlib is not installed (pip install 'genelm[models]').</p>")
    mean = manifest.get("mean_over_tasks", 0.0)
    title = f"genelm eval — {manifest.get('mode', '')}, mean over tasks {mean:.3f}"
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>{_meta(manifest)}"
        f"<h2>Per task</h2>{figure}{_task_table(rows)}"
        f"<h2>Questions ({len(results)})</h2>{_question_table(results)}</body></html>"
    )
