"""The bundled ENCODE index: lookups by accession cite file and rows; the 2019 TF ChIP-seq report is merged in."""
from __future__ import annotations

import gzip
import os
import subprocess
import sys

import pytest

from genelm.connectors.encode_index import ENCODE_METADATA_DIR, TF_CHIP_REPORT_2019, encode_index
from genelm.connectors.errors import InputError

DNACIPHER = "DNACipher_encode_file_metadata_GRCh38_2882files.tsv.gz"


def data_row(export: str, row: int, preamble: int = 0) -> list[str]:
    """The export's own data row (1-based, after the header), read straight from the file."""
    with gzip.open(ENCODE_METADATA_DIR / export, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    header = lines[preamble].split("\t")
    return dict(zip(header, lines[preamble + row].split("\t")))


def test_an_experiment_is_described_from_the_index_citing_file_and_rows():
    ev = encode_index().lookup("ENCSR000AKD")
    rec = ev.records[0]
    assert (rec["assay"], rec["target"], rec["biosample"]) == ("Histone ChIP-seq", "H3K27me3", "GM12878")
    assert ev.key == "encode-index:ENCSR000AKD" and ev.source == "encode-index" and ev.origin == "bundled"
    assert ev.params["exports"] == [{"export": DNACIPHER, "rows": [1114]}]
    cited = data_row(DNACIPHER, 1114)
    assert cited["Experiment accession"] == "ENCSR000AKD" and cited["File accession"] in ev.accessions
    assert DNACIPHER in ev.title and "row 1114" in ev.title
    assert "GM12878" in ev.text_blob() and "H3K27me3" in ev.text_blob()


def test_the_2019_report_is_merged_with_its_export_date():
    index = encode_index()
    info = index.exports[TF_CHIP_REPORT_2019]
    assert info.rows == 2210 and info.exported == "2019-10-04"
    assert "assay_title=TF+ChIP-seq" in info.query
    report = index.frame[index.frame["export"] == TF_CHIP_REPORT_2019]
    assert report["experiment"].nunique() == 2210 and set(report["assay"]) == {"TF ChIP-seq"}


def test_an_experiment_only_the_2019_report_has_is_found_with_its_files():
    index = encode_index()
    others = set(index.frame.loc[index.frame["export"] != TF_CHIP_REPORT_2019, "experiment"])
    only = index.frame[(index.frame["export"] == TF_CHIP_REPORT_2019) & ~index.frame["experiment"].isin(others)]
    assert len(only) > 400  # experiments no other bundled export has
    accession, row = only.iloc[0]["experiment"], int(only.iloc[0]["row"])
    ev = index.lookup(accession)
    assert ev.params["exports"] == [{"export": TF_CHIP_REPORT_2019, "rows": [row], "exported": "2019-10-04"}]
    raw = data_row(TF_CHIP_REPORT_2019, row, preamble=1)
    assert raw["Accession"] == accession
    rec = ev.records[0]
    assert (rec["target"], rec["biosample"]) == (raw["Target of assay"], raw["Biosample term name"])
    assert rec["exported"] == "2019-10-04" and "2019-10-04" in ev.title
    listed = [p.strip("/").split("/")[-1] for p in raw["Files"].split(",") if p]
    assert listed and set(listed) <= set(ev.accessions)


def test_a_file_accession_is_looked_up_to_its_experiment():
    ev = encode_index().lookup("ENCFF040RJA")  # ENCSR000AKD's peaks file
    assert ev.key == "encode-index:ENCFF040RJA"
    assert ev.records[0]["accession"] == "ENCSR000AKD" and ev.records[0]["file_accession"] == "ENCFF040RJA"
    assert ev.title.startswith("ENCODE file ENCFF040RJA of ENCSR000AKD")


def test_searches_see_the_report_polr2a_biosamples():
    index = encode_index()
    rows = index.search(target="POLR2A")
    in_report = set(rows.loc[rows["export"] == TF_CHIP_REPORT_2019, "biosample"])
    assert len(in_report) >= 40  # the report alone has POLR2A ChIP-seq in ~50 biosamples
    ev = index.evidence(rows[rows["experiment"] == rows.iloc[0]["experiment"]], {"target": "POLR2A"})[0]
    assert "listed_files" not in ev.records[0]  # a search stays compact; a lookup lists every file


def test_unknown_and_malformed_accessions():
    assert encode_index().lookup("ENCSR999ZZZ") is None
    assert encode_index().lookup("ENCBS630AAA") is None  # biosamples are not in these exports
    with pytest.raises(InputError, match="ENCSR000AKD"):
        encode_index().lookup("ENC-not-one")


def test_opening_the_index_reads_neither_the_table_nor_pandas(tmp_path):
    """Grounding opens the index for every question: with a warm disk cache that must stay cheap."""
    env = {**os.environ, "GENELM_CACHE_DIR": str(tmp_path)}
    code = ("import sys; from genelm.connectors.encode_index import encode_index; ix = encode_index(); "
            "print('K562' in ix.biosamples, 'POLR2A' in ix.targets, 'pandas' in sys.modules)")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, timeout=300)  # fills
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True,
                         timeout=300)
    assert out.stdout.split() == ["True", "True", "False"]
