"""Splice-altering variant scores with CI-SpliceAI (``cispliceai``: real weights, CC BY 4.0).

The model reads 5,000 nt of context on each side and gives, for every position,
the probability of an acceptor and of a donor.  A variant's delta scores follow
SpliceAI's definition: within ``distance`` nt of the variant, the largest gain
and loss of acceptor and donor probability between the ALT and REF sequences
(indels aligned as SpliceAI does).  Minus-strand genes are scored on the
reverse complement, as the model was trained.

Why this is faster than calling cispliceai per variant: the network runs as a torch
port of cispliceai's own graph (``splice_net``, identical outputs); nearby variants
share one reference pass over their cluster; and an SNV's ALT is a cone pass that
recomputes only the activations the variant can change and the ±distance scores
need.  Indels take a full ALT pass of exactly the window their scores need.
"""
from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import numpy as np

from genelm.connectors.errors import InputError
from genelm.evidence import Evidence, sha256_hex
from genelm.models.reference import Slice, reverse_complement, substitute
from genelm.models.splice_net import CONTEXT

DEFAULT_DISTANCE = 50  # SpliceAI's default scoring window (± nt around the variant)
MODEL_LABEL = "CI-SpliceAI (PyPI cispliceai 1.2.2; Strauch et al. 2022; weights CC BY 4.0)"
_VARIANT = re.compile(r"^\s*(chr[\dXYM]{1,2}):(\d[\d,]*)\s+([ACGT]+)\s*>\s*([ACGT]+|-)\s*$", re.I)
_ONE_HOT = np.zeros((256, 4), dtype=np.float32)
for _i, _base in enumerate("ACGT"):
    _ONE_HOT[ord(_base)] = np.eye(4, dtype=np.float32)[_i]


@dataclass(frozen=True)
class Variant:
    chrom: str
    pos: int  # 1-based, plus strand, first base of REF
    ref: str
    alt: str  # "" for a deletion written as '-'

    @classmethod
    def parse(cls, text: str) -> "Variant":
        m = _VARIANT.match(text)
        if not m:
            raise InputError(f"cannot read the variant {text!r}; write it as chr17:43045712 G>A (GRCh38, plus strand)")
        alt = "" if m.group(4) == "-" else m.group(4).upper()
        return cls(m.group(1), int(m.group(2).replace(",", "")), m.group(3).upper(), alt)

    def __str__(self) -> str:
        return f"{self.chrom}:{self.pos} {self.ref}>{self.alt or '-'}"


@dataclass(frozen=True)
class Gene:
    ensembl_id: str
    strand: str
    start: int
    end: int
    junctions: tuple[tuple[int, int], ...]  # (last exon base before the intron, first exon base after it)


@lru_cache(maxsize=1)
def _annotation():
    import pandas as pd

    return pd.read_csv(cispliceai_data("grch38.csv"))


def cispliceai_data(name: str):
    """A file cispliceai ships, found without importing the package (its __init__ imports TensorFlow)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("cispliceai")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("splice scoring needs cispliceai: pip install 'genelm[models]' and "
                         "pip install --no-deps cispliceai")
    return Path(spec.submodule_search_locations[0]) / "data" / name


def gene_at(chrom: str, pos: int) -> Gene | None:
    """The annotated gene (cispliceai's GRCh38 table, from GENCODE) covering a position."""
    table = _annotation()
    hits = table[(table["chr"] == chrom) & (table["start"] <= pos) & (table["end"] >= pos)]
    if hits.empty:
        return None
    row = hits.iloc[0]
    starts = [int(x) for x in str(row["jn_start"]).split(",") if x.strip().isdigit()]
    ends = [int(x) for x in str(row["jn_end"]).split(",") if x.strip().isdigit()]
    return Gene(row["gene_id"], row["strand"], int(row["start"]), int(row["end"]), tuple(zip(starts, ends)))


def one_hot(seq: str) -> np.ndarray:
    """A=1000 C=0100 G=0010 T=0001, anything else (N) all zero: SpliceAI's encoding."""
    return _ONE_HOT[np.frombuffer(seq.upper().encode("ascii"), dtype=np.uint8)]


class SpliceModel:
    """CI-SpliceAI's weights (cispliceai's frozen graph) as a torch network, loaded once per process.

    TensorFlow is needed only the first time, to read the graph; the weights are then
    kept under ``<cache>/models`` (``splice_net.cached_weights``).
    """

    _instance: "SpliceModel | None" = None
    _lock = threading.Lock()

    def __init__(self, cache_dir=None):
        from genelm.models.splice_net import SpliceNet, cached_weights
        from genelm.settings import Settings

        self.weights_path = cispliceai_data("CI-SpliceAI.pb")
        self.weights_sha256 = hashlib.sha256(self.weights_path.read_bytes()).hexdigest()
        try:
            self.net = SpliceNet(cached_weights(self.weights_path, cache_dir or Settings().cache_dir,
                                                 self.weights_sha256))
        except ImportError as exc:
            raise InputError("reading CI-SpliceAI's graph the first time needs TensorFlow and torch: "
                             "pip install 'genelm[models]'") from exc

    @classmethod
    def shared(cls, cache_dir=None) -> "SpliceModel":
        """The process's model (the weights are the same whichever cache dir first held them)."""
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls(cache_dir)
            return cls._instance

    def predict(self, sequences: list[str], batch_size: int = 16) -> list[np.ndarray]:
        """Per-position [neither, acceptor, donor] for each sequence minus its 5,000-nt flanks."""
        out: dict[int, np.ndarray] = {}
        by_length: dict[int, list[int]] = {}
        for k, seq in enumerate(sequences):
            by_length.setdefault(len(seq), []).append(k)
        for members in by_length.values():  # equal lengths batch without padding
            for start in range(0, len(members), batch_size):
                chunk = members[start:start + batch_size]
                for k, pred in zip(chunk, self.net.predict(np.stack([one_hot(sequences[k]) for k in chunk]))):
                    out[k] = pred
        return [out[k] for k in range(len(sequences))]


@dataclass
class SpliceScore:
    variant: Variant
    strand: str
    gene: str | None
    deltas: dict[str, float] = field(default_factory=dict)  # acceptor_gain, acceptor_loss, donor_gain, donor_loss
    positions: dict[str, int] = field(default_factory=dict)  # genomic position of each maximum

    @property
    def max_delta(self) -> float:
        return max(self.deltas.values()) if self.deltas else 0.0

    def record(self) -> dict:
        return {"variant": str(self.variant), "strand": self.strand, "gene": self.gene,
                **{f"ds_{k}": round(v, 4) for k, v in self.deltas.items()},
                **{f"dp_{k}": v for k, v in self.positions.items()}, "max_delta": round(self.max_delta, 4)}


def check_ref(variant: Variant, reference: Slice) -> None:
    found = reference.fetch(variant.chrom, variant.pos, variant.pos + len(variant.ref) - 1)
    if found != variant.ref:
        raise InputError(f"REF mismatch at {variant.chrom}:{variant.pos}: the variant says {variant.ref}, the reference "
                         f"({reference.name}) has {found} on the plus strand; give GRCh38 plus-strand alleles")


def _window(reference: Slice, chrom: str, start: int, end: int, strand: str) -> str:
    seq = reference.fetch(chrom, start - CONTEXT, end + CONTEXT)
    return reverse_complement(seq) if strand == "-" else seq


def _genomic(pred: np.ndarray, strand: str) -> np.ndarray:
    return pred[::-1] if strand == "-" else pred


def score_variants(variants: Iterable[Variant], reference: Slice, model: SpliceModel | None = None,
                   distance: int = DEFAULT_DISTANCE, batch_size: int = 16) -> list[SpliceScore]:
    """Delta scores for SNVs and small indels; the REF allele is checked against the reference first."""
    variants = list(variants)
    for v in variants:
        check_ref(v, reference)
        if max(len(v.ref), len(v.alt)) > 2 * distance:
            raise InputError(f"{v} is longer than the scoring window ({2 * distance} nt); splice scores cover SNVs and "
                             "small indels")
    model = model or SpliceModel.shared()
    plans = []
    for v in variants:
        gene = gene_at(v.chrom, v.pos)
        plans.append((v, gene, gene.strand if gene else "+", v.pos - distance, v.pos + len(v.ref) - 1 + distance))
    scores: dict[int, SpliceScore] = {}
    for region in _reference_regions(plans):
        chrom, r_first, r_last, strand = region
        members = [k for k, (v, _, s, first, last) in enumerate(plans)
                   if v.chrom == chrom and s == strand and r_first <= first and last <= r_last]
        window = _window(reference, *region)
        snvs = [k for k in members if len(plans[k][0].ref) == 1 and len(plans[k][0].alt) == 1]
        sites = [(_site(plans[k][0].pos - r_first, r_last - r_first, strand), "ACGT".index(_base(plans[k][0].alt,
                                                                                                 strand)))
                 for k in snvs]
        ref_pred, alts = model.net.predict_snvs(one_hot(window), sites, distance, batch=batch_size)
        ref_pred = _genomic(ref_pred, strand)
        for k, alt in zip(snvs, alts):
            v, gene, _, first, last = plans[k]
            scores[k] = _deltas(v, gene, strand, first, ref_pred[first - r_first:last - r_first + 1],
                                _genomic(alt, strand))
        indels = [k for k in members if k not in scores]
        for k, alt_raw in zip(indels, model.predict([_alt_window(reference, plans[k]) for k in indels], batch_size)):
            v, gene, _, first, last = plans[k]
            y_alt = _align_indel(_genomic(alt_raw, strand), len(v.ref), len(v.alt), distance)
            scores[k] = _deltas(v, gene, strand, first, ref_pred[first - r_first:last - r_first + 1], y_alt)
    return [scores[k] for k in range(len(plans))]


def _site(offset: int, span: int, strand: str) -> int:
    """A genomic offset into a region, in the model's frame (reverse-complemented on the minus strand)."""
    return span - offset if strand == "-" else offset


def _base(base: str, strand: str) -> str:
    return reverse_complement(base) if strand == "-" else base


def _alt_window(reference: Slice, plan) -> str:
    """An indel's ALT input: its scoring window with 5,000 nt either side, ALT in place, in the model's frame."""
    v, _, strand, first, last = plan
    plus = reference.fetch(v.chrom, first - CONTEXT, last + CONTEXT)
    alt_plus = substitute(plus, v.pos - (first - CONTEXT), v.ref, v.alt)
    return reverse_complement(alt_plus) if strand == "-" else alt_plus


def _reference_regions(plans: list, max_gap: int = 2_000) -> list[tuple[str, int, int, str]]:
    """One reference pass per cluster of nearby scoring windows (same chromosome and strand).

    The model is a convolution, so a position's output depends only on the 5,000 nt either
    side of it: one pass over a cluster gives the reference probabilities of all its windows
    (and the activations its SNVs' cone passes reuse).  Clusters never overlap, so each
    variant belongs to exactly one.
    """
    windows = sorted({(v.chrom, strand, first, last) for v, _, strand, first, last in plans})
    regions: list[list] = []
    for chrom, strand, first, last in windows:
        if regions and regions[-1][0] == chrom and regions[-1][3] == strand and first - regions[-1][2] <= max_gap:
            regions[-1][2] = max(regions[-1][2], last)
        else:
            regions.append([chrom, first, last, strand])
    return [tuple(r) for r in regions]


def _align_indel(y_alt: np.ndarray, ref_len: int, alt_len: int, distance: int) -> np.ndarray:
    """SpliceAI's alignment: a deletion's lost positions score 0; an insertion keeps its best inserted position."""
    if alt_len < ref_len:
        pad = np.zeros((ref_len - alt_len, y_alt.shape[1]), dtype=y_alt.dtype)
        return np.concatenate([y_alt[:distance + alt_len], pad, y_alt[distance + alt_len:]])
    if alt_len > ref_len:
        inserted = y_alt[distance + ref_len - 1:distance + alt_len].max(axis=0, keepdims=True)
        return np.concatenate([y_alt[:distance + ref_len - 1], inserted, y_alt[distance + alt_len:]])
    return y_alt


def _deltas(v: Variant, gene: Gene | None, strand: str, first: int, y_ref: np.ndarray, y_alt: np.ndarray) -> SpliceScore:
    score = SpliceScore(v, strand, gene.ensembl_id if gene else None)
    for name, channel in (("acceptor", 1), ("donor", 2)):
        diff = y_alt[:, channel] - y_ref[:, channel]
        gain, loss = int(np.argmax(diff)), int(np.argmin(diff))
        score.deltas[f"{name}_gain"] = float(max(diff[gain], 0.0))
        score.deltas[f"{name}_loss"] = float(max(-diff[loss], 0.0))
        score.positions[f"{name}_gain"] = first + gain
        score.positions[f"{name}_loss"] = first + loss
    return score


def site_probabilities(reference: Slice, chrom: str, start: int, end: int, strand: str,
                       model: SpliceModel | None = None) -> np.ndarray:
    """Acceptor/donor probabilities of the reference at start..end (genomic order), e.g. to see known sites."""
    model = model or SpliceModel.shared()
    return _genomic(model.predict([_window(reference, chrom, start, end, strand)])[0], strand)


def splice_evidence(scores: list[SpliceScore], reference: Slice, model: SpliceModel, distance: int) -> Evidence:
    records = [s.record() for s in scores]
    names = ", ".join(str(s.variant) for s in scores)
    return Evidence(
        key=f"model:splice:{sha256_hex(names)[:10]}",
        source="model:splice",
        title=f"{MODEL_LABEL}: splice delta scores for {names} (±{distance} nt, {reference.assembly})",
        url="https://pypi.org/project/cispliceai/1.2.2/",
        params={"variants": [str(s.variant) for s in scores], "distance": distance, "reference": reference.name,
                "weights_sha256": model.weights_sha256, "model": MODEL_LABEL},
        sha256=sha256_hex(repr(records)),
        accessions=sorted({s.gene for s in scores if s.gene}),
        records=records,
        license="CI-SpliceAI weights: CC BY 4.0",
        origin="model",
    )
