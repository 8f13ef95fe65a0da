"""Offline answers that are complete and never wrong by omission (issue #18), from the bundled data alone."""
from __future__ import annotations

import pytest

import genelm


def _text(answer) -> str:
    return " ".join(s.text for s in answer.sentences)


def test_an_encode_accession_is_described_from_the_bundled_index():
    answer = genelm.ask("Describe ENCSR000AKD.", offline=True)
    assert answer.short_answer == "Histone ChIP-seq; H3K27me3; GM12878"
    (ev,) = answer.evidence
    assert ev.key == "encode-index:ENCSR000AKD" and ev.origin == "bundled"
    assert "rows" in _text(answer) and "not a live portal query" in _text(answer)


def test_an_accession_nothing_holds_is_a_scoped_negative():
    answer = genelm.ask("Describe ENCSR999ZZZ.", offline=True)
    assert not answer.evidence
    assert "bundled ENCODE metadata exports hold ENCSR999ZZZ" in _text(answer) or \
        "hold ENCSR999ZZZ" in _text(answer)


def test_enformer_tracks_come_from_the_targets_table_without_the_graph(tmp_path):
    answer = genelm.ask("Which Enformer output tracks correspond to H3K4me3 in HepG2?", offline=True,
                        settings=genelm.Settings(cache_dir=tmp_path, graph_autobuild=False))
    assert answer.intent == "enformer_tracks"
    assert set(answer.short_answer.split(", ")) == {"717", "1182", "3227"}
    assert all(e.source == "enformer-targets" for e in answer.evidence)
    assert not (tmp_path / "graph").exists()  # the graph was neither needed nor built


def test_three_of_the_four_graph_questions_answer_from_bundled_tables_and_never_build_the_graph(tmp_path):
    """The default suite's half of the slow test below: with graph_autobuild on, nothing is built or started."""
    _three_bundled_answers(genelm.Settings(cache_dir=tmp_path), tmp_path)  # graph_autobuild is on by default


def _three_bundled_answers(settings, tmp_path) -> None:
    polr2a = genelm.ask("Which biosamples have POLR2A ChIP-seq?", offline=True, settings=settings)
    assert "K562" in polr2a.short_answer.split(", ") and polr2a.evidence[0].key == "encode-chip2019:POLR2A"
    ccres = genelm.ask("What cCREs are near GATA1?", offline=True, settings=settings)
    assert "EH38E" in _text(ccres)
    tracks = genelm.ask("Which Enformer output tracks correspond to H3K4me3 in HepG2?", offline=True,
                        settings=settings)
    assert tracks.short_answer
    assert not (tmp_path / "graph").exists()  # none of these waited for the graph


def test_the_histone_mark_question_is_answered_from_the_graph(bundled_graph):
    """The other half, on the session's graph (tests/conftest.py): the answer reads the graph, with no gap."""
    settings, _ = bundled_graph
    marks = genelm.ask("What histone marks were profiled in GM12878?", offline=True, settings=settings)
    assert "H3K27me3" in _text(marks) and any(e.source == "graph" for e in marks.evidence)
    assert not any("genelm graph build" in g for g in marks.gaps)


@pytest.mark.slow  # builds the whole graph on first use (about 45 s); the two tests above cover it in parts
def test_the_four_graph_questions_answer_on_a_machine_where_the_graph_was_never_built(tmp_path):
    """Three are answered by bundled tables without the graph; the histone-mark question builds it on first use."""
    pytest.importorskip("arcadedb_embedded")
    from genelm.graph.connection import embedded_server

    settings = genelm.Settings(cache_dir=tmp_path, graph_heap="1g")  # graph_autobuild is on by default
    try:
        _three_bundled_answers(settings, tmp_path)
        marks = genelm.ask("What histone marks were profiled in GM12878?", offline=True, settings=settings)
        assert "H3K27me3" in _text(marks) and any(e.source == "graph" for e in marks.evidence)
        assert not any("genelm graph build" in g for g in marks.gaps)
    finally:
        embedded_server(settings).stop()
