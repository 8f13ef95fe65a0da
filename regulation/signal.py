"""TSS signal per gene and per region: what the bundled CAGE/RAMPAGE files and promoter-like cCREs say about
transcription starting at a gene, or at every gene of a region, in one cell line.

- ``tss_sites(gene)``: a gene's GENCODE v24 basic TSS positions, one row per distinct position (chrom, pos
  1-based, strand, the transcripts starting there), the most-used position first.
- ``signal_evidence(gene, cells)``: the Evidence an "is X expressed in K562" / "how strong is CAGE at X in
  GM12878" answer reads: the TSSs, the CAGE and RAMPAGE peaks at them in each covered cell line, and each
  value in context (``genelm.regulation.context.activity_context``: percentile among the line's promoters).
- ``region_promoters_evidence(chrom, start, end, cell)``: every Ensembl 110 gene overlapping a GRCh38 span,
  with its strongest CAGE peak, RAMPAGE rPeak and promoter-like cCREs within PROMOTER_FLANK bp of a GENCODE v24
  basic TSS in the cell line (the rule of ``activity.activity_by_gene`` and ``ccre.promoter_ccres``), and
  whether any of them marks the promoter active there.

CAGE/RAMPAGE/cCRE files cover K562 and GM12878 only (``covered_cells``); a cell line outside them is refused
with InputError naming the covered ones.  TSS signal is evidence of transcription initiating at the annotated
promoter, not an RNA-seq measure of the gene's transcripts.
"""
from __future__ import annotations

import pandas as pd

from genelm.connectors.errors import InputError
from genelm.evidence import Evidence
from genelm.regulation import ccre, tables
from genelm.regulation.tss import PROMOTER_FLANK, Gene, gene_tss, resolve_gene

MAX_REGION_BP = 5_000_000  # a region is read gene by gene: larger spans are refused with the limit named
ACTIVE_RULE = (f"active = a CAGE peak (TPM >= 1), a RAMPAGE rPeak with reads (RPM > 0) or a promoter-like cCRE "
               f"within {PROMOTER_FLANK} bp of a GENCODE v24 basic TSS (same strand for CAGE/RAMPAGE)")


def covered_cells() -> tuple[str, ...]:
    """Cell lines with bundled CAGE, RAMPAGE quantifications and promoter-like cCREs."""
    return tuple(c for c in tables.CAGE_CELLS if c in tables.RAMPAGE_CELLS and c in tables.CCRE_CELLS)


def covered_cell(cell: str) -> str | None:
    """The covered cell line ``cell`` names ('k562' -> 'K562'), or None."""
    try:
        return ccre.check_cell(cell, covered_cells(), "CAGE/RAMPAGE files")
    except InputError:
        return None


def tss_sites(gene: str | Gene) -> list[dict]:
    """Distinct TSS positions: chrom, pos (1-based), strand, transcripts, rows; most transcripts first, then upstream."""
    sites = gene_tss(gene if isinstance(gene, Gene) else resolve_gene(gene))
    out: dict[tuple, dict] = {}
    for chrom, pos, strand, tx, row in zip(sites["chrom"].astype(str).tolist(), sites["pos"].tolist(),
                                          sites["strand"].astype(str).tolist(), sites["transcript_id"].tolist(),
                                          sites["row"].tolist()):
        rec = out.setdefault((chrom, int(pos), strand), {"chrom": chrom, "pos": int(pos), "strand": strand,
                                                         "transcripts": [], "rows": []})
        rec["transcripts"].append(str(tx))
        rec["rows"].append(int(row))
    return sorted(out.values(), key=lambda r: (-len(r["transcripts"]), r["pos"] if r["strand"] != "-" else -r["pos"]))


def signal_evidence(gene: str | Gene, cells=None) -> list[Evidence]:
    """TSSs, CAGE and RAMPAGE at them and both values in context, in each covered cell line named (default all)."""
    from genelm.regulation import evidence as ev
    from genelm.regulation.context import activity_context

    g = gene if isinstance(gene, Gene) else resolve_gene(gene)
    named = [covered_cell(c) for c in (cells or covered_cells())]
    out = [ev.tss_evidence(g)]
    for cell in dict.fromkeys(c for c in named if c):
        out += [ev.cage_evidence(g, cell), activity_context(g, "cage", cell),
                ev.rampage_evidence(g, cell), activity_context(g, "rampage", cell)]
    return out


def _percentile(dist: dict, value: float | None) -> int | None:
    from genelm.regulation.context import percentile

    return percentile(dist["values"], value) if value else None


def region_promoters(chrom: str, start: int, end: int, cell: str) -> pd.DataFrame:
    """One row per Ensembl 110 gene overlapping chrom:start-end (GRCh38, 1-based inclusive) with its promoter
    signal in ``cell``: symbol, ensg, start, end, tss (count), cage_tpm, cage_percentile, rampage_rpm,
    rampage_percentile, pls (accessions), active.  Genes in order along the chromosome."""
    from genelm.regulation.context import promoter_signal

    cell = ccre.check_cell(cell, covered_cells(), "CAGE/RAMPAGE files and promoter-like cCREs")
    if end < start:
        start, end = end, start
    if end - start + 1 > MAX_REGION_BP:
        raise InputError(f"the region spans {end - start + 1:,} bp; genelm reads promoters gene by gene over at most "
                         f"{MAX_REGION_BP:,} bp: narrow it")
    genes = tables.ensembl110()
    bare = chrom[3:] if chrom.lower().startswith("chr") else chrom
    hits = genes[(genes["chrom"] == bare) & (genes["start"] <= end) & (genes["end"] >= start)]
    hits = hits.sort_values(["start", "symbol"], kind="stable")
    cage, rampage = promoter_signal("cage", cell), promoter_signal("rampage", cell)
    out = []
    for ensg, symbol, g_start, g_end in zip(hits["ensg"].tolist(), hits["symbol"].tolist(), hits["start"].tolist(),
                                            hits["end"].tolist()):
        gene = Gene(str(symbol), (str(ensg),), "Ensembl id", f"chr{bare}", int(g_start), int(g_end))
        n_tss = len(gene_tss(gene))
        tpm, rpm = cage["by_gene"].get(ensg), rampage["by_gene"].get(ensg)
        pls = ccre.promoter_ccres(gene, cell)["accession"].tolist() if n_tss else []
        out.append({"symbol": str(symbol), "ensg": str(ensg), "chrom": f"chr{bare}", "start": int(g_start),
                    "end": int(g_end), "tss": n_tss, "cage_tpm": tpm, "cage_percentile": _percentile(cage, tpm),
                    "rampage_rpm": rpm, "rampage_percentile": _percentile(rampage, rpm), "pls": ", ".join(pls),
                    "active": bool(tpm or rpm or pls), "cell": cell})
    return pd.DataFrame(out, columns=["symbol", "ensg", "chrom", "start", "end", "tss", "cage_tpm", "cage_percentile",
                                      "rampage_rpm", "rampage_percentile", "pls", "active", "cell"])


def region_promoters_evidence(chrom: str, start: int, end: int, cell: str) -> Evidence:
    """``region_promoters`` as Evidence (key ``region-promoters:K562:chr17:7600000-7700000``)."""
    from genelm.data import ENSEMBL_GENES
    from genelm.regulation import evidence as ev

    df = region_promoters(chrom, start, end, cell)
    cell = ccre.check_cell(cell, covered_cells(), "CAGE/RAMPAGE files")
    where = f"{chrom}:{min(start, end)}-{max(start, end)}"
    recs = ev.rows(df, list(df.columns))
    for rec in recs:  # pandas keeps a column with gaps as floats: a percentile is a whole number
        for key in ("cage_percentile", "rampage_percentile"):
            rec[key] = int(rec[key]) if rec[key] is not None else None
    active = [r["symbol"] for r in recs if r["active"]]
    what = (f"{len(active)} of {len(recs)} with an active promoter: {', '.join(active)}" if active
            else f"none of {len(recs)} has an active promoter" if recs else "no gene overlaps it")
    return ev.make(
        f"region-promoters:{cell}:{where}", "encode-tss",
        f"Ensembl 110 genes overlapping {where} (GRCh38) and their promoters in {cell}: {what} ({ACTIVE_RULE})",
        [f"cage:{cell}", "rampage", f"rampage:{cell}", f"ccre:{cell}", "tss"], recs,
        {"region": where, "chrom": chrom, "start": min(start, end), "end": max(start, end), "assembly": "GRCh38",
         "cell": cell, "biosample": cell, "genes": f"Ensembl 110 ({ENSEMBL_GENES.name}), overlapping the region",
         "flank_bp": PROMOTER_FLANK, "active_rule": ACTIVE_RULE,
         "percentile": "floor(100 x share of the cell line's promoters with signal at or below this value)"},
        [r["ensg"] for r in recs])
