"""GEO series and datasets by accession or topic."""
from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import field_validator

from genelm.agent.core.call import ToolContext, _Call, _term
from genelm.agent.core.evidence_views import of_source
from genelm.agent.core.question import Intent, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.evidence import Evidence
from genelm.i18n import _, tr


class GeoSearch(_Call):
    """GEO DataSets/Series matching an accession (GSE…) or a topic."""

    tool: Literal["geo_search"] = "geo_search"
    label: ClassVar[str] = "GEO: searching series"
    term: str
    _v = field_validator("term")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ncbi.gds_search(self.term)]


# Words that say how a question is asked, never what it is about: they are not search terms.
QUESTION_WORDS = re.compile(
    r"(?i)\b(which|what|where|find|search|show|list|get|give|me|please|can|could|you|i|we|need|want|look(?:ing)? for|"
    r"are|is|there|any|all|some|the|a|an|in|on|of|for|about|with|geo|gene expression omnibus|series|datasets?|"
    r"data|studies|study|experiments?|samples?|ncbi|related|to)\b")


def search_topic(q: Question) -> str:
    """The GEO search term: the question's content words (never its question words), else the frame's values."""
    words = re.findall(r"[\w\-]+", QUESTION_WORDS.sub(" ", q.text))
    if words:
        return " ".join(words)[:120]
    frame = q.frame
    parts = [*frame.about, *frame.values("biosample"), *frame.values("tissue"), *frame.values("target"),
             *frame.values("assay")]
    organism = frame.constraint("organism")
    if organism:
        parts.append(organism)
    return " ".join(dict.fromkeys(parts))[:120]


class GeoIntent(Intent):
    name = "geo"

    def matches(self, q):
        return q.first("geo_accession") is not None or q.has("geo ", "gene expression omnibus")

    def steps(self, q, ledger, step):
        if step:
            return []
        acc = q.first("geo_accession")
        if acc:
            return [GeoSearch(term=f"{acc.value}[GEO Accession]")]
        topic = search_topic(q)
        return [GeoSearch(term=topic)] if topic else []

    def answer(self, q, ledger):
        s = Synthesis()
        evs = of_source(ledger, "geo")
        for ev in evs:
            for rec in ev.records[:10]:
                s.say(tr("{accession}: {title} ({taxon}; {samples} samples; platform {platform}).",
                         accession=rec["accession"], title=rec["title"], taxon=rec["taxon"], samples=rec["n_samples"],
                         platform=rec["platform"]), ev.key)
            if not ev.records:
                s.say(_("GEO returned no series for this query."), ev.key)
        if evs and evs[0].records:
            s.short_answer = ", ".join(r["accession"] for r in evs[0].records[:10])
        if not evs:
            s.note(_("GEO did not answer."))
        return s
