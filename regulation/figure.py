"""The locus figure: gene model and TSSs, cCREs by class, CAGE/RAMPAGE, TF and DNase peaks, predictions.

Drawn only from an Evidence list (regulation_evidence's), so the picture shows
exactly what the answer cites.  Each track is one axis whose y-label names it
("TSS", "cCRE K562", "CAGE K562", "RAMPAGE K562", "TF ChIP-seq", "DNase",
"Predicted: …"); a track whose evidence is empty is drawn with "none" so a reader
sees it was looked for.  Uses matplotlib's object API on the Agg canvas (no
pyplot state, safe in a server).
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from genelm.connectors.errors import InputError
from genelm.evidence import Evidence

CCRE_COLOURS = {"PLS": "#d62728", "PLS,CTCF-bound": "#1f77b4"}  # SCREEN: promoter red, CTCF blue


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


def _empty(ax, x: float) -> None:
    ax.text(x, 0.5, "none", va="center", ha="center", color="grey", fontsize=7, transform=ax.get_xaxis_transform())


def _intervals(ax, recs: list[dict], colour_of, height_of=None) -> None:
    for r in recs:
        h = height_of(r) if height_of else 1.0
        ax.bar(r["start"] + 1, h, width=max(r["end"] - r["start"], 1), align="edge", color=colour_of(r),
               edgecolor=colour_of(r))


def draw_locus(evidence: list[Evidence], predicted: Mapping | None = None) -> Figure:
    """A matplotlib Figure of the locus.  ``predicted``: {label: obj with .bins (n, 2; 1-based) and .predicted}
    or {label: (bins, values)}, e.g. an Enformer track around the promoter."""
    chrom, lo, hi, span = _region(evidence)
    tss = next(e for e in evidence if _kind(e) == "tss")
    tracks: list[tuple[str, list[Evidence], str]] = [("TSS", [tss], "tss")]
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

    fig = Figure(figsize=(10, 1.0 + 0.75 * len(tracks)), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(tracks), 1, sharex=True, squeeze=False)[:, 0]
    mid = (lo + hi) / 2
    for ax, (label, evs, kind) in zip(axes, tracks):
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=8)
        ax.set_yticks([])
        recs = [r for e in evs for r in e.records if "start" in r or "pos" in r]
        if kind == "tss":
            strand = recs[0]["strand"] if recs else "+"
            if span:
                ax.plot([span["start"], span["end"]], [0.5, 0.5], color="black", lw=2)
                ax.annotate("", xy=(span["start"] if strand == "-" else span["end"], 0.5),
                            xytext=(mid, 0.5), arrowprops={"arrowstyle": "->", "color": "black"})
            for pos in sorted({r["pos"] for r in recs}):
                ax.plot([pos, pos], [0.15, 0.85], color="darkgreen", lw=1)
            ax.set_ylim(0, 1)
            ax.set_title(f"{tss.params.get('gene')} ({chrom}, GRCh38; GENCODE v24 TSSs, "
                         f"window +/- {tss.params.get('flank_bp')} bp)", fontsize=9, loc="left")
        elif kind == "ccre":
            _intervals(ax, recs, lambda r: CCRE_COLOURS.get(r.get("ccre_class"), "grey"))
            for i, r in enumerate(sorted(recs, key=lambda r: r["start"])):  # alternate heights: neighbours' names
                ax.text(r["start"] + 1, 1.02 + 0.3 * (i % 2), r["accession"], fontsize=6, va="bottom")
            ax.set_ylim(0, 1.7)
            if recs:
                for cls, colour in CCRE_COLOURS.items():
                    ax.bar(0, 0, color=colour, label=cls)
                ax.legend(loc="upper left", fontsize=6, frameon=False)
        elif kind in ("cage", "rampage"):
            value = "tpm" if kind == "cage" else "rpm"
            _intervals(ax, recs, lambda r: "#2ca02c" if r["strand"] == "+" else "#9467bd",
                       lambda r: r.get(value) or 0.0)
            ax.set_ylabel(f"{label}\n({value.upper()})", rotation=0, ha="right", va="center", fontsize=8)
        elif kind in ("tf", "dnase"):
            colour = "#ff7f0e" if kind == "tf" else "#7f7f7f"
            _intervals(ax, recs, lambda r: colour, lambda r: r.get("signal_value") or 1.0)
            lines = [f"{e.params.get('biosample') or 'all'}: " + ", ".join(names[:20]) + (" …" if len(names) > 20 else "")
                     for e in evs if _kind(e) == "chip2015" and (names := sorted({r["tf"] for r in e.records}))]
            if lines:
                ax.text(0.01, 0.95, "2015 gene sets (hg19-era) listing the gene\n" + "\n".join(lines),
                        transform=ax.transAxes, fontsize=6, va="top")
        else:
            item = predicted[label.removeprefix("Predicted: ")]
            bins, values = (item.bins, item.predicted) if hasattr(item, "bins") else item
            bins = np.asarray(bins)
            ax.fill_between(bins.mean(axis=1), np.asarray(values, dtype=float), step="mid", color="#17becf")
            recs = list(np.asarray(values))
        if not recs:
            _empty(ax, mid)
    axes[-1].set_xlim(lo, hi)
    axes[-1].set_xlabel(f"{chrom} position (GRCh38, 1-based)")
    axes[-1].ticklabel_format(axis="x", style="plain", useOffset=False)
    return fig


def track_labels(fig: Figure) -> list[str]:
    """The y-labels of a locus figure's tracks, top to bottom (what a test or a caption names)."""
    return [ax.get_ylabel() for ax in fig.axes]


def save_locus_figure(evidence: list[Evidence], path: str | Path, predicted: Mapping | None = None,
                      dpi: int = 120) -> Path:
    """Draw the locus and write it as PNG to ``path``; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    draw_locus(evidence, predicted).savefig(path, format="png", dpi=dpi)
    return path
