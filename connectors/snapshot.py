"""Import recordings into a snapshot file, and list what a snapshot holds."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from genelm.connectors.errors import InputError
from genelm.connectors.recordings import (
    Recording,
    RecordingStore,
    iter_recording_files,
    read_recordings,
    write_recordings,
)
from genelm.connectors.urls import host_of, normalize_url


def import_files(
    paths: list[Path], into: Path, *, url: str | None = None, base_url: str | None = None, secrets: list[str] = ()
) -> tuple[int, int]:
    """Merge recordings from ``paths`` into ``into`` (created if needed).

    ``url`` names the request a single bare JSON document answers (for documents
    without an ``@id``).  Returns (lines read, lines now in the file).
    """
    if url is not None and len(paths) != 1:
        raise InputError("--url names the request of one document; import one file at a time with it")
    merged: dict[tuple[str, str], Recording] = {}
    if into.exists():
        for rec in read_recordings(into):
            merged[(rec.method, rec.url)] = rec
    read = 0
    for path in paths:
        for file in iter_recording_files(path):
            if url is not None:
                body = file.read_bytes()
                recs = [Recording("GET", normalize_url(url), 200, {"content-type": "application/json"}, body, None, str(file))]
            else:
                recs = read_recordings(file, base_url=base_url)
            for rec in recs:
                merged[(rec.method, rec.url)] = replace(rec, origin_file=str(into))
                read += 1
    write_recordings(into, list(merged.values()), secrets)
    return read, len(merged)


def describe(store: RecordingStore) -> list[tuple[str, int]]:
    counts = Counter(host_of(rec.url) for rec in store.recordings())
    return sorted(counts.items())
