"""ENCODE portal contract: a local server that answers /search/ as encodeproject.org/help/rest-api/ documents it.

Documented behaviour followed here (ENCODE REST API help, https://www.encodeproject.org/help/rest-api/, and
the recorded search in ../shared/recordings/encode/search_Experiment_HepG2_ARID3A_hg19.json for the shape):
- a search returns the first 25 hits and ``total`` unless ``limit=`` is sent; ``limit=all`` returns every hit;
- ``field=`` projects each hit onto the named properties (plus ``@id``/``@type``);
- a search that matches nothing is HTTP 404 whose body is the search document with ``"@graph": []``,
  ``total: 0`` and ``notification: "No results found"``;
- search hits carry their files as ``{"@id": "/files/ENCFF…/"}`` only.
"""
from __future__ import annotations

import pytest

import genelm
from genelm.connectors.encode import EncodeClient
from genelm.connectors.http import HttpClient
from tests.test_contracts_http import Seen, contract, json_answer, live_settings  # noqa: F401  (fixture)


def experiment(n: int, biosample: str = "HepG2", target: str = "POLR2A") -> dict:
    acc = f"ENCSR{n:03d}AAA"
    return {"@id": f"/experiments/{acc}/", "@type": ["Experiment", "Dataset", "Item"], "accession": acc,
            "assay_title": "TF ChIP-seq", "assay_term_name": "ChIP-seq", "target": {"label": target},
            "biosample_ontology": {"term_name": biosample}, "status": "released", "assembly": ["GRCh38"],
            "lab": {"title": "Michael Snyder, Stanford"}, "description": f"{target} ChIP-seq on {biosample}",
            "files": [{"@id": f"/files/ENCFF{n:03d}XYZ/"}], "audit": {"WARNING": [{"detail": "x" * 200}]}}


def portal(experiments: list[dict], honour_limit: bool = True):
    """/search/?type=Experiment as the portal answers it."""
    def handle(seen: Seen):
        if seen.path != "/search/":
            return json_answer({"@type": ["HTTPNotFound", "Error"], "status": "error", "code": 404,
                                "title": "Not Found", "description": "The resource could not be found."}, 404)
        hits = [e for e in experiments
                if seen.one("biosample_ontology.term_name") in (None, e["biosample_ontology"]["term_name"])
                and seen.one("target.label") in (None, e["target"]["label"])]
        limit = seen.one("limit")
        shown = hits if honour_limit and limit == "all" else hits[:int(limit) if honour_limit and limit else 25]
        if fields := seen.query.get("field"):
            keep = {f.split(".")[0] for f in fields} | {"@id", "@type"}
            shown = [{k: v for k, v in e.items() if k in keep} for e in shown]
        doc = {"@type": ["Search"], "@id": "/search/?" + "&".join(f"{k}={v[0]}" for k, v in seen.query.items()),
               "title": "Search", "total": len(hits), "@graph": shown, "facets": [], "filters": [],
               "notification": "Success" if hits else "No results found"}
        return json_answer(doc, 200 if hits else 404)
    return handle


def _client(tmp_path, server) -> EncodeClient:
    return EncodeClient(HttpClient(live_settings(tmp_path, server)), portal=server.url(""))


def test_zero_hits_is_an_answer_not_a_failure(contract, tmp_path):
    """Before: the 404 raised SourceError ("encode did not answer")."""
    server = contract(portal([experiment(1)]))
    ev = _client(tmp_path, server).search_experiments(target="CTCF", biosample="HepG2")
    assert ev.records == [] and ev.params["total"] == 0
    assert "the portal lists no experiments" in ev.title and "target.label=CTCF" in ev.title
    assert "/search/?" in ev.url and "target.label=CTCF" in ev.url  # cited to the search URL


def test_a_404_that_is_not_a_search_answer_is_still_a_failure(contract, tmp_path):
    server = contract(lambda seen: json_answer({"@type": ["HTTPNotFound", "Error"], "code": 404,
                                                "description": "The resource could not be found."}, 404))
    from genelm.connectors.errors import SourceError

    with pytest.raises(SourceError, match="404"):
        _client(tmp_path, server).search_experiments(target="CTCF")


def test_sixty_hits_are_all_listed(contract, tmp_path):
    """Before: no limit was sent, so the portal's first page (25) was all a user saw."""
    server = contract(portal([experiment(n) for n in range(60)]))
    ev = _client(tmp_path, server).search_experiments(target="POLR2A", biosample="HepG2")
    assert len(ev.records) == 60 and ev.params["total"] == 60 and "60 found" in ev.title
    sent = server.seen[-1]
    assert sent.one("limit") == "1000" and "accession" in sent.query["field"]  # a stated cap, projected fields
    assert "audit" not in server.seen[-1].query["field"]


def test_a_portal_that_still_pages_is_reported_as_showing_n_of_total(contract, tmp_path):
    server = contract(portal([experiment(n) for n in range(60)], honour_limit=False))
    ev = _client(tmp_path, server).search_experiments(target="POLR2A", biosample="HepG2")
    assert len(ev.records) == 25 and "showing 25 of 60" in ev.title and ev.params["shown"] == 25


def test_search_hits_give_file_accessions_from_their_ids(contract, tmp_path):
    """Before: parse_file read ``accession`` only, so {"@id"}-only files gave accession None."""
    server = contract(portal([experiment(7)]))
    (rec,) = _client(tmp_path, server).search_experiments(target="POLR2A").records
    assert [f["accession"] for f in rec["files"]] == ["ENCFF007XYZ"]


def test_ask_over_the_portal_says_no_experiments_and_cites_the_search(contract, tmp_path):
    """genelm.ask with the portal's zero-hit 404: the answer states the absence, cited to the search URL,
    and reports no failure of ENCODE."""
    server = contract(portal([experiment(1, biosample="K562")]))
    answer = genelm.ask("Which ENCODE experiments profile POLR2A in GM12878?",
                        settings=live_settings(tmp_path, server))
    assert not [g for g in answer.gaps if g.startswith("encode")], answer.gaps
    searches = [e for e in answer.evidence if e.source == "encode" and e.key.startswith("encode:search:")]
    assert searches and searches[0].records == [] and "/search/?" in searches[0].url
    text = answer.text.lower()
    assert "no experiments" in text or "no released experiments" in text, answer.text
    assert any(searches[0].key in s.citations for s in answer.sentences), answer.text


def test_ask_lists_sixty_experiments(contract, tmp_path):
    server = contract(portal([experiment(n, biosample="GM12878") for n in range(60)]))
    answer = genelm.ask("Which ENCODE experiments profile POLR2A in GM12878?",
                        settings=live_settings(tmp_path, server))
    (search,) = [e for e in answer.evidence if e.key.startswith("encode:search:")]
    assert len(search.records) == 60
    listed = {f"ENCSR{n:03d}AAA" for n in range(60) if f"ENCSR{n:03d}AAA" in answer.text}
    assert len(listed) == 60 or "showing 25 of 60" in answer.text, answer.text
