"""Which peaks lie near which TSSs: a sorted-array interval index over a BED-like DataFrame.

None of ncls, intervaltree or pyranges is a dependency of genelm, and the bundled
cCRE lookups (data/intervals.py) already use the same sorted-starts idea with
bisect; this is its vectorised form for tables of up to ~180k peaks: per
chromosome, starts sorted with numpy, a query is two ``searchsorted`` calls, and
the longest interval bounds how far left an overlapping one may start.

Coordinates: peaks are BED (0-based start, end inclusive in 1-based terms), TSSs
are 1-based positions; a peak covers the 1-based bases ``start + 1 .. end``.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd


class PeakIndex:
    def __init__(self, df: pd.DataFrame):
        self.df = df
        self._chroms: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, int]] = {}
        starts = df["start"].to_numpy() + 1
        ends = df["end"].to_numpy()
        for chrom, positions in df.groupby("chrom", sort=False).indices.items():
            order = positions[np.argsort(starts[positions], kind="stable")]
            s, e = starts[order], ends[order]
            self._chroms[chrom] = (order, s, e, int((e - s).max()) + 1)

    def overlapping(self, chrom: str, lo: int, hi: int) -> pd.DataFrame:
        """Rows covering any base of the 1-based inclusive range [lo, hi]."""
        if chrom not in self._chroms:
            return self.df.iloc[[]]
        order, s, e, longest = self._chroms[chrom]
        i = np.searchsorted(s, lo - longest, side="left")
        j = np.searchsorted(s, hi, side="right")
        keep = order[i:j][e[i:j] >= lo]
        return self.df.iloc[np.sort(keep)]


def near_tss(index: PeakIndex, tss: pd.DataFrame, flank: int, same_strand: bool = False) -> pd.DataFrame:
    """Peaks within ``flank`` bp of any TSS (0 = the peak covers the TSS), nearest TSS first.

    Adds ``distance`` (bp from the peak's nearest edge to the nearest TSS) and
    ``nearest_transcript``.  ``same_strand``: only TSSs on the peak's strand count,
    for stranded TSS assays (CAGE, RAMPAGE), whose antisense peaks belong to another
    transcript.
    """
    parts = []
    for chrom, sites in tss.groupby("chrom", sort=False):
        hits = index.overlapping(chrom, int(sites["pos"].min()) - flank, int(sites["pos"].max()) + flank)
        if hits.empty:
            continue
        pos = sites["pos"].to_numpy()[None, :]
        s = hits["start"].to_numpy()[:, None] + 1
        e = hits["end"].to_numpy()[:, None]
        dist = np.maximum(0, np.maximum(s - pos, pos - e)).astype(float)
        if same_strand:
            dist[hits["strand"].to_numpy()[:, None] != sites["strand"].to_numpy()[None, :]] = np.inf
        best = dist.argmin(axis=1)
        nearest = dist[np.arange(len(hits)), best]
        ok = nearest <= flank
        out = hits[ok].copy()
        out["distance"] = nearest[ok].astype(int)
        out["nearest_transcript"] = sites["transcript_id"].to_numpy()[best[ok]]
        parts.append(out)
    if not parts:
        return index.df.iloc[[]].assign(distance=pd.Series(dtype=int), nearest_transcript=pd.Series(dtype=str))
    return pd.concat(parts).sort_values(["distance", "start"], kind="stable")


def pairs_within(peaks: pd.DataFrame, tss: pd.DataFrame, flank: int, same_strand: bool = False) -> pd.DataFrame:
    """Every (peak, TSS) pair within ``flank`` bp, genome-wide: columns peak (index label in ``peaks``),
    tss (index label in ``tss``) and distance.  For the graph, which needs all genes at once: per
    chromosome (and strand) the TSS positions are sorted, and each peak's TSSs are the slice
    [start + 1 - flank, end + flank] found by two ``searchsorted`` calls.
    """
    keys = ["chrom", "strand"] if same_strand else ["chrom"]
    out = []
    sites_by = dict(tuple(tss.groupby(keys, sort=False, observed=True)))
    for key, group in peaks.groupby(keys, sort=False, observed=True):
        sites = sites_by.get(key)
        if sites is None:
            continue
        order = np.argsort(sites["pos"].to_numpy(), kind="stable")
        pos, labels = sites["pos"].to_numpy()[order], sites.index.to_numpy()[order]
        s = group["start"].to_numpy() + 1
        e = group["end"].to_numpy()
        lo = np.searchsorted(pos, s - flank, side="left")
        hi = np.searchsorted(pos, e + flank, side="right")
        n = hi - lo
        if n.sum() == 0:
            continue
        which = np.repeat(np.arange(len(group)), n)
        offsets = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n) + np.repeat(lo, n)
        p = pos[offsets]
        out.append(pd.DataFrame({"peak": group.index.to_numpy()[which], "tss": labels[offsets],
                                 "distance": np.maximum(0, np.maximum(s[which] - p, p - e[which]))}))
    if not out:
        return pd.DataFrame(columns=["peak", "tss", "distance"])
    return pd.concat(out, ignore_index=True)


@lru_cache(maxsize=None)
def index_for(key: str) -> PeakIndex:
    """The index of one bundled peak table, built once: 'ccre:K562', 'cage:K562', 'rampage', or an ENCFF accession."""
    from genelm.regulation import tables

    if key.startswith("ccre:"):
        return PeakIndex(tables.ccres(key.split(":", 1)[1]))
    if key.startswith("cage:"):
        return PeakIndex(tables.cage(key.split(":", 1)[1]))
    if key == "rampage":
        return PeakIndex(tables.rampage_peaks())
    return PeakIndex(tables.narrowpeaks(key))
