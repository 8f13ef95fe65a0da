"""Answer: what a question returns, with its evidence ledger, trace and exports."""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from genelm.evidence import Evidence
from genelm.i18n import _

if TYPE_CHECKING:
    import pandas as pd


class SentenceOut(BaseModel):
    text: str
    citations: list[str] = Field(default_factory=list)
    factual: bool = True
    part: str | None = Field(None, description="'in_short': the opening reading, rendered as one paragraph")


class Answer(BaseModel):
    question: str
    short_answer: str | None = None
    text: str = ""
    sentences: list[SentenceOut] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    trace: dict[str, Any] = Field(default_factory=dict)
    mode: str = "grounded"
    intent: str | None = None
    warnings: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)
    table: list[dict] = Field(default_factory=list, description="a comparison's rows (each also a cited sentence)")

    @property
    def citations_ok(self) -> bool:
        keys = {e.key for e in self.evidence}
        return all(s.citations and set(s.citations) <= keys for s in self.sentences if s.factual)

    @property
    def answered(self) -> bool:
        return any(s.factual for s in self.sentences)

    def evidence_table(self) -> "pd.DataFrame":
        import pandas as pd  # only here: a plain answer should not pay pandas' import time

        rows = [
            {
                "key": e.key, "source": e.source, "title": e.title, "url": e.url, "origin": e.origin,
                "retrieved_at": e.retrieved_at, "sha256": e.sha256, "accessions": ", ".join(e.accessions),
                "n_records": len(e.records), "license": e.license,
            }
            for e in self.evidence
        ]
        return pd.DataFrame(rows, columns=["key", "source", "title", "url", "origin", "retrieved_at", "sha256",
                                           "accessions", "n_records", "license"])

    def to_json(self, indent: int | None = 2) -> str:
        payload = {
            "question": self.question,
            "short_answer": self.short_answer,
            "answer": self.text,
            "sentences": [s.model_dump() for s in self.sentences],
            "evidence": [e.model_dump(mode="json") for e in self.evidence],
            "mode": self.mode,
            "intent": self.intent,
            "warnings": self.warnings,
            "gaps": self.gaps,
            "table": self.table,
            "trace": self.trace,
        }
        return json.dumps(payload, indent=indent, default=str)

    def to_markdown(self) -> str:
        return self.text

    def locus_figure(self, path: str | Path) -> Path | None:
        """Draw the regulation locus figure (gene model, TSSs, cCREs, CAGE/RAMPAGE, TF and DNase peaks) to ``path``
        (PNG or SVG) when the answer holds a gene's regulation evidence; None otherwise."""
        if not any(e.key.startswith("tss:") for e in self.evidence):
            return None
        from genelm.regulation import save_locus_figure

        return save_locus_figure(self.evidence, Path(path))

    def genome_browser(self, height: int = 640):
        """The answer's gene locus in igv.js (bundled, offline) with the bundled tracks; displays itself in
        Jupyter (``genelm.ui.genome_browser.GenomeBrowserView``; ``.save(path)`` writes a standalone page)."""
        from genelm.ui.genome_browser import show

        return show(self, height)

    def chart(self, path: str | Path | None = None):
        """The chart the question calls for (expression across tissues, factors x cell lines, a comparison's
        table): a matplotlib Figure, or the PNG written to ``path``; None when the answer calls for none."""
        from genelm.regulation.charts import draw_chart, save_chart

        return save_chart(self, Path(path)) if path is not None else draw_chart(self)

    def to_html(self) -> str:
        """A self-contained page: the answer with numbered citation links, the evidence table, any figure."""
        return (
            "<!doctype html><html><head><meta charset='utf-8'><title>genelm answer</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.5}</style>"
            f"</head><body><h1>{html.escape(self.question)}</h1>{_answer_html(self, 'ev')}</body></html>"
        )

    def _repr_html_(self) -> str:
        """How Jupyter shows an Answer: the same view as to_html, as a fragment with ids unique to this answer."""
        digest = hashlib.sha256("\n".join([self.question, *(e.key for e in self.evidence)]).encode()).hexdigest()
        body = _answer_html(self, f"genelm-{digest[:10]}-ev")
        return f"<div class='genelm-answer'><h4>{html.escape(self.question)}</h4>{body}</div>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's plain-text view (a terminal, a notebook's text/plain): the answer, not every field."""
        printer.text(self.text)

    def _repr_markdown_(self) -> str:
        """For front ends that render Markdown: [n] links to each record, the evidence as a table, figures inline."""
        return _answer_markdown(self)


# Links in rendered answers: records come from APIs, so only web URLs become links (never javascript: and the like).
_WEB_URL = re.compile(r"https?://", re.IGNORECASE)
_FIGURE_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}
_MAX_FIGURE_BYTES = 5_000_000
_STYLE = ("<style>.genelm-answer table,.genelm-evidence{border-collapse:collapse;font-size:.9em}"
          ".genelm-evidence td,.genelm-evidence th{border-top:1px solid #ddd;padding:.25rem .5rem;text-align:left;"
          "vertical-align:top}.genelm-evidence code{background:#f3f3f3;padding:0 .2rem}.genelm-src{color:#666}"
          "a.genelm-cite{text-decoration:none}</style>")


def _figures(answer: Answer) -> list[tuple[str, str]]:
    """(caption, data URI) for each plot the evidence names (e.g. an Enformer overlay), embedded so the view
    stays self-contained when the notebook or page is shared.

    Only genelm's own model evidence may name a file: a "plot" field in a record an API returned must not
    make genelm read and embed a local file."""
    out = []
    for ev in answer.evidence:
        if not ev.source.startswith("model:"):
            continue
        for rec in ev.records:
            path = Path(str(rec.get("plot") or ""))
            mime = _FIGURE_TYPES.get(path.suffix.lower())
            if rec.get("plot") and mime and path.is_file() and path.stat().st_size <= _MAX_FIGURE_BYTES:
                out.append((ev.title, f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"))
    return out


def _answer_html(answer: Answer, anchor: str) -> str:
    """Sentences with [n] links to row n of the evidence table (rows carry id=anchor+n and data-key)."""
    numbers = {e.key: i for i, e in enumerate(answer.evidence, start=1)}
    parts = [_STYLE]
    if answer.short_answer:
        parts.append(f"<p><strong>Answer:</strong> {html.escape(answer.short_answer)}</p>")
    for s in answer.sentences:
        if not s.factual:
            parts.append(f"<p><em>{html.escape(s.text)}</em></p>")
            continue
        cites = "".join(f'<a class="genelm-cite" href="#{anchor}{numbers[k]}" title="{html.escape(k)}">'
                        f"[{numbers[k]}]</a>" for k in s.citations if k in numbers)
        if s.part and parts[-1].startswith(f"<p data-part='{s.part}'>"):  # one paragraph: the "In short" reading
            parts[-1] = parts[-1][:-len("</p>")] + f" {html.escape(s.text)} <sup>{cites}</sup></p>"
            continue
        parts.append(f"<p data-part='{s.part}'>" if s.part else "<p>")
        parts[-1] += f"{html.escape(s.text)} <sup>{cites}</sup></p>"
    parts += [f"<p><em>Gap: {html.escape(g)}</em></p>" for g in answer.gaps]
    parts += [f"<figure><img src='{uri}' alt='{html.escape(caption)}' style='max-width:100%'>"
              f"<figcaption>{html.escape(caption)}</figcaption></figure>" for caption, uri in _figures(answer)]
    if answer.evidence:
        rows = []
        for n, e in enumerate(answer.evidence, start=1):
            url = e.url or ""
            link = (f'<a href="{html.escape(url)}" target="_blank" rel="noopener">{html.escape(url)}</a>'
                    if _WEB_URL.match(url) else html.escape(url or "bundled data"))
            more = len(e.accessions) - 8
            accessions = ", ".join(e.accessions[:8]) + (f" … (+{more})" if more > 0 else "")
            rows.append(f'<tr id="{anchor}{n}" data-key="{html.escape(e.key)}"><td>{n}</td>'
                        f"<td><code>{html.escape(e.key)}</code><div class='genelm-src'>{html.escape(e.source)} · "
                        f"{html.escape(e.origin)} · sha256 {e.sha256[:12]}</div></td><td>{html.escape(e.title)}"
                        f"<div class='genelm-src'>{html.escape(accessions)}</div></td><td>{link}</td></tr>")
        parts.append("<table class='genelm-evidence'><thead><tr><th>#</th><th>key · source</th><th>record</th>"
                     "<th>link</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    if answer.warnings:
        parts.append("<details><summary>warnings</summary><ul>"
                     + "".join(f"<li>{html.escape(w)}</li>" for w in answer.warnings) + "</ul></details>")
    parts.append(f"<p class='genelm-src'><small>mode: {html.escape(answer.mode)}</small></p>")
    return "".join(parts)


def _md(text: str) -> str:
    # Sentences and titles are data from APIs: neutralise Markdown and HTML so a response cannot restyle the view.
    return (html.escape(text, quote=False).replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
            .replace("[", "\\[").replace("]", "\\]").replace("`", "\\`").replace("|", "\\|"))


def _md_url(url: str) -> str:
    # Request URLs hold spaces, brackets and pipes (term=GSE93374[GEO Accession]); encode what ends a Markdown link.
    return url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")


def _answer_markdown(answer: Answer) -> str:
    numbers = {e.key: i for i, e in enumerate(answer.evidence, start=1)}
    by_key = {e.key: e for e in answer.evidence}

    def cite(key: str) -> str:
        url = by_key[key].url or ""
        return (f'[[{numbers[key]}]](<{_md_url(url)}> "{key.replace(chr(34), chr(39))}")' if _WEB_URL.match(url)
                else f"[{numbers[key]}]")

    # One paragraph per sentence: Markdown joins lines that are not separated by a blank line.
    blocks = [f"**Answer:** {_md(answer.short_answer)}"] if answer.short_answer else []
    previous = None
    for s in answer.sentences:
        block = (f"{_md(s.text)} " + " ".join(cite(k) for k in s.citations if k in numbers) if s.factual
                 else f"_{_md(s.text)}_")
        if s.part and s.part == previous:  # the "In short" sentences read as one paragraph
            blocks[-1] += " " + block
        else:
            blocks.append(block)
        previous = s.part
    blocks += [f"_Gap: {_md(g)}_" for g in answer.gaps]
    blocks += [f"![{_md(caption)}]({uri})" for caption, uri in _figures(answer)]
    if answer.evidence:
        table = ["| # | key | source | record | link | sha256 |", "|---:|---|---|---|---|---|"]
        for n, e in enumerate(answer.evidence, start=1):
            url = e.url if e.url and _WEB_URL.match(e.url) else None
            table.append(f"| {n} | `{e.key.replace('`', '')}` | {_md(e.source)} ({e.origin}) | {_md(e.title)} | "
                         f"{f'<{_md_url(url)}>' if url else 'bundled data'} | {e.sha256[:12]} |")
        blocks.append("\n".join(table))
    return "\n\n".join(blocks) + "\n"


def render_markdown(question: str, short_answer: str | None, sentences: list[SentenceOut], evidence: list[Evidence],
                    gaps: list[str], table: list[dict] | None = None) -> str:
    lines = []
    if short_answer and len(short_answer) < 200:
        lines.append("**" + _("Answer:") + f"** {short_answer}\n")
    for i, s in enumerate(sentences):
        cites = " ".join(f"[{k}]" for k in s.citations)
        lines.append(f"{s.text} {cites}".rstrip() if s.factual else f"_{s.text}_")
        if s.part and (i + 1 == len(sentences) or sentences[i + 1].part != s.part):
            lines.append("")  # the "In short" paragraph ends here; the detailed sentences follow
    if table:
        columns = list(dict.fromkeys(k for row in table for k in row))
        lines += ["", "| " + " | ".join(_(c) for c in columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(str(row.get(c, "")) for c in columns) + " |" for row in table]
        lines.append("")
    for gap in gaps:
        lines.append("_" + _("Gap:") + f" {gap}_")
    if evidence:
        lines.append("\n**" + _("Sources") + "**")
        for e in evidence:
            lines.append(f"- [{e.key}] {e.title} — {e.url or 'bundled data'} ({e.origin}, sha256 {e.sha256[:12]})")
    return "\n".join(lines)
