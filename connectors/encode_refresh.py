"""Download the live portal's file report (``/report.tsv?type=File``) as a gzipped TSV.

Not yet read by the offline index (connectors/encode_index.py loads only the
bundled exports it has a column map for).
"""
from __future__ import annotations

import gzip
from pathlib import Path

from genelm.connectors.errors import InputError
from genelm.connectors.http import HttpClient
from genelm.settings import NetworkMode, Settings

REPORT_URL = "https://www.encodeproject.org/report.tsv"
FIELDS = ["accession", "file_format", "output_type", "assembly", "dataset", "assay_title", "target.label",
          "biosample_ontology.term_name", "status"]


def refresh_file_export(out: Path, assembly: str = "GRCh38", settings: Settings | None = None) -> int:
    cfg = (settings or Settings()).with_overrides(mode=NetworkMode.live)
    if out.suffix != ".gz":
        raise InputError(f"--out must end in .tsv.gz (got {out})")
    params = {"type": "File", "assembly": assembly, "status": "released", "output_category": "annotation",
              "limit": "all", "field": FIELDS}
    result = HttpClient(cfg).request(REPORT_URL, params, source="encode", expect="text")
    lines = result.text.splitlines()
    # The report's first line is a title ("… Report …"); the header follows.
    body = "\n".join(lines[1:] if lines and "Report" in lines[0] else lines) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as handle:
        handle.write(body)
    tmp.replace(out)
    return max(0, body.count("\n") - 1)
