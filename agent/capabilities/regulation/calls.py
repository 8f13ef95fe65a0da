"""Typed calls over the bundled regulation data (genelm.regulation) and its online counterparts.

The bundled tables answer offline: TSSs, promoter-like cCREs, CAGE/RAMPAGE activity, the
ENCODE TF ChIP-seq gene sets, MYC/MAX/DNase peaks, HPA/GTEx expression.  Online, the
UCSC cCRE and TF-cluster tracks and a RegulomeDB region search over the promoter add
what the bundled files cannot hold (all cCRE classes, every factor's peaks by cell).
"""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from genelm.agent.core.call import ToolContext, _Call
from genelm.evidence import Evidence
from genelm.i18n import tr

SYMBOL = r"^[A-Za-z0-9][A-Za-z0-9.\-_@]{0,30}$"  # '@': gene clusters (IGKV@, IGHV@)
CELL = r"^[A-Za-z0-9][\w .\-+()/]{0,60}$"


class RegulationEvidence(_Call):
    """A gene's TSSs, promoter cCREs, CAGE/RAMPAGE activity, bound factors and tissue expression (bundled)."""

    tool: Literal["regulation_evidence"] = "regulation_evidence"
    label: ClassVar[str] = "Regulation tables: TSSs, cCREs, CAGE/RAMPAGE, factors, expression"
    gene: str = Field(pattern=SYMBOL)
    cells: tuple[str, ...] = Field((), description="cell lines to focus on (default K562, GM12878, HepG2)")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.regulation import coverage, regulation_evidence

        cells = list(self.cells)
        covered = [c for c in cells if _covered(c, coverage())]
        if cells and len(covered) < len(cells):
            # A cell line no bundled table covers is said so; the others (or the defaults) still answer.
            missing = [c for c in cells if c not in covered]
            ctx.report_gap(tr("no bundled regulation table covers {missing} (cCREs and CAGE/RAMPAGE: K562, GM12878; "
                              "DNase: GM12878, HepG2; the 2015 ChIP-seq gene sets: about 100 cell types); the answer "
                              "uses {used}", missing=", ".join(missing),
                              used=", ".join(covered) if covered else "K562, GM12878, HepG2"))
        from genelm.regulation.context import context_evidence  # each value against its own distribution

        return regulation_evidence(self.gene, covered or None) + context_evidence(self.gene, covered or None)


def _covered(cell: str, coverage: dict[str, list[str]]) -> bool:
    from genelm.regulation.factors import biosample_code

    code = biosample_code(cell)
    return any(code == biosample_code(name.split(" (")[0]) for names in coverage.values() for name in names)


class GeneExpression(_Call):
    """A gene's TPM by tissue (HPA v18 and GTEx) and its HPA specificity group, with its TSSs (bundled)."""

    tool: Literal["gene_expression"] = "gene_expression"
    label: ClassVar[str] = "HPA/GTEx: expression by tissue"
    gene: str = Field(pattern=SYMBOL)
    tissues: tuple[str, ...] = ()  # tissues the question names: each one's own row, cited where it is answered

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.regulation import evidence as ev
        from genelm.regulation import resolve_gene

        # Only what an expression answer reads: not the cCRE, CAGE, factor and peak look-ups of the whole dossier.
        gene = resolve_gene(self.gene)
        return [ev.tss_evidence(gene), ev.expression_evidence(gene, "hpa"), ev.specificity_evidence(gene, "hpa"),
                ev.expression_evidence(gene, "gtex"),
                *(ev.tissue_expression_evidence(gene, t, source) for t in self.tissues for source in ("hpa", "gtex"))]


class TissueElevatedTfs(_Call):
    """Transcription factors (Lambert 2018) elevated in a tissue by HPA v18 specificity groups."""

    tool: Literal["tissue_elevated_tfs"] = "tissue_elevated_tfs"
    label: ClassVar[str] = "HPA: transcription factors elevated in the tissue"
    tissue: str = Field(pattern=r"^[A-Za-z][A-Za-z ,\-]{1,40}$")
    source: Literal["hpa", "gtex"] = "hpa"

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.regulation import tissue_elevated_tfs

        return [tissue_elevated_tfs(self.tissue, self.source)]


class FactorChipBiosamples(_Call):
    """The biosamples in which ENCODE profiled a factor by TF ChIP-seq (the portal's 2019-10-04 report)."""

    tool: Literal["factor_chip_biosamples"] = "factor_chip_biosamples"
    label: ClassVar[str] = "ENCODE 2019 report: where the factor was profiled"
    factor: str = Field(pattern=SYMBOL)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.regulation import factor_biosamples

        return [factor_biosamples(self.factor)]


class FactorTargetGenes(_Call):
    """The genes a factor binds near (ENCODE TF ChIP-seq 2015 gene sets), in one cell line or all."""

    tool: Literal["factor_target_genes"] = "factor_target_genes"
    label: ClassVar[str] = "ENCODE 2015 gene sets: genes the factor binds"
    factor: str = Field(pattern=SYMBOL)
    cell: str | None = Field(None, pattern=CELL)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.regulation import genes_bound_evidence

        return [genes_bound_evidence(self.factor, self.cell)]


class GeneTss(_Call):
    """A gene's GENCODE v24 basic transcript TSSs: coordinates (GRCh38, 1-based), strand, transcripts (bundled)."""

    tool: Literal["gene_tss"] = "gene_tss"
    label: ClassVar[str] = "GENCODE v24: the gene's transcription start sites"
    gene: str = Field(pattern=SYMBOL)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.regulation import evidence as ev
        from genelm.regulation import resolve_gene

        return [ev.tss_evidence(resolve_gene(self.gene))]


class PromoterSignal(_Call):
    """CAGE (TPM) and RAMPAGE (RPM) at a gene's TSSs in K562/GM12878, each value as a percentile of that cell
    line's promoters (bundled), with the TSSs."""

    tool: Literal["promoter_signal"] = "promoter_signal"
    label: ClassVar[str] = "CAGE/RAMPAGE: TSS signal at the gene, in context"
    gene: str = Field(pattern=SYMBOL)
    cells: tuple[str, ...] = Field((), description="cell lines (K562, GM12878 are covered; default both)")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.regulation.signal import covered_cell, covered_cells, signal_evidence

        missing = [c for c in self.cells if covered_cell(c) is None]
        if missing:
            ctx.report_gap(tr("no bundled CAGE/RAMPAGE file covers {missing} (covered: {covered})",
                              missing=", ".join(missing), covered=", ".join(covered_cells())))
        return signal_evidence(self.gene, [c for c in self.cells if c not in missing] or None)


class RegionPromoterActivity(_Call):
    """The genes overlapping a GRCh38 span and whether each one's promoter is active in a cell line (CAGE, RAMPAGE,
    promoter-like cCREs; K562 or GM12878; bundled)."""

    tool: Literal["region_promoter_activity"] = "region_promoter_activity"
    label: ClassVar[str] = "CAGE/RAMPAGE/cCREs: active promoters in the region"
    chromosome: str = Field(pattern=r"^chr(?:[1-9]|1[0-9]|2[0-2]|X|Y|M)$")
    start: int = Field(ge=1, le=300_000_000)
    end: int = Field(ge=1, le=300_000_000)
    cell: str = Field(pattern=CELL)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.regulation.signal import region_promoters_evidence

        return [region_promoters_evidence(self.chromosome, self.start, self.end, self.cell)]


CALLS = (RegulationEvidence, GeneExpression, TissueElevatedTfs, FactorChipBiosamples, FactorTargetGenes, GeneTss,
         PromoterSignal, RegionPromoterActivity)
