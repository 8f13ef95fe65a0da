"""UCSC REST API contract: getData/track shapes, errors, track availability, and BLAT since hgBlat closed.

No recorded UCSC response exists here (../shared/recordings/ucsc_docs/SOURCES.md: the help page has no JSON
examples), so the server follows the documentation exactly as extracted in
../shared/recordings/ucsc_docs/ucsc_rest_api_help_extract.md and the server code the issue cites:
- getData/track answers top-level downloadTime, downloadTimeStamp, genome, track, chrom, start, end, trackType,
  itemsReturned (maxItemsLimit when cut);
- a bigWig track's items {start, end, value} are under the track's name;
- a wiggle table in SQL (hg19 phyloP100wayAll, type "wig") has its items under the chromosome's name at the
  top level (hubApi getData.c, wigTableDataOutput);
- errors are JSON whose message is ``error`` after downloadTime…, with statusCode/statusMessage;
- encodeCcreCombined exists for hg38 and mm10 only;
- BLAT: UCSC closed open programmatic hgBlat access (BLAT FAQ #blat14); the REST API's /blat/<type> needs an
  apiKey.  No documentation of that endpoint's parameters is available here; the request uses the REST API's
  conventions (genome, apiKey) with hgBlat's userSeq, and the answer hgBlat's JSON (fields + blat rows).
"""
from __future__ import annotations

import pytest

import genelm
from genelm.connectors.errors import InputError, SourceError
from genelm.connectors.http import HttpClient
from genelm.connectors.ucsc import BLAT_FIELDS, TOPIC_TRACKS, UcscClient
from tests.test_contracts_http import Seen, contract, json_answer, live_settings  # noqa: F401  (fixture)

STAMP = {"downloadTime": "2026:11:21T10:00:00Z", "downloadTimeStamp": 1795255200}
SIGNAL = [1.5, 2.5, -0.5, 4.5]


def ucsc_api(seen: Seen):
    """getData/track as api.genome.ucsc.edu answers it, per track type."""
    if seen.path == "/getData/track":
        genome, track, chrom = seen.one("genome"), seen.one("track"), seen.one("chrom")
        start, end = int(seen.one("start")), int(seen.one("end"))
        head = {**STAMP, "genome": genome, "track": track, "chrom": chrom, "start": start, "end": end}
        items = [{"start": start + i, "end": start + i + 1, "value": v} for i, v in enumerate(SIGNAL)]
        if (genome, track) == ("hg19", "phyloP100wayAll"):  # SQL wig table: items under the chromosome
            return json_answer({**head, "trackType": "wig -20 7.532", chrom: items, "itemsReturned": len(items)})
        if (genome, track) == ("hg38", "phyloP100way"):  # bigWig: items under the track's name
            return json_answer({**head, "trackType": "bigWig", "bigDataUrl": "/gbdb/hg38/hg38.phyloP100way.bw",
                                track: items, "itemsReturned": len(items)})
        if track == "knownGene":
            gene = {"chrom": chrom, "chromStart": start, "chromEnd": end, "name": "uc002idm.1", "strand": "-",
                    "geneName": "BRCA1"}
            return json_answer({**head, "trackType": "genePred knownGenePep knownGeneMrna", track: [gene],
                                "itemsReturned": 1})
        return json_answer({**STAMP, "error": f"can not find track={track} for genome={genome} for endpoint "
                                              "'/getData/track'", "statusCode": 400, "statusMessage": "Bad Request"}, 400)
    if seen.path.startswith("/blat/"):
        row = [40, 0, 0, 0, 0, 0, 0, 0, "+", "YourSeq", 40, 0, 40, "chr17", 83257441, 1000, 1040, 1, "40,", "0,",
               "1000,"]
        return json_answer({"track": "blat", "genome": seen.one("genome"), "fields": list(BLAT_FIELDS), "blat": [row]})
    return json_answer({**STAMP, "error": "no such endpoint", "statusCode": 404}, 404)


def _ucsc(tmp_path, server, **overrides) -> UcscClient:
    return UcscClient(HttpClient(live_settings(tmp_path, server, **overrides)), api=server.url(""),
                      blat=server.url("/cgi-bin/hgBlat"))


def test_hg19_conservation_reads_the_wig_table_shape(contract, tmp_path):
    """Before: items were read from doc[track] only, so hg19 phyloP100wayAll came back as an error/empty."""
    server = contract(ucsc_api)
    summary = _ucsc(tmp_path, server).track("GRCh37", TOPIC_TRACKS["conservation"]["hg19"], "chr17", 41196311,
                                            41196315).records[0]
    assert (summary["n_items"], summary["mean"], summary["max"], summary["genome"]) == (4, 2.0, 4.5, "hg19")


def test_hg38_bigwig_shape_still_reads(contract, tmp_path):
    server = contract(ucsc_api)
    summary = _ucsc(tmp_path, server).track("GRCh38", "phyloP100way", "chr17", 43044294, 43044298).records[0]
    assert (summary["n_items"], summary["mean"], summary["track_type"]) == (4, 2.0, "bigWig")


def test_hg19_ccres_are_refused_before_a_request_that_cannot_succeed(contract, tmp_path):
    server = contract(ucsc_api)
    assert "hg19" not in TOPIC_TRACKS["ccres"] and TOPIC_TRACKS["ccres"]["mm10"] == "encodeCcreCombined"
    with pytest.raises(InputError, match="hg38 and mm10 only"):
        _ucsc(tmp_path, server).track("GRCh37", "encodeCcreCombined", "chr17", 0, 1000)
    assert server.seen == []


def test_ucscs_own_error_words_reach_the_user(contract, tmp_path):
    server = contract(ucsc_api)
    with pytest.raises(SourceError) as err:
        _ucsc(tmp_path, server).track("hg38", "noSuchTrack", "chr1", 0, 10)
    assert "can not find track=noSuchTrack for genome=hg38" in str(err.value)


def test_blat_without_an_api_key_says_what_works_and_sends_nothing(contract, tmp_path):
    """Before: hgBlat output=json, retried 3 times on the HTML page UCSC now serves to programs."""
    from genelm.connectors.errors import BlatUnavailable

    server = contract(ucsc_api)
    with pytest.raises(BlatUnavailable) as err:
        _ucsc(tmp_path, server).blat("ACGT" * 10)
    assert server.seen == []
    message = str(err.value)
    assert "hgBlat" in message and "GENELM_UCSC_API_KEY" in message and "BLAST" in message
    assert err.value.alternatives and not err.value.retryable


def test_blat_with_an_api_key_uses_the_rest_endpoint_and_keeps_the_key_secret(contract, tmp_path):
    server = contract(ucsc_api)
    record_to = tmp_path / "rec.jsonl"
    client = _ucsc(tmp_path, server, ucsc_api_key="MY-UCSC-KEY", mode="record", record_to=record_to)
    ev = client.blat("ACGT" * 10, "GRCh37")
    assert server.seen[-1].path == "/blat/dna" and server.seen[-1].one("apiKey") == "MY-UCSC-KEY"
    assert server.seen[-1].one("genome") == "hg19" and ev.records[0]["position"] == "chr17:1001-1040"
    assert "MY-UCSC-KEY" not in ev.url and "MY-UCSC-KEY" not in record_to.read_text()


def test_ask_hg19_conservation_answers_with_the_signal(contract, tmp_path):
    server = contract(ucsc_api)
    answer = genelm.ask("Show conservation at chr17:41196312-41196315 on hg19", settings=live_settings(tmp_path, server))
    assert not [g for g in answer.gaps if g.startswith("ucsc")], answer.gaps
    (ev,) = [e for e in answer.evidence if "phyloP100wayAll" in e.key]
    assert ev.records[0]["n_items"] == 4 and ev.key in answer.text, answer.text


def test_ask_blat_says_open_blat_is_gone_and_offers_blast(contract, tmp_path):
    server = contract(ucsc_api)
    answer = genelm.ask("Where does ACGTTGCAAGGCTTAACGGATCCAGT map with BLAT on hg19?",
                        settings=live_settings(tmp_path, server))
    assert not [s for s in server.seen if "hgBlat" in s.path or s.path.startswith("/blat")]
    said = answer.text + " ".join(answer.gaps)
    assert "no longer allows" in said and "BLAST" in said and "GENELM_UCSC_API_KEY" in said, said
