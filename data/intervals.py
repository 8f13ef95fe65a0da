"""Interval lookups over the bundled GRCh38 tables: cCREs and Ensembl gene spans.

Both tables are on GRCh38 only, so every query takes an assembly and refuses
anything else: a GRCh37 position must never be looked up here unconverted.
Intervals are kept per chromosome, sorted by start, and searched with bisect;
the longest interval bounds how far left an overlapping one can start.
"""
from __future__ import annotations

import bisect
import gzip
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from genelm.connectors.errors import InputError
from genelm.data import DATA_DIR, ENSEMBL_GENES, ENSEMBL_LABEL, ensembl_genes
from genelm.data.disk_cache import cached, gc_paused

CCRE_DIR = DATA_DIR / "ccre"
CCRE_FILES = {"K562": "K562-PLS-Overlap-Groups.GRCh38.bed.gz", "GM12878": "GM12878-PLS-Overlap-Groups.GRCh38.bed.gz"}
CCRE_LABEL = "ENCODE SCREEN promoter-like cCREs (GRCh38)"


@dataclass(frozen=True)
class Interval:
    chrom: str
    start: int  # 1-based inclusive
    end: int
    name: str
    row: int  # 1-based line in the source file, for citation
    attrs: tuple = ()


class IntervalIndex:
    def __init__(self, intervals: list[Interval], assembly: str, label: str, file: str):
        self.assembly, self.label, self.file = assembly, label, file
        self._by_chrom: dict[str, list[Interval]] = {}
        for iv in intervals:
            self._by_chrom.setdefault(iv.chrom, []).append(iv)
        self._starts: dict[str, list[int]] = {}
        self._longest: dict[str, int] = {}
        for chrom, items in self._by_chrom.items():
            items.sort(key=lambda iv: iv.start)
            self._starts[chrom] = [iv.start for iv in items]
            self._longest[chrom] = max(iv.end - iv.start + 1 for iv in items)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_chrom.values())

    def __iter__(self):
        for items in self._by_chrom.values():
            yield from items

    def _check(self, assembly: str) -> None:
        if assembly != self.assembly:
            raise InputError(f"{self.label} is on {self.assembly}; a {assembly} position must be converted first")

    def overlapping(self, chrom: str, start: int, end: int, assembly: str) -> list[Interval]:
        """Intervals overlapping [start, end] (1-based inclusive)."""
        self._check(assembly)
        items = self._by_chrom.get(chrom, [])
        if not items:
            return []
        starts = self._starts[chrom]
        lo = bisect.bisect_left(starts, start - self._longest[chrom] + 1)
        hi = bisect.bisect_right(starts, end)
        return [iv for iv in items[lo:hi] if iv.end >= start]

    def near(self, chrom: str, start: int, end: int, assembly: str, window: int) -> list[tuple[Interval, int]]:
        """Intervals within ``window`` bp of [start, end], with their distance (0 = overlapping), nearest first."""
        hits = self.overlapping(chrom, max(1, start - window), end + window, assembly)
        out = [(iv, max(0, iv.start - end, start - iv.end)) for iv in hits]
        return sorted(out, key=lambda pair: (pair[1], pair[0].start))


@lru_cache(maxsize=4)
def ccre_index(biosample: str) -> IntervalIndex:
    if biosample not in CCRE_FILES:
        raise InputError(f"bundled cCREs exist for {', '.join(CCRE_FILES)} only, not '{biosample}'")
    path = CCRE_DIR / CCRE_FILES[biosample]
    # Cached as plain tuples (they read back faster than Interval objects); the index is rebuilt from them.
    rows = cached(path, lambda: _ccre_rows(path), version="ccre-1", name=f"ccre_{biosample}")
    with gc_paused():
        return IntervalIndex([Interval(*row) for row in rows], "GRCh38", f"{CCRE_LABEL}, {biosample}", path.name)


def _ccre_rows(path: Path) -> list[tuple]:
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row, line in enumerate(handle, start=1):
            f = line.rstrip("\n").split("\t")
            # BED: 0-based start -> 1-based inclusive.
            rows.append((f[0], int(f[1]) + 1, int(f[2]), f[3], row, (f[9], f[11] if len(f) > 11 else "")))
    return rows


@lru_cache(maxsize=1)
def gene_index() -> IntervalIndex:
    """Ensembl 110 gene spans (symbol, ENSG, description)."""
    with gc_paused():
        intervals = [Interval(f"chr{g.chromosome}", g.start, g.end, g.symbol, g.row, (g.ensembl_id, g.description))
                     for g in ensembl_genes()]
        return IntervalIndex(intervals, "GRCh38", ENSEMBL_LABEL, Path(ENSEMBL_GENES).name)
