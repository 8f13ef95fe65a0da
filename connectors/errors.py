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


class InputError(GenelmError):
    """The user's input cannot be used; the message says how to fix it."""
