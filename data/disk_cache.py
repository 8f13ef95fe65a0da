"""Parsed bundled tables kept on disk, so a new process does not parse them again.

Parsing the gzipped gene, interval and ENCODE tables takes seconds; reading back the
parsed result takes a small fraction of that.  ``cached(sources, build, version=…)``
returns ``build()``'s value, stored as a pickle under ``<cache_dir>/tables/`` and keyed
by the sha256 of every source file's *content* plus the caller's ``version`` (bump it
whenever ``build`` changes what it returns).  A changed data file or parser therefore
never serves a stale table, and an unchanged one is never parsed twice.

Entries are written atomically (a temporary file renamed into place), so a crash or
two processes building at once leave either no entry or a whole one.  Each entry
carries the sha256 of its payload; an entry that fails that check or does not unpickle
is rebuilt with a warning.  The pickles are genelm's own, written under the user's own
cache directory, and only ever read from there.

Set ``GENELM_DISK_CACHE=0`` (Settings.disk_cache) to parse every time; the startup
benchmark measures that path beside this one.
"""
from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
FORMAT = 1  # the entry layout below; a new layout must not read old entries
_MAGIC = b"genelm-table-cache\n"
log = logging.getLogger("genelm.data.disk_cache")
_digests: dict[tuple[str, int, int], str] = {}  # (path, size, mtime_ns) -> sha256, per process


def _settings() -> tuple[bool, Path]:
    """(enabled, folder) from Settings, so GENELM_* variables and the TOML config both count."""
    # Imported here, not at module level, so that genelm.data stays importable on its own.
    try:
        from genelm.settings import Settings

        settings = Settings()
        return settings.disk_cache, Path(settings.cache_dir) / "tables"
    except Exception as exc:  # a broken config must not stop the bundled tables from loading
        log.warning("genelm: could not read settings for the table cache (%s); parsing the tables instead", exc)
        return False, Path()


def file_digest(path: Path) -> str:
    """sha256 of the file's content (memoised per process while size and mtime stay the same)."""
    stat = path.stat()
    memo = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if memo not in _digests:
        h = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                h.update(block)
        _digests[memo] = h.hexdigest()
    return _digests[memo]


def entry_key(sources: Sequence[Path], version: str) -> str:
    h = hashlib.sha256(f"format {FORMAT}\nversion {version}\n".encode())
    for path in sources:
        h.update(f"{Path(path).name}\t{file_digest(Path(path))}\n".encode())
    return h.hexdigest()


@contextmanager
def gc_paused():
    # Building or unpickling a table allocates hundreds of thousands of long-lived objects; the
    # cyclic collector re-scans them all again and again meanwhile (measured: 0.4 s -> 2 s for the
    # gene table), and none of them can be garbage.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cached(sources: Path | Sequence[Path], build: Callable[[], T], *, version: str, name: str | None = None,
           cache_dir: Path | None = None) -> T:
    """``build()``, or its stored result when the sources and ``version`` are unchanged."""
    paths = [Path(sources)] if isinstance(sources, (str, Path)) else [Path(p) for p in sources]
    on, default_folder = _settings()
    if not on:
        return build()  # exactly the old path: the startup benchmark's baseline
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"genelm's bundled data file(s) {', '.join(missing)} are missing; "
                                "reinstall genelm (pip install --force-reinstall genelm)")
    label = re.sub(r"[^A-Za-z0-9_.-]+", "_", name or getattr(build, "__qualname__", "table"))
    folder = Path(cache_dir) if cache_dir is not None else default_folder
    key = entry_key(paths, version)
    entry = folder / f"{label}-{key[:20]}.pickle"
    if entry.is_file():
        try:
            with gc_paused():
                return _read(entry, key)
        except Exception as exc:  # any unreadable entry (truncated, edited, from another genelm) is rebuilt
            log.warning("genelm: the cached table %s was unreadable (%s); rebuilding it from %s", entry,
                        exc.__class__.__name__ + (f": {exc}" if str(exc) else ""),
                        ", ".join(p.name for p in paths))
    with gc_paused():
        value = build()
    _write(folder, entry, key, value, label)
    return value


def _read(entry: Path, key: str):
    with open(entry, "rb") as handle:
        if handle.readline() != _MAGIC:
            raise ValueError("not a genelm table cache entry")
        header = json.loads(handle.readline())
        payload = handle.read()
    if header.get("format") != FORMAT or header.get("key") != key:
        raise ValueError("entry was written for other sources or another format")
    if hashlib.sha256(payload).hexdigest() != header.get("payload_sha256"):
        raise ValueError("payload checksum mismatch")
    return pickle.loads(payload)


def _write(folder: Path, entry: Path, key: str, value, label: str) -> None:
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        header = json.dumps({"format": FORMAT, "key": key, "payload_sha256": hashlib.sha256(payload).hexdigest()})
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{label}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_MAGIC + header.encode() + b"\n" + payload)
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError) as exc:
        # A read-only or full cache directory costs speed, never the answer.
        log.warning("genelm: could not store the parsed table in %s (%s); it will be parsed again next time",
                    folder, exc)
        return
    # Entries of this table for older data or code are dead weight: remove them.
    for old in folder.glob(f"{label}-*.pickle"):
        if old != entry:
            old.unlink(missing_ok=True)
