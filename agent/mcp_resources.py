"""The bundled data sources as MCP resources: what genelm answers from offline, and how old it is.

An assistant connected over MCP sees answers built from bundled tables and a
snapshot of recorded responses; it should be able to say where they came from
and when.  Each folder of ``genelm.data`` carries a SOURCES.md (repository, path,
commit, licence, dates); those notes are served verbatim, and one JSON catalogue
lists every folder with its files and the dates its notes name.
"""
from __future__ import annotations

import json
from pathlib import Path

import mcp_types as types
from mcp.shared.exceptions import MCPError

from genelm.data import DATA_DIR
from genelm.data.catalogue import DataFolder, data_folders

CATALOGUE_URI = "genelm://data/sources"


def _folders(root: Path) -> list[DataFolder]:
    """The bundled folders that carry a SOURCES note (the ones served as resources)."""
    return [f for f in data_folders(root) if f.notes is not None]


def _notes_uri(folder: DataFolder) -> str:
    return f"genelm://data/{folder.name}/SOURCES.md"


def catalogue(root: Path = DATA_DIR) -> list[dict]:
    """One entry per bundled data folder: its title, the dates its notes name, its files and their sizes."""
    return [{"folder": f.name, "title": f.title or f.name, "dates": f.note_dates,
             "files": [{"name": name, "bytes": size} for name, size in f.files], "notes": _notes_uri(f)}
            for f in _folders(root)]


def list_resources(root: Path = DATA_DIR) -> list[types.Resource]:
    resources = [types.Resource(
        uri=CATALOGUE_URI, name="bundled-data-sources", title="genelm's bundled data sources",
        description="Every bundled data folder (tables and the offline snapshot of recorded responses): its files, "
                    "sizes and the dates its provenance notes name. JSON.",
        mime_type="application/json")]
    for entry in catalogue(root):
        dated = f" Dates named: {', '.join(entry['dates'])}." if entry["dates"] else ""
        resources.append(types.Resource(
            uri=entry["notes"], name=f"sources-{entry['folder']}", title=entry["title"],
            description=f"Provenance of data/{entry['folder']} ({len(entry['files'])} files): repository, path, "
                        f"commit, licence.{dated}",
            mime_type="text/markdown"))
    return resources


def read_resource(uri: str, root: Path = DATA_DIR) -> types.ReadResourceResult:
    if uri == CATALOGUE_URI:
        text, mime = json.dumps({"data_sources": catalogue(root)}, indent=2), "application/json"
    else:
        folder = next((f for f in _folders(root) if _notes_uri(f) == uri), None)
        if folder is None:
            # INVALID_PARAMS with the list: the client learns what it can read instead of a bare "not found".
            raise MCPError(types.INVALID_PARAMS, f"no resource {uri!r}; genelm serves {CATALOGUE_URI} and "
                                                 + ", ".join(_notes_uri(f) for f in _folders(root)))
        text, mime = folder.notes, "text/markdown"
    return types.ReadResourceResult(contents=[types.TextResourceContents(uri=uri, mime_type=mime, text=text)])
