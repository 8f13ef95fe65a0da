"""Promoter-like cCREs (ENCODE SCREEN) at and around a gene's TSSs, per cell line.

Only promoter-like (PLS, and PLS bound by CTCF) cCREs are bundled, for K562 and
GM12878 (data/ccre): "no cCRE" here means "no promoter-like cCRE in that cell
line", never "no regulatory element".  A cCRE is *at the promoter* when it comes
within PROMOTER_FLANK bp of any GENCODE v24 basic TSS of the gene; the
neighbourhood reported around it reaches ``around`` bp from the TSSs.
"""
from __future__ import annotations

import pandas as pd

from genelm.connectors.errors import InputError
from genelm.regulation import tables
from genelm.regulation.factors import same_biosample
from genelm.regulation.overlap import index_for, near_tss
from genelm.regulation.tss import PROMOTER_FLANK, Gene, gene_tss, resolve_gene

NEIGHBOURHOOD = 5_000


def check_cell(cell: str, covered: tuple[str, ...], what: str) -> str:
    """The cell line as the bundled files name it, or InputError naming the ones there are."""
    for name in covered:
        if same_biosample(cell, name):
            return name
    raise InputError(f"bundled {what} exist for {', '.join(covered)} only, not '{cell}'")


def ccres_near(gene: str | Gene, cell: str, flank: int = PROMOTER_FLANK, around: int = NEIGHBOURHOOD) -> pd.DataFrame:
    """PLS cCREs of ``cell`` within ``around`` bp of the gene's TSSs, with ``distance`` and ``at_promoter``."""
    cell = check_cell(cell, tables.CCRE_CELLS, "promoter-like cCREs")
    sites = gene_tss(gene if isinstance(gene, Gene) else resolve_gene(gene))
    hits = near_tss(index_for(f"ccre:{cell}"), sites, max(flank, around))
    return hits.assign(at_promoter=hits["distance"] <= flank, cell=cell)


def promoter_ccres(gene: str | Gene, cell: str, flank: int = PROMOTER_FLANK) -> pd.DataFrame:
    """The PLS cCRE(s) of ``cell`` within ``flank`` bp of any TSS of the gene (empty: none there)."""
    hits = ccres_near(gene, cell, flank, around=flank)
    return hits[hits["at_promoter"]]
