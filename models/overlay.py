"""Predicted vs measured: a measured ENCODE bigWig binned like Enformer's output, their correlation, a plot.

The measured signal is read with pyBigWig (a local file, or an https URL in live
mode where pyBigWig was built with curl) as the mean over each prediction bin,
so both tracks have one value per bin; correlations are computed over the bins
where the measured track has data.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genelm.connectors.errors import InputError


@dataclass
class Overlay:
    chrom: str
    bins: np.ndarray  # (n, 2) 1-based starts and ends
    predicted: np.ndarray  # (n,)
    measured: np.ndarray  # (n,), NaN where the bigWig has no data
    pearson: float
    spearman: float
    n_bins: int


def measured_in_bins(bigwig: str | Path, chrom: str, bins: np.ndarray) -> np.ndarray:
    try:
        import pyBigWig
    except ImportError as exc:
        raise InputError("the measured track needs pyBigWig: pip install 'genelm[models]'") from exc
    handle = pyBigWig.open(str(bigwig))
    if handle is None:
        raise InputError(f"cannot open the bigWig {bigwig}")
    try:
        if chrom not in handle.chroms():
            raise InputError(f"{bigwig} has no {chrom}")
        # bigWig intervals are 0-based half-open; our bins are 1-based inclusive.
        values = [handle.stats(chrom, int(s) - 1, int(e), type="mean")[0] for s, e in bins]
    finally:
        handle.close()
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def correlate(predicted: np.ndarray, measured: np.ndarray) -> tuple[float, float, int]:
    from scipy.stats import pearsonr, spearmanr

    ok = ~np.isnan(measured)
    if ok.sum() < 3 or np.std(predicted[ok]) == 0 or np.std(measured[ok]) == 0:
        return float("nan"), float("nan"), int(ok.sum())
    return (float(pearsonr(predicted[ok], measured[ok])[0]), float(spearmanr(predicted[ok], measured[ok])[0]),
            int(ok.sum()))


def overlay(chrom: str, bins: np.ndarray, predicted: np.ndarray, bigwig: str | Path) -> Overlay:
    measured = measured_in_bins(bigwig, chrom, bins)
    pearson, spearman, n = correlate(np.asarray(predicted, dtype=np.float64), measured)
    return Overlay(chrom, bins, np.asarray(predicted, dtype=np.float64), measured, pearson, spearman, n)


def plot_overlay(result: Overlay, path: Path, title: str, genes: list[tuple[str, int, int, str]] = ()) -> Path:
    """A PNG: predicted and measured signal per bin, and the genes in the window (symbol, start, end, strand)."""
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    import matplotlib.pyplot as plt

    centers = result.bins.mean(axis=1)
    fig, axes = plt.subplots(3, 1, figsize=(10, 5.5), sharex=True, gridspec_kw={"height_ratios": [3, 3, 1]})
    axes[0].fill_between(centers, result.predicted, color="#1f77b4", step="mid")
    axes[0].set_ylabel("predicted")
    axes[1].fill_between(centers, np.nan_to_num(result.measured), color="#d62728", step="mid")
    axes[1].set_ylabel("measured")
    for i, (symbol, start, end, strand) in enumerate(genes):
        y = i % 3
        axes[2].plot([start, end], [y, y], color="black", linewidth=3)
        axes[2].text(max(start, centers[0]), y + 0.3, f"{symbol} ({strand})", fontsize=7)
    axes[2].set_yticks([])
    axes[2].set_ylim(-0.5, 3)
    axes[2].set_xlabel(f"{result.chrom} (GRCh38)")
    fig.suptitle(f"{title}\nPearson {result.pearson:.3f}, Spearman {result.spearman:.3f} over {result.n_bins} bins",
                 fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
