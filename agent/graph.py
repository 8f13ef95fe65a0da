"""The agent graph (LangGraph): ground -> plan -> act -> (plan again | synthesize) -> verify.

Plans come from the deterministic intents (the offline default, and the safety
net an LLM planner falls back to).  Calls in one step run concurrently; a call
that fails becomes a stated gap, never an exception in the user's face.
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph

from genelm.agent.calls import ToolContext
from genelm.agent.entities import Entity
from genelm.agent.events import Emit, _no_events, tool_event
from genelm.agent.grounding import ground
from genelm.agent.intents import Question
from genelm.agent.router import choose_intent, intent_by_name
from genelm.agent.synthesis_types import Sentence, Synthesis
from genelm.agent.verify import verify
from genelm.connectors.errors import GenelmError, SourceError
from genelm.evidence import Evidence

MAX_STEPS = 4


class AgentState(TypedDict, total=False):
    question: str
    entities: list[Entity]
    intent: str | None
    step: int
    pending: list[Any]
    ledger: dict[str, Evidence]
    calls: list[dict]
    gaps: list[str]
    synthesis: Synthesis
    kept: list[Sentence]
    dropped: list[tuple[Sentence, str]]


def _question(state: AgentState) -> Question:
    return Question(state["question"], state["entities"])


def make_ground(emit: Emit = _no_events):
    def node_ground(state: AgentState) -> AgentState:
        entities = ground(state["question"])
        intent = choose_intent(Question(state["question"], entities))
        emit({"event": "grounded", "intent": intent.name if intent else None,
              "entities": [f"{e.kind}: {e.value}" for e in entities]})
        return {"entities": entities, "intent": intent.name if intent else None, "step": 0, "ledger": {},
                "calls": [], "gaps": []}

    return node_ground


def node_plan(state: AgentState) -> AgentState:
    intent = intent_by_name(state["intent"]) if state.get("intent") else None
    if intent is None or state["step"] >= MAX_STEPS:
        return {"pending": []}
    planned = intent.steps(_question(state), state["ledger"], state["step"])
    done = {c["call"] for c in state["calls"]}
    # The same call twice in one question would only repeat a failure or a result.
    return {"pending": [c for c in dict.fromkeys(planned) if c.describe() not in done]}


def _run_one(call, ctx: ToolContext) -> tuple[list[Evidence], str | None, float]:
    started = time.perf_counter()
    try:
        return call.run(ctx), None, time.perf_counter() - started
    except SourceError as exc:
        return [], f"{exc.source} did not answer for {call.describe()}: {exc.reason}", time.perf_counter() - started
    except GenelmError as exc:
        return [], f"{call.describe()} failed: {exc}", time.perf_counter() - started
    except Exception as exc:  # a bug or an upstream shape we did not foresee: report, keep answering
        return [], f"{call.describe()} failed unexpectedly ({type(exc).__name__}: {exc})", time.perf_counter() - started


def make_act(ctx: ToolContext, max_workers: int, emit: Emit = _no_events):
    def run_reported(call) -> tuple[list[Evidence], str | None, float]:
        emit(tool_event("tool_start", call))
        evidence, error, seconds = _run_one(call, ctx)
        emit(tool_event("tool_end", call, seconds=seconds, error=error, evidence=[e.key for e in evidence]))
        return evidence, error, seconds

    def node_act(state: AgentState) -> AgentState:
        pending = state.get("pending") or []
        ledger = dict(state["ledger"])
        calls = list(state["calls"])
        gaps = list(state["gaps"])
        workers = max(1, min(max_workers, len(pending)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run_reported, pending))
        for call, (evidence, error, seconds) in zip(pending, results):
            for ev in evidence:
                ledger[ev.key] = ev
            calls.append({"call": call.describe(), "tool": call.tool, "step": state["step"], "seconds": round(seconds, 4),
                          "evidence": [e.key for e in evidence], "error": error})
            if error:
                gaps.append(error)
        gaps.extend(ctx.take_gaps())
        return {"ledger": ledger, "calls": calls, "gaps": gaps, "step": state["step"] + 1, "pending": []}

    return node_act


def node_synthesize(state: AgentState) -> AgentState:
    intent = intent_by_name(state["intent"]) if state.get("intent") else None
    if intent is None:
        s = Synthesis()
        s.note(
            "genelm could not tell what this question asks for. It answers questions about genes (symbols, aliases, "
            "Ensembl IDs, locations, function), SNPs and variants (regulatory evidence), regions (genes, cCREs, tracks), "
            "diseases, DNA sequences (BLAST), ENCODE experiments and GEO series; for example: "
            "'What is the official gene symbol of SNAT6?'"
        )
        return {"synthesis": s}
    return {"synthesis": intent.answer(_question(state), state["ledger"])}


def node_verify(state: AgentState) -> AgentState:
    verdict = verify(state["synthesis"].sentences, state["ledger"])
    return {"kept": verdict.kept, "dropped": verdict.dropped}


def _after_plan(state: AgentState) -> str:
    return "act" if state.get("pending") else "synthesize"


def build_graph(ctx: ToolContext, max_workers: int = 8, emit: Emit = _no_events):
    """``emit`` receives progress events (see genelm.agent.events) as the graph runs."""
    graph = StateGraph(AgentState)
    graph.add_node("ground", make_ground(emit))
    graph.add_node("plan", node_plan)
    graph.add_node("act", make_act(ctx, max_workers, emit))
    graph.add_node("synthesize", node_synthesize)
    graph.add_node("verify", node_verify)
    graph.add_edge(START, "ground")
    graph.add_edge("ground", "plan")
    graph.add_conditional_edges("plan", _after_plan, {"act": "act", "synthesize": "synthesize"})
    graph.add_edge("act", "plan")
    graph.add_edge("synthesize", "verify")
    graph.add_edge("verify", END)
    return graph.compile()
