"""Recorded HTTP exchanges: the JSONL format, loading, matching and writing.

One line per exchange::

    {"method": "GET", "url": <normalised, secrets removed>, "status": 200,
     "headers": {"content-type": ...}, "body": <text>, "body_encoding": "utf-8" | "base64",
     "recorded_at": ISO-8601}

Also read, so that existing captures replay without conversion:
- ``{"url": ..., "response": ...}`` lines (the NCBI dev recordings in ../shared);
- single JSON documents whose ``@id`` names their URL (ENCODE, RegulomeDB).
"""
from __future__ import annotations

import base64
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from genelm.connectors.blast_report import BlastReport, matches_query, parse_report
from genelm.connectors.content_keys import content_keys, request_content_key
from genelm.connectors.errors import InputError
from genelm.connectors.ncbi_parse import join_records, split_records
from genelm.connectors.urls import eutils_by_record, normalize_url, redact, soft_key

KEPT_HEADERS = ("content-type", "retry-after", "date", "last-modified", "etag")
# Where a bare JSON document's @id path is served from.
DOCUMENT_HOSTS = {
    "/regulome-": "https://regulomedb.org",
}
DEFAULT_DOCUMENT_HOST = "https://www.encodeproject.org"


@dataclass(frozen=True)
class Recording:
    method: str
    url: str
    status: int
    headers: dict
    body: bytes
    recorded_at: str | None
    origin_file: str

    def to_line(self) -> dict:
        try:
            text, encoding = self.body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = base64.b64encode(self.body).decode("ascii"), "base64"
        return {
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "headers": self.headers,
            "body": text,
            "body_encoding": encoding,
            "recorded_at": self.recorded_at,
        }


def _from_line(obj: dict, origin: str) -> Recording:
    if "response" in obj and "url" in obj:  # the simpler {url, response} capture format
        body = obj["response"]
        return Recording("GET", normalize_url(obj["url"]), 200, {}, body.encode("utf-8"), None, origin)
    if "url" not in obj or "body" not in obj:
        raise ValueError("a recording line needs 'url' and 'body' (or 'url' and 'response')")
    body = obj["body"]
    raw = base64.b64decode(body) if obj.get("body_encoding") == "base64" else body.encode("utf-8")
    return Recording(
        obj.get("method", "GET").upper(),
        normalize_url(obj["url"]),
        int(obj.get("status", 200)),
        {k.lower(): v for k, v in (obj.get("headers") or {}).items()},
        raw,
        obj.get("recorded_at"),
        origin,
    )


def _from_document(doc: dict, path: Path, base_url: str | None) -> Recording:
    doc_id = doc.get("@id")
    if not isinstance(doc_id, str) or not doc_id.startswith("/"):
        raise ValueError("a JSON document needs an '@id' path to say which URL it answers")
    host = base_url or next((h for p, h in DOCUMENT_HOSTS.items() if doc_id.startswith(p)), DEFAULT_DOCUMENT_HOST)
    url = host.rstrip("/") + doc_id
    sep = "&" if "?" in url else "?"
    url = f"{url}{sep}format=json"
    body = path.read_bytes()
    return Recording("GET", normalize_url(url), 200, {"content-type": "application/json"}, body, None, str(path))


def read_recordings(path: Path, base_url: str | None = None) -> list[Recording]:
    """Read one file in any supported format.  Raises InputError naming the bad line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read recordings file {path}: {exc}") from exc
    stripped = text.lstrip()
    if path.suffix == ".json" or (stripped.startswith("{") and "\n{" not in stripped.rstrip()):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path} is not valid JSON ({exc}); re-record it or remove it") from exc
        if isinstance(doc, dict) and "@id" in doc:
            return [_from_document(doc, path, base_url)]
        if isinstance(doc, dict):
            try:
                return [_from_line(doc, str(path))]
            except ValueError as exc:
                raise InputError(f"{path}: {exc}") from exc
        raise InputError(f"{path}: expected a JSON object with '@id' or a recordings line")
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(_from_line(json.loads(line), f"{path}:{number}"))
        except (json.JSONDecodeError, ValueError, TypeError, AttributeError) as exc:
            raise InputError(
                f"{path} line {number} is not a recording ({exc}). Fix or delete that line; "
                "the rest of the file is unchanged."
            ) from exc
    return out


def read_recent_recordings(path: Path, max_age_s: float) -> list[Recording]:
    """The recordings of a file written by genelm itself, younger than ``max_age_s``; a bad line is skipped."""
    cutoff = datetime.now(timezone.utc).timestamp() - max_age_s
    out = []
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            rec = _from_line(json.loads(line), str(path))
            if rec.recorded_at and datetime.fromisoformat(rec.recorded_at).timestamp() >= cutoff:
                out.append(rec)
        except (ValueError, TypeError, AttributeError, KeyError):
            continue  # a half-written line from an interrupted run: the cache is an optimisation
    return out


def iter_recording_files(path: Path) -> list[Path]:
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".jsonl", ".json") and p.is_file())
    if path.is_file():
        return [path]
    raise InputError(f"recordings path {path} does not exist; pass a .jsonl/.json file or a folder of them")


class RecordingStore:
    """An in-memory index of recordings with exact and soft-key matching."""

    def __init__(self) -> None:
        self._exact: dict[tuple[str, str], Recording] = {}
        self._soft: dict[tuple[str, str], Recording] = {}
        self._blast: list[tuple[BlastReport, Recording]] = []
        self._by_content: dict[str, Recording] = {}
        # E-utilities records by (form, id): the record's text and the recording it came from.
        self._by_record: dict[tuple[tuple[str, ...], str], tuple[str, Recording]] = {}
        self.sources: list[str] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._exact)

    def add_path(self, path: Path) -> int:
        count = 0
        for file in iter_recording_files(path):
            count += self.add_all(read_recordings(file))
        self.sources.append(str(path))
        return count

    def add_all(self, recordings: list[Recording]) -> int:
        with self._lock:
            for rec in recordings:
                self._index(rec)
        return len(recordings)

    def _index(self, rec: Recording) -> None:
        # Later additions win: a user's recordings override the bundled snapshot.
        self._exact[(rec.method, rec.url)] = rec
        self._soft[(rec.method, soft_key(rec.url))] = rec
        # BLAST reports are indexed by their query; any host (mirrors, tests) serving a CMD=Get text report counts.
        parts = urlsplit(rec.url)
        if "blast" in (parts.netloc + parts.path).lower() and "CMD=Get" in rec.url and rec.status == 200:
            report = parse_report(rec.body.decode("utf-8", "replace"))
            if report.ready and report.alignments:
                self._blast.append((report, rec))
        for key in content_keys(rec):
            self._by_content[key] = rec
        by_record = eutils_by_record(rec.url) if rec.status == 200 else None
        if by_record is not None:
            form, asked = by_record
            records = split_records(form, rec.body) or {}
            for uid, text in records.items():
                if uid in asked:  # a record NCBI answered for an id nobody asked for is not trusted
                    self._by_record[(form, uid)] = (text, rec)

    def lookup(self, method: str, url: str, params: dict | None = None) -> Recording | None:
        key = normalize_url(url, params)
        found = self._exact.get((method.upper(), key))
        if found is None:
            found = self._soft.get((method.upper(), soft_key(key)))
        if found is None and (content := request_content_key(key)) is not None:
            found = self._by_content.get(content)
        if found is None:
            found = self._assemble(method.upper(), key)
        return found

    def _assemble(self, method: str, url: str) -> Recording | None:
        """An esummary/efetch answer put together from recorded records, when every id asked for has one.

        The same records were often fetched singly in one run and in groups in another; NCBI's answer
        for a list of ids is those ids' records in the order asked, so it can be rebuilt exactly.
        """
        by_record = eutils_by_record(url)
        if method != "GET" or by_record is None:
            return None
        form, ids = by_record
        found = [self._by_record.get((form, uid)) for uid in ids]
        if any(f is None for f in found):
            return None
        body = join_records(form, ids, [text for text, _ in found])
        first = found[0][1]
        dates = sorted(r.recorded_at for _, r in found if r.recorded_at)
        return Recording("GET", url, 200, dict(first.headers), body, dates[0] if dates else None, first.origin_file)

    def find_blast(self, sequence: str, program: str | None = None, database: str | None = None) -> Recording | None:
        """A recorded BLAST report for this query sequence (RIDs expire; sequences don't)."""
        for report, rec in reversed(self._blast):
            if program and report.program and report.program != program.lower():
                continue
            if database and report.database and database.lower() not in report.database.lower():
                continue
            if matches_query(report, sequence):
                return rec
        return None

    def recordings(self) -> list[Recording]:
        return list(self._exact.values())


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def append_recording(path: Path, rec: Recording, secrets: list[str]) -> None:
    """Append one line atomically enough for concurrent writers (one write() call under a lock)."""
    line = rec.to_line()
    line["url"] = redact(line["url"], secrets)
    line["body"] = redact(line["body"], secrets) if line["body_encoding"] == "utf-8" else line["body"]
    data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _APPEND_LOCK:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


_APPEND_LOCK = threading.Lock()


def write_recordings(path: Path, recordings: list[Recording], secrets: list[str] = ()) -> None:
    """Write a whole file via a temporary file and rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for rec in recordings:
                line = rec.to_line()
                line["url"] = redact(line["url"], list(secrets))
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
