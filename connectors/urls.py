"""URL normalisation shared by the cache, the recordings and their matching.

A recording must match a request that differs only in parameter order, in
``+`` vs ``%20``, or in parameters that do not change the answer.  Which
parameters those are is decided per API below, each with the reason.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

# Never written anywhere: identify the caller, not the question (apiKey: UCSC's REST API key).
SECRET_PARAMS = frozenset({"api_key", "email", "tool", "apiKey"})

# Parameters that change only the size or form of an answer, not its facts.
# A replay prefers an exact match and falls back to ignoring these.
SOFT_PARAMS: dict[str, frozenset[str]] = {
    # E-utilities: retmax only truncates the id list; sort/usehistory don't change which records exist.
    "eutils.ncbi.nlm.nih.gov": frozenset({"retmax", "sort", "usehistory"}),
    # ENCODE: format=json is implied by our Accept header; limit only truncates @graph; frame changes
    # how much is embedded but every frame carries the accession, status and target we parse; field=
    # projects each hit onto the properties we parse (an unprojected recording holds them too).
    "www.encodeproject.org": frozenset({"format", "limit", "frame", "field"}),
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
            # requests sends a list as the parameter repeated (ENCODE's field=a&field=b): so does the URL we cite.
            pairs.extend((key, str(v)) for v in value)
            continue
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


# E-utilities endpoints whose answer is one record per id, so it can be split and put together again.
_BY_RECORD_ENDPOINTS = ("esummary.fcgi", "efetch.fcgi")
# Parameters that change the form of each record (the rest name ids or only page through them).
_RECORD_FORM_PARAMS = ("retmode", "rettype", "version")


def eutils_by_record(url: str) -> tuple[tuple[str, ...], list[str]] | None:
    """(form key, ids) of an esummary/efetch request by id list, or None for any other request.

    The form key is (endpoint, db, retmode, rettype, version): two requests with equal form keys
    return each record in the same form, whatever ids they name together.  Matched on the path,
    so that mirrors and local test servers behave like eutils.ncbi.nlm.nih.gov.
    """
    base, pairs = split_params(url)
    endpoint = base.rsplit("/", 1)[-1]
    if endpoint not in _BY_RECORD_ENDPOINTS:
        return None
    params = dict(pairs)
    if "id" not in params or not params.get("db") or "query_key" in params or "WebEnv" in params:
        return None
    ids = [i.strip() for i in params["id"].split(",") if i.strip()]
    if not ids:
        return None
    form = (endpoint, params["db"].lower(), *(params.get(k, "").lower() for k in _RECORD_FORM_PARAMS))
    return form, ids
