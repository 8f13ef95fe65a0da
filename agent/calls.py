"""Typed tool calls: what the planner may ask for, validated by pydantic before anything runs.

Each call knows how to run itself against a ToolContext and returns Evidence.
The same models are what an LLM planner fills in (its JSON is validated here).
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, TypeAdapter, field_validator

from genelm.agent.call_base import ToolContext, _Call, _term
from genelm.agent.graph_call import CypherQuery, GraphQuery
from genelm.agent.knowledge_calls import FunctionSearch, SimilarGenes
from genelm.agent.model_calls import (EnformerOverlay, EnformerPredict, EnformerTracks, EnformerVariant,
                                      GenomicLmScore, SpliceScore)
from genelm.agent.region_calls import Blat, CcreOverlap, NearbyGenes, RegulomeSearch, UcscSearch, UcscSequence, UcscTrack
from genelm.connectors.encode_index import encode_index
from genelm.connectors.errors import ReplayMiss, SourceError
from genelm.data import ENSEMBL_LABEL, GENE_INFO, GENE_INFO_LABEL, GeneRecord, gene_summaries, gene_table
from genelm.evidence import Evidence, sha256_hex

class GeneLookup(_Call):
    """NCBI Gene records for a symbol, alias, Ensembl ID or phrase."""

    tool: Literal["ncbi_gene"] = "ncbi_gene"
    term: str
    retmax: int = Field(5, ge=1, le=20)
    _v = field_validator("term")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ncbi.gene_search(self.term, self.retmax)]


class GeneTableLookup(_Call):
    """The bundled NCBI gene_info (2020-04) + Ensembl 110 tables: offline and instant."""

    tool: Literal["gene_table"] = "gene_table"
    term: str
    _v = field_validator("term")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        table = gene_table()
        term = self.term.strip()
        hits: list[GeneRecord] = []
        how = ""
        if term.upper().startswith("ENSG"):
            gene = table.by_ensembl.get(term.upper().split(".")[0])
            hits, how = ([gene] if gene else []), "Ensembl ID"
        elif term.isdigit():
            gene = table.by_id.get(term)
            hits, how = ([gene] if gene else []), "GeneID"
        else:
            gene = table.symbol(term)
            if gene is not None:
                hits, how = [gene], "official symbol"
            else:
                hits, how = table.aliases(term), "alias"
        return [gene_table_evidence(g, f"{how} {term}") for g in hits]


def gene_table_evidence(gene: GeneRecord, matched: str) -> Evidence:
    record = gene.as_record() | {"matched": matched, "source_row": gene.row}
    return Evidence(
        key=f"gene-table:{gene.gene_id}",
        source="gene-table",
        title=f"{GENE_INFO_LABEL}, row {gene.row}: {gene.symbol} (GeneID {gene.gene_id})"
        + (f"; coordinates from {ENSEMBL_LABEL}" if gene.start else ""),
        url=f"https://www.ncbi.nlm.nih.gov/gene/{gene.gene_id}",
        params={"file": GENE_INFO.name, "row": gene.row, "matched": matched},
        sha256=sha256_hex(repr(sorted(record.items()))),
        accessions=[f"GeneID:{gene.gene_id}", *gene.ensembl_ids],
        records=[record],
        license="NCBI gene_info: public domain",
        origin="bundled",
    )


class GeneFunction(_Call):
    """RefSeq summary of a gene's function (bundled RefSeq summaries; NCBI esummary when online)."""

    tool: Literal["gene_function"] = "gene_function"
    gene_id: str = Field(pattern=r"^\d{1,12}$")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        out: list[Evidence] = []
        try:
            out.append(ctx.ncbi.gene_summary([self.gene_id]))
        except ReplayMiss:
            pass  # normal offline: the bundled summary below answers
        except SourceError as exc:
            ctx.report_gap(f"ncbi did not answer for {self.describe()}: {exc.reason}; the bundled RefSeq summary "
                           "answered instead")
        refseq = gene_summaries().get(self.gene_id)
        gene = gene_table().by_id.get(self.gene_id)
        if refseq:
            accession, summary = refseq
            record = {"gene_id": self.gene_id, "symbol": gene.symbol if gene else None, "summary": summary,
                      "refseq": accession}
            out.append(Evidence(
                key=f"refseq-summary:{self.gene_id}", source="refseq-summary",
                title=f"RefSeq summary of {record['symbol'] or 'GeneID ' + self.gene_id} ({accession}; GeneSummary 2025-01)",
                url=f"https://www.ncbi.nlm.nih.gov/gene/{self.gene_id}", params={"gene_id": self.gene_id},
                sha256=sha256_hex(summary), accessions=[f"GeneID:{self.gene_id}", accession], records=[record],
                license="NCBI RefSeq: public domain", origin="bundled",
            ))
        return out


class SnpLookup(_Call):
    """dbSNP record of an rsID: chromosome, position, alleles, the genes it falls in."""

    tool: Literal["ncbi_snp"] = "ncbi_snp"
    rsid: str = Field(pattern=r"^rs\d{1,12}$")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ncbi.snp(self.rsid)]


class OmimSearch(_Call):
    """OMIM entries (genes and phenotypes) matching a disease or gene name."""

    tool: Literal["omim_search"] = "omim_search"
    term: str
    _v = field_validator("term")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ncbi.omim_search(self.term)]


class Blast(_Call):
    """Align a DNA sequence with NCBI BLAST: which species and locus it comes from."""

    tool: Literal["blast"] = "blast"
    sequence: str = Field(pattern=r"^[ACGTN]{15,10000}$")
    program: Literal["blastn", "megablast"] = "blastn"
    database: Literal["nt", "refseq_genomic", "core_nt"] = "nt"

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ncbi.blast(self.sequence, self.program, self.database)]


class EncodeSearch(_Call):
    """ENCODE experiments by target/biosample/assay: the portal, or offline the bundled metadata index."""

    tool: Literal["encode_search"] = "encode_search"
    target: str | None = None
    biosample: str | None = None
    assay: str | None = None
    assembly: Literal["GRCh38", "hg19", "GRCh37", "mm10"] | None = None

    def run(self, ctx: ToolContext) -> list[Evidence]:
        assembly = "hg19" if self.assembly == "GRCh37" else self.assembly
        try:
            ev = ctx.encode.search_experiments(target=self.target, biosample=self.biosample,
                                               assay=self.assay, assembly=assembly)
            return [ev]
        except (ReplayMiss, SourceError) as exc:
            # Offline, or the portal failed: answer from the bundled exports, and say so.
            if not isinstance(exc, ReplayMiss):
                ctx.report_gap(f"encode did not answer for {self.describe()}: {exc.reason}; "
                               "the bundled metadata index answered instead")
            if assembly and assembly not in ("GRCh38",):
                raise SourceError("encode", f"{exc.reason}; the bundled metadata index holds GRCh38 files only, "
                                  f"so it cannot answer for {assembly}") from None
            ix = encode_index()
            rows = ix.search(target=self.target, biosample=self.biosample, assay=self.assay, assembly=assembly)
            filters = {k: v for k, v in self.model_dump(exclude={"tool"}).items() if v}
            return ix.evidence(rows, filters)


class EncodeExperiment(_Call):
    """One ENCODE record (experiment, file, biosample, donor, antibody) by accession."""

    tool: Literal["encode_experiment"] = "encode_experiment"
    accession: str = Field(pattern=r"^ENC(SR|FF|BS|DO|AB)\d{3}[A-Z]{3}$")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.encode.lookup(self.accession)]


class GeoSearch(_Call):
    """GEO DataSets/Series matching an accession (GSE…) or a topic."""

    tool: Literal["geo_search"] = "geo_search"
    term: str
    _v = field_validator("term")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ncbi.gds_search(self.term)]


ToolCall = Annotated[
    Union[GeneLookup, GeneTableLookup, GeneFunction, SnpLookup, OmimSearch, Blast, EncodeSearch, EncodeExperiment,
          GeoSearch, RegulomeSearch, UcscTrack, UcscSequence, UcscSearch, Blat, CcreOverlap, NearbyGenes,
          GraphQuery, CypherQuery, FunctionSearch, SimilarGenes, SpliceScore, EnformerTracks, EnformerPredict,
          EnformerVariant, EnformerOverlay, GenomicLmScore],
    Field(discriminator="tool"),
]
TOOL_CALL_ADAPTER: TypeAdapter = TypeAdapter(ToolCall)


def parse_call(data: dict) -> _Call:
    """Validate an untrusted call (e.g. from an LLM).  Raises pydantic.ValidationError."""
    return TOOL_CALL_ADAPTER.validate_python(data)
