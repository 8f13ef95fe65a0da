"""The locus figure: gene model and TSSs, cCREs by class, CAGE/RAMPAGE, TF and DNase peaks, predictions.

Drawn from an Evidence list (regulation_evidence's), so the picture shows what the answer cites; the one
addition is the gene model, drawn from the bundled Ensembl 110 genes with their exons from the GENCODE
splice junctions CI-SpliceAI ships (``browser_tracks.gene_models``; the gene's span alone where that
package is absent).  Each track is one axis whose y-label names it ("Genes", "TSS", "cCRE K562",
"CAGE K562", "RAMPAGE K562", "TF ChIP-seq", "DNase", "Predicted: …"); a track whose evidence is empty says
"none" so a reader sees it was looked for.  Positions are in kb; signal tracks carry their y values (TPM,
RPM, signal value); cCRE names are packed into rows so no two overlap.  matplotlib's object API on the Agg
canvas (no pyplot state, safe in a server), imported only when a figure is drawn.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from genelm.connectors.errors import InputError
from genelm.evidence import Evidence

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CCRE_COLOURS = {"PLS": "#d62728", "PLS,CTCF-bound": "#1f77b4"}  # SCREEN: promoter red, CTCF blue
FIG_WIDTH_IN = 11.0
_AXES_FRACTION = 0.80  # of the figure's width left to the data after the track labels
_CHAR_PT = 0.62  # a character's advance, in font sizes (DejaVu Sans, a rough mean)


def _kind(e: Evidence) -> str:
    return e.key.split(":", 1)[0]


def _region(evidence: list[Evidence]) -> tuple[str, int, int, dict]:
    tss = next((e for e in evidence if _kind(e) == "tss"), None)
    if tss is None or not tss.records:
        raise InputError("the locus figure needs the gene's TSS evidence (tss:<gene>) with at least one TSS")
    chrom = tss.records[0]["chrom"]
    lo = min(r["window_start"] for r in tss.records)
    hi = max(r["window_end"] for r in tss.records)
    span = tss.params.get("gene_span_ensembl110") or {}
    if span.get("chrom") == chrom:
        lo, hi = min(lo, span["start"]), max(hi, span["end"])
    for e in evidence:
        for r in e.records:
            if r.get("chrom") == chrom and "start" in r:
                lo, hi = min(lo, r["start"] + 1), max(hi, r["end"])
    pad = max(500, (hi - lo) // 20)
    return chrom, lo - pad, hi + pad, span


def pack_labels(items: list[tuple[float, str]], bp_per_pt: float, fontsize: float, gap_pt: float = 4.0) -> list[int]:
    """Row (0, 1, …) for each (x start, text) so that no two labels in a row overlap: greedy, left to right."""
    order = sorted(range(len(items)), key=lambda i: items[i][0])
    row_end: list[float] = []
    rows = [0] * len(items)
    for i in order:
        x, text = items[i]
        width = (len(text) * _CHAR_PT * fontsize + gap_pt) * bp_per_pt
        for row, end in enumerate(row_end):
            if x >= end:
                rows[i], row_end[row] = row, x + width
                break
        else:
            rows[i] = len(row_end)
            row_end.append(x + width)
    return rows


def _label_x(r: dict, hi: int, bp_per_pt: float, fontsize: float = 6) -> float:
    """Where a cCRE's name starts: at the cCRE, or far enough left to end inside the axis."""
    return min(r["start"] + 1, hi - (len(r["accession"]) * _CHAR_PT * fontsize + 2) * bp_per_pt)


def _empty(ax, x: float) -> None:
    ax.text(x, 0.5, "none", va="center", ha="center", color="grey", fontsize=7, transform=ax.get_xaxis_transform())


def _intervals(ax, recs: list[dict], colour_of, height_of=None) -> None:
    for r in recs:
        h = height_of(r) if height_of else 1.0
        ax.bar(r["start"] + 1, h, width=max(r["end"] - r["start"], 1), align="edge", color=colour_of(r),
               edgecolor=colour_of(r))


def _signal_axis(ax, values: list[float], unit: str) -> None:
    """y ticks at 0 and the track's maximum, so a reader sees the values the bars stand for."""
    top = max([v for v in values if v is not None] or [0.0])
    if top <= 0:
        ax.set_yticks([])
        return
    ax.set_ylim(0, top * 1.15)
    ax.set_yticks([0, top])
    ax.set_yticklabels(["0", f"{top:,.3g} {unit}"], fontsize=6)
    ax.yaxis.tick_right()
    ax.tick_params(axis="y", length=0, pad=2)


def _gene_models(chrom: str, lo: int, hi: int, gene: str | None):
    try:
        from genelm.regulation.browser_tracks import gene_models

        models = gene_models(chrom, lo, hi)
    except Exception:  # the model is an aid: a table that cannot be read leaves the span from the evidence
        return []
    # The asked gene first, then the others by start
    return sorted(models, key=lambda m: (m.symbol != gene, m.start))


def _draw_genes(ax, models, span: dict, gene: str | None, strand: str, lo: int, hi: int, bp_per_pt: float) -> None:
    from matplotlib.patches import Rectangle

    if not models and span:  # no table at hand: the span the evidence gives
        models = [type("M", (), {"symbol": gene, "start": span["start"], "end": span["end"], "strand": strand,
                                 "exons": ()})()]
    rows = pack_labels([(max(m.start, lo), m.symbol) for m in models], bp_per_pt, 7) if models else []
    rows = [0 if m.symbol == gene else r + (1 if any(x.symbol == gene for x in models) else 0)
            for m, r in zip(models, rows)]
    n = max(rows, default=0) + 1
    for m, row in zip(models, rows):
        y = n - 1 - row + 0.35
        main = m.symbol == gene
        colour = "#1f3a93" if main else "#7f7f7f"
        a, b = max(m.start, lo), min(m.end, hi)
        ax.plot([a, b], [y, y], color=colour, lw=1.0, solid_capstyle="butt")
        for s, e in m.exons:
            if e >= lo and s <= hi:
                ax.add_patch(Rectangle((max(s, lo), y - 0.18), min(e, hi) - max(s, lo) + 1, 0.36, color=colour, lw=0))
        if not m.exons:
            ax.add_patch(Rectangle((a, y - 0.1), b - a + 1, 0.2, color=colour, lw=0, alpha=0.6))
        step = max((b - a) / 12, 1)
        chevron = ">" if m.strand == "+" else "<" if m.strand == "-" else None
        if chevron and b - a > 40 * bp_per_pt:
            xs = [a + step * (i + 0.5) for i in range(12)]
            ax.plot(xs, [y] * len(xs), linestyle="none", marker=chevron, markersize=3, color=colour)
        label = f"{m.symbol} ({m.strand})" if main else m.symbol
        ax.text(a, y + 0.25, label, fontsize=8 if main else 6.5, fontweight="bold" if main else "normal",
                color=colour, va="bottom", clip_on=True)
    ax.set_ylim(0, n + 0.2)


def draw_locus(evidence: list[Evidence], predicted: Mapping | None = None) -> "Figure":
    """A matplotlib Figure of the locus.  ``predicted``: {label: obj with .bins (n, 2; 1-based) and .predicted}
    or {label: (bins, values)}, e.g. an Enformer track around the promoter."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    chrom, lo, hi, span = _region(evidence)
    tss = next(e for e in evidence if _kind(e) == "tss")
    gene = tss.params.get("gene")
    tracks: list[tuple[str, list[Evidence], str]] = [("Genes", [tss], "genes"), ("TSS", [tss], "tss")]
    for kind, label in (("ccre", "cCRE"), ("cage", "CAGE"), ("rampage", "RAMPAGE")):
        for e in (e for e in evidence if _kind(e) == kind):
            tracks.append((f"{label} {e.params.get('cell') or ''}".strip(), [e], kind))
    tf = [e for e in evidence if _kind(e) == "peaks" and e.params.get("assay") == "TF ChIP-seq"]
    sets = [e for e in evidence if _kind(e) == "chip2015"]
    if tf or sets:
        tracks.append(("TF ChIP-seq", tf + sets, "tf"))
    dnase = [e for e in evidence if _kind(e) == "peaks" and e.params.get("assay") == "DNase-seq"]
    if dnase:
        tracks.append(("DNase", dnase, "dnase"))
    for label in (predicted or {}):
        tracks.append((f"Predicted: {label}", [], "predicted"))

    bp_per_pt = (hi - lo) / (FIG_WIDTH_IN * 72 * _AXES_FRACTION)
    models = _gene_models(chrom, lo, hi, gene)
    tss_recs = [r for r in tss.records if "pos" in r]
    strand = tss_recs[0]["strand"] if tss_recs else "+"
    ccre_rows: dict[str, list[int]] = {}
    for label, evs, kind in tracks:
        if kind == "ccre":
            recs = sorted((r for e in evs for r in e.records if "start" in r), key=lambda r: r["start"])
            ccre_rows[label] = pack_labels([(_label_x(r, hi, bp_per_pt), r["accession"]) for r in recs], bp_per_pt, 6)
    n_genes = len({m.symbol for m in models}) or 1
    heights = []
    for label, _, kind in tracks:
        if kind == "genes":
            heights.append(0.55 + 0.3 * min(n_genes, 6))
        elif kind == "ccre":
            heights.append(0.6 + 0.16 * (max(ccre_rows.get(label) or [0]) + 1))
        elif kind == "tf":
            heights.append(1.3)
        else:
            heights.append(0.7)

    fig = Figure(figsize=(FIG_WIDTH_IN, 1.1 + sum(heights)), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(tracks), 1, sharex=True, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    mid = (lo + hi) / 2
    for ax, (label, evs, kind) in zip(axes, tracks):
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=8)
        ax.set_yticks([])
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        recs = [r for e in evs for r in e.records if "start" in r or "pos" in r]
        if kind == "genes":
            _draw_genes(ax, models, span, gene, strand, lo, hi, bp_per_pt)
            recs = recs or [1]
        elif kind == "tss":
            for pos in sorted({r["pos"] for r in recs}):
                ax.plot([pos, pos], [0.15, 0.85], color="darkgreen", lw=1)
            starts = sorted({(r["pos"], r["strand"]) for r in recs})
            for pos, s in starts[-1:] if strand == "-" else starts[:1]:  # the gene's 5' end and its direction
                ax.annotate("", xy=(pos + (-1 if s == "-" else 1) * 25 * bp_per_pt, 0.85), xytext=(pos, 0.85),
                            arrowprops={"arrowstyle": "->", "color": "darkgreen", "lw": 1})
            ax.set_ylim(0, 1)
        elif kind == "ccre":
            recs = sorted(recs, key=lambda r: r["start"])
            _intervals(ax, recs, lambda r: CCRE_COLOURS.get(r.get("ccre_class"), "grey"))
            rows = ccre_rows[label]
            for r, row in zip(recs, rows):
                ax.text(_label_x(r, hi, bp_per_pt), 1.05 + 0.45 * row, r["accession"], fontsize=6, va="bottom",
                        clip_on=True)
            ax.set_ylim(0, 1.1 + 0.45 * (max(rows or [0]) + 1))
            if recs:
                for cls, colour in CCRE_COLOURS.items():
                    ax.bar(0, 0, color=colour, label=cls)
                ax.legend(loc="upper left", fontsize=6, frameon=False, ncols=2)
        elif kind in ("cage", "rampage"):
            value = "tpm" if kind == "cage" else "rpm"
            _intervals(ax, recs, lambda r: "#2ca02c" if r["strand"] == "+" else "#9467bd",
                       lambda r: r.get(value) or 0.0)
            _signal_axis(ax, [r.get(value) or 0.0 for r in recs], value.upper())
            ax.set_ylabel(f"{label}\n({value.upper()})", rotation=0, ha="right", va="center", fontsize=8)
        elif kind in ("tf", "dnase"):
            colour = "#ff7f0e" if kind == "tf" else "#7f7f7f"
            peaks = [r for r in recs if "signal_value" in r]
            _intervals(ax, peaks, lambda r: colour, lambda r: r.get("signal_value") or 1.0)
            _signal_axis(ax, [r.get("signal_value") or 1.0 for r in peaks], "signal")
            for r in peaks:
                name = r.get("target") or r.get("biosample") or ""
                ax.text(r["start"] + 1, (r.get("signal_value") or 1.0), f" {name}", fontsize=6, va="bottom",
                        clip_on=True)
            lines = [f"{e.params.get('biosample') or 'all'}: " + ", ".join(names[:16])
                     + (" …" if len(names) > 16 else "")
                     for e in evs if _kind(e) == "chip2015" and (names := sorted({r["tf"] for r in e.records}))]
            if lines:
                ax.text(0.01, 0.97, "2015 gene sets (hg19-era) listing the gene\n" + "\n".join(lines),
                        transform=ax.transAxes, fontsize=6, va="top",
                        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1})
        else:
            item = predicted[label.removeprefix("Predicted: ")]
            bins, values = (item.bins, item.predicted) if hasattr(item, "bins") else item
            bins = np.asarray(bins)
            values = np.asarray(values, dtype=float)
            ax.fill_between(bins.mean(axis=1), values, step="mid", color="#17becf")
            _signal_axis(ax, values.tolist(), "")
            recs = list(values)
        if not recs:
            _empty(ax, mid)
    axes[-1].set_xlim(lo, hi)
    axes[-1].xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x / 1000:,.1f}"))
    axes[-1].set_xlabel(f"{chrom} position (kb, GRCh38)")
    fig.suptitle(f"{gene} · {chrom}:{lo:,}-{hi:,} (GRCh38) · GENCODE v24 TSSs, promoter window "
                 f"+/- {tss.params.get('flank_bp')} bp", fontsize=10, x=0.01, ha="left")
    return fig


def track_labels(fig: "Figure") -> list[str]:
    """The y-labels of a locus figure's tracks, top to bottom (what a test or a caption names)."""
    return [ax.get_ylabel() for ax in fig.axes]


def save_locus_figure(evidence: list[Evidence], path: str | Path, predicted: Mapping | None = None,
                      dpi: int = 120) -> Path:
    """Draw the locus and write it to ``path`` (PNG, or SVG by suffix); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = "svg" if path.suffix.lower() == ".svg" else "png"
    draw_locus(evidence, predicted).savefig(path, format=fmt, dpi=dpi)
    return path
