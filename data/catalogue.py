"""The bundled data folders, described once: their files and sizes, the title of their SOURCES note, and the
dates the note and the file names carry.  `genelm doctor` and the MCP data resources both read this."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from genelm.data import DATA_DIR

# Calendar dates as SOURCES notes and file names write them (2020-04, 2019-10-04); hashes and counts never match.
_DATE_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?(?!\d)")
_NOT_DATA = {"SOURCES.md", "__init__.py", "__pycache__"}


@dataclass(frozen=True)
class DataFolder:
    path: Path
    files: list[tuple[str, int]]  # (name, bytes) of each data file
    notes: str | None  # the SOURCES.md text; None when the folder has none

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def title(self) -> str | None:
        heading = next((line.lstrip("# ").strip() for line in (self.notes or "").splitlines() if line.startswith("#")),
                       "")
        return heading or None

    @property
    def note_dates(self) -> list[str]:
        return sorted(set(_DATE_RE.findall(self.notes or "")))

    @property
    def file_dates(self) -> list[str]:
        return sorted({d for name, _ in self.files for d in _DATE_RE.findall(name)})


def data_folders(root: Path = DATA_DIR) -> list[DataFolder]:
    """Every folder of bundled data (one holding at least one data file), sorted by name."""
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        files = [(p.name, p.stat().st_size) for p in sorted(folder.iterdir()) if p.is_file() and p.name not in _NOT_DATA]
        notes = folder / "SOURCES.md"
        if files or notes.is_file():
            out.append(DataFolder(folder, files, notes.read_text(encoding="utf-8") if notes.is_file() else None))
    return out
