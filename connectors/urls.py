"""URL normalisation shared by the cache, the recordings and their matching.

A recording must match a request that differs only in parameter order, in
``+`` vs ``%20``, or in parameters that do not change the answer.  Which
parameters those are is decided per API below, each with the reason.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

# Never written anywhere: identify the caller, not the question.
SECRET_PARAMS = frozenset({"api_key", "email", "tool"})

# Parameters that change only the size or form of an answer, not its facts.
# A replay prefers an exact match and falls back to ignoring these.
SOFT_PARAMS: dict[str, frozenset[str]] = {
    # E-utilities: retmax only truncates the id list; sort/usehistory don't change which records exist.
    "eutils.ncbi.nlm.nih.gov": frozenset({"retmax", "sort", "usehistory"}),
    # ENCODE: format=json is implied by our Accept header; limit only truncates @graph; frame changes
    # how much is embedded but every frame carries the accession, status and target we parse.
    "www.encodeproject.org": frozenset({"format", "limit", "frame"}),
    "regulomedb.org": frozenset({"format", "limit"}),
    "api.genome.ucsc.edu": frozenset(),
}


def split_params(url: str, params: dict | None = None) -> tuple[str, list[tuple[str, str]]]:
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        pairs.append((key, str(value)))
    base = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", "", ""))
    return base, pairs


def normalize_url(url: str, params: dict | None = None, *, drop: frozenset[str] = frozenset()) -> str:
    """Scheme/host lower-cased, secrets removed, parameters sorted, one quoting style."""
    base, pairs = split_params(url, params)
    kept = sorted((k, v) for k, v in pairs if k not in SECRET_PARAMS and k not in drop)
    query = urlencode(kept, quote_via=quote, safe=",:[]/")
    return f"{base}?{query}" if query else base


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def soft_key(url: str) -> str:
    """The match key that ignores the host's soft parameters."""
    return normalize_url(url, drop=SOFT_PARAMS.get(host_of(url), frozenset()))


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "REDACTED")
    return text
