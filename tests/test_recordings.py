"""Recording formats, matching tolerance and errors."""
from __future__ import annotations

import json

import pytest

from genelm.connectors.errors import InputError
from genelm.connectors.recordings import RecordingStore, read_recordings
from genelm.connectors.snapshot import import_files
from genelm.connectors.urls import normalize_url, soft_key
from tests.conftest import RECORDINGS, shared_or_skip


def test_normalisation_ignores_order_quoting_and_secrets():
    a = normalize_url("https://EUTILS.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi?term=Distal+renal&db=omim&api_key=abc")
    b = normalize_url("https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi", {"db": "omim", "term": "Distal renal", "email": "x@y"})
    assert a == b and "abc" not in a


def test_soft_params_are_per_host():
    ncbi = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi?db=gene&term=X"
    assert soft_key(ncbi + "&retmax=5") == soft_key(ncbi + "&retmax=20")
    assert soft_key(ncbi + "&retstart=5") != soft_key(ncbi)  # retstart changes which records come back


def test_shared_ncbi_lines_replay_with_any_param_order():
    store = RecordingStore()
    store.add_path(shared_or_skip(RECORDINGS / "ncbi" / "genegpt_2023_dev.jsonl"))
    assert len(store) == 456
    hit = store.lookup("GET", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi",
                       {"term": "SNAT6", "sort": "relevance", "retmode": "json", "db": "gene", "retmax": 20, "tool": "genelm"})
    assert hit is not None and '"145389"' in hit.body.decode()


def test_json_documents_are_keyed_by_their_at_id(tmp_path):
    store = RecordingStore()
    store.add_path(shared_or_skip(RECORDINGS / "encode" / "experiment_ENCSR000EDP_a.json"))
    assert store.lookup("GET", "https://www.encodeproject.org/experiments/ENCSR000EDP/", {"format": "json", "frame": "embedded"})


def test_blast_reports_are_found_by_sequence_not_rid():
    store = RecordingStore()
    store.add_path(shared_or_skip(RECORDINGS / "ncbi" / "genegpt_2023_dev.jsonl"))
    seq = "ATTCTGCCTTTAGTAATTTGATGACAGAGACTTCTTGGGAACCACAGCCAGGGAGCCACCCTTTACTCCACCAACAGGTGGCTTATATCCAATCTGAGAAAGAAAGAAAAAAAAAAAAGTATTTCTCT"
    assert store.find_blast(seq, "blastn", "nt") is not None
    assert store.find_blast(seq.replace("ATTCT", "GGGGG", 1), "blastn", "nt") is None
    assert store.find_blast(seq, "blastn", "refseq_rna") is None


def test_a_bad_line_is_named_with_its_number(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"url": "https://x.org/a", "body": "{}"}) + "\n{not json\n")
    with pytest.raises(InputError, match=r"line 2 is not a recording"):
        read_recordings(path)


def test_missing_recordings_path_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        RecordingStore().add_path(tmp_path / "nope")


def test_import_merges_and_is_idempotent(tmp_path):
    target = tmp_path / "snap.jsonl"
    src = shared_or_skip(RECORDINGS / "regulomedb")
    assert import_files([src], target) == (2, 2)
    assert import_files([src], target) == (2, 2)
    urls = sorted(r.url for r in read_recordings(target))
    assert urls[0].startswith("https://regulomedb.org/regulome-search/?format=json&genome=GRCh37&regions=chr14:83844094-83844095")
    with pytest.raises(InputError, match="one file at a time"):
        import_files([src, src], target, url="https://x.org")
