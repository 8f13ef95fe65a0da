"""Enformer variant effects: ALT minus REF predicted signal per track, ranked against background variants.

The effect of a variant on a track is the summed difference of its predicted
signal over the central bins (``window_bins`` around the variant).  Its
percentile is that of |effect| among background SNVs drawn at random positions of
the same input window (a local null: same sequence context, same model), so a
99th percentile means the variant moves the track more than 99% of random
nearby substitutions do.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genelm.models.enformer import EnformerRunner, Track, tracks
from genelm.models.reference import substitute

_BASES = "ACGT"


@dataclass
class VariantEffect:
    position: int
    ref: str
    alt: str
    effect: np.ndarray  # (tracks,)
    percentile: np.ndarray  # (tracks,), 0-100
    n_background: int

    def top(self, n: int = 10, names: tuple[Track, ...] | None = None, among: list[int] | None = None) -> list[dict]:
        """The n tracks the variant moves most (of ``among``, when given)."""
        names = names or tracks()
        candidates = np.array(among if among is not None else range(len(self.effect)))
        order = candidates[np.argsort(-np.abs(self.effect[candidates]))][:n]
        return [{"track": int(i), "description": names[i].description if i < len(names) else f"track {i}",
                 "effect": float(f"{self.effect[i]:.4g}"), "percentile": round(float(self.percentile[i]), 1)}
                for i in order]


def effect_of(runner: EnformerRunner, window_seq: str, offset: int, ref: str, alt: str,
              window_bins: int = 8) -> np.ndarray:
    """Summed ALT − REF over the ``window_bins`` central bins, per track (SNVs keep the window's length)."""
    pred = runner.predict([window_seq, substitute(window_seq, offset, ref, alt)])
    return _central_sum(pred[1] - pred[0], window_bins)


def _central_sum(delta: np.ndarray, window_bins: int) -> np.ndarray:
    mid = delta.shape[0] // 2
    half = max(window_bins // 2, 1)
    return delta[mid - half:mid + half].sum(axis=0)


def variant_effect(runner: EnformerRunner, window_seq: str, position: int, offset: int, ref: str, alt: str,
                   n_background: int = 16, window_bins: int = 8, seed: int = 0) -> VariantEffect:
    """The variant's effect and its percentile among ``n_background`` random SNVs of the same window."""
    if len(ref) != 1 or len(alt) != 1:
        raise ValueError("Enformer effects are computed for SNVs; splice scores cover small indels")
    rng = np.random.default_rng(seed)
    centre = len(window_seq) // 2
    span = runner.geometry.bin_size * window_bins // 2
    background = []
    for pos in rng.integers(centre - span, centre + span, size=n_background):
        base = window_seq[pos]
        if base not in _BASES:
            continue
        background.append((int(pos), base, rng.choice([b for b in _BASES if b != base])))
    sequences = [window_seq, substitute(window_seq, offset, ref, alt)]
    sequences += [substitute(window_seq, p, b, a) for p, b, a in background]
    pred = runner.predict(sequences)
    effect = _central_sum(pred[1] - pred[0], window_bins)
    null = np.abs(np.stack([_central_sum(p - pred[0], window_bins) for p in pred[2:]])) if background else \
        np.zeros((0, effect.shape[0]))
    percentile = (null < np.abs(effect)).mean(axis=0) * 100 if len(null) else np.full(effect.shape, np.nan)
    return VariantEffect(position, ref, alt, effect, percentile, len(background))
