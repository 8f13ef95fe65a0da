"""Offline answers that are complete and never wrong by omission (issue #18), from the bundled data alone."""
from __future__ import annotations

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
                        settings=genelm.Settings(cache_dir=tmp_path, graph_autobuild=False)
                        if "graph_autobuild" in genelm.Settings.model_fields else genelm.Settings(cache_dir=tmp_path))
    assert answer.intent == "enformer_tracks"
    assert set(answer.short_answer.split(", ")) == {"717", "1182", "3227"}
    assert all(e.source == "enformer-targets" for e in answer.evidence)
    assert not (tmp_path / "graph").exists()  # the graph was neither needed nor built
