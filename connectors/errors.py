"""Errors a connector may raise.  Each names the source and what would fix it."""
from __future__ import annotations


class GenelmError(Exception):
    """Base class: messages are written for the person running genelm."""


class SourceError(GenelmError):
    """An upstream source failed (after retries) or answered with something unusable."""

    def __init__(self, source: str, reason: str, *, url: str | None = None, retryable: bool = False):
        self.source = source
        self.reason = reason
        self.url = url
        self.retryable = retryable
        super().__init__(f"{source}: {reason}")


class ReplayMiss(SourceError):
    """Replay mode and no recording matches the request."""

    def __init__(self, source: str, url: str, searched: list[str]):
        where = ", ".join(searched) if searched else "no recordings loaded"
        super().__init__(
            source,
            f"no recording for {url} (searched: {where}). Run without --offline to fetch it, "
            "or add a recordings file with --recordings PATH.",
            url=url,
        )
        self.searched = searched


class ServiceWithdrawn(SourceError):
    """The source no longer offers this call to programs; ``alternatives`` says what works instead.

    Raised before any request: retrying a withdrawn service only delays the answer.
    """

    def __init__(self, source: str, reason: str, alternatives: list[str], *, url: str | None = None):
        super().__init__(source, reason, url=url, retryable=False)
        self.alternatives = alternatives


class BlatUnavailable(ServiceWithdrawn):
    """UCSC closed open programmatic hgBlat access (BLAT FAQ #blat14); its REST API's /blat needs an apiKey."""

    FAQ = "https://genome.ucsc.edu/FAQ/FAQblat.html#blat14"

    def __init__(self, genome: str):
        self.genome = genome
        super().__init__(
            "ucsc-blat",
            f"UCSC no longer allows programs to use BLAT through hgBlat ({self.FAQ}); its REST API's /blat "
            "endpoint needs your UCSC apiKey: set GENELM_UCSC_API_KEY (or ucsc_api_key in the config) to use it, "
            "or align the sequence with NCBI BLAST against the human genome instead",
            ["set GENELM_UCSC_API_KEY to use UCSC's REST API /blat endpoint",
             "align with NCBI BLAST against the human genome (the blast tool, database refseq_genomic)"],
            url=self.FAQ,
        )


class InputError(GenelmError):
    """The user's input cannot be used; the message says how to fix it."""
