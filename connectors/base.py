"""What every source client shares: its name and licence, stamped on each Evidence it returns."""
from __future__ import annotations

from typing import Any, Callable, TypeVar

from genelm.connectors.errors import SourceError
from genelm.evidence import Evidence, from_http

T = TypeVar("T")


class SourceClient:
    source: str = "unknown"
    license: str | None = None

    def evidence(self, *, key: str, title: str, result: Any, params: dict | None = None,
                 accessions: list[str] | None = None, records: list[dict] | None = None,
                 source: str | None = None, license: str | None = None) -> Evidence:
        """Evidence for one HTTP answer of this source (its URL, body hash, origin)."""
        return from_http(key=key, source=source or self.source, title=title, result=result, params=params,
                         accessions=accessions, records=records, license=license or self.license)

    def parsed(self, result: Any, parse: Callable[[Any], T], what: str, doc: Any = None) -> T:
        """``parse(doc)`` (default: the body as JSON); a ValueError becomes this source's error naming ``what``."""
        try:
            return parse(result.json() if doc is None else doc)
        except ValueError as exc:
            raise SourceError(self.source, f"{what}: {exc}", url=result.url) from None
