"""Diseases: OMIM phenotype entries and the NCBI Gene records they support."""
from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import field_validator

from genelm.agent.capabilities.genes import GeneLookup
from genelm.agent.core.call import ToolContext, _Call, _term
from genelm.agent.core.evidence_views import ncbi_gene_records, with_prefix
from genelm.agent.core.question import Intent, Ledger, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.evidence import Evidence
from genelm.i18n import tr


class OmimSearch(_Call):
    """OMIM entries (genes and phenotypes) matching a disease or gene name."""

    tool: Literal["omim_search"] = "omim_search"
    label: ClassVar[str] = "OMIM: searching phenotypes"
    term: str
    _v = field_validator("term")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ncbi.omim_search(self.term)]


def _disease_genes(q: Question, ledger: Ledger) -> tuple[list[tuple[dict, Evidence]], Evidence | None, set[str]]:
    """Human genes NCBI Gene finds for the disease, and the OMIM phenotype loci that support them."""
    omim = next(iter(with_prefix(ledger, "ncbi:omim-search:")), None)
    disease = q.first("disease").value.lower()
    words = {w for w in re.findall(r"[a-z0-9]+", disease) if len(w) > 2}
    loci: set[str] = set()
    for rec in (omim.records if omim else []):
        title = (rec["title"] + " " + rec.get("alt_titles", "")).lower()
        if rec.get("locus") and rec.get("prefix") in ("#", "%", "+") and words <= set(re.findall(r"[a-z0-9]+", title)):
            loci.update(l.strip() for l in rec["locus"].split(","))
    genes, seen = [], set()
    for rec, ev in ncbi_gene_records(ledger):
        if rec.get("species") == "Homo sapiens" and rec.get("status") == "live" and rec["symbol"] not in seen:
            seen.add(rec["symbol"])
            genes.append((rec, ev))
    return genes, omim, loci


class DiseaseGenes(Intent):
    name = "disease_genes"

    def matches(self, q):
        return q.first("disease") is not None

    def steps(self, q, ledger, step):
        term = q.first("disease").value
        return [OmimSearch(term=term), GeneLookup(term=term)] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        disease = q.first("disease").value
        genes, omim, loci = _disease_genes(q, ledger)
        supported = [(r, e) for r, e in genes if r.get("map_location") in loci]
        chosen = supported or genes
        want_locations = q.has("location", "locations", "cytoband", "where")
        if omim and loci:
            s.say(tr("OMIM phenotype entries for {disease} map to {loci}.", disease=disease, loci=", ".join(sorted(loci))),
                  omim.key)
        if not chosen:
            s.note(tr("NCBI Gene returned no human gene for '{disease}'.", disease=disease) if ledger else
                   tr("Neither OMIM nor NCBI Gene answered for '{disease}' (the gaps below say why), so genelm cannot "
                      "name its genes.", disease=disease))
            return s
        for rec, ev in chosen:
            keys = [ev.key] + ([omim.key] if omim and rec.get("map_location") in loci else [])
            values = {"symbol": rec["symbol"], "gene_id": rec["gene_id"], "disease": disease}
            s.say(tr("NCBI Gene links {symbol} (GeneID {gene_id}) at {band} to {disease}.", band=rec["map_location"],
                     **values) if rec.get("map_location") else
                  tr("NCBI Gene links {symbol} (GeneID {gene_id}) to {disease}.", **values), *keys)
        if supported and len(supported) < len(genes):
            others = ", ".join(r["symbol"] for r, e in genes if (r, e) not in supported)
            s.say(tr("NCBI Gene's search also returns {genes}, at loci no matching OMIM phenotype entry names.",
                     genes=others), *(e.key for _r, e in genes[:1]))
        if want_locations and loci and not supported:
            # OMIM names the phenotype's locus itself; NCBI's text search found genes elsewhere, which are
            # listed above but are not the answer to where this disease's genes are.
            s.say(tr("None of the genes NCBI Gene's search returned lies at the OMIM loci of {disease}, so the "
                     "answer is OMIM's: {loci}.", disease=disease, loci=", ".join(sorted(loci))), omim.key)
            s.short_answer = ", ".join(sorted(loci))
        elif want_locations:
            s.short_answer = ", ".join(dict.fromkeys(r["map_location"] for r, _e in chosen if r.get("map_location")))
        else:
            s.short_answer = ", ".join(r["symbol"] for r, _e in chosen)
        return s
