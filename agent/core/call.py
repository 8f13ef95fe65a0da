"""What every typed tool call shares: validation rules and the clients it runs against."""
from __future__ import annotations

import re
import threading
from typing import ClassVar, Literal

from pydantic import BaseModel, Field, model_validator

from genelm.connectors.encode import EncodeClient
from genelm.connectors.errors import GenelmError, ServiceWithdrawn, SourceError
from genelm.connectors.http import HttpClient
from genelm.connectors.ncbi import NcbiClient
from genelm.connectors.regulomedb import RegulomeClient
from genelm.connectors.ucsc import UcscClient
from genelm.i18n import N_, tr

_TERM_RE = re.compile(r"^[\w .,:;()'\-+/\[\]]{1,200}$")


class ToolContext:
    def __init__(self, http: HttpClient):
        self.http = http
        urls = http.settings.endpoints
        self.ncbi = NcbiClient(http, eutils=urls["ncbi_eutils"], blast_url=urls["ncbi_blast"])
        self.encode = EncodeClient(http, portal=urls["encode"])
        self.regulome = RegulomeClient(http, base=urls["regulomedb"])
        self.ucsc = UcscClient(http, api=urls["ucsc_api"], blat=urls["ucsc_blat"])
        self._gaps: list[str] = []
        self._lock = threading.Lock()
        self._graph = None
        self._knowledge = None

    def graph(self):
        """The knowledge-graph connection, opened on first use (it may start the embedded server)."""
        from genelm.graph.connection import GraphConnection

        with self._lock:
            if self._graph is None:
                self._graph = GraphConnection.open(self.http.settings)
            return self._graph

    def knowledge(self):
        """The gene-knowledge collection (Chroma under the cache dir), opened on first use."""
        from genelm.connectors.knowledge import knowledge_index

        with self._lock:
            if self._knowledge is None:
                self._knowledge = knowledge_index(self.http.settings.cache_dir)
            return self._knowledge

    def close(self) -> None:
        with self._lock:
            if self._graph is not None:
                self._graph.close()
                self._graph = None

    def report_gap(self, text: str) -> None:
        """A call that recovered from a failure (e.g. by a fallback) still says what failed."""
        with self._lock:
            self._gaps.append(text)

    def take_gaps(self) -> list[str]:
        with self._lock:
            gaps, self._gaps = self._gaps, []
        return gaps


class _Call(BaseModel):
    model_config = {"extra": "forbid", "frozen": True}
    # What the call is doing, in words a biologist reads in a progress line (set on each call class).
    label: ClassVar[str] = ""

    def failure(self, exc: GenelmError, translate: bool = False) -> str:
        """What a failed run says: in English for an MCP client, an LLM's tool message and the trace; with
        ``translate``, framed in the answer's language for the answer's gaps (the call and the upstream's own
        reason stay as written)."""
        say = tr if translate else (lambda template, **values: template.format(**values))
        if isinstance(exc, ServiceWithdrawn):  # not an outage: the service no longer offers this call
            return f"{self.describe()}: {exc.reason}"
        if isinstance(exc, SourceError):
            return say(N_("{source} did not answer for {call}: {reason}"), source=exc.source, call=self.describe(),
                       reason=exc.reason)
        return say(N_("{call} failed: {error}"), call=self.describe(), error=exc)

    def describe(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.model_dump(exclude={"tool"}).items() if v is not None)
        return f"{self.tool}({args})"


def _term(value: str) -> str:
    value = value.strip()
    if not _TERM_RE.match(value):
        raise ValueError("search terms are 1-200 letters, digits, spaces and simple punctuation")
    return value


Assembly = Literal["GRCh38", "GRCh37"]
CHROM = r"^chr(\d{1,2}|X|Y|M)$"


class SpanCall(_Call):
    """A call over a 1-based inclusive span, with its assembly (the bundled tables refuse anything but GRCh38)."""

    chromosome: str = Field(pattern=CHROM)
    start: int = Field(ge=1, le=300_000_000)
    end: int = Field(ge=1, le=300_000_000)
    assembly: Assembly

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def where(self) -> str:
        return f"{self.chromosome}:{self.start}-{self.end}"
