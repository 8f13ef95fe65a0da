"""Answer: what a question returns, with its evidence ledger, trace and exports."""
from __future__ import annotations

import html
import json
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from genelm.evidence import Evidence


class SentenceOut(BaseModel):
    text: str
    citations: list[str] = Field(default_factory=list)
    factual: bool = True


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

    @property
    def citations_ok(self) -> bool:
        keys = {e.key for e in self.evidence}
        return all(s.citations and set(s.citations) <= keys for s in self.sentences if s.factual)

    @property
    def answered(self) -> bool:
        return any(s.factual for s in self.sentences)

    def evidence_table(self) -> pd.DataFrame:
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
            "trace": self.trace,
        }
        return json.dumps(payload, indent=indent, default=str)

    def to_markdown(self) -> str:
        return self.text

    def to_html(self) -> str:
        """A self-contained page: the answer with linked citations and the evidence list."""
        numbers = {e.key: i for i, e in enumerate(self.evidence, start=1)}
        body = []
        for s in self.sentences:
            cites = "".join(f'<a href="#ev{numbers[k]}">[{numbers[k]}]</a>' for k in s.citations if k in numbers)
            body.append(f"<p>{html.escape(s.text)} {cites}</p>" if s.factual else f"<p><em>{html.escape(s.text)}</em></p>")
        items = "".join(
            f'<li id="ev{numbers[e.key]}"><code>{html.escape(e.key)}</code> {html.escape(e.title)} — '
            f'<a href="{html.escape(e.url or "")}">{html.escape(e.url or "")}</a> '
            f"<small>({e.origin}; sha256 {e.sha256[:12]})</small></li>"
            for e in self.evidence
        )
        return (
            "<!doctype html><html><head><meta charset='utf-8'><title>genelm answer</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;line-height:1.5}"
            "code{background:#f3f3f3;padding:0 .2rem}</style></head><body>"
            f"<h1>{html.escape(self.question)}</h1>"
            + (f"<p><strong>Answer:</strong> {html.escape(self.short_answer)}</p>" if self.short_answer else "")
            + "".join(body)
            + f"<h2>Evidence</h2><ol>{items}</ol><p><small>mode: {html.escape(self.mode)}</small></p></body></html>"
        )


def render_markdown(question: str, short_answer: str | None, sentences: list[SentenceOut], evidence: list[Evidence],
                    gaps: list[str]) -> str:
    lines = []
    if short_answer and len(short_answer) < 200:
        lines.append(f"**Answer:** {short_answer}\n")
    for s in sentences:
        cites = " ".join(f"[{k}]" for k in s.citations)
        lines.append(f"{s.text} {cites}".rstrip() if s.factual else f"_{s.text}_")
    for gap in gaps:
        lines.append(f"_Gap: {gap}_")
    if evidence:
        lines.append("\n**Sources**")
        for e in evidence:
            lines.append(f"- [{e.key}] {e.title} — {e.url or 'bundled data'} ({e.origin}, sha256 {e.sha256[:12]})")
    return "\n".join(lines)
