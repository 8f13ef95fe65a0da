"""Bundled, installed data: reference tables and the offline snapshot.

Every file here is real data copied from ../shared with its SOURCES.md beside
it.  Loaders are cached twice: once per process (lru_cache), and across processes
on disk (``genelm.data.disk_cache``, keyed by each file's sha256), so a new process
reads the parsed table back instead of parsing gzipped text again.
"""
from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from genelm.data.disk_cache import cached, gc_paused

DATA_DIR = Path(__file__).resolve().parent
GENE_INFO = DATA_DIR / "genes" / "NCBI_Homo_sapiens.gene_info.2020-04.gz"
ENSEMBL_GENES = DATA_DIR / "genes" / "ideogram_homo-sapiens-genes.GRCh38.Ensembl110.tsv.gz"
GENE_SUMMARIES = DATA_DIR / "genes" / "refseq_gene_summaries_human.tsv.gz"
TF_LIST = DATA_DIR / "tf" / "Lambert2018_TF_names_v_1.01.txt"
ENCODE_METADATA_DIR = DATA_DIR / "encode_metadata"

GENE_INFO_LABEL = "NCBI gene_info (Homo sapiens, 2020-04)"
ENSEMBL_LABEL = "Ensembl 110 GRCh38 gene table"


def snapshot_dir() -> Path:
    return DATA_DIR / "snapshot"


@dataclass
class GeneRecord:
    gene_id: str
    symbol: str
    synonyms: list[str]
    chromosome: str
    map_location: str
    description: str
    type_of_gene: str
    ensembl_ids: list[str] = field(default_factory=list)
    mim_ids: list[str] = field(default_factory=list)
    row: int = 0  # 1-based data row in gene_info, for citation
    start: int | None = None  # GRCh38, 1-based, from Ensembl 110
    end: int | None = None
    ensembl_chromosome: str | None = None

    def as_record(self) -> dict:
        rec = {
            "gene_id": self.gene_id,
            "symbol": self.symbol,
            "aliases": self.synonyms,
            "chromosome": self.chromosome,
            "map_location": self.map_location,
            "description": self.description,
            "type_of_gene": self.type_of_gene,
            "ensembl_ids": self.ensembl_ids,
        }
        if self.start is not None:
            rec.update({"assembly": "GRCh38", "start": self.start, "end": self.end})
        return rec


class GeneTable:
    """Symbols, aliases and IDs of human genes, for grounding and offline answers."""

    def __init__(self, genes: list[GeneRecord]):
        self.genes = genes
        self.by_symbol: dict[str, GeneRecord] = {}
        self.by_alias: dict[str, list[GeneRecord]] = {}
        self.by_ensembl: dict[str, GeneRecord] = {}
        self.by_id: dict[str, GeneRecord] = {}
        for gene in genes:
            self.by_symbol.setdefault(gene.symbol.upper(), gene)
            self.by_id[gene.gene_id] = gene
            for ens in gene.ensembl_ids:
                self.by_ensembl.setdefault(ens, gene)
            for alias in gene.synonyms:
                self.by_alias.setdefault(alias.upper(), []).append(gene)

    def symbol(self, text: str) -> GeneRecord | None:
        return self.by_symbol.get(text.upper())

    def aliases(self, text: str) -> list[GeneRecord]:
        return self.by_alias.get(text.upper(), [])


@lru_cache(maxsize=1)
def gene_table() -> GeneTable:
    # Cached as plain tuples: they unpickle several times faster than the records themselves.
    rows = cached([GENE_INFO, ENSEMBL_GENES], _gene_rows, version="gene_table-1", name="gene_table")
    with gc_paused():
        return GeneTable([GeneRecord(*row) for row in rows])


def _gene_rows() -> list[tuple]:
    coords = _ensembl_coordinates()
    rows: list[tuple] = []
    with gzip.open(GENE_INFO, "rt", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader)
        for row_number, row in enumerate(reader, start=1):
            xrefs = row[5].split("|") if row[5] != "-" else []
            ensembl_ids = [x.split(":", 1)[1] for x in xrefs if x.startswith("Ensembl:")]
            loc = next((coords[e] for e in ensembl_ids if e in coords), None)
            chrom, start, end = loc if loc is not None else (None, None, None)
            # The field order of GeneRecord.
            rows.append((row[1], row[2], [s for s in row[4].split("|") if s and s != "-"], row[6],
                         row[7] if row[7] != "-" else "", row[8], row[9], ensembl_ids,
                         [x.split(":", 1)[1] for x in xrefs if x.startswith("MIM:")], row_number, start, end, chrom))
    return rows


@dataclass(frozen=True)
class EnsemblGene:
    row: int  # 1-based line in the file, for citation
    chromosome: str  # as in the file: '17', 'X'
    start: int  # GRCh38, 1-based inclusive
    end: int
    ensembl_id: str
    symbol: str
    description: str


@lru_cache(maxsize=1)
def ensembl_genes() -> tuple[EnsemblGene, ...]:
    """The Ensembl 110 gene table, read once for both the gene table's coordinates and the interval index."""
    rows = cached(ENSEMBL_GENES, _ensembl_rows, version="ensembl_genes-1", name="ensembl_genes")
    with gc_paused():
        return tuple(EnsemblGene(*row) for row in rows)


def _ensembl_rows() -> list[tuple]:
    out = []
    with gzip.open(ENSEMBL_GENES, "rt", encoding="utf-8") as handle:
        for row, line in enumerate(handle, start=1):
            if line.startswith("#"):
                continue
            chrom, start, length, slim, symbol, description, *_ = line.rstrip("\n").split("\t")
            # length = end - start (TP53: 7661779 + 25759 = 7687538)
            out.append((row, chrom, int(start), int(start) + int(length), f"ENSG{int(slim):011d}", symbol, description))
    return out


def _ensembl_coordinates() -> dict[str, tuple[str, int, int]]:
    out: dict[str, tuple[str, int, int]] = {}
    for gene in ensembl_genes():
        out[gene.ensembl_id] = (gene.chromosome, gene.start, gene.end)
    return out


@lru_cache(maxsize=1)
def gene_summaries() -> dict[str, tuple[str, str]]:
    """NCBI Gene ID -> (RefSeq accession, summary text)."""
    return cached(GENE_SUMMARIES, _summaries, version="gene_summaries-1", name="gene_summaries")


def _summaries() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    with gzip.open(GENE_SUMMARIES, "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4:
                out[parts[0]] = (parts[1], parts[3])
    return out


@lru_cache(maxsize=1)
def transcription_factors() -> frozenset[str]:
    return frozenset(line.strip().upper() for line in TF_LIST.read_text().splitlines() if line.strip())
