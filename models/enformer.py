"""Enformer predicted tracks through ``enformer-pytorch``: weights from disk only, never fetched silently.

Weights are looked up, in order, in ``Settings.enformer_weights`` (``GENELM_ENFORMER_WEIGHTS``), ``<cache>/models/enformer``
(``genelm models install enformer --from PATH``) and the Hugging Face cache
(``models--EleutherAI--enformer-official-rough``), and loaded with
``local_files_only=True``.  Absent weights are an abstention that says how to get them.

Device policy (``device_policy``): CUDA with bf16 autocast and batches where there
is a GPU; fp32 and small batches on the CPU; always ``inference_mode``.

Geometry: the model reads ``sequence_length`` bp centred on a position and predicts
``target_length`` bins of ``bin_size`` bp, also centred (196,608 bp in, 896 × 128 bp
out at full size).  ``bins()`` gives every bin's GRCh38 coordinates, so a prediction
and a measured bigWig can be binned the same way.
"""
from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from genelm.connectors.errors import InputError
from genelm.data import DATA_DIR
from genelm.models.weights import WEIGHT_SUFFIXES, weights_sha256

TARGETS = DATA_DIR / "enformer_targets" / "targets_human.txt.gz"
HF_REPO_DIR = "models--EleutherAI--enformer-official-rough"
_INDEX = np.full(256, 4, dtype=np.int64)
for _i, _b in enumerate("ACGT"):
    _INDEX[ord(_b)] = _i
    _INDEX[ord(_b.lower())] = _i


class WeightsMissing(InputError):
    """No Enformer weights on this machine: the answer abstains and says how to install them."""


@dataclass(frozen=True)
class Track:
    index: int
    identifier: str  # ENCFF…/CNhs… as in targets_human.txt
    assay: str  # DNASE | CHIP | CAGE | ATAC
    target: str | None  # H3K27ac, CTCF … for CHIP
    biosample: str
    experiment: str | None  # ENCSR… parsed from the training file path, when it is ENCODE
    description: str


@lru_cache(maxsize=1)
def tracks() -> tuple[Track, ...]:
    out = []
    with gzip.open(TARGETS, "rt") as handle:
        next(handle)
        for line in handle:
            index, _genome, identifier, file, _clip, _scale, _stat, description = line.rstrip("\n").split("\t")
            assay, _, rest = description.partition(":")
            target, biosample = (rest.split(":", 1) if assay == "CHIP" and ":" in rest else (None, rest))
            experiment = next((p for p in file.split("/") if p.startswith("ENCSR")), None)
            out.append(Track(int(index), identifier, assay, target, biosample.strip(), experiment, description))
    return tuple(out)


def find_tracks(assay: str | None = None, target: str | None = None, biosample: str | None = None) -> list[Track]:
    """Tracks by assay (DNASE/CHIP/CAGE/ATAC), ChIP target and biosample words (case-insensitive)."""
    def ok(t: Track) -> bool:
        return ((assay is None or t.assay == assay.upper())
                and (target is None or (t.target or "").upper() == target.upper())
                and (biosample is None or biosample.lower() in t.biosample.lower()))
    return [t for t in tracks() if ok(t)]


@dataclass(frozen=True)
class DevicePolicy:
    device: str
    autocast_dtype: str | None  # "bfloat16" on CUDA; None (fp32) on CPU
    batch_size: int


def device_policy(prefer: str | None = None) -> DevicePolicy:
    import torch

    if (prefer or "").startswith("cuda") or (prefer is None and torch.cuda.is_available()):
        return DevicePolicy(prefer or "cuda", "bfloat16", 8)
    return DevicePolicy("cpu", None, 1)  # batching buys nothing on a CPU (measured: 0.87× at batch 2)


def weights_dir(cache_dir: Path | None = None, explicit: Path | None = None) -> Path | None:
    """``explicit`` is Settings.enformer_weights, which already reads GENELM_ENFORMER_WEIGHTS."""
    candidates = [explicit, (Path(cache_dir) / "models" / "enformer") if cache_dir else None]
    hf_home = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "hub" / HF_REPO_DIR / "snapshots"
    if hf_home.is_dir():
        candidates += sorted(hf_home.iterdir())
    return next((c for c in candidates if c is not None and (c / "config.json").exists()), None)


def load_enformer(cache_dir: Path | None = None, explicit: Path | None = None):
    """(model, weights directory, weights sha256); WeightsMissing when there are none on disk.

    A loaded model is kept per weights folder (and the weight files' size and mtime), so each
    question does not read and hash a gigabyte of weights again.
    """
    directory = weights_dir(cache_dir, explicit)
    if directory is None:
        raise WeightsMissing(
            "no Enformer weights on this machine (genelm never downloads them silently). Get them once, e.g. "
            "`huggingface-cli download EleutherAI/enformer-official-rough --local-dir enformer`, then "
            "`genelm models install enformer --from enformer` or set GENELM_ENFORMER_WEIGHTS")
    stamp = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(directory.iterdir())
                  if p.suffix in WEIGHT_SUFFIXES)
    return _load(directory.resolve(), stamp)


@lru_cache(maxsize=2)
def _load(directory: Path, _stamp: tuple):
    try:
        import torch
        from enformer_pytorch import Enformer, EnformerConfig
    except ImportError as exc:
        raise InputError("Enformer needs enformer-pytorch: pip install 'genelm[models]'") from exc
    # Config and state dict read directly (as the EleutherAI repo lays them out): transformers 5's
    # from_pretrained rejects Enformer's shared stem/trunk modules as untied weights.
    config = EnformerConfig.from_pretrained(str(directory), local_files_only=True)
    model = Enformer(config)
    weights = next((directory / n for n in ("model.safetensors", "pytorch_model.bin") if (directory / n).exists()), None)
    if weights is None:
        raise WeightsMissing(f"{directory} has config.json but no model.safetensors or pytorch_model.bin")
    if weights.suffix == ".safetensors":
        from safetensors.torch import load_file

        state = load_file(str(weights))
    else:
        state = torch.load(weights, map_location="cpu", weights_only=True)  # never unpickle code
    missing, unexpected = model.load_state_dict(state, strict=False)
    # The trunk re-registers the stem/tower modules, so either name of a shared tensor is enough.
    missing = [k for k in missing if not _shared_alias_present(k, state)]
    if missing or unexpected:
        raise InputError(f"the Enformer weights in {directory} do not fit the config: "
                         f"{len(missing)} missing, {len(unexpected)} unexpected tensors (e.g. {(missing + unexpected)[0]})")
    model.eval()
    return model, directory, weights_sha256(directory)


def _shared_alias_present(key: str, state: dict) -> bool:
    aliases = {"_trunk.1.": "stem.", "_trunk.2.": "conv_tower.", "_trunk.4.": "transformer.", "_trunk.6.": "final_pointwise."}
    for trunk, name in aliases.items():
        if key.startswith(trunk) and name + key[len(trunk):] in state:
            return True
        if key.startswith(name) and trunk + key[len(name):] in state:
            return True
    return False


def save_enformer(model, directory: Path) -> Path:
    """Config + state dict in the EleutherAI layout (what ``load_enformer`` reads; tests build small ones)."""
    import torch

    directory.mkdir(parents=True, exist_ok=True)
    model.config.save_pretrained(str(directory))
    torch.save(model.state_dict(), directory / "pytorch_model.bin")
    return directory


def one_hot_indices(seq: str) -> np.ndarray:
    """A C G T -> 0 1 2 3, anything else -> 4 (enformer-pytorch's N, an all-zero one-hot row)."""
    return _INDEX[np.frombuffer(seq.encode("ascii"), dtype=np.uint8)]


@dataclass(frozen=True)
class Geometry:
    sequence_length: int
    target_length: int
    bin_size: int = 128

    @classmethod
    def of(cls, model, sequence_length: int | None = None) -> "Geometry":
        bin_size = 2 ** model.config.num_downsamples
        seq_len = sequence_length or getattr(model, "sequence_length", None) or 1536 * bin_size
        return cls(seq_len, model.config.target_length, bin_size)

    def window(self, center: int) -> tuple[int, int]:
        """1-based inclusive span of the input sequence centred on ``center``."""
        start = center - self.sequence_length // 2
        return start, start + self.sequence_length - 1

    def bins(self, center: int) -> np.ndarray:
        """(target_length, 2): each output bin's 1-based start and end."""
        first = center - self.target_length * self.bin_size // 2
        starts = first + self.bin_size * np.arange(self.target_length)
        return np.stack([starts, starts + self.bin_size - 1], axis=1)


class EnformerRunner:
    """Batched prediction under the device policy; the plain call is what benchmarks compare against."""

    def __init__(self, model, policy: DevicePolicy | None = None, sequence_length: int | None = None):
        import torch

        self.policy = policy or device_policy()
        self.model = model.to(self.policy.device)
        self.geometry = Geometry.of(model, sequence_length)
        self._torch = torch

    def predict(self, sequences: Sequence[str], head: str = "human") -> np.ndarray:
        """(n, target_length, tracks) float32 for sequences of the model's input length."""
        torch = self._torch
        bad = [len(s) for s in sequences if len(s) != self.geometry.sequence_length]
        if bad:
            raise InputError(f"Enformer takes {self.geometry.sequence_length} bp per sequence, got {bad[0]}")
        out = []
        for start in range(0, len(sequences), self.policy.batch_size):
            batch = torch.from_numpy(np.stack([one_hot_indices(s) for s in sequences[start:start + self.policy.batch_size]]))
            batch = batch.to(self.policy.device)
            with torch.inference_mode():
                if self.policy.autocast_dtype:
                    with torch.autocast(device_type="cuda", dtype=getattr(torch, self.policy.autocast_dtype)):
                        pred = self.model(batch)[head]
                else:
                    pred = self.model(batch)[head]
            out.append(pred.float().cpu().numpy())
        return np.concatenate(out, axis=0)


def plain_predict(model, sequences: Sequence[str], head: str = "human") -> np.ndarray:
    """enformer-pytorch called plainly: fp32, one sequence at a time (the benchmark's baseline)."""
    import torch

    out = []
    for seq in sequences:
        with torch.no_grad():
            out.append(model([seq])[head].cpu().numpy())
    return np.concatenate(out, axis=0)
