"""The answer-contract suite (issue 23): its schema, and the ``contract`` rule scored on hand-made answers."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from genelm.agent.answer import Answer, SentenceOut
from genelm.agent.core.frame import ASKS, CONSTRAINTS
from genelm.evals.rules import CONTRACT_FORMS, CONTRACT_TYPES, score_contract
from genelm.evals.suite import load_suite
from genelm.evidence import Evidence

SUITE = Path(__file__).resolve().parents[1] / "evals" / "suites" / "answer_contract.jsonl"


def _lines() -> list[dict]:
    return [json.loads(line) for line in SUITE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _check_unit(frame: dict, short: dict, where: str) -> None:
    assert set(frame) == {"ask", "about", "constraints", "form"}, where
    assert frame["ask"] in ASKS and frame["ask"] != "unknown", where
    assert frame["form"] in CONTRACT_FORMS, where
    assert isinstance(frame["about"], list) and all(isinstance(a, str) for a in frame["about"]), where
    for key, values in frame["constraints"].items():
        assert key in CONSTRAINTS, where
        assert isinstance(values, list) and values and all(isinstance(v, str) and v.strip() for v in values), where
    assert set(short) <= {"type", "expect"} and short["type"] in CONTRACT_TYPES, where
    if "expect" in short:
        assert isinstance(short["expect"], list) and short["expect"] and all(isinstance(e, str) for e in short["expect"])


def test_suite_schema():
    lines = _lines()
    assert len(lines) >= 200
    assert Counter(r["writer"] for r in lines).keys() == {"A", "B"}
    questions = [r["question"].strip().lower() for r in lines]
    assert len(questions) == len(set(questions)), "a question is in the suite twice"
    assert any(re.search(r"[\u4e00-\u9fff]", q) for q in questions), "the suite holds Chinese questions"
    for n, r in enumerate(lines, start=1):
        where = f"line {n}: {r['question']}"
        assert r["suite"] == "answer-contract" and r["score"] == "contract" and r["task"], where
        if r.get("form") == "multi":
            assert "frame" not in r and "short" not in r, where
            assert isinstance(r["parts"], list) and len(r["parts"]) >= 2, where
            for p in r["parts"]:
                assert set(p) == {"frame", "short"}, where
                _check_unit(p["frame"], p["short"], where)
        else:
            assert "parts" not in r and "form" not in r, where
            _check_unit(r["frame"], r["short"], where)
    items = load_suite(SUITE)
    assert len(items) == len(lines) and all(i.rule == "contract" and i.answer == r for i, r in zip(items, lines))


# ------------------------------------------------------------------------------------------------ fake answers

def _ev(key: str, **params) -> Evidence:
    return Evidence(key=key, source="test", title=key, params=params, sha256="0" * 64)


def _answer(short, form, constraints=None, sentences=(("An answer sentence.", ["ev:1"]),), evidence=None,
            table=(), **trace) -> Answer:
    frame = {"ask": "experiments", "about": [], "constraints": constraints or {}, "form": form, "understood": []}
    return Answer(question="q", short_answer=short,
                  sentences=[SentenceOut(text=t, citations=c, factual=bool(c)) for t, c in sentences],
                  evidence=evidence if evidence is not None else [_ev("ev:1")], table=list(table),
                  trace={"frame": frame, **trace})


def _gold(form, short_type, constraints=None, expect=None) -> dict:
    short = {"type": short_type} | ({"expect": expect} if expect else {})
    return {"frame": {"ask": "experiments", "about": [], "constraints": constraints or {}, "form": form}, "short": short}


@pytest.mark.parametrize("short_type, form, good, bad", [
    ("yes_no", "yes_no", "Yes", "CEBPB, CTCF, MAX"),
    ("yes_no", "yes_no", "cannot tell from the bundled ENCODE files", None),
    ("yes_no", "yes_no", "no", "nothing"),
    ("number", "count", "354", "chrX"),
    ("number", "factoid", "12.5 TPM", "high"),
    ("band", "factoid", "17q24.3", "chr17"),
    ("band", "factoid", "Xq27.3", "q27"),
    ("coordinate", "factoid", "chrX:48,786,554 (+ strand)", "chrX"),
    ("list", "list", "GATA1, TAL1", "yes"),
    ("list", "list", "MYC", ""),
    ("symbol", "factoid", "SLC38A6", "the gene SLC38A6"),
    ("symbol", "factoid", "Trp53", None),
    ("text", "factoid", "chr5", ""),
])
def test_short_answer_types(short_type, form, good, bad):
    assert score_contract(_gold(form, short_type), _answer(good, form))["short"] == 1.0
    if bad is not None:
        result = score_contract(_gold(form, short_type), _answer(bad, form))
        assert result["short"] == 0.0 and any(d.startswith(f"short {short_type}") for d in result["detail"])


def test_narrative_and_table_short_answers():
    assert score_contract(_gold("narrative", "text"), _answer(None, "narrative"))["short"] == 1.0
    assert score_contract(_gold("narrative", "text"), _answer(None, "narrative", sentences=()))["short"] == 0.0
    assert score_contract(_gold("comparison", "table"), _answer(None, "comparison", table=[{"gene": "A"}]))["short"] == 1.0
    assert score_contract(_gold("comparison", "table"), _answer(None, "comparison"))["short"] == 0.0


def test_expected_values_are_matched_as_whole_tokens():
    chromosome = ["5", "chr5", "chromosome 5"]
    assert score_contract(_gold("factoid", "text", expect=chromosome), _answer("chr5", "factoid"))["short"] == 1.0
    assert score_contract(_gold("factoid", "text", expect=chromosome), _answer("chr15", "factoid"))["short"] == 0.0
    # the first sentence may carry it when the short answer is terser
    ok = _answer("5q13.2", "factoid", sentences=(("SMN1 is on chromosome 5 (5q13.2).", ["ev:1"]),))
    assert score_contract(_gold("factoid", "text", expect=chromosome), ok)["short"] == 1.0
    assert score_contract(_gold("factoid", "band", expect=["20q13.12"]), _answer("20q13.12", "factoid"))["short"] == 1.0
    assert score_contract(_gold("factoid", "band", expect=["20q13.12"]), _answer("20q13.13", "factoid"))["short"] == 0.0
    assert score_contract(_gold("factoid", "symbol", expect=["VEGFA"]), _answer("VEGFB", "factoid"))["short"] == 0.0


def test_form_must_match():
    result = score_contract(_gold("yes_no", "yes_no"), _answer("yes", "list"))
    assert result["form"] == 0.0 and "form: list (gold yes_no)" in result["detail"]
    assert result["score"] == pytest.approx(2 / 3)


def test_constraints_applied_in_cited_evidence_or_named_as_not_applied():
    cons = {"target": ["POLR2A"], "biosample": ["HepG2"], "assay": ["TF ChIP-seq"]}
    gold = _gold("count", "number", cons)
    applied = _ev("ev:1", parameters={"biosample": "HepG2", "target": "POLR2A", "assay": "TF ChIP-seq"})
    full = score_contract(gold, _answer("3", "count", cons, evidence=[applied]))
    assert full["constraints"] == 1.0 and full["score"] == 1.0 and full["detail"] == []
    # the target dropped from the evidence, and not said: 2 of 3 constraints count
    dropped = _ev("ev:1", parameters={"biosample": "HepG2", "assay": "ChIP-seq"})
    result = score_contract(gold, _answer("354", "count", cons, evidence=[dropped]))
    assert result["constraints"] == pytest.approx(1 / 3)  # 'TF ChIP-seq' is not a substring of 'ChIP-seq' either
    assert any("target=POLR2A" in d for d in result["detail"])
    # named as not applied: it counts
    said = (("354 ChIP-seq experiments in HepG2.", ["ev:1"]),
            ("The question's target (POLR2A) was not applied.", []), ("The assay TF ChIP-seq was not applied.", []))
    assert score_contract(gold, _answer("354", "count", cons, sentences=said, evidence=[dropped]))["constraints"] == 1.0
    # evidence that is not cited does not count
    uncited = _answer("3", "count", cons, sentences=(("Three.", ["ev:2"]),), evidence=[applied, _ev("ev:2")])
    assert score_contract(gold, uncited)["constraints"] == 0.0
    # the frame must hold the constraint, whatever the evidence says
    lost = score_contract(gold, _answer("3", "count", {"biosample": ["HepG2"]}, evidence=[applied]))
    assert lost["constraints"] == pytest.approx(1 / 3) and any("not in the answer's frame" in d for d in lost["detail"])
    # no gold constraints: 1.0
    assert score_contract(_gold("count", "number"), _answer("3", "count"))["constraints"] == 1.0


def test_cell_types_match_their_encode_term_or_proxy():
    gold = _gold("list", "list", {"biosample": ["erythroid cell"]})
    by_term = _answer("GATA1", "list", {"biosample": ["erythroblast"]}, evidence=[_ev("ev:1", biosample="ERYTHROBLAST")])
    assert score_contract(gold, by_term)["constraints"] == 1.0
    proxy_note = (("GATA1 binds.", ["ev:1"]), ("K562, an erythroleukaemia line, stands in for erythroid cells.", []))
    by_proxy = _answer("GATA1", "list", {"biosample": ["K562"]}, sentences=proxy_note, evidence=[_ev("ev:1", biosample="K562")])
    assert score_contract(gold, by_proxy)["constraints"] == 1.0
    other = _answer("GATA1", "list", {"biosample": ["HepG2"]}, evidence=[_ev("ev:1", biosample="HepG2")])
    assert score_contract(gold, other)["constraints"] == 0.0
    # a cell type with no bundled proxy is matched by its ENCODE term and answered by a stated gap
    mono = _gold("yes_no", "yes_no", {"biosample": ["monocyte"]})
    gap = _answer("cannot tell", "yes_no", {"biosample": ["CD14-positive monocyte"]},
                  sentences=(("cannot tell", []), ("No bundled per-cell file covers monocytes.", [])))
    assert score_contract(mono, gap)["constraints"] == 1.0


def test_organism_defaults_to_human_and_is_named_by_common_name():
    gold = _gold("factoid", "text", {"organism": ["Homo sapiens"]})
    assert score_contract(gold, _answer("chr4", "factoid", evidence=[_ev("ev:1", organism="Homo sapiens")]))["constraints"] == 1.0
    mouse = _gold("yes_no", "yes_no", {"organism": ["Mus musculus"]})
    note = (("cannot tell", []), ("The bundled promoter tables are human only and cannot answer for mouse.", []))
    assert score_contract(mouse, _answer("cannot tell", "yes_no", {"organism": ["Mus musculus"]}, sentences=note))[
        "constraints"] == 1.0
    # human data passed off as mouse: the frame lost the organism
    assert score_contract(mouse, _answer("yes", "yes_no", sentences=note))["constraints"] == 0.0


def test_multi_scores_each_part_in_order():
    gold = {"form": "multi", "parts": [_gold("factoid", "band", expect=["17p13.1"]),
                                       _gold("yes_no", "yes_no", {"biosample": ["GM12878"]})]}
    frame1 = {"ask": "gene_location", "about": ["TP53"], "constraints": {}, "form": "factoid"}
    frame2 = {"ask": "promoter_activity", "about": ["TP53"], "constraints": {"biosample": ["GM12878"]}, "form": "yes_no"}
    ev = [_ev("ev:1"), _ev("ev:2", biosample="GM12878")]
    sentences = (("TP53 is at 17p13.1.", ["ev:1"]), ("Its promoter is active in GM12878.", ["ev:2"]))
    parts = [{"frame": frame1, "short_answer": "17p13.1"}, {"frame": frame2, "short_answer": "Yes"}]
    both = score_contract(gold, _answer("17p13.1", "factoid", sentences=sentences, evidence=ev, parts=parts))
    assert both["score"] == 1.0 and both["detail"] == [] and len(both["parts"]) == 2
    one = score_contract(gold, _answer("17p13.1", "factoid", sentences=sentences, evidence=ev, parts=parts[:1]))
    assert one["score"] == pytest.approx(0.5) and "part 2: not answered" in one["detail"]
    swapped = score_contract(gold, _answer("x", "factoid", sentences=sentences, evidence=ev, parts=parts[::-1]))
    assert swapped["form"] == 0.0
    none = score_contract(gold, _answer("17p13.1", "factoid", sentences=sentences, evidence=ev))
    assert none["score"] == 0.0 and none["detail"][0].startswith("form: one answer for 2 questions")


def test_runner_scores_a_contract_item(tmp_path, monkeypatch):
    import genelm.evals.runner as runner

    line = {"suite": "answer-contract", "writer": "A", "task": "count", "score": "contract",
            "question": "How many RAMPAGE experiments does ENCODE have for GM12878?"} | _gold(
        "count", "number", {"assay": ["RAMPAGE"], "biosample": ["GM12878"]})
    suite = tmp_path / "contract.jsonl"
    suite.write_text(json.dumps(line) + "\n")
    fake = _answer("4", "count", {"assay": ["RAMPAGE"], "biosample": ["GM12878"]},
                   evidence=[_ev("ev:1", assay="RAMPAGE", biosample="GM12878")])
    monkeypatch.setattr(runner, "ask", lambda question, **kw: fake)
    rows, _ = runner.run_eval([suite], tmp_path / "run", offline=True)
    result = json.loads((tmp_path / "run" / "results.jsonl").read_text().splitlines()[0])
    assert rows[0]["score"] == 1.0 and result["writer"] == "A" and result["detail"] == []
    assert (result["form"], result["constraints"], result["short"]) == (1.0, 1.0, 1.0)
