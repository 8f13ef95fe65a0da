"""Numbers in context: each measured value of a gene's promoter or expression against its own distribution.

- CAGE TPM, RAMPAGE RPM and DNase signal at a gene's promoter are placed among all
  promoters *with signal* in that cell line: the genome-wide rule of
  ``activity.activity_by_gene`` (a same-strand CAGE peak / RAMPAGE rPeak within
  PROMOTER_FLANK bp of a GENCODE v24 basic TSS; for DNase any peak, unstranded), one
  value per gene (its strongest peak), promoters with a value above 0 only.
  ``percentile`` = floor(100 x share of those promoters whose value is at or below
  this one); 100 is the strongest promoter of the cell line.
- Level words follow stated cut-offs.  None of CAGE, RAMPAGE or a DNase narrowPeak file
  has its own convention for "high", so the quartiles of the cell line's promoters with
  signal are used: strong >= the 75th percentile, moderate 25th-74th, weak < 25th, none
  = no peak (CAGE: no peak with TPM >= 1; RAMPAGE: 0 RPM or no rPeak; DNase: no peak).
  SCREEN's own convention is kept for its own call: a promoter-like cCRE (PLS) in a cell
  line means SCREEN scored both DNase and H3K4me3 high there (Z-score > 1.64).
- HPA/GTEx TPM: each tissue's rank among the source's tissues and its fold over the
  gene's median TPM across them; "detected" is >= 1 TPM.
- Bound factors (ENCODE TF ChIP-seq 2015 gene sets) are classed: the gene's own product
  (the gene is a Lambert 2018 TF and its own set lists it), a lineage TF (HPA-elevated in
  the tissue the cell line comes from, ``CELL_TISSUES``), tissue-elevated elsewhere, or
  general machinery (``GENERAL_MACHINERY``).

Distributions are computed once per (assay, cell line) and kept in memory (lru_cache) and
on disk (genelm.data.disk_cache, keyed by the source files' sha256).  Each value comes
back as an Evidence (keys ``context:cage:K562:TP53``, ``context:rampage:…``,
``context:dnase:HepG2:…``, ``context:hpa:TP53``, ``context:gtex:…``,
``context:factors:K562:TP53``) citing the file, rows and sha256 like the rest of
genelm.regulation.
"""
from __future__ import annotations

import bisect
import math
import statistics
from functools import lru_cache

from genelm.evidence import Evidence

QUARTILES = (25, 75)  # percentile cut-offs of the level words (see the module docstring)
CUTOFFS = ("strong: >= 75th percentile of the cell line's promoters with signal; moderate: 25th-74th; "
           "weak: < 25th; none: no peak at the promoter")
DETECTED_TPM = 1.0
VERSION = "context-1"

# Basal transcription machinery (RNA polymerase II/III and their general transcription factors) and the
# CTCF/cohesin architecture: they bind very many promoters, so their presence says little about one gene.
GENERAL_MACHINERY = frozenset({
    "POLR2A", "POLR2APHOSPHOS2", "POLR2APHOSPHOS5", "POLR2B", "POLR2G", "POLR2H", "POLR3A", "POLR3G",
    "TBP", "TAF1", "TAF7", "TAF9B", "TAF15", "GTF2A2", "GTF2B", "GTF2E2", "GTF2F1", "GTF3C2", "BRF1", "BRF2",
    "BDP1", "CTCF", "RAD21", "SMC3", "STAG1", "STAG2",
})
MACHINERY_KIND = {**{f: "basal transcription machinery" for f in GENERAL_MACHINERY},
                  **{f: "CTCF/cohesin architecture" for f in ("CTCF", "RAD21", "SMC3", "STAG1", "STAG2")}}

# The HPA tissue(s) each ENCODE cell line comes from (2015 gene-set spelling), for "lineage" factors.
CELL_TISSUES: dict[str, tuple[str, ...]] = {
    "K562": ("Bone Marrow",),  # chronic myelogenous leukaemia, erythroid
    "GM12878": ("Lymph Node", "Tonsil", "Spleen"),  # B-lymphoblastoid
    "GM12891": ("Lymph Node", "Tonsil", "Spleen"),
    "GM12892": ("Lymph Node", "Tonsil", "Spleen"),
    "HEPG2": ("Liver",),
    "HELAS3": ("Cervix, uterine",),
    "A549": ("Lung",),
    "IMR90": ("Lung",),
    "MCF7": ("Breast",),
    "T47D": ("Breast",),
    "HCT116": ("Colon", "Rectum"),
    "SKNSH": ("Cerebral Cortex",),
    "PANC1": ("Pancreas",),
    "ECC1": ("Endometrium",),
    "HEK293": ("Kidney",),
}

ASSAYS = {"cage": ("CAGE", "TPM"), "rampage": ("RAMPAGE", "RPM"), "dnase": ("DNase-seq", "signal")}


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def percentile(values, x: float) -> int:
    """floor(100 x share of ``values`` (sorted ascending) at or below ``x``)."""
    return math.floor(100 * bisect.bisect_right(values, x) / len(values))


def level(pct: int | None) -> str:
    if pct is None:
        return "none"
    return "strong" if pct >= QUARTILES[1] else "moderate" if pct >= QUARTILES[0] else "weak"


def dnase_file(cell: str) -> str | None:
    """The bundled DNase narrowPeak accession of a cell line, if any."""
    from genelm.regulation.factors import PEAK_FILES, same_biosample

    return next((acc for acc, (assay, _, b) in PEAK_FILES.items() if assay == "DNase-seq" and same_biosample(b, cell)),
                None)


def _sources(assay: str, cell: str) -> list[str]:
    if assay == "cage":
        return [f"cage:{cell}", "tss"]
    if assay == "rampage":
        return ["rampage", f"rampage:{cell}", "tss"]
    return [dnase_file(cell), "tss"]


def _build(assay: str, cell: str, flank: int) -> dict:
    from genelm.regulation import activity, tables
    from genelm.regulation.overlap import pairs_within

    if assay in ("cage", "rampage"):
        per_gene = activity.activity_by_gene(cell, ASSAYS[assay][0], flank)
    else:
        peaks = tables.narrowpeaks(dnase_file(cell))
        sites = tables.tss()
        pairs = pairs_within(peaks, sites, flank)
        pairs["ensg"] = [g.split(".", 1)[0] for g in sites.loc[pairs["tss"], "gene_id"].astype(str).tolist()]
        pairs["value"] = peaks["signal_value"].loc[pairs["peak"]].to_numpy()
        per_gene = pairs.groupby("ensg")["value"].max().rename("max_value").reset_index()
    per_gene = per_gene[per_gene["max_value"] > 0]
    by_gene = dict(zip(per_gene["ensg"].tolist(), (float(v) for v in per_gene["max_value"].tolist())))
    values = tuple(sorted(by_gene.values()))
    # The smallest value reaching each cut-off, so a sentence can say "strong: >= 24.3 TPM".
    from_value = {q: next(v for v in values if percentile(values, v) >= q) for q in QUARTILES}
    return {"values": values, "by_gene": by_gene, "n": len(values), "median": statistics.median(values),
            "moderate_from": from_value[QUARTILES[0]], "strong_from": from_value[QUARTILES[1]]}


@lru_cache(maxsize=None)
def promoter_signal(assay: str, cell: str, flank: int | None = None) -> dict:
    """The distribution of one assay over a cell line's promoters with signal: values (sorted), by_gene (ENSG ->
    value), n, median and the values where 'moderate' and 'strong' begin.  Built once, cached in memory and on disk."""
    from genelm.data.disk_cache import cached
    from genelm.regulation import tables
    from genelm.regulation.tss import PROMOTER_FLANK

    flank = PROMOTER_FLANK if flank is None else flank
    if assay not in ASSAYS:
        raise ValueError(f"assay must be one of {', '.join(ASSAYS)}, not {assay!r}")
    paths = [tables.SOURCES[k].path for k in _sources(assay, cell)]
    return cached(paths, lambda: _build(assay, cell, flank), version=f"{VERSION} flank={flank}",
                  name=f"regulation-context-{assay}-{cell}")


def _gene_value(dist: dict, gene) -> float | None:
    values = [dist["by_gene"][e] for e in gene.ensembl_ids if e in dist["by_gene"]]
    return max(values) if values else None


def activity_context(gene, assay: str, cell: str) -> Evidence:
    """The gene's promoter CAGE/RAMPAGE/DNase value in one cell line, as a percentile of the cell line's promoters
    with signal, with its level word and cut-offs; the row(s) of the peak it comes from."""
    from genelm.regulation import activity, ccre, factors, tables
    from genelm.regulation import evidence as ev
    from genelm.regulation.tss import PROMOTER_FLANK, resolve_gene

    g = gene if hasattr(gene, "ensembl_ids") else resolve_gene(gene)
    name, unit = ASSAYS[assay]
    if assay == "cage":
        cell = ccre.check_cell(cell, tables.CAGE_CELLS, "CAGE peaks")
        hits = activity.cage_at(g, cell)
        rec = ev.rows(hits.head(1), ["name", "tpm", "row"])
        peak = {"peak": rec[0]["name"], "peak_row": rec[0]["row"]} if rec else {}
    elif assay == "rampage":
        cell = ccre.check_cell(cell, tables.RAMPAGE_CELLS, "RAMPAGE quantifications")
        hits = activity.rampage_at(g, cell)
        rec = ev.rows(hits.head(1), ["rpeak_id", "rpm", "row", "quant_row"])
        peak = {"peak": rec[0]["rpeak_id"], "peak_row": rec[0]["row"], "quant_row": rec[0]["quant_row"]} if rec else {}
    else:
        accession = dnase_file(cell)
        if accession is None:
            raise ValueError(f"no bundled DNase-seq file for {cell}")
        cell = factors.PEAK_FILES[accession][2]
        hits = factors.peaks_at(g, accession).sort_values("signal_value", ascending=False, kind="stable")
        rec = ev.rows(hits.head(1), ["name", "signal_value", "row"])
        peak = {"peak_row": rec[0]["row"], "accession": accession} if rec else {"accession": accession}
    dist = promoter_signal(assay, cell)
    value = _gene_value(dist, g)
    pct = percentile(dist["values"], value) if value is not None else None
    word = level(pct)
    n = dist["n"]
    record = {"gene": g.symbol, "cell": cell, "assay": name, "unit": unit, "value": value if value is not None else 0,
              "percentile": pct, "level": word, "promoters_with_signal": n,
              "at_or_below": bisect.bisect_right(dist["values"], value) if value is not None else 0,
              "median": dist["median"], "moderate_from": dist["moderate_from"], "strong_from": dist["strong_from"],
              **peak}
    what = (f"{value} {unit}, {ordinal(pct)} percentile of the {n:,} {cell} promoters with signal ({word})"
            if value is not None else f"no signal at the promoter ({word}); {n:,} {cell} promoters have signal")
    tables_read = [k for k in _sources(assay, cell)]
    return ev.make(
        f"context:{assay}:{cell}:{g.symbol}", "encode-tss" if assay != "dnase" else "encode",
        f"{g.symbol}'s {name} {unit} at its promoter in {cell}, in context: {what}; median {dist['median']} {unit}; "
        f"moderate from {dist['moderate_from']}, strong from {dist['strong_from']} {unit} ({CUTOFFS})",
        tables_read, [record],
        {"gene": g.symbol, "cell": cell, "assay": name, "flank_bp": PROMOTER_FLANK,
         "stranded": assay != "dnase", "distribution": f"one value per gene (its strongest peak within "
         f"{PROMOTER_FLANK} bp of a GENCODE v24 basic TSS{', same strand' if assay != 'dnase' else ''}), genes with "
         "a value above 0", "percentile": "floor(100 x share of those promoters at or below this value)",
         "cutoffs": CUTOFFS})


def _fold(tpm: float, median: float) -> float | int | None:
    """TPM over the median, as a sentence shows it: one decimal below 10, whole numbers above; None at a 0 median."""
    if median <= 0:
        return None
    fold = tpm / median
    return round(fold, 1) if fold < 10 else round(fold)


def expression_context(gene, source: str = "hpa") -> Evidence:
    """Each tissue's TPM as a rank among the source's tissues and a fold over the gene's median across them."""
    from genelm.regulation import evidence as ev
    from genelm.regulation import expression
    from genelm.regulation.tss import resolve_gene

    g = gene if hasattr(gene, "ensembl_ids") else resolve_gene(gene)
    full = expression.tissue_tpm(g, source)
    name = expression.SOURCE_NAMES[source]
    if not len(full):
        return ev.make(f"context:{source}:{g.symbol}", source, f"{name} has no expression row for {g.symbol}",
                       [source, f"{source}-tissues"], [], {"gene": g.symbol})
    tpms = [float(t) for t in full["tpm"].tolist()]
    median = round(statistics.median(tpms), 3)
    detected = sum(t >= DETECTED_TPM for t in tpms)
    summary = {"gene": g.symbol, "source": name, "tissues": len(tpms), "median_tpm": median,
               "tissues_detected": detected, "detected_from_tpm": DETECTED_TPM, "row": int(full["row"].iloc[0])}
    recs = [summary] + [
        {"tissue": r.tissue, "tpm": float(r.tpm), "rank": int(r.rank), "of": len(tpms),
         "fold_over_median": _fold(float(r.tpm), median)}
        for r in full.itertuples()]
    top = recs[1]
    return ev.make(
        f"context:{source}:{g.symbol}", source,
        f"{name} expression of {g.symbol} in context: median {median} TPM across {len(tpms)} tissues, detected "
        f"(>= {DETECTED_TPM:g} TPM) in {detected}; highest {top['tissue']} {top['tpm']} TPM"
        + (f", {top['fold_over_median']}x the median" if top["fold_over_median"] is not None else ""),
        [source, f"{source}-tissues"], recs,
        {"gene": g.symbol, "unit": "TPM", "median": "median TPM over the source's tissues",
         "rank": "1 = highest; ties keep the file's column order"})


def factor_roles(symbol: str, tf: str, cell_code: str) -> tuple[list[str], list[dict]]:
    """The roles of one bound factor and its HPA elevated groups (rows of the HPA specificity table)."""
    from genelm.data import transcription_factors
    from genelm.regulation import expression, tables

    spec = tables.specificity("hpa")
    groups = spec[(spec["symbol"] == tf) & spec["Group"].isin(expression.ELEVATED_GROUPS)]
    elevated = [{"tissue": t, "group": grp, "row": int(r)} for t, grp, r in
                zip(groups["Tissue"].tolist(), groups["Group"].tolist(), groups["row"].tolist())]
    roles = []
    if tf.upper() == symbol.upper() and symbol.upper() in transcription_factors():
        roles.append("own product")
    if tf.upper() in GENERAL_MACHINERY:
        roles.append("general machinery")
    lineage = CELL_TISSUES.get(cell_code, ())
    if any(e["tissue"] in lineage for e in elevated):
        roles.append("lineage")
    elif elevated:
        roles.append("tissue-elevated")
    return roles, elevated


def factor_context(gene, cell: str) -> Evidence:
    """The factors the 2015 gene sets place at the gene's promoter in one cell line, each with its roles."""
    from genelm.data import TF_LIST
    from genelm.data.disk_cache import file_digest
    from genelm.regulation import evidence as ev
    from genelm.regulation import factors
    from genelm.regulation.tss import resolve_gene

    g = gene if hasattr(gene, "ensembl_ids") else resolve_gene(gene)
    code = factors.chip2015_biosample(cell)
    hits = factors.factors_binding(g, cell)
    lineage = CELL_TISSUES.get(code, ())
    recs = []
    for tf, row, gene_set in zip(hits["tf"].tolist(), hits["row"].tolist(), hits["gene_set"].tolist()):
        roles, elevated = factor_roles(g.symbol, tf, code)
        recs.append({"tf": tf, "cell": code, "roles": roles,
                     "machinery": MACHINERY_KIND.get(tf.upper()),
                     "elevated_in": "; ".join(f"{e['group']} ({e['tissue']})" for e in elevated) or None,
                     "elevated": [{"group": e["group"], "tissue": e["tissue"]} for e in elevated],
                     "lineage_tissues": ", ".join(e["tissue"] for e in elevated if e["tissue"] in lineage) or None,
                     "gene_set": gene_set, "row": int(row), "hpa_rows": [e["row"] for e in elevated]})
    standing = [f"{r['tf']} ({', '.join(r['roles'])})" for r in recs if r["roles"]]
    return ev.make(
        f"context:factors:{code}:{g.symbol}", "encode-chip2015",
        f"Factors of the ENCODE TF ChIP-seq 2015 gene sets at {g.symbol}'s promoter in {code}, classed: "
        + (", ".join(standing) if standing else f"none of {len(recs)} stands out")
        + f" (lineage tissues of {code}: {', '.join(lineage) or 'none set'})",
        ["chip2015", "hpa-specific", "gene-names"], recs,
        {"gene": g.symbol, "biosample": code, "lineage_tissues": list(lineage),
         "roles": {"own product": "the gene is a Lambert 2018 TF and its own ChIP-seq set lists it",
                   "lineage": f"HPA-elevated ({', '.join(expression_groups())}) in a tissue the cell line comes from",
                   "tissue-elevated": "HPA-elevated in another tissue",
                   "general machinery": "basal Pol II/III machinery or CTCF/cohesin"},
         "general_machinery": sorted(GENERAL_MACHINERY),
         "tf_list": {"file": TF_LIST.name, "sha256": file_digest(TF_LIST)}})


def expression_groups() -> tuple[str, ...]:
    from genelm.regulation.expression import ELEVATED_GROUPS

    return ELEVATED_GROUPS


def context_evidence(symbol: str, cells=None) -> list[Evidence]:
    """Every value of a gene's regulation dossier in context, for the same cell lines as ``regulation_evidence``."""
    from genelm.regulation import factors, tables
    from genelm.regulation.dossier import DEFAULT_CELLS
    from genelm.regulation.tss import resolve_gene

    g = resolve_gene(symbol)
    cells = list(cells or DEFAULT_CELLS)
    same = factors.same_biosample
    out: list[Evidence] = []
    for assay, covered in (("cage", tables.CAGE_CELLS), ("rampage", tables.RAMPAGE_CELLS)):
        out += [activity_context(g, assay, c) for c in covered if any(same(c, x) for x in cells)]
    out += [activity_context(g, "dnase", c) for c in cells if dnase_file(c)]
    chip_cells = factors.chip2015_biosamples()
    out += [factor_context(g, c) for c in cells if factors.biosample_code(c) in chip_cells]
    out += [expression_context(g, "hpa"), expression_context(g, "gtex")]
    return out
