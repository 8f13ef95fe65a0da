"""What the chat shows of an Answer: the message with numbered citation links, the evidence panel,
a plot frame and the export files.  Pure functions, so they are tested without a browser.

Citation numbers are the evidence's position in ``answer.evidence`` (1-based) in both the message
and the panel, so ``[2]`` in the text is row 2 of the panel.  Each marker links to the record's page
on its source's site and carries the evidence key as its title.
"""
from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

import pandas as pd

from genelm import i18n
from genelm.agent.answer import Answer
from genelm.agent.core.events import progress_line
from genelm.evidence import Evidence

_SAFE_FILE = re.compile(r"[^A-Za-z0-9_-]+")


def citation_numbers(answer: Answer) -> dict[str, int]:
    return {e.key: i for i, e in enumerate(answer.evidence, start=1)}


def record_page(ev: Evidence) -> str | None:
    """Where a person reads the record: the source's own page where one exists, else the request URL."""
    for acc in ev.accessions:
        if acc.startswith("GeneID:"):
            return f"https://www.ncbi.nlm.nih.gov/gene/{acc.split(':', 1)[1]}"
        if re.fullmatch(r"ENCSR\d{3}[A-Z]{3}", acc):
            return f"https://www.encodeproject.org/experiments/{acc}/"
        if re.fullmatch(r"rs\d+", acc) and ev.source == "ncbi":
            return f"https://www.ncbi.nlm.nih.gov/snp/{acc}"
        if re.fullmatch(r"GSE\d+", acc):
            return f"https://www.ncbi.nlm.nih.gov/geo/query/acc.cgi?acc={acc}"
    return ev.url


def _marker(number: int, ev: Evidence) -> str:
    page = record_page(ev)
    title = ev.key.replace('"', "'")
    return f'[[{number}]]({page} "{title}")' if page else f"**[{number}]**"


def _escape_md(text: str) -> str:
    # Sentences are data from APIs: neutralise markdown/HTML so text from a response can't restyle the chat.
    return html.escape(text, quote=False).replace("*", "\\*").replace("_", "\\_").replace("[", "\\[").replace("`", "\\`")


def chat_markdown(answer: Answer, progress: list[str] | None = None) -> str:
    with i18n.using(answer.trace.get("language") or "en"):  # the labels in the answer's language
        return _chat_markdown(answer, progress)


def _chat_markdown(answer: Answer, progress: list[str] | None = None) -> str:
    numbers = citation_numbers(answer)
    by_key = {e.key: e for e in answer.evidence}
    lines = []
    if answer.short_answer and len(answer.short_answer) < 200:
        lines.append("**" + i18n._("Answer:") + f" {_escape_md(answer.short_answer)}**\n")
    for s in answer.sentences:
        if s.factual:
            marks = " ".join(_marker(numbers[k], by_key[k]) for k in s.citations if k in numbers)
            lines.append(f"{_escape_md(s.text)} {marks}")
        else:
            lines.append(f"_{_escape_md(s.text)}_")
    for gap in answer.gaps:
        lines.append(f"> ⚠ {_escape_md(gap)}")
    for warning in answer.warnings:
        lines.append(f"> ℹ {_escape_md(warning)}")
    if not answer.sentences and not answer.gaps:
        lines.append("_" + i18n._("No answer: no source returned evidence for this question.") + "_")
    footer = f"mode {answer.mode} · {answer.trace.get('network_mode', '')} · {answer.trace.get('seconds', 0):.2f} s"
    if progress:
        footer += " · " + "; ".join(p.split(", failed")[0] for p in progress if p)[:400]
    lines.append(f"\n<sub>{_escape_md(footer)}</sub>")
    return "\n\n".join(lines)


def progress_markdown(events: list[dict]) -> str:
    finished = {e["call"] for e in events if e.get("event") == "tool_end"}
    shown = []
    for event in events:
        line = progress_line(event)
        if line is None or (event.get("event") == "tool_start" and event["call"] in finished):
            continue  # nothing to show, or its finish line replaces it
        mark = "⏳ " if event.get("event") == "tool_start" else "✗ " if event.get("error") else "✓ "
        shown.append(mark + _escape_md(line[:160]))
    written = "".join(e["text"] for e in events if e.get("event") == "token")
    if written:
        shown.append("✍ " + _escape_md(written[-400:]))
    return "**Working…**\n\n" + "\n\n".join(shown)


_ACCESSION_ORDER = ("rs", "GeneID:", "ENCSR", "GSE", "EH38E", "ENSG", "ENCFF")


def _accession_rank(accession: str) -> tuple[int, str]:
    """Records people look up first (variants, genes, experiments) before files."""
    rank = next((i for i, p in enumerate(_ACCESSION_ORDER) if accession.startswith(p)), len(_ACCESSION_ORDER))
    return rank, accession


def evidence_html(answer: Answer | None) -> str:
    if answer is None or not answer.evidence:
        return "<div id='evidence-panel' class='evidence-empty'>Evidence appears here with each answer.</div>"
    rows = []
    for number, ev in enumerate(answer.evidence, start=1):
        page = record_page(ev)
        link = f"<a href='{html.escape(page)}' target='_blank' rel='noopener'>open record</a>" if page else "bundled file"
        ordered = sorted(ev.accessions, key=_accession_rank)
        accessions = ", ".join(ordered[:8]) + (f" … (+{len(ev.accessions) - 8})" if len(ev.accessions) > 8 else "")
        rows.append(
            f"<tr id='ev-{number}' data-key='{html.escape(ev.key)}'><td class='n'>{number}</td>"
            f"<td><code>{html.escape(ev.key)}</code><div class='src'>{html.escape(ev.source)} · {html.escape(ev.origin)}"
            f" · sha256 {ev.sha256[:10]}</div></td><td>{html.escape(ev.title)}"
            f"<div class='acc'>{html.escape(accessions)}</div></td><td>{link}</td></tr>")
    return ("<div id='evidence-panel'><table class='evidence'><thead><tr><th>#</th><th>key · source</th>"
            "<th>record</th><th>link</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def plot_frame(answer: Answer | None) -> tuple[pd.DataFrame, str]:
    """Counts worth a picture: RegulomeDB annotations for a variant, genes and cCREs for a region; else an
    empty frame (the chat hides the bar chart and shows the chart the question calls for)."""
    empty = pd.DataFrame({"what": [], "count": [], "source": []})
    if answer is None or not answer.evidence:
        return empty, "Nothing to plot yet"
    rows: list[dict] = []
    for ev in answer.evidence:
        if ev.source == "regulomedb" and ev.records and "peaks" in ev.records[0]:
            rec = ev.records[0]
            for state, n in rec.get("chromatin_states", {}).items():
                rows.append({"what": f"chromatin state {state}", "count": n, "source": "RegulomeDB"})
            for method, n in rec["methods"].items():
                if method != "chromatin state":
                    rows.append({"what": method, "count": n, "source": "RegulomeDB"})
        elif ev.source == "ccre":
            biosample = ev.params["biosample"]
            rows.append({"what": f"promoter-like cCREs ({biosample})", "count": len(ev.records), "source": "SCREEN"})
        elif ev.key.startswith("genes-near:"):
            rows.append({"what": "Ensembl genes", "count": len(ev.records), "source": "Ensembl 110"})
    if rows:
        return pd.DataFrame(rows), "What the sources found"
    # Nothing worth counting: the chart the question calls for (genelm.regulation.charts) takes the tab instead.
    return empty, "Nothing to count for this answer"


def export_files(answer: Answer, folder: Path | None = None) -> dict[str, Path]:
    """The answer as Markdown, JSON and a self-contained HTML page, written to a fresh folder."""
    folder = Path(folder or tempfile.mkdtemp(prefix="genelm-export-"))
    folder.mkdir(parents=True, exist_ok=True)
    stem = _SAFE_FILE.sub("-", answer.question)[:48].strip("-") or "answer"
    out = {"markdown": folder / f"{stem}.md", "json": folder / f"{stem}.json", "html": folder / f"{stem}.html"}
    out["markdown"].write_text(answer.to_markdown(), encoding="utf-8")
    out["json"].write_text(answer.to_json(), encoding="utf-8")
    out["html"].write_text(answer.to_html(), encoding="utf-8")
    return out
