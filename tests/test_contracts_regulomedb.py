"""RegulomeDB contract: a query with no peaks, and the chromosomes RegulomeDB serves.

Documentation followed: RegulomeDB's search parameters (https://regulomedb.org/regulome-help/: ``regions`` an
rsID or a BED-style span on chr1-22, X or Y; ``genome`` GRCh37 or GRCh38; ``format=json``), the recorded v2
answer in ../shared/recordings/regulomedb/ for the shape, and the server code the issue cites: where nothing
overlaps the query, ``regulome_score`` is null.
"""
from __future__ import annotations

import json

import pytest

import genelm
from genelm.connectors.errors import InputError
from genelm.connectors.http import HttpClient
from genelm.connectors.regulomedb import RegulomeClient
from tests.conftest import RECORDINGS, shared_or_skip
from tests.test_contracts_http import Seen, contract, json_answer, live_settings  # noqa: F401  (fixture)

NO_PEAKS = {"@context": "/terms/", "@id": "/regulome-search/", "@type": ["regulome-search"], "title": "RegulomeDB search",
            "assembly": "GRCh38", "query_coordinates": ["chr4:76988078-76988079"], "@graph": [], "nearby_snps": [],
            "variants": [{"chrom": "chr4", "start": 76988078, "end": 76988079, "rsids": ["rs1481036795"]}],
            "features": {"ChIP": False, "DNase": False, "PWM": False, "Footprint": False, "QTL": False,
                         "PWM_matched": False, "Footprint_matched": False},
            "regulome_score": None, "notifications": {"chr4:76988078-76988079": "Success"}}


def _dbsnp_xml() -> bytes:
    path = shared_or_skip(RECORDINGS / "ncbi" / "genegpt_2023_dev.jsonl")
    return next(json.loads(x)["response"] for x in path.read_text().splitlines()
                if "efetch.fcgi?db=snp" in x and "1481036795" in x).encode()


def regulome(seen: Seen):
    if seen.path == "/regulome-search/":
        return json_answer(NO_PEAKS)
    if seen.path.endswith("/efetch.fcgi") and seen.one("db") == "snp":
        return 200, {"Content-Type": "text/xml"}, _dbsnp_xml()
    return json_answer({"error": "not served here"}, 400)


def test_a_null_score_is_no_evidence_not_a_failure(contract, tmp_path):
    """Before: parse_search required a regulome_score object and raised on null."""
    server = contract(regulome)
    client = RegulomeClient(HttpClient(live_settings(tmp_path, server)), base=server.url(""))
    ev = client.search("rs1481036795", "GRCh38")
    rec = ev.records[0]
    assert rec["ranking"] is None and rec["probability"] is None and rec["peaks"] == []
    assert rec["variants"][0]["rsids"] == ["rs1481036795"] and "no score (no regulatory evidence)" in ev.title


@pytest.mark.parametrize("query", ["chrM:100-101", "chrUn_gl000220:1-2", "chr23:5-6"])
def test_chromosomes_regulomedb_does_not_serve_are_refused_before_a_request(contract, tmp_path, query):
    """Before: chrM passed the check and was sent (a request that cannot succeed)."""
    server = contract(regulome)
    client = RegulomeClient(HttpClient(live_settings(tmp_path, server)), base=server.url(""))
    with pytest.raises(InputError, match="chr1-22, chrX and chrY"):
        client.search(query, "GRCh38")
    assert server.seen == []


def test_ask_reports_no_regulatory_evidence_without_a_regulomedb_failure(contract, tmp_path):
    server = contract(regulome)
    answer = genelm.ask("What regulatory evidence is there at rs1481036795?", settings=live_settings(tmp_path, server))
    assert not [g for g in answer.gaps if g.startswith("regulomedb")], answer.gaps
    (ev,) = [e for e in answer.evidence if e.source == "regulomedb"]
    assert ev.records[0]["ranking"] is None and answer.citations_ok
    assert ev.key in answer.text, answer.text
