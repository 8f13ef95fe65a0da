"""UCSC REST API and BLAT connector against a real local HTTP server.

No recorded UCSC response exists here (../shared/recordings/ucsc_docs/SOURCES.md: the help
page has no JSON examples).  The bodies below are built field for field from the documented
format of each endpoint (api.genome.ucsc.edu help page: top-level downloadTime/genome/chrom/
start/end, the data under the track's own name, ``trackType``, ``itemsReturned``,
``maxItemsLimit``; errors as JSON with ``error`` and ``statusCode``; hgBlat output=json with
``fields`` and ``blat`` rows in PSL column order).  They are test inputs, not recordings.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from genelm.connectors.errors import InputError, SourceError
from genelm.connectors.http import HttpClient
from genelm.connectors.ucsc import BLAT_FIELDS, UcscClient, summarise_signal
from tests.conftest import ok_json

STAMP = {"downloadTime": "2026:11:21T10:00:00Z", "downloadTimeStamp": 1795255200}


@pytest.fixture
def ucsc(fault_server, settings):
    return UcscClient(HttpClient(settings), api=fault_server.url(""), blat=fault_server.url("/cgi-bin/hgBlat"))


def _query(fault_server) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(fault_server.hits[-1][0]).query).items()}


def test_bigwig_track_is_summarised_and_coordinates_are_converted(ucsc, fault_server):
    items = [{"start": 43044294 + i, "end": 43044295 + i, "value": v} for i, v in enumerate([1.0, 2.0, -1.0, 6.0])]
    fault_server.script("/getData/track", ok_json({**STAMP, "genome": "hg38", "dataTime": "2015-05-08T10:42:04",
                                                   "trackType": "bigWig", "track": "phyloP100way", "chrom": "chr17",
                                                   "start": 43044294, "end": 43044298, "phyloP100way": items,
                                                   "itemsReturned": 4}))
    ev = ucsc.track("GRCh38", "phyloP100way", "chr17", 43044294, 43044298)
    summary = ev.records[0]
    assert (summary["mean"], summary["median"], summary["min"], summary["max"]) == (2.0, 1.5, -1.0, 6.0)
    assert summary["genome"] == "hg38" and summary["assembly"] == "GRCh38" and summary["truncated"] is False
    assert _query(fault_server) == {"genome": "hg38", "track": "phyloP100way", "chrom": "chr17", "start": "43044294",
                                    "end": "43044298", "maxItemsOutput": "100000"}
    assert ev.title.endswith("chr17:43044295-43044298 (4 items)")  # shown 1-based


def test_bed_track_items_and_the_whole_genome_form(ucsc, fault_server):
    gold = [{"bin": 585, "chrom": "chrM", "chromStart": 0, "chromEnd": 16569, "ix": 1, "type": "F",
             "frag": "J01415.2", "fragStart": 0, "fragEnd": 16569, "strand": "+"}]
    fault_server.script("/getData/track", ok_json({**STAMP, "genome": "hg38", "trackType": "bed 3 +", "track": "gold",
                                                   "chrom": "chrM", "start": 0, "end": 16569, "gold": gold,
                                                   "itemsReturned": 1, "maxItemsLimit": True}))
    ev = ucsc.track("hg38", "gold", "chrM", 0, 16569)
    assert ev.records[0]["n_items"] == 1 and ev.records[0]["truncated"] is True and ev.records[1]["frag"] == "J01415.2"
    # Without a chrom the data is keyed by chromosome.
    fault_server.script("/getData/track", ok_json({**STAMP, "genome": "hg38", "track": "gold", "trackType": "bed 3 +",
                                                   "gold": {"chrM": gold, "chr1": gold}}))
    assert len(ucsc.track("hg38", "gold", "chrM", 0, 16569).records) == 3


def test_missing_track_data_and_ucsc_errors_name_the_problem(ucsc, fault_server):
    fault_server.script("/getData/track", ok_json({**STAMP, "genome": "hg38", "track": "nope", "trackType": "bed"}))
    with pytest.raises(SourceError, match="is 'nope' a track of hg38"):
        ucsc.track("hg38", "nope", "chr1", 0, 10)
    error = {"error": "can not find specified chrom=chrI in sequence for endpoint '/getData/track'",
             "statusCode": 400, "statusMessage": "Bad Request"}
    fault_server.script("/getData/track", (400, {"Content-Type": "application/json"}, json.dumps(error).encode()))
    with pytest.raises(SourceError) as err:
        ucsc.track("hg38", "gold", "chrI", 0, 10)
    assert err.value.source == "ucsc" and "can not find specified chrom=chrI" in str(err.value)
    assert len(fault_server.hits) == 2  # a 400 is not retried


def test_sequence_is_checked_for_length(ucsc, fault_server):
    fault_server.script("/getData/sequence", ok_json({**STAMP, "genome": "hg38", "chrom": "chrM", "start": 4321,
                                                      "end": 4331, "dna": "ACGTACGTAC"}))
    ev = ucsc.sequence("GRCh38", "chrM", 4321, 4331)
    assert ev.records[0]["dna"] == "ACGTACGTAC" and ev.key == "ucsc:sequence:hg38:chrM:4321-4331"
    fault_server.script("/getData/sequence", ok_json({**STAMP, "genome": "hg38", "chrom": "chrM", "dna": "ACG"}))
    with pytest.raises(SourceError, match="expected 10 bases of DNA, got 3"):
        ucsc.sequence("GRCh38", "chrM", 4321, 4331)


def test_search_tracks_and_genomes(ucsc, fault_server):
    fault_server.script("/search", ok_json({**STAMP, "genome": "hg38", "positionMatches": [
        {"name": "knownGene", "description": "GENCODE V47", "matches": [
            {"position": "chr17:43044295-43170245", "posName": "BRCA1 (ENST00000357654.9)", "canonical": True}]}]}))
    rec = ucsc.search("brca1").records[0]
    assert (rec["track"], rec["position"], rec["canonical"], rec["genome"]) == (
        "knownGene", "chr17:43044295-43170245", True, "hg38")
    fault_server.script("/list/tracks", ok_json({**STAMP, "hg38": {
        "knownGene": {"shortLabel": "GENCODE V47", "type": "genePred knownGenePep knownGeneMrna",
                      "longLabel": "GENCODE V47 (Ensembl 113)", "group": "genes"}}}))
    assert ucsc.tracks("GRCh38").records == [{"track": "knownGene", "short_label": "GENCODE V47",
                                              "long_label": "GENCODE V47 (Ensembl 113)",
                                              "type": "genePred knownGenePep knownGeneMrna", "group": "genes"}]
    fault_server.script("/list/ucscGenomes", ok_json({**STAMP, "ucscGenomes": {"hg38": {
        "description": "Dec. 2013 (GRCh38/hg38)", "organism": "Human", "scientificName": "Homo sapiens",
        "taxId": 9606}}}))
    assert ucsc.genomes().records[0]["scientific_name"] == "Homo sapiens"


def test_blat_hits_are_sorted_and_reported_one_based(fault_server, settings):
    # Open hgBlat is closed to programs (BLAT FAQ #blat14): BLAT goes to the REST API's /blat/dna with the
    # user's apiKey, which never reaches the cited URL.  (Was: hgBlat?output=json without a key.)
    def row(matches, mismatches, chrom, t_start, t_end):
        return [matches, mismatches, 0, 0, 0, 0, 0, 0, "+", "YourSeq", 40, 0, 40, chrom, 83257441, t_start, t_end, 1,
                "40,", "0,", f"{t_start},"]
    fault_server.script("/blat/dna", ok_json({"track": "blat", "genome": "hg38", "fields": list(BLAT_FIELDS),
                                              "blat": [row(30, 10, "chr2", 500, 540), row(40, 0, "chr17", 1000, 1040)]}))
    ucsc = UcscClient(HttpClient(settings.with_overrides(ucsc_api_key="UCSCKEY-123")), api=fault_server.url(""))
    ev = ucsc.blat("ACGT" * 10)
    assert [h["position"] for h in ev.records] == ["chr17:1001-1040", "chr2:501-540"]
    assert ev.records[0]["identity"] == 100.0 and ev.source == "ucsc-blat"
    assert _query(fault_server) == {"genome": "hg38", "userSeq": "ACGT" * 10, "apiKey": "UCSCKEY-123"}
    assert "UCSCKEY-123" not in ev.url and "UCSCKEY-123" not in ev.model_dump_json()


@pytest.mark.parametrize("call,problem", [
    (lambda c: c.track("hg18x", "gold", "chr1", 0, 10), "no genome named"),
    (lambda c: c.track("hg38", "gold", "1", 0, 10), "not a UCSC span"),
    (lambda c: c.track("hg38", "gold", "chr1", 10, 10), "not a UCSC span"),
    (lambda c: c.sequence("hg38", "chr1", 0, 20_000_001), "at most"),
    (lambda c: c.blat("ACGU" * 10), "DNA letters"),
])
def test_bad_requests_are_refused_before_any_request(ucsc, fault_server, call, problem):
    with pytest.raises(InputError, match=problem):
        call(ucsc)
    assert fault_server.hits == []


def test_signal_summary_weights_by_span_and_tolerates_empty():
    assert summarise_signal([]) == {"n_items": 0}
    assert summarise_signal([{"start": 0, "end": 3, "value": 1.0}, {"start": 3, "end": 4, "value": 5.0}])["mean"] == 2.0


def test_blat_question_plans_a_blat_call_and_names_the_gap_offline():
    import genelm

    answer = genelm.ask("Where does ACGTTGCAAGGCTTAACGGATCCAGT map with BLAT on hg19?", offline=True)
    blat, blast = answer.trace["calls"]  # BLAT first; keyless hgBlat is closed, so BLAST on the genome next
    assert blat["tool"] == "ucsc_blat" and "GRCh37" in blat["call"]
    assert blast["tool"] == "blast" and "refseq_genomic" in blast["call"]
    assert "Neither UCSC BLAT nor NCBI BLAST" in answer.text
    assert any("hgBlat" in g and "GENELM_UCSC_API_KEY" in g for g in answer.gaps)
