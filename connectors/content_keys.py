"""Keys that match a request to a recording by what the answer is about, not by its URL.

Some APIs answer the same question under several URLs.  RegulomeDB resolves an
rsID to its position server-side and answers ``regions=rs229784`` with the same
search as ``regions=chr14:83844094-83844095``; the response names both (its
``variants[].rsids`` and ``query_coordinates``).  So a recorded search is also
found by (genome, rsID) and by (genome, coordinates) — and the evidence still
cites the URL that was actually recorded.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

_REGULOME_SEARCH = ("regulomedb.org", "/regulome-search/")


def _regulome_key(genome: str, query: str) -> str:
    return f"regulome-search|{genome}|{query.strip().lower()}"


def content_keys(rec) -> list[str]:
    """The content keys a recording answers (none for most)."""
    parts = urlsplit(rec.url)
    if (parts.netloc, parts.path) != _REGULOME_SEARCH or rec.status != 200:
        return []
    try:
        doc = json.loads(rec.body)
    except ValueError:
        return []
    genome = doc.get("assembly") if isinstance(doc, dict) else None
    if not isinstance(genome, str):
        return []
    queries = [q for q in doc.get("query_coordinates") or [] if isinstance(q, str)]
    for variant in doc.get("variants") or []:
        if isinstance(variant, dict):
            queries += [r for r in variant.get("rsids") or [] if isinstance(r, str)]
    return [_regulome_key(genome, q) for q in queries]


def request_content_key(url: str) -> str | None:
    parts = urlsplit(url)
    if (parts.netloc, parts.path) != _REGULOME_SEARCH:
        return None
    params = dict(parse_qsl(parts.query))
    regions, genome = params.get("regions", ""), params.get("genome", "")
    if not regions or not genome or any(c.isspace() for c in regions.strip()):
        return None  # several regions in one query: only an exact recording answers that
    return _regulome_key(genome, regions)
