"""Offline ENCODE discovery: an index over the real portal metadata exports bundled in genelm.data.

Each answer row names the export file and its data row, and each export is
described with the newest release date it contains, so an offline answer says
how current it is.  (``genelm snapshot refresh-encode`` downloads a fresh file
report; loading it here is not wired up yet.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from genelm.data import ENCODE_METADATA_DIR
from genelm.evidence import Evidence, sha256_hex

PORTAL = "https://www.encodeproject.org"


@dataclass(frozen=True)
class ExportSpec:
    file: str
    columns: dict[str, str]  # our column -> export column
    assay: str | None = None  # fixed value when the export is one assay
    assembly: str | None = None


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
]
COLUMNS = ["experiment", "file", "assay", "target", "biosample", "organism", "assembly", "output_type",
           "file_format", "released", "lab", "description", "status", "export", "row"]
_PATH_ACC = re.compile(r"(ENC[A-Z]{2}\d{3}[A-Z]{3})")


def norm(text: str | None) -> str:
    """Case, dash and space insensitive form used for matching names (K-562 == K562)."""
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


def _clean_accession(value) -> str | None:
    m = _PATH_ACC.search(str(value or ""))
    return m.group(1) if m else None


def _load_export(spec: ExportSpec, folder: Path) -> pd.DataFrame:
    raw = pd.read_csv(folder / spec.file, sep="\t", dtype=str, keep_default_na=False)
    out = pd.DataFrame({ours: raw[theirs] if theirs in raw else "" for ours, theirs in spec.columns.items()})
    out["experiment"] = out["experiment"].map(_clean_accession)
    if "file" in out:
        out["file"] = out["file"].map(_clean_accession)
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


class EncodeIndex:
    def __init__(self, frame: pd.DataFrame, exports: list[ExportInfo]):
        self.frame = frame.fillna("")
        self.exports = {e.file: e for e in exports}
        self._norm_target = self.frame["target"].map(norm)
        self._norm_biosample = self.frame["biosample"].map(norm)
        self._norm_assay = self.frame["assay"].map(norm)

    @property
    def biosamples(self) -> set[str]:
        return set(self.frame["biosample"]) - {""}

    @property
    def targets(self) -> set[str]:
        return set(self.frame["target"]) - {""}

    @property
    def assays(self) -> set[str]:
        return set(self.frame["assay"]) - {""}

    def search(self, *, target: str | None = None, biosample: str | None = None, assay: str | None = None,
               assembly: str | None = None) -> pd.DataFrame:
        mask = pd.Series(True, index=self.frame.index)
        if target:
            t = norm(target)
            # 'eGFP-POLR2A' experiments profile POLR2A too.
            mask &= (self._norm_target == t) | (self._norm_target == "egfp" + t)
        if biosample:
            mask &= self._norm_biosample == norm(biosample)
        if assay:
            a = norm(assay)
            mask &= self._norm_assay.str.contains(a, regex=False)
        if assembly:
            mask &= self.frame["assembly"].isin([assembly, ""])
        return self.frame[mask]

    def evidence(self, rows: pd.DataFrame, question_filters: dict[str, str]) -> list[Evidence]:
        """One Evidence per experiment, citing the export file(s) and rows it rests on."""
        out = []
        for accession, group in rows.groupby("experiment", sort=True):
            first = group.iloc[0]
            cites = [{"export": e, "rows": sorted(int(r) for r in g["row"])} for e, g in group.groupby("export")]
            newest = max((self.exports[c["export"]].newest_release or "" for c in cites), default="")
            files = sorted({f for f in group["file"] if f})
            record = {
                "accession": accession,
                "assay": first["assay"],
                "target": first["target"],
                "biosample": first["biosample"],
                "assemblies": sorted({a for a in group["assembly"] if a}),
                "files": files,
                "lab": first["lab"],
                "exports": cites,
                "export_newest_release": newest or None,
                "url": f"{PORTAL}/experiments/{accession}/",
            }
            payload = group.to_csv(sep="\t", index=False)
            out.append(
                Evidence(
                    key=f"encode-index:{accession}",
                    source="encode-index",
                    title=f"ENCODE {accession}: {first['assay']} {first['target'] or ''} in {first['biosample']} "
                    f"(bundled metadata export {', '.join(c['export'] for c in cites)})".replace("  ", " "),
                    url=record["url"],
                    params={"filters": question_filters, "exports": cites},
                    sha256=sha256_hex(payload),
                    accessions=[accession, *files],
                    records=[record],
                    license="ENCODE data: free use; cite the ENCODE Consortium",
                    origin="bundled",
                )
            )
        return out


@lru_cache(maxsize=1)
def encode_index(folder: Path = ENCODE_METADATA_DIR) -> EncodeIndex:
    frames, infos = [], []
    for spec in EXPORTS:
        if not (folder / spec.file).is_file():
            continue
        frame = _load_export(spec, folder)
        released = [r for r in frame["released"] if r]
        infos.append(ExportInfo(spec.file, len(frame), max(released) if released else None))
        frames.append(frame)
    return EncodeIndex(pd.concat(frames, ignore_index=True), infos)
