"""Transcription start activity at a gene's TSSs: CAGE (TPM) and RAMPAGE (RPM) peaks, per cell line.

Both assays are stranded, so a peak counts only near a TSS on its own strand: an
antisense peak at a bidirectional promoter belongs to the other transcript.
CAGE peaks are the FANTOM-style peaks with TPM >= 1 in K562 or GM12878 (no row:
below 1 TPM, or no peak).  RAMPAGE rPeaks are ENCODE's representative peaks
merged over all its RAMPAGE biosamples (the file does not say which biosample
each came from); they are quantified (RPKM, RPM, reads) in K562 and GM12878 only.
"""
from __future__ import annotations

import pandas as pd

from genelm.regulation import tables
from genelm.regulation.ccre import check_cell
from genelm.regulation.overlap import index_for, near_tss
from genelm.regulation.tss import PROMOTER_FLANK, Gene, gene_tss, resolve_gene


def _sites(gene: str | Gene) -> pd.DataFrame:
    return gene_tss(gene if isinstance(gene, Gene) else resolve_gene(gene))


def cage_at(gene: str | Gene, cell: str, flank: int = PROMOTER_FLANK) -> pd.DataFrame:
    """CAGE peaks (TPM >= 1) of ``cell`` within ``flank`` bp of a same-strand TSS, highest TPM first."""
    cell = check_cell(cell, tables.CAGE_CELLS, "CAGE peaks")
    hits = near_tss(index_for(f"cage:{cell}"), _sites(gene), flank, same_strand=True)
    return hits.assign(cell=cell).sort_values(["tpm", "distance"], ascending=[False, True], kind="stable")


def rampage_at(gene: str | Gene, cell: str | None = None, flank: int = PROMOTER_FLANK) -> pd.DataFrame:
    """RAMPAGE rPeaks within ``flank`` bp of a same-strand TSS; with ``cell``, its RPKM/RPM/reads joined.

    An rPeak with no quantification row in that cell reads NaN (not measured there),
    which is different from 0 reads.
    """
    hits = near_tss(index_for("rampage"), _sites(gene), flank, same_strand=True).rename(columns={"name": "rpeak_id"})
    if cell is None:
        return hits
    cell = check_cell(cell, tables.RAMPAGE_CELLS, "RAMPAGE quantifications")
    quant = tables.rampage_quant(cell).rename(columns={"row": "quant_row"})
    out = hits.join(quant, on="rpeak_id").assign(cell=cell)
    return out.sort_values(["rpm", "distance"], ascending=[False, True], kind="stable", na_position="last")


def activity_by_gene(cell: str, assay: str = "CAGE", flank: int = PROMOTER_FLANK) -> pd.DataFrame:
    """Genome-wide: per gene (unversioned ENSG) with a same-strand CAGE or RAMPAGE peak within ``flank``
    bp of a TSS in ``cell``: peaks (count), max_value (TPM for CAGE, RPM for RAMPAGE), min_distance.

    The same rule as ``cage_at``/``rampage_at`` for one gene, for all genes at once (the graph's edges).
    """
    from genelm.regulation.overlap import pairs_within

    cell = check_cell(cell, tables.CAGE_CELLS if assay == "CAGE" else tables.RAMPAGE_CELLS, f"{assay} data")
    if assay == "CAGE":
        peaks = tables.cage(cell)
        value = peaks["tpm"]
    elif assay == "RAMPAGE":
        peaks = tables.rampage_peaks()
        value = peaks["name"].map(tables.rampage_quant(cell)["rpm"])
    else:
        raise ValueError(f"assay must be CAGE or RAMPAGE, not {assay!r}")
    sites = tables.tss()
    pairs = pairs_within(peaks, sites, flank, same_strand=True)
    pairs["ensg"] = [g.split(".", 1)[0] for g in sites.loc[pairs["tss"], "gene_id"].astype(str).tolist()]
    pairs["value"] = value.loc[pairs["peak"]].to_numpy()
    grouped = pairs.groupby("ensg")
    return pd.DataFrame({"peaks": grouped["peak"].nunique(), "max_value": grouped["value"].max(),
                         "min_distance": grouped["distance"].min()}).reset_index()
