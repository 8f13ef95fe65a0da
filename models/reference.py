"""Reference DNA by genomic coordinates (plus strand, 1-based inclusive), from wherever it is at hand.

- the bundled GRCh38 slice around BRCA1 (chr17:42,425,000-43,600,000; stored reverse-complemented,
  as NCBI gives a minus-strand region, and turned around here once),
- a local FASTA through pyfaidx (``GENELM_REFERENCE_FASTA``: hg38.fa or any indexed FASTA),
- UCSC's getData/sequence in live mode (the ``ucsc_sequence`` call does that; see connectors/ucsc.py).

A request outside what a source holds is an error that says what it holds, never a
silently shorter sequence.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from genelm.connectors.errors import InputError
from genelm.data import DATA_DIR

BRCA1_SLICE = DATA_DIR / "sequences" / "BRCA1_ext_GRCh38_NC_000017.11_c43600000-42425000.fa.gz"
_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def reverse_complement(seq: str) -> str:
    return seq.translate(_COMPLEMENT)[::-1]


def substitute(sequence: str, offset: int, ref: str, alt: str) -> str:
    """``sequence`` with ALT in place of REF at ``offset`` (0-based), once REF is checked to be there."""
    found = sequence[offset:offset + len(ref)]
    if found != ref:
        raise InputError(f"REF {ref} does not match the reference ({found}) at offset {offset}; "
                         "give plus-strand GRCh38 alleles")
    return sequence[:offset] + alt + sequence[offset + len(ref):]


@dataclass(frozen=True)
class Slice:
    """A stretch of one chromosome's plus strand."""

    name: str  # what to cite: the file, with its coordinates
    assembly: str
    chrom: str
    start: int  # 1-based position of sequence[0]
    sequence: str

    @property
    def end(self) -> int:
        return self.start + len(self.sequence) - 1

    def fetch(self, chrom: str, start: int, end: int) -> str:
        if chrom != self.chrom or start < self.start or end > self.end or start > end:
            raise InputError(f"{chrom}:{start}-{end} is outside the reference at hand ({self.name}: "
                             f"{self.chrom}:{self.start:,}-{self.end:,}, {self.assembly}); set GENELM_REFERENCE_FASTA "
                             "to a whole-genome FASTA for other positions")
        return self.sequence[start - self.start:end - self.start + 1]


@lru_cache(maxsize=1)
def bundled_brca1() -> Slice:
    with gzip.open(BRCA1_SLICE, "rt") as handle:
        header = handle.readline()
        minus = "".join(line.strip() for line in handle).upper()
    match = re.search(r"c(\d+)-(\d+)", header)
    high, low = int(match.group(1)), int(match.group(2))
    if high - low + 1 != len(minus):
        raise InputError(f"{BRCA1_SLICE.name}: the header spans {high - low + 1} bp but the sequence has {len(minus)}")
    return Slice(f"{BRCA1_SLICE.name} (NC_000017.11:c{high}-{low})", "GRCh38", "chr17", low, reverse_complement(minus))


class FastaReference:
    """A local FASTA (indexed on first use by pyfaidx)."""

    def __init__(self, path: Path, assembly: str = "GRCh38"):
        try:
            from pyfaidx import Fasta
        except ImportError as exc:
            raise InputError("a local FASTA needs pyfaidx: pip install 'genelm[models]'") from exc
        if not Path(path).exists():
            raise InputError(f"no FASTA at {path}; GENELM_REFERENCE_FASTA must name an existing .fa/.fa.gz (bgzip)")
        self.path, self.assembly = Path(path), assembly
        self._fasta = Fasta(str(path), as_raw=True, sequence_always_upper=True)
        self.name = self.path.name

    def fetch(self, chrom: str, start: int, end: int) -> str:
        names = [chrom, chrom.removeprefix("chr")]
        record = next((n for n in names if n in self._fasta), None)
        if record is None:
            raise InputError(f"{self.path.name} has no sequence named {chrom}")
        seq = self._fasta[record][start - 1:end]
        if len(seq) != end - start + 1:
            raise InputError(f"{chrom}:{start}-{end} runs past the end of {chrom} in {self.path.name}")
        return seq


class UcscReference:
    """GRCh38 from UCSC's getData/sequence (live, or replayed), fetched in pieces the API accepts.

    Each fetch is also kept as Evidence (``fetched``) so an answer can cite where its sequence came from.
    """

    assembly = "GRCh38"
    name = "UCSC hg38 getData/sequence"

    def __init__(self, ucsc, piece: int = 100_000):
        self.ucsc, self.piece = ucsc, piece
        self.fetched: list = []

    def fetch(self, chrom: str, start: int, end: int) -> str:
        parts = []
        for first in range(start, end + 1, self.piece):  # 1-based inclusive -> UCSC's 0-based half-open
            last = min(first + self.piece - 1, end)
            ev = self.ucsc.sequence("GRCh38", chrom, first - 1, last)
            self.fetched.append(ev)
            parts.append(ev.records[0]["dna"].upper())
        return "".join(parts)


def reference_for(chrom: str, start: int, end: int, fasta: Path | None = None, ucsc=None):
    """Where the span's sequence comes from: a configured FASTA, the bundled BRCA1 slice if it holds the span,
    else UCSC (when a client is given)."""
    if fasta is not None:
        return FastaReference(fasta)
    brca1 = bundled_brca1()
    if ucsc is None or (chrom == brca1.chrom and brca1.start <= start and end <= brca1.end):
        return brca1
    return UcscReference(ucsc)
