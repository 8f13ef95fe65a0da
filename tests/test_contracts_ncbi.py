"""NCBI E-utilities contract: gene coordinates, dbSNP in each documented form, tool and email.

Documentation followed: E-utilities In-Depth (https://www.ncbi.nlm.nih.gov/books/NBK25499/: efetch/esummary
parameters; retmode=json is a documented form for snp) and the usage guidelines
(https://www.ncbi.nlm.nih.gov/books/NBK25497/: "tool" and "email" in every request).  The server answers with
real recorded bodies from ../shared/recordings/ncbi/genegpt_2023_dev.jsonl.
"""
from __future__ import annotations

import json

import pytest

from genelm.connectors.errors import SourceError
from genelm.connectors.http import HttpClient
from genelm.connectors.ncbi import NcbiClient
from tests.conftest import RECORDINGS, shared_or_skip
from tests.test_contracts_http import Seen, contract, json_answer, live_settings  # noqa: F401  (fixture)


def recorded(url_part: str) -> str:
    path = shared_or_skip(RECORDINGS / "ncbi" / "genegpt_2023_dev.jsonl")
    return next(json.loads(x)["response"] for x in path.read_text().splitlines() if url_part in x)


def eutils(answers: dict[str, str]):
    """Answers by (endpoint, db): the recorded body for that kind of request."""
    def handle(seen: Seen):
        key = f"{seen.path.rsplit('/', 1)[-1]}?db={seen.one('db')}"
        body = answers.get(key)
        if body is None:
            return 400, {"Content-Type": "application/json"}, b'{"error": "unexpected request"}'
        return 200, {"Content-Type": "application/json" if body.lstrip().startswith("{") else "text/xml"}, body.encode()
    return handle


def _ncbi(tmp_path, server, **overrides) -> NcbiClient:
    return NcbiClient(HttpClient(live_settings(tmp_path, server, **overrides)), eutils=server.url("/entrez/eutils/"))


def test_gene_summary_spans_are_one_based_and_ordered_on_the_minus_strand(contract, tmp_path):
    """DLL1 (GeneID 28514) is on the minus strand: esummary gives chrstart 170291077 > chrstop 170282205, both
    0-based.  Before: start/end were copied as given (reversed, one base off).  The same gene's efetch text,
    recorded independently, says NC_000006.12 (170282206..170291078, complement)."""
    server = contract(eutils({"esummary.fcgi?db=gene": recorded("esummary.fcgi?db=gene&retmax=20&retmode=json&id=28514")}))
    (rec,) = _ncbi(tmp_path, server).gene_summary(["28514"]).records
    assert (rec["symbol"], rec["start"], rec["end"], rec["strand"]) == ("DLL1", 170282206, 170291078, "-")
    text = recorded("efetch.fcgi?db=gene&retmax=5&retmode=json&id=28514,")
    assert "NC_000006.12 (170282206..170291078, complement)" in text


def test_gene_summary_plus_strand_is_shifted_by_one(contract, tmp_path):
    # SEPTIN11 (GeneID 55752, plus strand): chrstart 76949751, chrstop 77040153 (0-based) -> 76949752..77040154,
    # which holds rs1481036795 (GRCh38 4:76988079, an intron variant of SEPTIN11 in dbSNP).
    server = contract(eutils({"esummary.fcgi?db=gene": recorded("esummary.fcgi?db=gene&retmax=10&retmode=json&id=55752")}))
    (rec,) = _ncbi(tmp_path, server).gene_summary(["55752"]).records
    assert (rec["symbol"], rec["start"], rec["end"], rec["strand"]) == ("SEPTIN11", 76949752, 77040154, "+")


def test_dbsnp_json_answers_are_read_not_dropped(contract, tmp_path):
    """efetch db=snp retmode=json may answer JSON (a documented form).  Before: any body not starting with '<'
    gave an Evidence with no records and no error."""
    body = recorded("esummary.fcgi?db=snp&retmax=10&retmode=json&id=1481036795")
    server = contract(eutils({"efetch.fcgi?db=snp": body}))
    ev = _ncbi(tmp_path, server).snp("rs1481036795")
    (rec,) = ev.records
    assert (rec["chromosome"], rec["position"], rec["genes"][0]["symbol"]) == ("4", 76988079, "SEPTIN11")
    assert ev.accessions == ["rs1481036795"]


def test_dbsnp_xml_still_reads_and_an_unknown_json_form_is_an_error(contract, tmp_path):
    server = contract(eutils({"efetch.fcgi?db=snp": recorded("efetch.fcgi?db=snp&retmax=5&retmode=json&id=1481036795")}))
    assert _ncbi(tmp_path, server).snp("rs1481036795").records[0]["position"] == 76988079
    server2 = contract(eutils({"efetch.fcgi?db=snp": json.dumps({"header": {"type": "efetch"}, "nothing": []})}))
    with pytest.raises(SourceError, match="unreadable dbSNP answer for rs1481036795"):
        _ncbi(tmp_path / "b", server2).snp("rs1481036795")


def test_refsnp_json_gives_the_grch38_position_and_genes():
    from genelm.connectors.ncbi_parse import parse_snp_answer

    # The RefSNP JSON form (dbSNP's JSON schema: refsnp_id, primary_snapshot_data, SPDI 0-based positions).
    doc = {"refsnp_id": "1481036795", "primary_snapshot_data": {
        "variant_type": "snv",
        "placements_with_allele": [{
            "seq_id": "NC_000004.12", "is_ptlp": True,
            "placement_annot": {"seq_id_traits_by_assembly": [{"assembly_name": "GRCh38.p14", "is_top_level": True}]},
            "alleles": [{"allele": {"spdi": {"seq_id": "NC_000004.12", "position": 76988078, "deleted_sequence": "G",
                                             "inserted_sequence": "G"}}},
                        {"allele": {"spdi": {"seq_id": "NC_000004.12", "position": 76988078, "deleted_sequence": "G",
                                             "inserted_sequence": "A"}}}]}],
        "allele_annotations": [{"assembly_annotation": [{"genes": [{"locus": "SEPTIN11", "id": 55752}]}]}]}}
    (rec,) = parse_snp_answer(json.dumps(doc))
    assert (rec["chromosome"], rec["position"], rec["spdi"]) == ("4", 76988079, "NC_000004.12:76988078:G:A")
    assert rec["genes"] == [{"symbol": "SEPTIN11", "gene_id": "55752"}]


def test_every_request_names_tool_and_email_and_a_missing_email_is_a_warning(contract, tmp_path):
    body = recorded("esummary.fcgi?db=gene&retmax=10&retmode=json&id=7597")
    server = contract(eutils({"esummary.fcgi?db=gene": body}))
    ncbi = _ncbi(tmp_path, server, ncbi_email="dev@example.org")
    ev = ncbi.gene_summary(["7597"])  # ZBTB25
    assert server.seen[-1].one("tool") == "genelm" and server.seen[-1].one("email") == "dev@example.org"
    assert "dev@example.org" not in ev.url and ncbi.http.trace.warnings == []
    anonymous = _ncbi(tmp_path / "b", server, ncbi_email=None)
    anonymous.gene_summary(["7597"])
    assert server.seen[-1].one("tool") == "genelm" and server.seen[-1].one("email") is None
    assert any("GENELM_NCBI_EMAIL" in w for w in anonymous.http.trace.warnings)
    assert len(anonymous.http.trace.warnings) == 1  # once per run, not once per request
    anonymous.gene_summary(["7597"])
    assert len(anonymous.http.trace.warnings) == 1
