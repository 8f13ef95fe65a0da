"""One fingerprint for a folder of model weights: what an answer's Evidence cites as ``weights_sha256``."""
from __future__ import annotations

import hashlib
from pathlib import Path

WEIGHT_SUFFIXES = (".bin", ".safetensors", ".pt")


def weights_sha256(directory: Path) -> str:
    """SHA-256 over the weight files of a folder, in name order, read in 1 MiB blocks (files can be GBs)."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).iterdir()):
        if path.suffix in WEIGHT_SUFFIXES:
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()
