"""genelm.regulation: how a gene is regulated, from bundled real data (data/regulation, data/ccre, data/tf).

Gene-level evidence (each function returns an ``Evidence``; keys in brackets):

- ``regulation_evidence(symbol, cells=None, tissue=None)`` -> list[Evidence]: all of the below for one gene.
- TSSs and promoter window [``tss:TP53``]: GENCODE v24 basic transcript TSSs, window TSS +/- 500 bp.
- promoter-like cCREs [``ccre:K562:TP53``]: SCREEN PLS cCREs of K562/GM12878 within 5 kb, flagged
  ``at_promoter`` within the window.
- TSS activity [``cage:K562:TP53``, ``rampage:K562:TP53``]: same-strand CAGE (TPM) and RAMPAGE (RPM) peaks.
- factors [``chip2015:K562:TP53``]: ENCODE TF ChIP-seq 2015 gene sets (hg19-era) listing the gene;
  [``peaks:ENCFF605WXD:TP53``]: bundled MYC/MAX (K562) and DNase (GM12878, HepG2) peaks at the promoter.
- expression [``hpa:TP53``, ``gtex:TP53``, ``hpa-group:TP53``]: TPM per tissue, top 3, specificity groups.
- numbers in context (``genelm.regulation.context.context_evidence``) [``context:cage:K562:TP53``,
  ``context:dnase:HepG2:TP53``, ``context:hpa:TP53``, ``context:factors:K562:TP53``, …]: each value as a
  percentile of the cell line's promoters with signal (level words at stated quartile cut-offs), tissue
  ranks and folds over the gene's median, bound factors classed (own product, lineage, general machinery).

Tissue- and factor-level: ``tissue_elevated_tfs(tissue)`` [``hpa-specific:liver``],
``factor_biosamples(factor)`` [``encode-chip2019:HNF4A``], ``genes_bound_evidence(factor, cell)``.

Plain tables (pandas DataFrames) for callers that compute: ``gene_tss``, ``promoter_ccres``,
``ccres_near``, ``cage_at``, ``rampage_at``, ``factors_binding``, ``genes_bound_by``, ``peaks_at``,
``biosamples_profiled``, ``tissue_tpm``, ``top_tissues``, ``elevated_tfs``; vocabularies
``tissue_names()``, ``chip_targets()``; ``normalise_tissue(text)`` and ``find_tissue(question)``.

Errors: an unknown gene, tissue, factor or an uncovered cell line raises
``genelm.connectors.errors.InputError`` whose message names the fix.  A known gene with nothing
found yields an empty table / an Evidence with no records: a negative scoped to that file,
window and cell line, to be stated as such.
"""
from genelm.regulation.activity import cage_at, rampage_at
from genelm.regulation.ccre import ccres_near, promoter_ccres
from genelm.regulation.dossier import coverage, factor_biosamples, regulation_evidence, tissue_elevated_tfs
from genelm.regulation.evidence import CHIP2015_CAVEAT, genes_bound_evidence
from genelm.regulation.expression import (
    ELEVATED_GROUPS,
    elevated_tfs,
    find_tissue,
    gene_specificity,
    normalise_tissue,
    tissue_names,
    tissue_tpm,
    top_tissues,
)
from genelm.regulation.factors import (
    PEAK_FILES,
    biosamples_profiled,
    chip_experiments,
    chip_targets,
    factors_binding,
    genes_bound_by,
    peaks_at,
)
from genelm.regulation.tss import PROMOTER_FLANK, Gene, gene_tss, promoter_windows, resolve_gene

_FIGURE = ("draw_locus", "save_locus_figure", "track_labels")


def __getattr__(name: str):
    # matplotlib is imported only when a figure is drawn: most callers never draw one.
    if name in _FIGURE:
        try:
            from genelm.regulation import figure
        except ImportError as exc:
            from genelm.connectors.errors import InputError

            raise InputError("the locus figure needs matplotlib: pip install 'genelm[models]'") from exc

        return getattr(figure, name)
    raise AttributeError(f"module 'genelm.regulation' has no attribute '{name}'")


__all__ = [
    "CHIP2015_CAVEAT", "ELEVATED_GROUPS", "PEAK_FILES", "PROMOTER_FLANK", "Gene", "biosamples_profiled", "cage_at",
    "ccres_near", "chip_experiments", "chip_targets", "coverage", "draw_locus", "elevated_tfs",
    "factor_biosamples", "factors_binding", "find_tissue", "gene_specificity", "gene_tss", "genes_bound_by",
    "genes_bound_evidence", "normalise_tissue", "peaks_at", "promoter_ccres", "promoter_windows", "rampage_at",
    "regulation_evidence", "resolve_gene", "save_locus_figure", "tissue_elevated_tfs", "tissue_names", "tissue_tpm",
    "top_tissues", "track_labels",
]
