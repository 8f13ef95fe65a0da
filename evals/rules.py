"""Named scoring rules a suite line can ask for with its ``score`` field.

- ``frame``: exact match of the question's frame (ask, form, about, constraints; case-insensitive,
  human by default) against the gold frame.  Only understanding runs, no calls: this scores
  whether genelm understood the question, not whether the data answer it.
- ``symbol_f1``: F1 between the gold symbols and the symbols of the line's ``vocab`` that the
  answer names, leaving out the symbol the question itself names (``tf``: the bundled Lambert TF
  list; ``chip_targets``: the factors of the ENCODE TF ChIP-seq 2015 gene sets).
- ``recall``: the share of gold strings present in the answer, case-insensitive.
- ``narrative``: the mean of cCRE recall, factor F1 (as symbol_f1), whether the gold top tissue
  is named, and whether the answer opens with a cited "In short" paragraph (``in_short_ok``).

Each rule reads the text a user reads: the short answer and the sentences, not the sources list.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_SYMBOL_RE = re.compile(r"(?<![A-Za-z0-9-])[A-Z][A-Z0-9-]{1,15}(?![A-Za-z0-9-])")


def user_text(answer: Any) -> str:
    """The short answer and the sentences: what a person reads (no source titles)."""
    return " ".join([answer.short_answer or "", *(s.text for s in answer.sentences)])


@lru_cache(maxsize=4)
def vocabulary(name: str) -> frozenset[str]:
    if name == "tf":
        from genelm.data import transcription_factors

        return frozenset(transcription_factors())
    if name == "chip_targets":
        from genelm.regulation import chip_targets

        return frozenset(chip_targets())
    raise ValueError(f"unknown vocab '{name}'; use tf or chip_targets")


def named_symbols(text: str, vocab: frozenset[str], question: str) -> set[str]:
    asked = set(_SYMBOL_RE.findall(question))
    return {s for s in _SYMBOL_RE.findall(text) if s in vocab and s not in asked}


def f1(gold: set[str], predicted: set[str]) -> float:
    if not gold and not predicted:
        return 1.0
    hits = len(gold & predicted)
    if not hits:
        return 0.0
    precision, recall = hits / len(predicted), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


def recall(gold: list[str], text: str) -> float:
    lowered = text.lower()
    return sum(str(g).lower() in lowered for g in gold) / len(gold) if gold else 0.0


def in_short_ok(answer: Any) -> bool:
    """The first factual sentence opens the "In short" paragraph (text "In short: …", part "in_short"), the
    paragraph has 2-4 sentences, and each cites evidence the answer holds."""
    factual = [s for s in answer.sentences if s.factual]
    short = [s for s in factual if getattr(s, "part", None) == "in_short"]
    keys = {e.key for e in getattr(answer, "evidence", [])}
    return (bool(factual) and factual[0].text.startswith("In short:") and factual[0] in short
            and 2 <= len(short) <= 4 and all(s.citations and set(s.citations) <= keys for s in short))


def score_rule(item: Any, answer: Any) -> float:
    text = user_text(answer)
    if item.rule == "recall":
        return recall(item.answer, text)
    if item.rule == "symbol_f1":
        return f1(set(item.answer), named_symbols(text, vocabulary(item.vocab), item.question))
    if item.rule == "narrative":
        gold = item.answer
        parts = [recall(gold["ccres"], text),
                 f1(set(gold["tfs"]), named_symbols(text, vocabulary(item.vocab), item.question)),
                 float(gold["tissue"].lower() in text.lower()),
                 float(in_short_ok(answer))]
        return sum(parts) / len(parts)
    raise ValueError(f"unknown scoring rule '{item.rule}'")


def score_frame(item: Any) -> dict:
    """Understand the question (no calls) and compare its frame with the gold frame."""
    from genelm.agent.core.frame import frames_match
    from genelm.agent.grounding import ground
    from genelm.agent.grounding.frames import understand

    frame = understand(item.question, ground(item.question)).model_dump(exclude={"understood"})
    return {"suite": item.suite, "task": item.task, "question": item.question, "gold": item.answer,
            "prediction": frame, "score": float(frames_match(item.answer, frame)), "citations_ok": True,
            "answered": frame["ask"] != "unknown", "citations": [], "error": None, "planned_by": "understanding"}
