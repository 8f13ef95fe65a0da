"""`genelm eval diff` for a person: every question whose score changed, both answers side by side.

Questions whose prediction changed but whose score did not (a reworded answer)
are listed in one compact table after them.
"""
from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from genelm.evals.report_html import display_text


def _side(entry: tuple | None, text: str | None) -> Text:
    if entry is None:
        return Text("not in this run", style="dim")
    prediction, score = entry
    out = Text.assemble(("score ", "dim"), (f"{score:.2f}", "bold green" if score >= 1 else "bold red" if score <= 0
                                             else "bold yellow"), ("   answer ", "dim"),
                        (display_text(prediction) or "(none)", "bold"))
    if text:
        out.append("\n\n" + text)
    return out


def diff_view(changes: list[dict], run_a: Path, run_b: Path) -> RenderableType:
    """``changes`` as runner.diff_runs returns them."""
    parts: list[RenderableType] = []
    scored = [c for c in changes if c.get("score_changed", True)]
    for c in scored:
        # Text objects, never str: questions and answers hold [brackets] that rich would read as markup.
        title = Text(f"{c['question']}  ({c['task']}; gold: {display_text(c.get('gold'))})", style="bold")
        table = Table(box=box.SIMPLE_HEAVY, expand=True, title=title, title_justify="left")
        table.add_column(Text(f"A: {run_a}"), ratio=1, overflow="fold")
        table.add_column(Text(f"B: {run_b}"), ratio=1, overflow="fold")
        table.add_row(_side(c["a"], c.get("a_text")), _side(c["b"], c.get("b_text")))
        parts.append(table)
    reworded = [c for c in changes if not c.get("score_changed", True)]
    if reworded:
        table = Table("task", "question", "A answer", "B answer", title="answer changed, score did not",
                      title_justify="left", expand=True)
        for c in reworded:
            cells = (c["task"], c["question"], display_text(c["a"][0]), display_text(c["b"][0]))
            table.add_row(*(Text(v) for v in cells))
        parts.append(table)
    parts.append(Text(f"{len(scored)} questions changed score, {len(reworded)} changed only their answer"))
    return Group(*parts)
