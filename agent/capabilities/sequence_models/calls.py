"""Typed calls to the local sequence models: splice scores, Enformer tracks and predictions.

Nothing here is imported by the core path until a model question is asked; a
missing model or weights file is a stated gap that names the fix.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, NamedTuple

from pydantic import Field, field_validator

from genelm.agent.core.call import ToolContext, _Call
from genelm.connectors.errors import InputError, SourceError
from genelm.data import DATA_DIR
from genelm.evidence import Evidence, sha256_hex

if TYPE_CHECKING:  # numpy is imported where a model runs: every question imports this module
    import numpy as np

ENFORMER_LABEL = "Enformer (Avsec et al. 2021) via enformer-pytorch"


def _reference(ctx: ToolContext, chrom: str, start: int, end: int):
    from genelm.models.reference import reference_for

    return reference_for(chrom, start, end, ctx.http.settings.reference_fasta, ctx.ucsc)


def _sequence(ctx: ToolContext, chrom: str, start: int, end: int) -> tuple[str, list[Evidence]]:
    """The span's plus-strand sequence, and the Evidence of where it came from (UCSC fetches; none when local)."""
    reference = _reference(ctx, chrom, start, end)
    return reference.fetch(chrom, start, end), list(getattr(reference, "fetched", []))


def _variant_text(value: str) -> str:
    """A variant argument in its one written form (chr17:43049195 C>A)."""
    from genelm.models.splice import Variant

    try:
        return str(Variant.parse(value))
    except InputError as exc:
        raise ValueError(str(exc)) from None


def _track_indices(value: tuple[int, ...]) -> tuple[int, ...]:
    if any(not 0 <= t < 5313 for t in value):
        raise ValueError("Enformer's human head has tracks 0-5312")
    return value


class SpliceScore(_Call):
    """CI-SpliceAI splice delta scores (acceptor/donor gain/loss) for an SNV or small indel on GRCh38."""

    tool: Literal["splice_score"] = "splice_score"
    label: ClassVar[str] = "SpliceAI: scoring splicing"
    variant: str = Field(description="chr17:43049195 C>A (GRCh38, plus-strand alleles; '-' for a deletion's ALT)")
    _v = field_validator("variant")(_variant_text)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.models.splice import (
            CONTEXT,
            DEFAULT_DISTANCE,
            SpliceModel,
            Variant,
            score_variants,
            splice_evidence,
        )

        variant = Variant.parse(self.variant)
        reach = CONTEXT + DEFAULT_DISTANCE + len(variant.ref)
        reference = _reference(ctx, variant.chrom, variant.pos - reach, variant.pos + reach)
        model = SpliceModel.shared(ctx.http.settings.cache_dir)
        scores = score_variants([variant], reference, model)
        return [splice_evidence(scores, reference, model, DEFAULT_DISTANCE), *getattr(reference, "fetched", [])]


class EnformerTracks(_Call):
    """Which Enformer output tracks exist for an assay, ChIP target and biosample (the bundled targets file)."""

    tool: Literal["enformer_tracks"] = "enformer_tracks"
    label: ClassVar[str] = "Enformer: finding tracks"
    assay: Literal["CHIP", "DNASE", "CAGE", "ATAC"] | None = None
    target: str | None = Field(None, pattern=r"^[A-Za-z0-9.\-_]{1,40}$")
    biosample: str | None = Field(None, pattern=r"^[\w .,()\-+/]{1,80}$")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.models.enformer import TARGETS, find_tracks

        hits = find_tracks(self.assay, self.target, self.biosample)
        query = self.model_dump(exclude={"tool"})
        records = [{"track": t.index, "identifier": t.identifier, "assay": t.assay, "target": t.target,
                    "biosample": t.biosample, "experiment": t.experiment} for t in hits]
        return [Evidence(
            key=f"enformer-targets:{sha256_hex(repr(sorted(query.items())))[:10]}",
            source="enformer-targets",
            title=f"Enformer targets_human.txt: {len(hits)} tracks for "
                  + ", ".join(f"{k}={v}" for k, v in query.items() if v),
            url="https://raw.githubusercontent.com/calico/basenji/master/manuscripts/cross2020/targets_human.txt",
            params={"file": str(TARGETS.relative_to(DATA_DIR)), **query},
            sha256=sha256_hex(repr(records)),
            accessions=sorted({r["experiment"] for r in records if r["experiment"]}),
            records=records,
            license="Apache-2.0 (calico/basenji)",
            origin="bundled",
        )]


def _enformer(ctx: ToolContext):
    """(runner, weights directory, weights sha256), or the stated gap of missing weights."""
    from genelm.models.enformer import EnformerRunner, WeightsMissing, load_enformer

    settings = ctx.http.settings
    try:
        model, directory, weights_sha = load_enformer(settings.cache_dir, settings.enformer_weights)
    except WeightsMissing as exc:
        raise SourceError("model:enformer", str(exc)) from None
    return EnformerRunner(model), directory, weights_sha


class _WindowPrediction(NamedTuple):
    runner: object
    directory: object
    weights_sha: str
    pred: np.ndarray  # (bins, tracks)
    bins: np.ndarray  # (bins, 2) GRCh38 starts and ends
    sources: list  # Evidence of the sequence's origin


def _predict_window(ctx: ToolContext, chromosome: str, center: int) -> _WindowPrediction:
    """Enformer over the input window centred on ``center`` (what the predict and overlay calls share)."""
    runner, directory, weights_sha = _enformer(ctx)
    start, end = runner.geometry.window(center)
    sequence, sources = _sequence(ctx, chromosome, start, end)
    return _WindowPrediction(runner, directory, weights_sha, runner.predict([sequence])[0],
                             runner.geometry.bins(center), sources)


class EnformerVariant(_Call):
    """Enformer's predicted effect of an SNV (ALT − REF) on chosen tracks, ranked against random nearby SNVs."""

    tool: Literal["enformer_variant"] = "enformer_variant"
    label: ClassVar[str] = "Enformer: scoring the variant"
    variant: str = Field(description="chr17:43049195 C>A (GRCh38, plus-strand alleles)")
    tracks: tuple[int, ...] = Field(min_length=1, max_length=50)
    _v = field_validator("variant")(_variant_text)
    _t = field_validator("tracks")(_track_indices)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.models.evidence import variant_effect_evidence
        from genelm.models.splice import Variant, check_ref
        from genelm.models.variant_effects import variant_effect

        v = Variant.parse(self.variant)
        runner, _directory, weights_sha = _enformer(ctx)
        start, end = runner.geometry.window(v.pos)
        reference = _reference(ctx, v.chrom, start, end)
        check_ref(v, reference)
        try:
            effect = variant_effect(runner, reference.fetch(v.chrom, start, end), v.pos, v.pos - start, v.ref, v.alt)
        except ValueError as exc:  # not an SNV
            raise InputError(f"{self.variant}: {exc}") from None
        return [variant_effect_evidence(effect, v.chrom, weights_sha, top=len(self.tracks), among=list(self.tracks)),
                *getattr(reference, "fetched", [])]


class EnformerPredict(_Call):
    """Enformer's predicted signal for chosen tracks in the window centred on a GRCh38 position."""

    tool: Literal["enformer_predict"] = "enformer_predict"
    label: ClassVar[str] = "Enformer: predicting"
    chromosome: str = Field(pattern=r"^chr(\d{1,2}|X|Y)$")
    center: int = Field(ge=100_000, le=250_000_000)
    tracks: tuple[int, ...] = Field(min_length=1, max_length=50)
    _t = field_validator("tracks")(_track_indices)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        import numpy as np

        from genelm.models.enformer import tracks

        runner, directory, weights_sha, pred, bins, sources = _predict_window(ctx, self.chromosome, self.center)
        names = tracks()
        records = []
        for t in self.tracks:
            signal = pred[:, t]
            peak = int(np.argmax(signal))
            records.append({"track": t, "description": names[t].description, "experiment": names[t].experiment,
                            "mean": round(float(signal.mean()), 4), "max": round(float(signal[peak]), 4),
                            "max_bin_start": int(bins[peak, 0]), "max_bin_end": int(bins[peak, 1])})
        return [Evidence(
            key=f"model:enformer:{self.chromosome}:{self.center}:{sha256_hex(repr(self.tracks))[:8]}",
            source="model:enformer",
            title=f"{ENFORMER_LABEL}: {len(self.tracks)} predicted tracks, {self.chromosome}:{int(bins[0, 0])}-"
                  f"{int(bins[-1, 1])} (GRCh38, {len(bins)} × {runner.geometry.bin_size} bp)",
            url=str(directory),
            params={"chromosome": self.chromosome, "center": self.center, "tracks": list(self.tracks),
                    "weights_sha256": weights_sha, "device": runner.policy.device,
                    "autocast": runner.policy.autocast_dtype, "input_bp": runner.geometry.sequence_length},
            sha256=sha256_hex(pred[:, list(self.tracks)].tobytes()),
            accessions=sorted({r["experiment"] for r in records if r["experiment"]}),
            records=records,
            license="Enformer weights: Apache-2.0 (DeepMind); the conversion's own terms apply",
            origin="model",
        ), *sources]


# ENCODE's documented download form for a file's contents; Enformer's targets file names the
# ENCFF it was trained on, and the portal's file record says whether that is a bigWig.
ENCODE_DOWNLOAD = "https://www.encodeproject.org/files/{accession}/@@download/{accession}.bigWig"


class EnformerOverlay(_Call):
    """Enformer's prediction for one track against the measured ENCODE signal (a bigWig), binned alike:
    Pearson and Spearman over the window, and a PNG of both tracks with the genes."""

    tool: Literal["enformer_overlay"] = "enformer_overlay"
    label: ClassVar[str] = "Enformer: predicted vs measured"
    chromosome: str = Field(pattern=r"^chr(\d{1,2}|X|Y)$")
    center: int = Field(ge=100_000, le=250_000_000)
    track: int = Field(ge=0, lt=5313)
    measured: str = Field(description="the measured bigWig: an https URL (live mode) or a local .bigWig/.bw path",
                          pattern=r"^(https://\S+|[^\s;|&:]+\.(bigWig|bigwig|bw))$")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from pathlib import Path

        from genelm.data.intervals import gene_index
        from genelm.models.enformer import tracks
        from genelm.models.evidence import overlay_evidence
        from genelm.models.overlay import overlay, plot_overlay
        from genelm.settings import NetworkMode

        remote = self.measured.startswith("https://")
        if remote and ctx.http.mode is NetworkMode.replay:
            raise SourceError("model:overlay", f"the measured signal {self.measured} is a remote bigWig and offline "
                                               "mode reads no network; download it and name the local .bigWig "
                                               "in the question")
        if not remote and not Path(self.measured).is_file():
            raise InputError(f"no bigWig at {self.measured}; give the path of a local .bigWig file")
        window = _predict_window(ctx, self.chromosome, self.center)
        bins = window.bins
        result = overlay(self.chromosome, bins, window.pred[:, self.track], self.measured)
        track = tracks()[self.track]
        genes = [(iv.name, iv.start, iv.end, "") for iv in
                 gene_index().overlapping(self.chromosome, int(bins[0, 0]), int(bins[-1, 1]), "GRCh38")][:12]
        name = f"overlay-{self.chromosome}-{self.center}-{self.track}-{sha256_hex(self.measured)[:8]}.png"
        plot = plot_overlay(result, ctx.http.settings.cache_dir / "plots" / name,
                            f"{track.description} (track {self.track}) vs {Path(self.measured).name}", genes)
        return [overlay_evidence(result, f"{track.description} (track {self.track})", self.measured,
                                 window.weights_sha, plot), *window.sources]


class GenomicLmScore(_Call):
    """A genomic language model's log-likelihood ratio (ALT vs REF) for an SNV, in a GRCh38 window around it."""

    tool: Literal["glm_score"] = "glm_score"
    label: ClassVar[str] = "Genomic LM: scoring the variant"
    variant: str = Field(description="chr17:43049195 C>A (GRCh38, plus-strand alleles)")
    _v = field_validator("variant")(_variant_text)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.models.evidence import glm_evidence
        from genelm.models.glm import shared_lm, variant_llr
        from genelm.models.splice import Variant

        settings = ctx.http.settings
        if not settings.glm_model:
            raise SourceError("model:glm", "no genomic language model is configured: set GENELM_GLM_MODEL to a "
                                           "local model directory or a Hugging Face id already in your cache (e.g. "
                                           "`huggingface-cli download InstaDeepAI/nucleotide-transformer-v2-50m-"
                                           "multi-species`); genelm never downloads one itself")
        v = Variant.parse(self.variant)
        start = v.pos - settings.glm_context_bp // 2
        context, sources = _sequence(ctx, v.chrom, start, start + settings.glm_context_bp - 1)
        lm = shared_lm(settings.glm_model)
        score = variant_llr(lm, context, v.pos - start, v.ref, v.alt)
        return [glm_evidence(lm, score, f"{self.variant} ({settings.glm_context_bp} bp GRCh38 context)"), *sources]
