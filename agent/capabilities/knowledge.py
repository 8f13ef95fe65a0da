"""Gene-knowledge retrieval: genes by function, genes like a named gene (typed calls and their questions).

Questions answered by gene-knowledge retrieval: genes by function, genes like a named gene.

"Which genes are involved in DNA mismatch repair?" searches the RefSeq summaries
by meaning; "Which genes are similar to BRCA1?" compares summaries with BRCA1's.
Both answers list ranked hits with their similarity and say plainly that this is
retrieval by text similarity, not curated annotation.
"""
from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import Field, field_validator

from genelm.agent.capabilities.genes import GeneIntent, gene_calls, lookup_term, resolve_gene
from genelm.agent.core.call import ToolContext, _Call, _term
from genelm.agent.core.evidence_views import with_prefix
from genelm.agent.core.question import Intent, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.connectors.errors import InputError
from genelm.evidence import Evidence
from genelm.i18n import _, tr


class FunctionSearch(_Call):
    """Genes (or ENCODE experiments) whose RefSeq summary or description matches a phrase, by meaning."""

    tool: Literal["function_search"] = "function_search"
    label: ClassVar[str] = "Gene knowledge: searching by meaning"
    text: str
    kind: Literal["gene", "encode_experiment"] = "gene"
    k: int = Field(10, ge=1, le=50)
    _v = field_validator("text")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.connectors.knowledge import hits_evidence

        hits = ctx.knowledge().search(self.text, self.k, kind=self.kind)
        what = "genes" if self.kind == "gene" else "ENCODE experiments"
        return [hits_evidence({"text": self.text, "kind": self.kind, "k": self.k}, hits,
                              f"{what} whose description matches '{self.text}'")]


class SimilarGenes(_Call):
    """Genes whose RefSeq summaries are closest in meaning to a gene's own summary."""

    tool: Literal["similar_genes"] = "similar_genes"
    label: ClassVar[str] = "Gene knowledge: comparing genes"
    gene_id: str = Field(pattern=r"^\d{1,12}$", description="NCBI Gene ID of the gene to compare against")
    k: int = Field(10, ge=1, le=50)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.connectors.knowledge import hits_evidence
        from genelm.data import gene_table

        gene = gene_table().by_id.get(self.gene_id)
        if gene is None:
            raise InputError(f"GeneID {self.gene_id} is not in the bundled gene table")
        hits = ctx.knowledge().similar_to(f"gene:{self.gene_id}", self.k)
        return [hits_evidence({"gene_id": self.gene_id, "k": self.k}, hits,
                              f"genes whose RefSeq summaries are most like {gene.symbol}'s (GeneID {self.gene_id})")]

_FUNCTION_PHRASE = re.compile(
    r"\bgenes?\b.*?\b(?:involved in|function(?:s|ing)? in|roles? in|participat\w* in|whose (?:function|description|"
    r"summary) (?:matches|is about|mentions)|that (?:encode|regulate|mediate|control)s?|related to the)\s+(.+?)[?.!]*$",
    re.I)
_SIMILAR = re.compile(r"\bgenes?\b.*\b(?:similar|related|functionally similar|most like|like)\b(?: to)?\b", re.I)
SHOWN = 10


def _say_hits(s: Synthesis, ledger, intro: str) -> None:
    hits = with_prefix(ledger, "knowledge:")
    if not hits or not hits[0].records:
        s.note(_("The gene-knowledge search returned nothing."))
        return
    ev = hits[0]
    listed = ", ".join(tr("{label} ({accession}, similarity {similarity})", label=r["label"], accession=r["accession"],
                          similarity=f"{r['similarity']:.2f}") for r in ev.records[:SHOWN])
    s.say(tr("{intro}: {genes}.", intro=intro, genes=listed), ev.key)
    s.note(_("These are ranked by the similarity of RefSeq summary text (all-MiniLM-L6-v2 embeddings), "
             "not by curated annotation; read the summaries before relying on a hit."))
    s.short_answer = ", ".join(r["label"] for r in ev.records[:SHOWN])


class FunctionSearchIntent(Intent):
    name = "genes_by_function"

    def matches(self, q: Question) -> bool:
        return _FUNCTION_PHRASE.search(q.text) is not None and q.first("rsid", "sequence", "region") is None

    def phrase(self, q: Question) -> str:
        return _FUNCTION_PHRASE.search(q.text).group(1).strip()

    def steps(self, q, ledger, step):
        return [FunctionSearch(text=self.phrase(q))] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        _say_hits(s, ledger, tr("Genes whose RefSeq summaries best match '{phrase}'", phrase=self.phrase(q)))
        return s


class SimilarGenesIntent(GeneIntent):
    name = "similar_genes"

    def matches(self, q: Question) -> bool:
        return q.gene_term() is not None and _SIMILAR.search(q.text) is not None and q.first("rsid") is None

    def steps(self, q, ledger, step):
        if step == 0:
            return gene_calls(lookup_term(q))
        if step == 1:
            rec, _ev, _said = resolve_gene(q, ledger, Synthesis())
            return [SimilarGenes(gene_id=str(rec["gene_id"]))] if rec else []
        return []

    def answer_gene(self, s, q, ledger, rec, ev, term):
        _say_hits(s, ledger, tr("Genes whose RefSeq summaries are most like that of {symbol} (GeneID {gene_id})",
                                symbol=rec["symbol"], gene_id=rec["gene_id"]))
