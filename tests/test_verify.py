"""The verifier drops uncited and mis-cited sentences."""
from __future__ import annotations

from genelm.agent.core.synthesis import Sentence
from genelm.agent.core.verify import verify
from genelm.evidence import Evidence


def _ledger():
    ev = Evidence(key="ncbi:gene:145389", source="ncbi", title="NCBI Gene SLC38A6", sha256="0" * 64,
                  accessions=["GeneID:145389"], records=[{"symbol": "SLC38A6", "gene_id": "145389", "chromosome": "14"}])
    exp = Evidence(key="encode:ENCSR000EDP", source="encode", title="ENCODE ENCSR000EDP", sha256="1" * 64,
                   accessions=["ENCSR000EDP"], records=[{"files": 49}])
    return {ev.key: ev, exp.key: exp}


def test_supported_sentences_are_kept():
    kept = verify([Sentence("SNAT6 is SLC38A6 (GeneID 145389).", ["ncbi:gene:145389"]),
                   Sentence("ENCSR000EDP has 49 files.", ["encode:ENCSR000EDP"])], _ledger())
    assert len(kept.kept) == 2 and not kept.dropped


def test_uncited_sentence_is_dropped():
    verdict = verify([Sentence("SLC38A6 is on chromosome 14.", [])], _ledger())
    assert verdict.kept == [] and "cites no evidence" in verdict.dropped[0][1]


def test_citation_to_unknown_key_is_dropped():
    verdict = verify([Sentence("SLC38A6 is on chromosome 14.", ["ncbi:gene:999"])], _ledger())
    assert "unknown evidence" in verdict.dropped[0][1]


def test_accession_not_in_cited_evidence_is_dropped():
    verdict = verify([Sentence("The experiment is ENCSR999AAA.", ["encode:ENCSR000EDP"])], _ledger())
    assert "ENCSR999AAA" in verdict.dropped[0][1]


def test_accession_from_other_evidence_is_mis_cited():
    verdict = verify([Sentence("SLC38A6 was profiled in ENCSR000EDP.", ["ncbi:gene:145389"])], _ledger())
    assert verdict.kept == []


def test_number_not_in_cited_evidence_is_dropped():
    verdict = verify([Sentence("SLC38A6 has GeneID 145390.", ["ncbi:gene:145389"])], _ledger())
    assert "145390" in verdict.dropped[0][1]


def test_non_factual_notes_need_no_citation():
    verdict = verify([Sentence("NCBI did not answer.", [], factual=False)], _ledger())
    assert len(verdict.kept) == 1
