"""Generated inputs never crash the parsers (a clear InputError is fine); concurrent asks don't bleed state."""
from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import genelm
from genelm.agent.grounding import ground, parse_region
from genelm.connectors.blast_report import parse_report
from genelm.connectors.errors import InputError
from genelm.connectors.ncbi_parse import parse_gene_text
from genelm.connectors.recordings import read_recordings

# CI runs a small budget; a dedicated run sets GENELM_FUZZ_EXAMPLES=10000 (or more).
FUZZ = settings(max_examples=int(os.environ.get("GENELM_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
question_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200) | st.builds(
    lambda a, b, c: f"{a} chr{b}:{c} rs{b} ENSG{c}",
    st.text(max_size=30), st.integers(-5, 30), st.text(alphabet="0123456789,-.", max_size=25),
)


@FUZZ
@given(question_text)
def test_grounding_never_crashes(text):
    try:
        entities = ground(text)
    except InputError:
        return
    for e in entities:
        assert 0 <= e.span[0] <= e.span[1] <= len(text)


@FUZZ
@given(st.text(alphabet="chrXYM0123456789:,-–. hg1938GRCh", max_size=40))
def test_region_parsing_is_valid_or_a_clear_error(text):
    try:
        region = parse_region(text)
    except InputError as exc:
        assert str(exc)
        return
    assert 1 <= region.start <= region.end and region.assembly in ("GRCh37", "GRCh38")


@FUZZ
@given(st.text(max_size=500))
def test_text_parsers_never_crash(text):
    parse_gene_text(text)
    parse_report(text)


@FUZZ
@given(st.lists(st.one_of(st.text(max_size=50), st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3).map(json.dumps)), max_size=4))
def test_recording_files_are_read_or_rejected_clearly(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("rec") / "r.jsonl"
    path.write_text("\n".join(line.replace("\n", " ") for line in lines))
    try:
        read_recordings(path)
    except InputError as exc:
        assert str(path) in str(exc)


QUESTIONS = [
    "What is the official gene symbol of SNAT6?",
    "Which ENCODE experiments target ARID3A in HepG2 on hg19?",
    "Which ENCODE experiments profile POLR2A in GM12878?",
    "What is the official gene symbol of TP53?",
    "Which chromosome is FAM66D gene located on human genome?",
]


def test_twenty_concurrent_asks_match_sequential_answers():
    sequential = {q: genelm.ask(q, offline=True) for q in QUESTIONS}
    jobs = [QUESTIONS[i % len(QUESTIONS)] for i in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        concurrent = list(pool.map(lambda q: genelm.ask(q, offline=True), jobs))
    for q, answer in zip(jobs, concurrent):
        expected = sequential[q]
        assert answer.short_answer == expected.short_answer
        assert [s.text for s in answer.sentences] == [s.text for s in expected.sentences]
        assert [e.key for e in answer.evidence] == [e.key for e in expected.evidence]
