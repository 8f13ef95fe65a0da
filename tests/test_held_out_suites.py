"""The held-out user suites (written by helpers who read neither the rules nor the glossaries) keep their score.

Each was scored once at first sight before anything was fixed for it (the issue notes give those scores);
these floors sit a little under what they score now, offline, so a change that loses a kind of question
fails here.  What is left is mostly out of reach offline: other organisms' data, dbSNP records of rsIDs
without a recording, and counts whose filter (a 50 kb window, GRCh37) the bundled data cannot apply.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import genelm
from genelm.evals.rules import score_contract
from genelm.evals.suite import load_suite

SUITES = Path(__file__).resolve().parents[1] / "evals" / "suites"
FLOORS = {"holdout_users_en": 0.93, "holdout_users_cjk": 0.95, "holdout_users_3": 0.95, "holdout_users_4": 0.90}


@pytest.mark.slow  # about two minutes a suite on two cores
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_a_held_out_suite_keeps_its_score(name):
    items = load_suite(SUITES / f"{name}.jsonl")
    scores = {item.question: score_contract(item.answer, genelm.ask(item.question, offline=True)) for item in items}
    mean = sum(s["score"] for s in scores.values()) / len(scores)
    worst = sorted(scores.items(), key=lambda kv: kv[1]["score"])[:8]
    assert mean >= FLOORS[name], f"{name}: {mean:.3f} < {FLOORS[name]}; lowest: " + "; ".join(
        f"{q!r} {s['score']:.2f} {s['detail']}" for q, s in worst)
