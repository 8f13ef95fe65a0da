"""Evidence: the one record type every source returns, and citations of it."""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, Field

# Accession shapes we recognise in text, so the verifier can check that an
# accession named in a sentence is really carried by the evidence it cites.
ACCESSION_PATTERNS = [
    r"ENC(?:SR|FF|BS|DO|AB|LB|GM|AN)\d{3}[A-Z]{3}",
    r"EH38E\d+",
    r"GS[EM]\d+",
    r"GPL\d+",
    r"rs\d+",
    r"ENS[GTP]\d{11}",
    r"N[CGMRTW]_\d+(?:\.\d+)?",
]
# Bounded by ASCII letters and digits only, so an accession is found in Chinese and Korean sentences too
# ('ENCSR000BLF은', '包括rs229784的'), where \b would see no boundary.
ACCESSION_RE = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(ACCESSION_PATTERNS) + r")(?![A-Za-z0-9_])")


def sha256_hex(body: bytes | str) -> str:
    if isinstance(body, str):
        body = body.encode("utf-8")
    return hashlib.sha256(body).hexdigest()


class Evidence(BaseModel):
    key: str = Field(description='stable short id, e.g. "encode:ENCSR000EDP" or "ncbi:gene:55714"')
    source: str = Field(description='"encode" | "ncbi" | "blast" | "encode-index" | "gene-table" | ...')
    title: str
    url: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    retrieved_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    sha256: str
    accessions: list[str] = Field(default_factory=list)
    records: list[dict[str, Any]] = Field(default_factory=list)
    license: str | None = None
    origin: str = Field("live", description="live | cache | replay | snapshot | bundled")

    def text_blob(self) -> str:
        """Everything a sentence citing this evidence may legitimately mention."""
        parts = [self.key, self.title, " ".join(self.accessions)]
        for rec in self.records:
            parts.extend(_flatten(rec))
        return " ".join(parts)


def _flatten(value: Any) -> list[str]:
    if isinstance(value, dict):
        out: list[str] = []
        for v in value.values():
            out.extend(_flatten(v))
        return out
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            out.extend(_flatten(v))
        return out
    return [str(value)]


def from_http(
    *,
    key: str,
    source: str,
    title: str,
    result: Any,
    params: dict[str, Any] | None = None,
    accessions: list[str] | None = None,
    records: list[dict[str, Any]] | None = None,
    license: str | None = None,
) -> Evidence:
    """Evidence for an HTTP answer: its public URL, body hash and where it came from."""
    return Evidence(
        key=key,
        source=source,
        title=title,
        url=result.url,
        params=params or {},
        sha256=sha256_hex(result.body),
        accessions=sorted(set(accessions or [])),
        records=records or [],
        license=license,
        origin=result.origin,
    )
