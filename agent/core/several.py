"""Several questions in one message, each answered in turn under its own short answer.

"Which tissues express INS most, and is its promoter active in K562?" is two questions: the second
refers back to the first ('its'), as a follow-up in a thread would, and is resolved the same way
(``follow_up.resolve_follow_up``).  A message is split only when at least two of its parts are
questions genelm understands; "What is X? Let's think step by step." stays one question.
"""
from __future__ import annotations

from genelm.agent.core.contract import split_questions
from genelm.agent.core.follow_up import resolve_follow_up
from genelm.agent.core.synthesis import Sentence, Synthesis
from genelm.agent.grounding import ground
from genelm.agent.grounding.frames import understand
from genelm.i18n import tr


def questions_in(message: str) -> list[str]:
    """The whole questions a message asks (follow-up parts resolved), or [message] for a single one."""
    parts = split_questions(message)
    if len(parts) < 2:
        return [message]
    resolved: list[str] = []
    history: list[dict] = []
    for part in parts:
        whole = resolve_follow_up(part, history) or part
        entities = ground(whole)
        if understand(whole, entities).ask == "unknown":
            continue
        resolved.append(whole)
        history.append({"question": part, "resolved": whole, "entities": [e.model_dump() for e in entities]})
    return resolved if len(resolved) > 1 else [message]


def merge(message: str, states: list[dict]) -> dict:
    """One answer state from the states of each question: each part under its own heading and short answer."""
    kept: list[Sentence] = []
    shorts: list[str] = []
    parts = []
    for number, state in enumerate(states, start=1):
        synthesis = state["synthesis"]
        factual = any(s.factual for s in state["kept"])
        short = synthesis.short_answer if factual or synthesis.verdict == "cannot tell" else None
        shorts.append(f"{number}) {short or '—'}")
        kept.append(Sentence(tr("Question {number}: {question} — answer: {short}", number=number,
                                question=state["question"], short=short or "—"), [], factual=False, part="heading"))
        kept.extend(state["kept"])
        parts.append({"question": state["question"], "frame": state.get("frame"), "short_answer": short,
                      "intent": state.get("intent")})
    first = states[0]
    merged_synthesis = Synthesis(kept, "; ".join(shorts))
    return {
        "question": message, "resolved": message,
        "entities": [e for state in states for e in state["entities"]],
        "frame": first.get("frame"), "intent": "several questions", "parts": parts,
        "ledger": {k: v for state in states for k, v in state["ledger"].items()},
        "calls": [c for state in states for c in state["calls"]],
        "gaps": [g for state in states for g in state["gaps"]],
        "synthesis": merged_synthesis, "kept": kept,
        "dropped": [d for state in states for d in state["dropped"]], "llm_log": [],
    }
