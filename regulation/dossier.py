"""Everything bundled about how one gene is regulated, as a list of Evidence; and tissue-elevated TFs.

A cell line the bundled data do not cover for some kind of evidence (HepG2 has
no bundled cCREs or CAGE) is left out of that kind silently here, because
``coverage()`` says what exists where; a covered cell line with nothing at the
gene yields Evidence with no records, a citable negative.
"""
from __future__ import annotations

from genelm.connectors.errors import InputError
from genelm.evidence import Evidence
from genelm.regulation import evidence as ev
from genelm.regulation import factors, tables
from genelm.regulation.expression import normalise_tissue
from genelm.regulation.tss import PROMOTER_FLANK, resolve_gene

DEFAULT_CELLS = ("K562", "GM12878", "HepG2")


def coverage() -> dict[str, list[str]]:
    """Which cell lines each kind of bundled evidence covers."""
    return {
        "ccre": list(tables.CCRE_CELLS),
        "cage": list(tables.CAGE_CELLS),
        "rampage": list(tables.RAMPAGE_CELLS),
        "chip2015": factors.chip2015_biosamples(),
        "peaks": sorted({f"{b} ({t or a})" for a, t, b in factors.PEAK_FILES.values()}),
    }


def _same(cell: str, names) -> bool:
    return any(factors.same_biosample(cell, n) for n in names)


def regulation_evidence(symbol: str, cells: list[str] | tuple[str, ...] | None = None, tissue: str | None = None,
                        flank: int = PROMOTER_FLANK) -> list[Evidence]:
    """All regulation evidence for one gene, in reading order.

    TSSs and promoter window; per cell line: promoter-like cCREs, CAGE, RAMPAGE,
    factors of the 2015 ChIP-seq gene sets; the bundled MYC/MAX/DNase peaks at the
    promoter; HPA and GTEx expression and HPA specificity; with ``tissue``, the
    TFs elevated in that tissue (HPA).  Raises InputError for an unknown gene, a
    cell line no bundled table covers, or an unknown tissue.
    """
    gene = resolve_gene(symbol)
    cells = list(cells or DEFAULT_CELLS)
    chip_cells = factors.chip2015_biosamples()
    covered = (*tables.CCRE_CELLS, *(b for _, _, b in factors.PEAK_FILES.values()))
    unknown = [c for c in cells if not _same(c, covered) and factors.biosample_code(c) not in chip_cells]
    if unknown:
        raise InputError(f"no bundled regulation data for {', '.join(unknown)}; "
                         f"cell lines covered: {', '.join(sorted(set(covered) | set(chip_cells)))}")
    out = [ev.tss_evidence(gene, flank)]
    out += [ev.ccre_evidence(gene, c, flank) for c in cells if _same(c, tables.CCRE_CELLS)]
    out += [ev.cage_evidence(gene, c, flank) for c in cells if _same(c, tables.CAGE_CELLS)]
    out += [ev.rampage_evidence(gene, c, flank) for c in cells if _same(c, tables.RAMPAGE_CELLS)]
    out += [ev.chip2015_evidence(gene, c) for c in cells if factors.biosample_code(c) in chip_cells]
    for accession, (_, _, biosample) in factors.PEAK_FILES.items():
        if _same(biosample, cells):
            out.append(ev.peaks_evidence(gene, accession, flank))
    out += [ev.expression_evidence(gene, "hpa"), ev.specificity_evidence(gene, "hpa"),
            ev.expression_evidence(gene, "gtex")]
    if tissue is not None:
        out.append(tissue_elevated_tfs(tissue))
    return out


def tissue_elevated_tfs(tissue: str, source: str = "hpa") -> Evidence:
    """TFs (Lambert 2018) in the tissue's HPA elevated groups, each with its group; key 'hpa-specific:<tissue>'."""
    return ev.elevated_tfs_evidence(normalise_tissue(tissue, source), source)


def factor_biosamples(factor: str) -> Evidence:
    """Biosamples in which ENCODE (2019-10-04 report) profiled the factor by TF ChIP-seq."""
    return ev.chip_experiments_evidence(factor)
