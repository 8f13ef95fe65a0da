"""Typed calls over the gene-knowledge collection: genes by function, genes like a given gene."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from genelm.agent.call_base import ToolContext, _Call, _term
from genelm.connectors.errors import InputError
from genelm.evidence import Evidence


class FunctionSearch(_Call):
    """Genes (or ENCODE experiments) whose RefSeq summary or description matches a phrase, by meaning."""

    tool: Literal["function_search"] = "function_search"
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
