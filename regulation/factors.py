"""Factors bound near a gene: the ENCODE TF ChIP-seq 2015 gene sets, the 2019 experiment report,
and the bundled GRCh38 narrowPeak files (MYC and MAX in K562; DNase in GM12878 and HepG2).

The 2015 gene sets (Enrichr/ChEA3 "ENCODE_TF_ChIP-seq_2015") list, per ENCODE
experiment (factor x biosample), the genes with a peak near their promoter; the
peaks were called on hg19 and the library does not state its window.  So a gene in
a set means "bound near it in that 2015 experiment", and a gene in no set of a
factor that was profiled there means "not listed", not "not bound".  Gene-set
symbols are matched exactly (the library uses current HGNC symbols, e.g. ELOA).
"""
from __future__ import annotations

import re

import pandas as pd

from genelm.connectors.errors import InputError
from genelm.regulation import tables
from genelm.regulation.overlap import index_for, near_tss
from genelm.regulation.tss import PROMOTER_FLANK, Gene, gene_tss, resolve_gene

# accession -> (assay, target, biosample): the bundled GRCh38 peak files (SOURCES.md).
PEAK_FILES: dict[str, tuple[str, str | None, str]] = {
    "ENCFF605WXD": ("TF ChIP-seq", "MYC", "K562"),
    "ENCFF618VMC": ("TF ChIP-seq", "MAX", "K562"),
    "ENCFF073ORT": ("DNase-seq", None, "GM12878"),
    "ENCFF209DJG": ("DNase-seq", None, "HepG2"),
}


# ENCODE's current term names where the 2015 library spelled the cell line otherwise.
CODE_ALIASES = {"H1": "H1HESC", "H1HESCCELL": "H1HESC", "HELA": "HELAS3", "LNCAP": "LNCAPCLONEFGC", "SKNSHRA": "SKNSH",
                "HUVEC": "ENDOTHELIALCELLOFUMBILICALVEIN"}


def biosample_code(text: str) -> str:
    """The 2015 library's biosample spelling: upper case, letters and digits only (HepG2 -> HEPG2; H1 -> H1HESC)."""
    code = re.sub(r"[^A-Z0-9]", "", text.upper())
    return CODE_ALIASES.get(code, code)


def same_biosample(a: str, b: str) -> bool:
    """Whether two spellings name one cell line ('HepG2' and 'HEPG2', 'H1' and 'H1-hESC')."""
    return biosample_code(a) == biosample_code(b)


def chip2015_biosamples(assembly: str = "HG19") -> list[str]:
    df = tables.chip2015()
    return sorted(set(df.loc[df["assembly"] == assembly, "biosample"]))


def chip2015_biosample(cell: str, assembly: str = "HG19") -> str:
    """A cell line as the 2015 library names it; InputError naming the profiled ones if it has none."""
    code = biosample_code(cell)
    known = chip2015_biosamples(assembly)
    if code not in known:
        raise InputError(f"the ENCODE TF ChIP-seq 2015 gene sets have no {assembly} experiment in '{cell}'; "
                         f"biosamples there: {', '.join(known)}")
    return code


def chip_targets(assembly: str = "HG19") -> list[str]:
    """Every factor with a 2015 gene set (the vocabulary of factor names)."""
    df = tables.chip2015()
    return sorted(set(df.loc[df["assembly"] == assembly, "tf"]))


def factors_binding(gene: str | Gene, cell: str | None = None, assembly: str = "HG19") -> pd.DataFrame:
    """2015 gene sets that list the gene: gene_set, tf, biosample, assembly, n_genes, row.

    ``cell`` limits to one biosample (InputError if the library has none there);
    an empty frame means no set of that biosample lists the gene.
    """
    symbol = gene.symbol if isinstance(gene, Gene) else resolve_gene(gene).symbol
    df = tables.chip2015()
    keep = (df["assembly"] == assembly) & tables.chip2015_listing(symbol)
    if cell is not None:
        keep &= df["biosample"] == chip2015_biosample(cell, assembly)
    cols = ["gene_set", "tf", "biosample", "assembly", "n_genes", "row"]
    return df.loc[keep, cols].sort_values(["biosample", "tf"], kind="stable")


def genes_bound_by(factor: str, cell: str | None = None, assembly: str = "HG19") -> pd.DataFrame:
    """One row per (2015 gene set of ``factor``, gene it lists).  InputError if the factor has no set."""
    df = tables.chip2015()
    keep = (df["assembly"] == assembly) & (df["tf"] == factor.strip().upper())
    if not keep.any():
        raise InputError(f"'{factor}' has no ENCODE TF ChIP-seq 2015 gene set ({assembly}); "
                         "see genelm.regulation.chip_targets() for the factors there")
    if cell is not None:
        keep &= df["biosample"] == chip2015_biosample(cell, assembly)
    sets = df.loc[keep, ["gene_set", "tf", "biosample", "row", "genes"]]
    sets = sets.assign(gene=sets.pop("genes").str.split(",")).explode("gene")
    return sets.reset_index(drop=True)


def chip_experiments(factor: str) -> pd.DataFrame:
    """ENCODE TF ChIP-seq experiments (2019-10-04 report, GRCh38) whose target is ``factor``.

    The report's target column can name several genes ('CBX3,CBX5'); each counts.
    Empty: ENCODE had released no such experiment by then.
    """
    df = tables.chip2019()
    name = factor.strip().upper()
    targets = df["Target gene symbol"].str.upper().str.split(",")
    hits = df[targets.map(lambda t: name in [x.strip() for x in t])]
    cols = ["Accession", "Target gene symbol", "Biosample term name", "Biosample summary", "Lab", "Files", "row"]
    return hits[cols].sort_values(["Biosample term name", "Accession"], kind="stable")


def biosamples_profiled(factor: str) -> list[str]:
    """Distinct biosample term names of the factor's 2019 experiments (as the portal writes them: 'HepG2')."""
    return sorted(set(chip_experiments(factor)["Biosample term name"]))


def peaks_at(gene: str | Gene, accession: str, flank: int = PROMOTER_FLANK) -> pd.DataFrame:
    """narrowPeaks of one bundled file within ``flank`` bp of any TSS of the gene (unstranded)."""
    if accession not in PEAK_FILES:
        raise InputError(f"no bundled peak file {accession}; bundled: {', '.join(PEAK_FILES)}")
    sites = gene_tss(gene if isinstance(gene, Gene) else resolve_gene(gene))
    assay, target, biosample = PEAK_FILES[accession]
    hits = near_tss(index_for(accession), sites, flank)
    return hits.assign(accession=accession, assay=assay, target=target or "", biosample=biosample)
