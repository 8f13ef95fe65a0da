"""RegulomeDB: parsing the real recorded responses, replay by rsID, and clear errors."""
from __future__ import annotations

import json

import pytest

from genelm.connectors.errors import InputError, ReplayMiss, SourceError
from genelm.connectors.http import HttpClient
from genelm.connectors.recordings import RecordingStore, read_recordings
from genelm.connectors.regulomedb import RegulomeClient, check_query, parse_search, parse_summary, region_query
from genelm.settings import NetworkMode, Settings
from tests.conftest import RECORDINGS, SHARED, ok_json, shared_or_skip

SEARCH = RECORDINGS / "regulomedb" / "regulome_search_GRCh37_regulome-encoded_testdata.json"
SUMMARY = RECORDINGS / "regulomedb" / "regulome_summary_GRCh37_regulome-encoded_testdata.json"


def _replay_client(tmp_path) -> RegulomeClient:
    return RegulomeClient(HttpClient(Settings(mode=NetworkMode.replay, cache_dir=tmp_path)))


def test_real_search_response_parses_to_rank_score_and_annotations():
    rec = parse_search(json.loads(shared_or_skip(SEARCH).read_text()))
    assert (rec["ranking"], rec["probability"], rec["assembly"]) == ("7", 0.18412, "GRCh37")
    assert rec["variants"] == [{"chrom": "chr14", "start": 83844094, "end": 83844095, "rsids": ["rs229784"]}]
    assert len(rec["peaks"]) == 127 and rec["methods"] == {"chromatin state": 127}
    assert rec["chromatin_states"] == {"15_Quies": 125, "9_Het": 2}
    first = rec["peaks"][0]
    assert (first["dataset"], first["file"], first["biosample"], first["value"]) == (
        "ENCSR426USY", "ENCFF069UHL", "osteoblast", "15_Quies")
    assert not any(rec["features"][k] for k in ("ChIP", "DNase", "QTL", "PWM", "Footprint"))
    assert rec["nearby_snps"][0] == {"rsid": "rs1033940439", "chrom": "chr14", "position": 83844068, "maf": 6.376e-05}


def test_real_summary_response_parses_both_variants():
    records = parse_summary(json.loads(shared_or_skip(SUMMARY).read_text()))
    assert [(r["rsids"], r["ranking"], r["probability"]) for r in records] == [
        (["rs3768324"], "1a", 0.99267), (["rs10905307"], "1a", 0.9)]
    assert records[0]["features"]["QTL"] is True and records[1]["start"] == 5894499


def test_trimmed_peaks_with_chip_targets_parse():
    """RegulomeDB-TURF's example lines carry peaks with biosample_term_name and targets (GRCh37 queries)."""
    path = shared_or_skip(SHARED / "data" / "turf" / "TURF_example_json.txt")
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    doc = next(d for d in lines if d["start"] == 100005281)
    rec = parse_search({"regulome_score": doc["score"], "features": doc["features"], "@graph": doc["peaks"]})
    assert rec["ranking"] == "1f" and rec["chip_targets"] == ["MAFK", "POLR2A"]
    assert rec["methods"] == {"DNase-seq": 2, "ChIP-seq": 2, "eQTLs": 1}
    chip = next(p for p in rec["peaks"] if p["method"] == "ChIP-seq")
    assert chip["biosample"] == "HepG2" and chip["targets"] == ["MAFK"]


def test_rsid_query_replays_the_coordinate_recording_and_cites_its_url(tmp_path):
    shared_or_skip(SEARCH)
    ev = _replay_client(tmp_path).search("rs229784", "GRCh37")
    assert ev.key == "regulomedb:rs229784:GRCh37" and ev.origin == "snapshot"
    assert ev.url.endswith("regions=chr14:83844094-83844095")  # the URL that was really recorded
    assert {"ENCSR426USY", "ENCFF069UHL", "rs229784"} <= set(ev.accessions)
    assert ev.records[0]["query"] == "rs229784"


def test_a_grch38_question_never_gets_the_grch37_recording(tmp_path):
    with pytest.raises(ReplayMiss) as err:
        _replay_client(tmp_path).search("rs229784", "GRCh38")
    assert "genome=GRCh38" in str(err.value)


def test_unknown_rsid_offline_is_a_replay_miss_naming_the_request(tmp_path):
    with pytest.raises(ReplayMiss) as err:
        _replay_client(tmp_path).search("rs999999999999", "GRCh37")
    assert "regions=rs999999999999" in str(err.value) and "--recordings" in str(err.value)


def test_summary_replays_from_its_recording(tmp_path):
    shared_or_skip(SUMMARY)
    ev = _replay_client(tmp_path).summary(["rs3768324", "rs75982468", "rs10905307", "rs10823321", "rs7745856"], "GRCh37")
    assert [r["ranking"] for r in ev.records] == ["1a", "1a"] and ev.accessions == ["rs10905307", "rs3768324"]


@pytest.mark.parametrize("query,genome,problem", [
    ("chr14:83844094", "GRCh37", "not a RegulomeDB query"),
    ("rs12x", "GRCh38", "not a RegulomeDB query"),
    ("rs1", "hg19", "GRCh37 and GRCh38"),
    ("chr14:1-2; DROP", "GRCh38", "not a RegulomeDB query"),
])
def test_malformed_queries_are_refused_before_any_request(query, genome, problem):
    with pytest.raises(InputError, match=problem):
        check_query(query, genome)


def test_region_query_is_bed_style():
    assert region_query("chr14", 83844095, 83844095) == "chr14:83844094-83844095"


def test_empty_result_and_wrong_assembly_and_garbage_from_a_live_server(fault_server, settings):
    client = RegulomeClient(HttpClient(settings), base=fault_server.url(""))
    # An empty answer: no score, no peaks (the v2 response shape with empty fields).
    fault_server.script("/regulome-search/", ok_json({"@graph": [], "regulome_score": {}, "features": {},
                                                     "variants": [], "assembly": "GRCh38", "notifications": {}}))
    rec = client.search("chr1:100-101", "GRCh38").records[0]
    assert rec["ranking"] is None and rec["peaks"] == [] and rec["variants"] == []
    fault_server.script("/regulome-search/", ok_json({"@graph": [], "regulome_score": {}, "assembly": "GRCh37"}))
    with pytest.raises(SourceError, match="asked for GRCh38 but the answer is on GRCh37"):
        client.search("chr1:100-101", "GRCh38")
    fault_server.script("/regulome-search/", ok_json({"title": "RegulomeDB Search", "@graph": []}))
    with pytest.raises(SourceError, match="unexpected /regulome-search/ answer"):
        client.search("chr1:100-101", "GRCh38")


def test_content_keys_do_not_answer_multi_region_queries():
    store = RecordingStore()
    store.add_all(read_recordings(shared_or_skip(SEARCH)))
    assert store.lookup("GET", "https://regulomedb.org/regulome-search/?regions=rs229784&genome=GRCh37") is not None
    assert store.lookup("GET", "https://regulomedb.org/regulome-search/?regions=rs229784%20rs1&genome=GRCh37") is None
