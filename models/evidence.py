"""Model results as Evidence: which model and weights (hash), the inputs, and a summary of the outputs.

Splice scores and Enformer predictions build theirs where they are computed
(models/splice.py, agent/model_calls.py); these cover the Enformer variant
effect, the predicted-vs-measured overlay and the gLM score.
"""
from __future__ import annotations

import math
from pathlib import Path

from genelm.evidence import Evidence, sha256_hex
from genelm.models.glm import GenomicLM, GlmScore
from genelm.models.overlay import Overlay
from genelm.models.variant_effects import VariantEffect

ENFORMER = "Enformer (Avsec et al. 2021) via enformer-pytorch"


def _finite(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 4)


def variant_effect_evidence(effect: VariantEffect, chrom: str, weights_sha256: str, top: int = 10,
                            among: list[int] | None = None) -> Evidence:
    records = effect.top(top, among=among)
    variant = f"{chrom}:{effect.position} {effect.ref}>{effect.alt}"
    return Evidence(
        key=f"model:enformer-variant:{sha256_hex(variant + weights_sha256)[:10]}",
        source="model:enformer",
        title=f"{ENFORMER}: predicted effect of {variant} on its {top} most affected tracks "
              f"(percentile among {effect.n_background} random SNVs of the window)",
        url=None,
        params={"variant": variant, "weights_sha256": weights_sha256, "n_background": effect.n_background,
                "tracks": among},
        sha256=sha256_hex(effect.effect.tobytes()),
        accessions=[],
        records=records,
        license="Enformer weights: Apache-2.0 (DeepMind)",
        origin="model",
    )


def overlay_evidence(result: Overlay, track: str, measured_source: str, weights_sha256: str,
                     plot: Path | None = None) -> Evidence:
    record = {"track": track, "measured": measured_source, "chrom": result.chrom,
              "start": int(result.bins[0, 0]), "end": int(result.bins[-1, 1]), "bins": result.n_bins,
              "pearson": _finite(result.pearson), "spearman": _finite(result.spearman),
              "plot": str(plot) if plot else None}
    return Evidence(
        key=f"model:overlay:{sha256_hex(repr(sorted(record.items())))[:10]}",
        source="model:enformer",
        title=f"{ENFORMER} vs measured {measured_source}: {track}, {result.chrom}:{record['start']}-{record['end']}",
        url=measured_source if measured_source.startswith("http") else None,
        params={"track": track, "measured": measured_source, "weights_sha256": weights_sha256},
        sha256=sha256_hex(result.predicted.tobytes() + result.measured.tobytes()),
        accessions=[a for a in (Path(measured_source).stem,) if a.startswith("ENCFF")],
        records=[record],
        license="Enformer weights: Apache-2.0; ENCODE data: CC BY 4.0",
        origin="model",
    )


def glm_evidence(lm: GenomicLM, score: GlmScore, variant: str) -> Evidence:
    record = {"variant": variant, "llr": round(score.llr, 5), "kind": score.kind, "tokens_scored": score.tokens_scored,
              "model": lm.name}
    return Evidence(
        key=f"model:glm:{sha256_hex(variant + lm.name)[:10]}",
        source="model:glm",
        title=f"Genomic LM {Path(lm.name).name} ({score.kind}): log-likelihood ratio of {variant} = {score.llr:.3f}",
        url=lm.name,
        params={"variant": variant, "model": lm.name, "weights_sha256": lm.weights_sha256, "kind": score.kind},
        sha256=sha256_hex(repr(record)),
        accessions=[],
        records=[record],
        license=None,
        origin="model",
    )
