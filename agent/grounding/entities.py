"""Typed entities found in a question, with the span they came from."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

EntityKind = Literal[
    "gene", "gene_ambiguous", "ensembl", "gene_id", "rsid", "region", "sequence", "biosample", "assay", "target",
    "organism", "disease", "encode_accession", "geo_accession", "assembly", "unknown_gene", "variant", "tissue",
    "gene_family",
]

# Everything that names a gene: resolved, ambiguous, by Ensembl or NCBI ID, or symbol-shaped but unknown.
GENE_KINDS = ("gene", "gene_ambiguous", "ensembl", "gene_id", "unknown_gene", "gene_family")


class Entity(BaseModel):
    kind: EntityKind
    text: str = Field(description="the words in the question")
    value: str = Field(description="the normalised value (official symbol, rsID, ENCSR…, GRCh38, …)")
    span: tuple[int, int]
    candidates: list[str] = Field(default_factory=list, description="for ambiguous aliases: every gene it names")
    attrs: dict = Field(default_factory=dict)


class Region(BaseModel):
    chromosome: str  # 'chr17'
    start: int  # 1-based inclusive
    end: int
    assembly: str  # GRCh38 | GRCh37
    assembly_stated: bool

    def __str__(self) -> str:
        return f"{self.chromosome}:{self.start}-{self.end} ({self.assembly})"


class Variant(BaseModel):
    chromosome: str
    position: int  # 1-based
    ref: str
    alt: str
    assembly: str
    assembly_stated: bool

    def __str__(self) -> str:
        return f"{self.chromosome}:{self.position} {self.ref}>{self.alt} ({self.assembly})"
