"""Generated inputs never crash the parsers (a clear InputError is fine); concurrent asks don't bleed state."""
from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import genelm
from genelm.agent.grounding import ground, parse_region, parse_variant
from genelm.agent.grounding.vocab import gloss_chinese
from genelm.connectors.blast_report import parse_report
from genelm.connectors.errors import InputError
from genelm.connectors.ncbi_parse import parse_gene_text
from genelm.connectors.recordings import read_recordings
from genelm.connectors.regulomedb import check_query, parse_search
from genelm.connectors.ucsc import parse_blat, parse_search as parse_ucsc_search, parse_track_items

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
    read = gloss_chinese(text)  # spans refer to the text the rules read (Chinese terms glossed into English)
    for e in entities:
        assert 0 <= e.span[0] <= e.span[1] <= len(read)
        assert e.text.lower() in read[e.span[0]:e.span[1]].lower() or e.kind == "sequence"


def parsed_or_clear_error(parse, *args):
    """The parse result, or None after checking that the InputError says something."""
    try:
        return parse(*args)
    except InputError as exc:
        assert str(exc)
        return None


@FUZZ
@given(st.text(alphabet="chrXYM0123456789:,-–. hg1938GRCh", max_size=40))
def test_region_parsing_is_valid_or_a_clear_error(text):
    if (region := parsed_or_clear_error(parse_region, text)) is not None:
        assert 1 <= region.start <= region.end and region.assembly in ("GRCh37", "GRCh38")


@FUZZ
@given(st.text(alphabet="chrXYM0123456789:,. ACGTNacgt>-hg1938", max_size=40))
def test_variant_parsing_is_valid_or_a_clear_error(text):
    if (variant := parsed_or_clear_error(parse_variant, text)) is not None:
        assert variant.position >= 1 and variant.ref != variant.alt and set(variant.ref + variant.alt) <= set("ACGT")


@FUZZ
@given(st.text(max_size=60), st.sampled_from(["GRCh37", "GRCh38", "hg19", ""]))
def test_regulome_queries_are_valid_or_a_clear_error(query, genome):
    if (checked := parsed_or_clear_error(check_query, query, genome)) is not None:
        assert checked.startswith(("rs", "chr"))


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=12)


@FUZZ
@given(st.dictionaries(st.sampled_from(["regulome_score", "@graph", "variants", "nearby_snps", "features", "assembly",
                                        "blat", "fields", "positionMatches", "gold"]), json_values, max_size=6))
def test_json_parsers_take_drifted_documents_without_crashing(doc):
    """Schema drift: any shape ends in a parse or a ValueError (which the connectors turn into a SourceError)."""
    for parse in (parse_search, parse_blat, parse_ucsc_search, lambda d: parse_track_items(d, "gold")):
        try:
            parse(doc)
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            if not isinstance(exc, ValueError):
                raise AssertionError(f"{parse} crashed on drift: {exc!r} for {doc!r}") from None


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
    "What regulatory evidence is there at rs229784 on GRCh37?",
    "What genes and cCREs are in chr17:43,000,000-43,200,000?",
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
