"""E-utilities by record: esummary/efetch answers are kept and replayed per (database, id).

NCBI answers esummary/efetch for a list of ids with one record per id, in the order asked (E-utilities
In-Depth, https://www.ncbi.nlm.nih.gov/books/NBK25499/).  So a request for ids a,b,c is answered from records
fetched one by one earlier, and a request for one id from a group fetched earlier.  The GeneTuring recordings
(../shared/recordings/ncbi/genegpt_2023_dev.jsonl) fetched gene, OMIM and dbSNP records both ways.
"""
from __future__ import annotations

import json

import pytest

from genelm.connectors import ncbi_parse
from genelm.connectors.errors import ReplayMiss
from genelm.connectors.http import HttpClient
from genelm.connectors.ncbi import NcbiClient
from genelm.connectors.recordings import RecordingStore
from genelm.settings import NetworkMode, Settings
from tests.conftest import RECORDINGS, shared_or_skip
from tests.test_contracts_http import Seen, contract, live_settings  # noqa: F401  (fixture)

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
NCBI = RECORDINGS / "ncbi" / "genegpt_2023_dev.jsonl"


def _recorded_urls() -> set[str]:
    return {json.loads(x)["url"] for x in shared_or_skip(NCBI).read_text().splitlines()}


def _replay(tmp_path) -> NcbiClient:
    settings = Settings(mode=NetworkMode.replay, cache_dir=tmp_path, recordings=[shared_or_skip(NCBI)],
                        use_snapshot=False)
    return NcbiClient(HttpClient(settings))


def _efetch_gene(ncbi: NcbiClient, ids: str):
    return ncbi.http.request(EUTILS + "efetch.fcgi", {"db": "gene", "id": ids, "retmode": "json", "retmax": 5},
                             source="ncbi", expect="text")


def test_one_gene_is_served_from_a_group_fetched_earlier(tmp_path):
    """DLL1 (28514) was fetched only as part of id=28514,6323,19412,6326,6925; asking for it alone replays."""
    assert not any("efetch.fcgi?db=gene" in u and u.endswith("id=28514") for u in _recorded_urls())
    result = _efetch_gene(_replay(tmp_path), "28514")
    (gene,) = ncbi_parse.parse_gene_text(result.text)
    assert (gene["symbol"], gene["gene_id"], gene["start"], gene["end"], gene["strand"]) == (
        "DLL1", "28514", 170282206, 170291078, "-")
    assert result.text.startswith("\n1. DLL1\n") and result.origin == "replay"


def test_a_group_is_served_from_genes_fetched_one_by_one(tmp_path):
    """55714, 117581 and 1349 were each fetched alone; the group request is their records, numbered, in order."""
    assert not any("55714" in u and "117581" in u for u in _recorded_urls())
    result = _efetch_gene(_replay(tmp_path), "117581,55714,1349")
    genes = ncbi_parse.parse_gene_text(result.text)
    assert [g["gene_id"] for g in genes] == ["117581", "55714", "1349"]
    assert [line for line in result.text.splitlines() if line[:3] in ("1. ", "2. ", "3. ")][2].startswith("3. ")


def test_omim_summaries_go_both_ways(tmp_path):
    ncbi = _replay(tmp_path)
    singles = ncbi.http.request(EUTILS + "esummary.fcgi", {"db": "omim", "id": "606664,602522,608593",
                                                           "retmode": "json"}, source="ncbi")
    assert [r["mim"] for r in ncbi_parse.parse_omim_esummary(singles.json())] == ["606664", "602522", "608593"]
    # 611555 was fetched only among 20 ids (the 'Distal renal tubular acidosis' search).
    one = ncbi.http.request(EUTILS + "esummary.fcgi", {"db": "omim", "id": "611555", "retmode": "json"}, source="ncbi")
    (rec,) = ncbi_parse.parse_omim_esummary(one.json())
    assert rec["mim"] == "611555" and rec["title"]


def test_an_id_nobody_fetched_is_still_a_replay_miss(tmp_path):
    with pytest.raises(ReplayMiss, match="id=28514,999999999"):
        _efetch_gene(_replay(tmp_path), "28514,999999999")


def test_records_of_another_form_never_answer(tmp_path):
    """esummary and efetch, or retmode=json and xml, are different forms of a record: never mixed."""
    from genelm.connectors.urls import eutils_by_record

    store = RecordingStore()
    store.add_path(shared_or_skip(NCBI))
    assert store.lookup("GET", EUTILS + "efetch.fcgi?db=gene&id=28514&retmode=json") is not None
    assert store.lookup("GET", EUTILS + "efetch.fcgi?db=gene&id=28514&retmode=xml") is None
    assert store.lookup("GET", EUTILS + "esummary.fcgi?db=gene&id=6323&retmode=json") is None
    assert eutils_by_record(EUTILS + "esearch.fcgi?db=gene&term=x") is None


def test_split_and_join_round_trip_every_recorded_answer():
    """Every recorded esummary/efetch answer that splits into its ids' records joins back to equal records."""
    from genelm.connectors.urls import eutils_by_record

    checked = 0
    for line in shared_or_skip(NCBI).read_text().splitlines():
        obj = json.loads(line)
        by_record = eutils_by_record(obj["url"])
        if by_record is None:
            continue
        form, ids = by_record
        parts = ncbi_parse.split_records(form, obj["response"].encode())
        if not parts or set(parts) != set(ids):
            continue  # truncated recordings (cut at 10,000 characters) do not split, and are not indexed whole
        joined = ncbi_parse.join_records(form, ids, [parts[i] for i in ids])
        assert ncbi_parse.split_records(form, joined) == parts
        checked += 1
    assert checked > 150


def eutils_server(seen_ids: list[str]):
    """efetch db=gene as NCBI answers it: the requested ids' text records, numbered in the order asked."""
    records = {
        "1": "A1\nOfficial Symbol: A1 and Name: gene one [Homo sapiens (human)]\nChromosome: 1; Location: 1p1\nID: 1",
        "2": "B2\nOfficial Symbol: B2 and Name: gene two [Homo sapiens (human)]\nChromosome: 2; Location: 2p1\nID: 2",
        "3": "C3\nOfficial Symbol: C3 and Name: gene three [Homo sapiens (human)]\nChromosome: 3; Location: 3p1\nID: 3",
    }

    def handle(seen: Seen):
        ids = seen.one("id").split(",")
        seen_ids.append(seen.one("id"))
        body = "\n" + "".join(f"{n}. {records[i]}\n\n" for n, i in enumerate(ids, start=1))
        return 200, {"Content-Type": "text/plain"}, body.encode()
    return handle


def test_online_records_fetched_singly_answer_a_group_without_a_request(contract, tmp_path):
    asked: list[str] = []
    server = contract(eutils_server(asked))
    settings = live_settings(tmp_path, server, mode="auto", ncbi_api_key="SECRET-NCBI-KEY")
    ncbi = NcbiClient(HttpClient(settings), eutils=server.url("/entrez/eutils/"))

    def fetch(client: NcbiClient, ids: str):
        return client._eutil("efetch.fcgi", {"db": "gene", "id": ids, "retmode": "json", "retmax": 5}, "text")

    fetch(ncbi, "1")
    fetch(ncbi, "2")
    group = fetch(ncbi, "2,1")
    assert asked == ["1", "2"] and group.origin == "cache"
    assert [g["symbol"] for g in ncbi_parse.parse_gene_text(group.text)] == ["B2", "A1"]
    # The reverse, in a later run (a new client reads the records kept on disk): a group, then one of it.
    fetch(ncbi, "3,1")
    later = NcbiClient(HttpClient(settings), eutils=server.url("/entrez/eutils/"))
    assert ncbi_parse.parse_gene_text(fetch(later, "3").text)[0]["symbol"] == "C3"
    assert asked == ["1", "2", "3,1"]
    kept = (settings.cache_dir / "eutils_records.jsonl").read_text()
    assert "SECRET-NCBI-KEY" not in kept and "dev@example.org" not in kept
