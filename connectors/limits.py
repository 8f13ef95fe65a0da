"""Each source's documented limits, in one place: request rate, paging, polling.

Every number below comes from the documentation named next to it; change a number only
together with its reference.  ``genelm.settings`` takes its per-host default rates from
here, the connectors take their paging and polling rules from here, and a ``genelm doctor``
command can print them::

    from genelm.connectors.limits import LIMITS
    for limit in LIMITS:
        print(limit.describe())

The clock is here too: pacing that must hold for minutes (BLAST) is written against a
``Clock`` so that tests can run it on a fake one and check the times a server saw.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class SourceLimits:
    source: str
    hosts: tuple[str, ...]
    per_second: float  # the most requests per second genelm sends to each of ``hosts``
    rate_note: str
    docs: tuple[str, ...]  # where the numbers come from
    page_size: int | None = None  # what one request returns when no size is asked for
    page_cap: int | None = None  # the most genelm asks for in one answer
    paging_note: str = ""
    poll_interval_s: float | None = None  # for asynchronous jobs: the least time between polls of one job
    polling_note: str = ""
    extra: dict = field(default_factory=dict)

    def describe(self) -> str:
        rate = (f"{self.per_second:g} request/s" if self.per_second >= 1
                else f"1 request every {1 / self.per_second:g} s")
        lines = [f"{self.source} ({', '.join(self.hosts)}): {rate} — {self.rate_note}"]
        if self.page_size is not None or self.page_cap is not None or self.paging_note:
            lines.append(f"  paging: {self.paging_note}")
        if self.poll_interval_s is not None:
            lines.append(f"  polling: at most once every {self.poll_interval_s:g} s per job — {self.polling_note}")
        lines += [f"  docs: {url}" for url in self.docs]
        return "\n".join(lines)


EUTILS = SourceLimits(
    source="ncbi (E-utilities)",
    hosts=("eutils.ncbi.nlm.nih.gov",),
    per_second=3.0,
    rate_note="3/s without an API key, 10/s with one; every request carries tool and email",
    docs=("https://www.ncbi.nlm.nih.gov/books/NBK25497/ (E-utilities: usage guidelines and requirements)",
          "https://www.ncbi.nlm.nih.gov/books/NBK25499/ (E-utilities In-Depth: parameters)"),
    page_size=20,
    page_cap=10_000,
    paging_note="esearch returns retmax ids (default 20, at most 10,000) and the total count; "
                "esummary/efetch take the ids asked for",
    extra={"per_second_with_key": 10.0},
)

BLAST = SourceLimits(
    source="ncbi (BLAST URL API)",
    hosts=("blast.ncbi.nlm.nih.gov",),
    per_second=0.1,
    rate_note="no more than one request every 10 seconds",
    docs=("https://blast.ncbi.nlm.nih.gov/doc/blast-help/developerinfo.html (BLAST Common URL API: usage guidelines)",
          "https://ncbi.github.io/blast-cloud/dev/api.html (Common URL API: Put, Get, SearchInfo)"),
    poll_interval_s=60.0,
    polling_note="do not poll for any single RID more often than once a minute",
)

ENCODE = SourceLimits(
    source="encode",
    hosts=("www.encodeproject.org",),
    per_second=10.0,
    rate_note="the portal asks scripts to stay at or below 10 requests per second",
    docs=("https://www.encodeproject.org/help/rest-api/ (REST API: search, limit, field)",),
    page_size=25,
    page_cap=1000,
    paging_note="/search/ returns 25 hits and 'total' unless limit= is sent (limit=all for everything); "
                "genelm asks for up to 1000 with field= projections and says 'showing N of TOTAL' beyond that. "
                "A search with no hits is HTTP 404 with an empty '@graph'",
)

UCSC = SourceLimits(
    source="ucsc",
    hosts=("api.genome.ucsc.edu", "genome.ucsc.edu"),
    per_second=1.0,
    rate_note="about one request per second (botDelay throttle beyond that)",
    docs=("https://api.genome.ucsc.edu/ (REST API help, kent src/hg/htdocs/goldenPath/help/api.html)",
          "https://genome.ucsc.edu/FAQ/FAQblat.html#blat14 (programmatic BLAT access)"),
    page_size=1000,
    page_cap=1_000_000,
    paging_note="getData returns maxItemsOutput items (default 1,000, at most 1,000,000) and sets maxItemsLimit "
                "when it cut the list",
)

REGULOMEDB = SourceLimits(
    source="regulomedb",
    hosts=("regulomedb.org",),
    per_second=2.0,
    rate_note="no published number; genelm stays at 2/s",
    docs=("https://regulomedb.org/regulome-help/ (search parameters: regions, genome GRCh37/GRCh38, chr1-22, X, Y)",),
    paging_note="one /regulome-search/ answers one query in full",
    extra={"chromosomes": tuple([f"chr{i}" for i in range(1, 23)] + ["chrX", "chrY"])},
)

LIMITS: tuple[SourceLimits, ...] = (EUTILS, BLAST, ENCODE, UCSC, REGULOMEDB)


def rate_limits_by_host() -> dict[str, float]:
    """Default requests per second for each host (Settings.rate_limits starts from this)."""
    return {host: limit.per_second for limit in LIMITS for host in limit.hosts}


# ---------------------------------------------------------------------------------- clocks
class Clock(Protocol):
    def now(self) -> float: ...  # seconds, monotonic

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


# The clock connectors use unless one is passed in (tests replace it to run pacing on a fake one).
CLOCK: Clock = SystemClock()


def default_clock() -> Clock:
    return CLOCK
