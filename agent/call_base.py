"""What every typed tool call shares: validation rules and the clients it runs against."""
from __future__ import annotations

import re

from pydantic import BaseModel

from genelm.connectors.encode import EncodeClient
from genelm.connectors.http import HttpClient
from genelm.connectors.ncbi import NcbiClient
from genelm.connectors.regulomedb import RegulomeClient
from genelm.connectors.ucsc import UcscClient

_TERM_RE = re.compile(r"^[\w .,:;()'\-+/\[\]]{1,200}$")


class ToolContext:
    def __init__(self, http: HttpClient):
        self.http = http
        self.ncbi = NcbiClient(http)
        self.encode = EncodeClient(http)
        self.regulome = RegulomeClient(http)
        self.ucsc = UcscClient(http)


class _Call(BaseModel):
    model_config = {"extra": "forbid", "frozen": True}

    def describe(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.model_dump(exclude={"tool"}).items() if v is not None)
        return f"{self.tool}({args})"


def _term(value: str) -> str:
    value = value.strip()
    if not _TERM_RE.match(value):
        raise ValueError("search terms are 1-200 letters, digits, spaces and simple punctuation")
    return value
