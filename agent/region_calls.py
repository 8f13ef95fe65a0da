"""Typed calls about positions and regions: RegulomeDB, UCSC, BLAT and the bundled GRCh38 interval tables.

Every call that takes coordinates also takes their assembly; the bundled tables
are GRCh38 and refuse anything else (a GRCh37 position is never looked up in a
GRCh38 table by accident).  Coordinates here are 1-based inclusive, as people
write them; each connector converts to its API's convention.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from genelm.agent.call_base import ToolContext, _Call, _term
from genelm.connectors.regulomedb import region_query
from genelm.data.intervals import CCRE_FILES, ccre_index, gene_index
from genelm.evidence import Evidence, sha256_hex

Assembly = Literal["GRCh38", "GRCh37"]
CHROM = r"^chr(\d{1,2}|X|Y|M)$"


class _Span(_Call):
    chromosome: str = Field(pattern=CHROM)
    start: int = Field(ge=1, le=300_000_000)
    end: int = Field(ge=1, le=300_000_000)
    assembly: Assembly

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def where(self) -> str:
        return f"{self.chromosome}:{self.start}-{self.end}"


class RegulomeSearch(_Call):
    """RegulomeDB rank, score and overlapping peaks for an rsID or a span."""

    tool: Literal["regulomedb_search"] = "regulomedb_search"
    rsid: str | None = Field(None, pattern=r"^rs\d{1,12}$")
    chromosome: str | None = Field(None, pattern=CHROM)
    start: int | None = Field(None, ge=1)
    end: int | None = Field(None, ge=1)
    assembly: Assembly = "GRCh38"

    @model_validator(mode="after")
    def _one_query(self):
        has_span = None not in (self.chromosome, self.start, self.end)
        if bool(self.rsid) == has_span:
            raise ValueError("give either an rsID or chromosome+start+end")
        return self

    def run(self, ctx: ToolContext) -> list[Evidence]:
        query = self.rsid or region_query(self.chromosome, self.start, self.end)
        return [ctx.regulome.search(query, self.assembly)]


class UcscTrack(_Span):
    """Items or signal of one UCSC track in a span (e.g. phyloP100way for conservation)."""

    tool: Literal["ucsc_track"] = "ucsc_track"
    track: str = Field(pattern=r"^[A-Za-z][\w.\-]{0,80}$")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ucsc.track(self.assembly, self.track, self.chromosome, self.start - 1, self.end)]


class UcscSequence(_Span):
    """The reference DNA sequence of a span from UCSC."""

    tool: Literal["ucsc_sequence"] = "ucsc_sequence"

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ucsc.sequence(self.assembly, self.chromosome, self.start - 1, self.end)]


class UcscSearch(_Call):
    """UCSC Genome Browser search: where a gene name or term maps on the genome."""

    tool: Literal["ucsc_search"] = "ucsc_search"
    term: str
    assembly: Assembly = "GRCh38"
    _v = field_validator("term")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ucsc.search(self.term, self.assembly)]


class Blat(_Call):
    """Place a DNA sequence on the human genome with UCSC BLAT."""

    tool: Literal["ucsc_blat"] = "ucsc_blat"
    sequence: str = Field(pattern=r"^[ACGTN]{20,25000}$")
    assembly: Assembly = "GRCh38"

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ucsc.blat(self.sequence, self.assembly)]


class CcreOverlap(_Span):
    """Bundled ENCODE SCREEN promoter-like cCREs (GRCh38) overlapping a span, per cell type."""

    tool: Literal["ccre_overlap"] = "ccre_overlap"
    biosample: Literal["K562", "GM12878"]
    window: int = Field(0, ge=0, le=1_000_000)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        index = ccre_index(self.biosample)
        hits = index.near(self.chromosome, self.start, self.end, self.assembly, self.window)
        records = [{"accession": iv.name, "chrom": iv.chrom, "start": iv.start, "end": iv.end, "distance": d,
                    "classification": iv.attrs[0], "tss_support": iv.attrs[1], "biosample": self.biosample,
                    "assembly": "GRCh38", "row": iv.row} for iv, d in hits]
        span = f"{self.where}" + (f" ± {self.window:,} bp" if self.window else "")
        return [Evidence(
            key=f"ccre:{self.biosample}:{self.where}:{self.window}", source="ccre",
            title=f"{index.label}: {len(records)} within {span} (GRCh38; {index.file}"
                  + (f" rows {', '.join(str(r['row']) for r in records[:5])}" if records else "") + ")",
            url=None, params={"file": index.file, "biosample": self.biosample, "chrom": self.chromosome,
                              "start": self.start, "end": self.end, "window": self.window, "assembly": "GRCh38"},
            sha256=sha256_hex(repr(records)), accessions=[r["accession"] for r in records], records=records,
            license="ENCODE data: free use; cite the ENCODE Consortium", origin="bundled",
        )]


class NearbyGenes(_Span):
    """Ensembl 110 genes (GRCh38, bundled) overlapping or within ``window`` bp of a span."""

    tool: Literal["nearby_genes"] = "nearby_genes"
    window: int = Field(50_000, ge=0, le=5_000_000)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        index = gene_index()
        hits = index.near(self.chromosome, self.start, self.end, self.assembly, self.window)
        records = [{"symbol": iv.name, "ensembl_id": iv.attrs[0], "description": iv.attrs[1], "chrom": iv.chrom,
                    "start": iv.start, "end": iv.end, "distance": d, "assembly": "GRCh38", "row": iv.row}
                   for iv, d in hits]
        return [Evidence(
            key=f"genes-near:{self.where}:{self.window}", source="gene-table",
            title=f"{index.label}: {len(records)} genes "
                  + (f"within {self.window:,} bp of" if self.window else "overlapping")
                  + f" {self.where} (GRCh38; {index.file})",
            url=None, params={"file": index.file, "chrom": self.chromosome, "start": self.start, "end": self.end,
                              "window": self.window, "assembly": "GRCh38"},
            sha256=sha256_hex(repr(records)), accessions=[r["ensembl_id"] for r in records], records=records,
            license="Ensembl: no restrictions", origin="bundled",
        )]


CCRE_BIOSAMPLES = tuple(CCRE_FILES)
