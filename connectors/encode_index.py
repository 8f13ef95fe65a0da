"""Offline ENCODE discovery: an index over the real portal metadata exports bundled in genelm.data.

Each answer row names the export file and its data row (1-based, counted after the
header), and each export is described with its export date where the file states one
(the 2019 TF ChIP-seq report does, on its first line) and with the newest release date
it contains, so an offline answer says how current it is.  (``genelm snapshot
refresh-encode`` downloads a fresh file report; loading it here is not wired up yet.)

Two ways in: :meth:`EncodeIndex.search` (by target, biosample, assay) and
:meth:`EncodeIndex.lookup` (by accession), both returning Evidence that cites file and rows.

The index is cheap to open: grounding needs only its vocabulary (biosample, target and
assay names), which is kept on disk apart from the table, so a question that never
searches ENCODE offline never imports pandas.  The table itself is parsed once and then
read back from ``genelm.data.disk_cache``.
"""
from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from genelm.connectors.errors import InputError
from genelm.data import ENCODE_METADATA_DIR
from genelm.data.disk_cache import cached
from genelm.evidence import Evidence, sha256_hex

if TYPE_CHECKING:
    import pandas as pd

PORTAL = "https://www.encodeproject.org"
LICENSE = "ENCODE data: free use; cite the ENCODE Consortium"
# Bump when what _load_export produces changes: the disk cache then rebuilds the table.
INDEX_VERSION = "encode_index-2"


@dataclass(frozen=True)
class ExportSpec:
    file: str
    columns: dict[str, str]  # our column -> export column
    assay: str | None = None  # fixed value when the export is one assay
    assembly: str | None = None
    # Lines before the header.  The portal's report.tsv starts with one: the export time and query URL.
    preamble_lines: int = 0


TF_CHIP_REPORT_2019 = "encode_tf_chip_experiments_report_2019-10-04.tsv.gz"

EXPORTS = [
    ExportSpec(
        "DNACipher_encode_file_metadata_GRCh38_2882files.tsv.gz",
        {"file": "File accession", "experiment": "Experiment accession", "assay": "Assay", "target": "Experiment target",
         "biosample": "Biosample term name", "organism": "Biosample organism", "assembly": "File assembly",
         "output_type": "Output type", "file_format": "File format", "released": "Experiment date released", "lab": "Lab"},
    ),
    ExportSpec(
        "atlas_chipseq_optimalIDR_GRCh38_report.tsv.gz",
        {"file": "file_id", "experiment": "dataset", "target": "target_label", "biosample": "biosample_short_name",
         "lab": "lab", "description": "description"},
        assay="TF ChIP-seq",
        assembly="GRCh38",
    ),
    ExportSpec(
        "atlas_chipseq_optimal_and_relaxed_GRCh38_report.tsv.gz",
        {"file": "accession", "experiment": "dataset", "target": "target_label", "biosample": "biosample_short_name",
         "assembly": "genome_assembly", "output_type": "output_type", "lab": "lab", "description": "description"},
        assay="TF ChIP-seq",
    ),
    ExportSpec(
        "RyogaLi_encode_experiment_report_DNase-seq.tsv.gz",
        {"experiment": "Accession", "assay": "Assay Type", "biosample": "Biosample", "organism": "Species",
         "lab": "Lab", "description": "Description", "status": "Status"},
    ),
    ExportSpec(
        "Akado2009_encode_file_metadata_H1-hESC.tsv.gz",
        {"file": "File accession", "experiment": "Experiment accession", "assay": "Assay", "target": "Experiment target",
         "biosample": "Biosample term name", "organism": "Biosample organism", "assembly": "Assembly",
         "output_type": "Output type", "file_format": "File format", "released": "Experiment date released",
         "lab": "Lab", "status": "File Status"},
    ),
    # One row per experiment (no file rows): every released human TF ChIP-seq experiment with GRCh38
    # files on 2019-10-04.  'Target of assay' is the portal's target label (eGFP-ZNF707), as the atlas
    # reports give it; its 'Files' column lists the experiment's file accessions.
    ExportSpec(
        TF_CHIP_REPORT_2019,
        {"experiment": "Accession", "assay": "Assay title", "target": "Target of assay",
         "biosample": "Biosample term name", "organism": "Organism", "lab": "Lab", "description": "Description",
         "status": "Status", "listed_files": "Files"},
        assembly="GRCh38",  # the report's query asked for assembly=GRCh38
        preamble_lines=1,
    ),
]
COLUMNS = ["experiment", "file", "assay", "target", "biosample", "organism", "assembly", "output_type",
           "file_format", "released", "lab", "description", "status", "listed_files", "export", "row"]
_PATH_ACC = re.compile(r"(ENC[A-Z]{2}\d{3}[A-Z]{3})")
_FILE_ACC = re.compile(r"ENCFF\d{3}[A-Z]{3}")
ACCESSION_RE = re.compile(r"^ENC(SR|FF|BS|DO|AB|LB|GM)\d{3}[A-Z]{3}$")


# Epitope-tagged constructs (eGFP-JUND, 3xFLAG-FOXA3) are ENCODE's labels for the gene's own product.
TAGGED = re.compile(r"^(?:eGFP|3xFLAG)-")


def untagged(target: str) -> str:
    """The gene a target label profiles: 'eGFP-JUND' -> 'JUND'."""
    return TAGGED.sub("", target)


def norm(text: str | None) -> str:
    """Case, dash and space insensitive form used for matching names (K-562 == K562)."""
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


def _clean_accession(value) -> str | None:
    m = _PATH_ACC.search(str(value or ""))
    return m.group(1) if m else None


def _preamble(path: Path, lines: int) -> list[str]:
    if not lines:
        return []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [handle.readline().rstrip("\n") for _ in range(lines)]


def _load_export(spec: ExportSpec, folder: Path) -> "pd.DataFrame":
    import pandas as pd

    raw = pd.read_csv(folder / spec.file, sep="\t", dtype=str, keep_default_na=False, skiprows=spec.preamble_lines)
    out = pd.DataFrame({ours: raw[theirs] if theirs in raw else "" for ours, theirs in spec.columns.items()})
    out["experiment"] = out["experiment"].map(_clean_accession)
    if "file" in out:
        out["file"] = out["file"].map(_clean_accession)
    if "listed_files" in out:
        # '/files/ENCFF000WED/,/files/ENCFF000WEE/' -> 'ENCFF000WED,ENCFF000WEE'
        out["listed_files"] = out["listed_files"].map(lambda v: ",".join(_FILE_ACC.findall(str(v or ""))))
    if spec.assay:
        out["assay"] = spec.assay
    if spec.assembly:
        out["assembly"] = spec.assembly
    if "target" in out:
        # File exports say 'CTCF-human'; reports say 'CTCF'.
        out["target"] = out["target"].str.replace(r"-(human|mouse)$", "", regex=True)
    out["export"] = spec.file
    out["row"] = range(1, len(out) + 1)
    for column in COLUMNS:
        if column not in out:
            out[column] = ""
    return out[COLUMNS].dropna(subset=["experiment"])


@dataclass
class ExportInfo:
    file: str
    rows: int
    newest_release: str | None
    exported: str | None = None  # the export's own date, where the file states it (YYYY-MM-DD)
    query: str | None = None  # the portal query that produced it, where the file states it

    def describe(self) -> str:
        when = [f"exported {self.exported}"] if self.exported else []
        when += [f"newest release {self.newest_release}"] if self.newest_release else []
        return f"{self.file}: {self.rows:,} rows" + (f" ({', '.join(when)})" if when else "")


def _export_info(spec: ExportSpec, folder: Path, frame: "pd.DataFrame") -> ExportInfo:
    released = [r for r in frame["released"] if r]
    info = ExportInfo(spec.file, len(frame), max(released) if released else None)
    preamble = _preamble(folder / spec.file, spec.preamble_lines)
    if preamble:
        stamp, _, query = preamble[0].partition("\t")
        if re.match(r"^\d{4}-\d{2}-\d{2}", stamp):
            info.exported, info.query = stamp[:10], query.strip() or None
    return info


class EncodeIndex:
    """The bundled exports as one table.  ``frame`` may be a DataFrame or a function that loads it on first use."""

    def __init__(self, frame: "pd.DataFrame | Callable[[], pd.DataFrame]", exports: list[ExportInfo],
                 vocabulary: dict[str, frozenset[str]] | None = None):
        self.exports = {e.file: e for e in exports}
        self._loader = frame if callable(frame) else None
        self._frame = None if callable(frame) else frame.fillna("")
        self._vocabulary = vocabulary
        self._norms: dict[str, pd.Series] | None = None
        self._lock = threading.Lock()  # calls run concurrently; the table is loaded once

    @property
    def frame(self) -> "pd.DataFrame":
        if self._frame is None:
            with self._lock:
                if self._frame is None:
                    self._frame = self._loader().fillna("")
        return self._frame

    def _norm(self, column: str) -> "pd.Series":
        """The column in norm() form, computed once (a search compares thousands of names)."""
        frame = self.frame
        if self._norms is None:
            with self._lock:
                if self._norms is None:
                    self._norms = {c: frame[c].map(norm) for c in ("target", "biosample", "assay")}
        return self._norms[column]

    def _names(self, column: str) -> set[str]:
        if self._vocabulary is not None:
            return set(self._vocabulary[column])
        return set(self.frame[column]) - {""}

    @property
    def biosamples(self) -> set[str]:
        return self._names("biosample")

    @property
    def targets(self) -> set[str]:
        return self._names("target")

    @property
    def assays(self) -> set[str]:
        return self._names("assay")

    def search(self, *, target: str | None = None, biosample: str | None = None, assay: str | None = None,
               assembly: str | None = None) -> "pd.DataFrame":
        import pandas as pd

        frame = self.frame
        mask = pd.Series(True, index=frame.index)
        if target:
            t = norm(target)
            # 'eGFP-POLR2A' and '3xFLAG-POLR2A' experiments profile POLR2A too.
            mask &= self._norm("target").isin([t, "egfp" + t, "3xflag" + t])
        if biosample:
            mask &= self._norm("biosample") == norm(biosample)
        if assay:
            a = norm(assay)
            mask &= self._norm("assay").str.contains(a, regex=False)
        if assembly:
            mask &= frame["assembly"].isin([assembly, ""])
        return frame[mask]

    def evidence(self, rows: "pd.DataFrame", question_filters: dict[str, str]) -> list[Evidence]:
        """One Evidence per experiment, citing the export file(s) and rows it rests on."""
        return [self._experiment_evidence(accession, group, {"filters": question_filters})
                for accession, group in rows.groupby("experiment", sort=True)]

    def lookup(self, accession: str) -> Evidence | None:
        """The index's rows for one ENCODE accession, as Evidence citing file and rows; None if it has none.

        An experiment (ENCSR…) gets every row of it, with the file accessions the exports name
        (file rows, and the files a report lists).  A file (ENCFF…) gets the rows of its
        experiment that name it.  Other accession kinds are not in these exports.
        """
        accession = (accession or "").strip().upper()
        if not ACCESSION_RE.match(accession):
            raise InputError(f"'{accession}' is not an ENCODE accession; write it like ENCSR000AKD (an experiment) "
                             "or ENCFF040RJA (a file)")
        frame = self.frame
        if accession.startswith("ENCSR"):
            group = frame[frame["experiment"] == accession]
        elif accession.startswith("ENCFF"):
            named = (frame["file"] == accession) | frame["listed_files"].str.contains(accession, regex=False)
            group = frame[named]
        else:
            return None
        if group.empty:
            return None
        experiments = sorted(set(group["experiment"]))
        if accession.startswith("ENCFF"):
            # One file belongs to one experiment; cite the rows that name the file.
            return self._experiment_evidence(experiments[0], group[group["experiment"] == experiments[0]],
                                             {"accession": accession}, listed=True, file=accession)
        return self._experiment_evidence(accession, group, {"accession": accession}, listed=True)

    def _experiment_evidence(self, accession: str, group: "pd.DataFrame", params: dict, *, listed: bool = False,
                             file: str | None = None) -> Evidence:
        first = group.iloc[0]
        cites = []
        for export, g in group.groupby("export", sort=True):
            cite = {"export": export, "rows": sorted(int(r) for r in g["row"])}
            if self.exports.get(export) and self.exports[export].exported:
                cite["exported"] = self.exports[export].exported
            cites.append(cite)
        newest = max((self.exports[c["export"]].newest_release or "" for c in cites if c["export"] in self.exports),
                     default="")
        files = sorted({f for f in group["file"] if f})
        # A report's file list is long (up to ~50 per experiment): a lookup cites it, a search does not.
        listed_files = sorted({f for v in group["listed_files"] if v for f in v.split(",")} - set(files)) \
            if listed else []
        record = {
            "accession": accession,
            "assay": first["assay"],
            "target": first["target"],
            "biosample": first["biosample"],
            "organism": next((o for o in group["organism"] if o), None),
            "assemblies": sorted({a for a in group["assembly"] if a}),
            "files": files,
            "lab": first["lab"],
            "description": next((d for d in group["description"] if d), None),
            "status": next((s for s in group["status"] if s), None),
            "released": next((r for r in group["released"] if r), None),
            "exports": cites,
            "export_newest_release": newest or None,
            "exported": max((c.get("exported", "") for c in cites), default="") or None,
            "url": f"{PORTAL}/experiments/{accession}/",
        }
        if listed:
            record["listed_files"] = listed_files
        if file:
            record["file_accession"] = file
        payload = group.drop(columns=[] if listed else ["listed_files"]).to_csv(sep="\t", index=False)
        sources = ", ".join(c["export"] + (f" of {c['exported']}" if c.get("exported") else "") +
                            f" row{'s' if len(c['rows']) > 1 else ''} " + ", ".join(map(str, c["rows"][:5])) +
                            ("…" if len(c["rows"]) > 5 else "") for c in cites)
        what = " ".join(x for x in (first["assay"], first["target"]) if x)
        title = f"ENCODE {accession}: {what} in {first['biosample']} (bundled metadata export {sources})"
        return Evidence(
            key=f"encode-index:{file or accession}",
            source="encode-index",
            title=f"ENCODE file {file} of {title.removeprefix('ENCODE ')}" if file else title,
            url=record["url"],
            params={**params, "exports": cites},
            sha256=sha256_hex(payload),
            accessions=[accession, *files, *listed_files],
            records=[record],
            license=LICENSE,
            origin="bundled",
        )


def _sources(folder: Path) -> list[ExportSpec]:
    return [spec for spec in EXPORTS if (folder / spec.file).is_file()]


def _build(folder: Path) -> tuple["pd.DataFrame", list[ExportInfo]]:
    import pandas as pd

    frames, infos = [], []
    for spec in _sources(folder):
        frame = _load_export(spec, folder)
        infos.append(_export_info(spec, folder, frame))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True), infos


def _summary(table: tuple["pd.DataFrame", list[ExportInfo]]) -> tuple[list[ExportInfo], dict[str, frozenset[str]]]:
    frame, infos = table
    vocabulary = {c: frozenset(set(frame[c].fillna("")) - {""}) for c in ("biosample", "target", "assay")}
    return infos, vocabulary


@lru_cache(maxsize=4)
def encode_index(folder: Path = ENCODE_METADATA_DIR) -> EncodeIndex:
    folder = Path(folder)
    paths = [folder / spec.file for spec in _sources(folder)]
    if not paths:
        raise InputError(f"no ENCODE metadata exports in {folder}; reinstall genelm (its data files are missing)")

    def table() -> tuple["pd.DataFrame", list[ExportInfo]]:
        return cached(paths, lambda: _build(folder), version=INDEX_VERSION, name="encode_index")

    # The vocabulary and export dates are a few kB kept apart from the table, so opening the index
    # (as grounding does for every question) reads neither the table nor pandas.
    infos, vocabulary = cached(paths, lambda: _summary(table()), version=INDEX_VERSION, name="encode_index_summary")
    return EncodeIndex(lambda: table()[0], infos, vocabulary)
