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


def test_the_four_graph_questions_answer_from_bundled_tables_and_never_build_the_graph(tmp_path):
    """With graph_autobuild on, nothing is built or started: the bundled tables answer all four at once."""
    _four_bundled_answers(genelm.Settings(cache_dir=tmp_path), tmp_path)  # graph_autobuild is on by default


def _four_bundled_answers(settings, tmp_path) -> None:
    polr2a = genelm.ask("Which biosamples have POLR2A ChIP-seq?", offline=True, settings=settings)
    assert "K562" in polr2a.short_answer.split(", ") and polr2a.evidence[0].key == "encode-chip2019:POLR2A"
    ccres = genelm.ask("What cCREs are near GATA1?", offline=True, settings=settings)
    assert "EH38E" in _text(ccres)
    tracks = genelm.ask("Which Enformer output tracks correspond to H3K4me3 in HepG2?", offline=True,
                        settings=settings)
    assert tracks.short_answer
    marks = genelm.ask("What histone marks were profiled in GM12878?", offline=True, settings=settings)
    # The marks, and only histone experiments: a TF ChIP-seq (CTCF) in GM12878 is not a histone mark.
    assert {"H3K27me3", "H3K4me3", "H3K27ac"} <= set(marks.short_answer.split(", "))
    assert "CTCF" not in marks.short_answer and "TF ChIP-seq" not in _text(marks)
    assert all(e.source == "encode-index" for e in marks.evidence) and marks.citations_ok
    assert not (tmp_path / "graph").exists()  # none of these waited for the graph


def test_the_histone_mark_question_is_answered_from_the_graph(bundled_graph):
    """Once a graph is built (the session's graph, tests/conftest.py) the answer reads it, with no gap."""
    settings, _ = bundled_graph
    marks = genelm.ask("What histone marks were profiled in GM12878?", offline=True, settings=settings)
    assert "H3K27me3" in _text(marks) and any(e.source == "graph" for e in marks.evidence)
    assert not any("genelm graph build" in g for g in marks.gaps)


@pytest.mark.slow  # builds the whole graph on first use (about 45 s)
def test_a_question_asked_of_the_graph_builds_it_on_first_use(tmp_path):
    """Named, the knowledge graph is built on first use and read; unnamed, the bundled tables answer at once."""
    pytest.importorskip("arcadedb_embedded")
    from genelm.graph.connection import embedded_server

    settings = genelm.Settings(cache_dir=tmp_path, graph_heap="1g")  # graph_autobuild is on by default
    try:
        _four_bundled_answers(settings, tmp_path)
        marks = genelm.ask("In the knowledge graph, what histone marks were profiled in GM12878?", offline=True,
                           settings=settings)
        assert "H3K27me3" in _text(marks) and any(e.source == "graph" for e in marks.evidence)
        assert not any("genelm graph build" in g for g in marks.gaps)
    finally:
        embedded_server(settings).stop()
