"""GEO series and datasets by accession or topic."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import field_validator

from genelm.agent.core.call import ToolContext, _Call, _term
from genelm.agent.core.evidence_views import of_source
from genelm.agent.core.question import Intent
from genelm.agent.core.synthesis import Synthesis
from genelm.evidence import Evidence


class GeoSearch(_Call):
    """GEO DataSets/Series matching an accession (GSE…) or a topic."""

    tool: Literal["geo_search"] = "geo_search"
    term: str
    _v = field_validator("term")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ncbi.gds_search(self.term)]


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
        topic = re.sub(r"(?i)\b(which|what|geo|gene expression omnibus|series|datasets?|are there|about|on|studies|list)\b", " ", q.text)
        topic = " ".join(re.findall(r"[\w\-]+", topic))[:120]
        return [GeoSearch(term=topic)] if topic else []

    def answer(self, q, ledger):
        s = Synthesis()
        evs = of_source(ledger, "geo")
        for ev in evs:
            for rec in ev.records[:10]:
                s.say(f"{rec['accession']}: {rec['title']} ({rec['taxon']}; {rec['n_samples']} samples; platform {rec['platform']}).", ev.key)
            if not ev.records:
                s.say("GEO returned no series for this query.", ev.key)
        if evs and evs[0].records:
            s.short_answer = ", ".join(r["accession"] for r in evs[0].records[:10])
        if not evs:
            s.note("GEO did not answer.")
        return s
