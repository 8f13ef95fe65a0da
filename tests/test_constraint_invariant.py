"""Every constraint a question states is applied or named, never silently dropped (issue 23).

Two levels:

- understanding (no calls, every question): each constraint of a question's gold frame (every suite line
  scored ``frame`` or ``contract`` in evals/suites) is in the predicted frame, or in ``frame.understood`` as
  "not recognised: …"; and for every other question (the GeneTuring, graph and name suites, and the regulation
  dev suite in ../shared, which have no gold frames) each place, assay, organism or assembly that grounding
  recognised reaches the frame;
- answers (offline, a fixed sample of questions whose asks are answered from the bundled files): each
  constraint of the answer's frame (of each part's frame, for several questions) is among the params of evidence
  the answer cites, or named in the answer
  as not applied (``evals.rules.uncovered_constraints``).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from genelm.agent.core.frame import DEFAULT_ORGANISM
from genelm.evals.rules import frame_holds, said_not_recognised, uncovered_constraints

ROOT = Path(__file__).resolve().parents[1]
SUITES = sorted((ROOT / "evals" / "suites").glob("*.jsonl"))
REGULATION_DEV = ROOT.parent / "shared" / "benchmarks" / "regulation_dev.jsonl"
GOLD_RULES = ("frame", "contract")
# Entities grounding reads as constraints of the question (genes and targets may be subjects instead).
CONSTRAINT_KINDS = ("biosample", "tissue", "assay", "organism", "assembly")


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _gold_frames(line: dict) -> list[dict]:
    if line.get("score") == "frame":
        return [line["frame"]]
    if line.get("score") == "contract":
        return [p["frame"] for p in line["parts"]] if line.get("form") == "multi" else [line["frame"]]
    return []


@lru_cache(maxsize=None)
def _understand(question: str):
    from genelm.agent.grounding import ground
    from genelm.agent.grounding.frames import understand

    entities = ground(question)
    return entities, understand(question, entities)


def _gold_suites() -> list[Path]:
    return [p for p in SUITES if any(_gold_frames(line) for line in _lines(p))]


_GENERIC = {"cell", "cells", "line", "lines", "tissue", "tissues", "primary"}


def _same_place(frame, key: str, value: str) -> bool:
    """A place named by another word of it ('heart' for HPA's 'heart muscle'): not dropped, only named differently
    (whether the frame names it exactly is the ``frame`` rule's business)."""
    if key not in ("biosample", "tissue"):
        return False
    words = set(str(value).lower().split()) - _GENERIC
    return any(words & (set(str(v).lower().split()) - _GENERIC)
               for k in ("biosample", "tissue") for v in frame.values(k))


def _implied_assay(question: str, frame, key: str, value: str) -> bool:
    """'H3K27ac experiments', 'which histone marks': the assay is implied by the mark the frame holds (or the marks
    asked for), not dropped; suites differ on whether a gold frame spells it out."""
    if key != "assay" or value not in ("Histone ChIP-seq", "TF ChIP-seq"):
        return False
    return bool(frame.values("target")) or (value == "Histone ChIP-seq" and "histone" in question.lower())


def _dropped(question: str, gold_frames: list[dict]) -> list[str]:
    """The gold constraint values the predicted frame neither holds nor says it did not recognise."""
    _, frame = _understand(question)
    out = []
    for gold in gold_frames:
        for key, values in (gold.get("constraints") or {}).items():
            for value in values if isinstance(values, list) else [values]:
                if key == "organism" and str(value).lower() == DEFAULT_ORGANISM.lower():
                    if frame.organism.lower() != DEFAULT_ORGANISM.lower():
                        out.append(f"{key}={value} (frame says {frame.organism})")
                elif not (frame_holds(frame, key, value) or _same_place(frame, key, value)
                          or said_not_recognised(frame, value) or _implied_assay(question, frame, key, value)):
                    out.append(f"{key}={value}")
    return list(dict.fromkeys(out))


def _dropped_per_question(message: str, gold_frames: list[dict]) -> list[str]:
    """Several questions in one message are understood one by one (agent/core/several.py): each gold part against
    its own question; a single question against its frame."""
    from genelm.agent.core.several import questions_in

    parts = questions_in(message) if len(gold_frames) > 1 else [message]
    if len(parts) != len(gold_frames):
        return _dropped(message, gold_frames)
    return [d for part, gold in zip(parts, gold_frames) for d in _dropped(part, [gold])]


def _report(failures: list[str], n: int) -> str:
    return f"{len(failures)} of {n} questions drop a stated constraint:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("suite", _gold_suites(), ids=lambda p: p.stem)
def test_gold_constraints_reach_the_frame(suite):
    lines = [line for line in _lines(suite) if _gold_frames(line)]
    failures = []
    for line in lines:
        if dropped := _dropped_per_question(line["question"], _gold_frames(line)):
            _, frame = _understand(line["question"])
            failures.append(f"{line['question']!r}: {', '.join(dropped)} "
                            f"(frame {dict(frame.constraints)}, understood {frame.understood})")
    assert not failures, _report(failures, len(lines))


def _all_questions() -> list[tuple[str, str]]:
    """The questions with no gold frame (a gold frame, where there is one, is what the question states)."""
    out = [(p.stem, line["question"]) for p in SUITES for line in _lines(p) if not _gold_frames(line)]
    if REGULATION_DEV.is_file():
        out += [(REGULATION_DEV.stem, line["question"]) for line in _lines(REGULATION_DEV)]
    return out


@pytest.mark.parametrize("suite", sorted({s for s, _ in _all_questions()}))
def test_grounded_constraints_reach_the_frame(suite):
    """Questions without a gold frame: a cell line, tissue, assay, organism or assembly that grounding recognised in
    the question is a constraint of its frame (or, for a question not understood, among what was recognised)."""
    questions = [q for s, q in _all_questions() if s == suite]
    failures = []
    for question in questions:
        entities, frame = _understand(question)
        lost = []
        for e in entities:
            if e.kind not in CONSTRAINT_KINDS or (e.kind == "organism" and e.value == DEFAULT_ORGANISM):
                continue
            if frame.ask == "unknown" and f"{e.kind}: {e.value}" in frame.understood:
                continue
            held = any(str(e.value).lower() in str(v).lower() for vs in frame.constraints.values() for v in vs)
            if not (held or frame_holds(frame, e.kind, e.value) or said_not_recognised(frame, e.value)):
                lost.append(f"{e.kind}={e.value}")
        if lost:
            failures.append(f"{question!r}: {', '.join(dict.fromkeys(lost))} (frame {dict(frame.constraints)})")
    assert not failures, _report(failures, len(questions))


# ------------------------------------------------------------------------------------------------ answers
# Asks answered from the bundled tables without the knowledge graph, a sequence model or the gene-knowledge
# collection, so the sample runs in about a minute.
FAST_ASKS = {"bound_factors", "promoter_activity", "expression", "tissue_tfs", "factor_targets", "regulation",
             "ccres", "region_contents", "gene_location", "official_symbol", "gene_type", "aliases",
             "factor_binding_biosamples", "experiments"}
SAMPLE_SIZE = 60


def _sample() -> list[tuple[str, str]]:
    """A fixed sample: from each gold suite in turn, the next question that states a constraint and whose gold asks
    are all fast (an experiments question only when it lists, not counts: a count may build the graph)."""
    pools = []
    for suite in _gold_suites():
        pool = []
        for line in _lines(suite):
            frames = _gold_frames(line)
            fast = all(f["ask"] in FAST_ASKS and not (f["ask"] == "experiments" and f["form"] == "count")
                       for f in frames)
            if fast and any(f.get("constraints") for f in frames):
                pool.append((suite.stem, line["question"]))
        pools.append(pool[::3])  # every third: spread over each suite's tasks
    out: list[tuple[str, str]] = []
    while len(out) < SAMPLE_SIZE and any(pools):
        for pool in pools:
            if pool and len(out) < SAMPLE_SIZE:
                out.append(pool.pop(0))
    return out


def test_answers_apply_or_name_every_frame_constraint():
    """About 30 s offline (under a minute, so not marked slow); no sampled ask builds the graph or loads a model."""
    import genelm

    failures = []
    sample = _sample()
    assert len(sample) == SAMPLE_SIZE
    for suite, question in sample:
        answer = genelm.ask(question, offline=True)
        frames = [p.get("frame") or {} for p in answer.trace.get("parts") or []] or [answer.trace.get("frame") or {}]
        lost = [v for f in frames for v in uncovered_constraints(f, answer.sentences, answer.evidence, answer.gaps)]
        if lost:
            failures.append(f"[{suite}] {question!r}: {', '.join(dict.fromkeys(lost))}")
    assert not failures, f"{len(failures)} of {len(sample)} answers neither apply nor name a constraint:\n  " + \
        "\n  ".join(failures)
