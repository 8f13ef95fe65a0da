"""The agent graph (LangGraph): ground -> plan -> act -> (plan again | synthesize) -> verify -> remember.

Plans come from an LLM by tool calling when one is configured (every proposed
call validated and grounded before it runs; agent/llm_plan.py) and otherwise from
the deterministic intents, which are also the safety net an LLM plan falls back
to.  Calls in one step run concurrently; a call that fails becomes a stated gap,
never an exception in the user's face.  With a checkpointer, the state persists
per thread and ``turns`` accumulates, so follow-ups resolve against earlier turns.
"""
from __future__ import annotations

import contextvars
import operator
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, TypedDict

from pydantic import ValidationError

from genelm.agent.core.call import ToolContext
from genelm.agent.core.events import Emit, _no_events, tool_event
from genelm.agent.core.follow_up import resolve_follow_up
from genelm.agent.core.contract import enforce
from genelm.agent.core.forms import not_understood, shape
from genelm.agent.core.frame import Frame
from genelm.agent.core.question import Question
from genelm.agent.core.registry import choose_intent, intent_by_name
from genelm.agent.core.synthesis import Sentence, Synthesis
from genelm.agent.core.verify import verify
from genelm.agent.grounding import ground
from genelm.agent.grounding.entities import Entity
from genelm.agent.grounding.frames import understand
from genelm.agent.grounding.vocab import gloss_chinese
from genelm.agent.llm.argument_check import GroundingSources
from genelm.connectors.errors import GenelmError
from genelm.evidence import Evidence
from genelm.i18n import tr

MAX_STEPS = 4


class AgentState(TypedDict, total=False):
    question: str  # as asked
    resolved: str  # the whole question a follow-up stands for (== question otherwise)
    entities: list[Entity]
    frame: dict  # the question's Frame (model_dump), what understanding made of it
    offline: bool  # replay only: capabilities plan no live-only calls and say what was not queried
    intent: str | None
    step: int
    pending: list[Any]
    pending_ids: dict[str, str]  # LLM tool-call id -> call description, to hand results back
    ledger: dict[str, Evidence]
    calls: list[dict]
    gaps: list[str]
    synthesis: Synthesis
    kept: list[Sentence]
    dropped: list[tuple[Sentence, str]]
    # The LLM path
    planner: str  # "llm" | "grounded"
    grounded_from: int  # the step at which the grounded plan took over
    llm_messages: list[Any]  # LangChain messages (the LLM path only)
    llm_log: list[dict]
    # A thread's memory: one entry per finished turn (checkpointed)
    turns: Annotated[list[dict], operator.add]


def _question(state: AgentState) -> Question:
    return Question(gloss_chinese(state["resolved"]), state["entities"], Frame(**state["frame"]),
                    offline=bool(state.get("offline")), raw=state["resolved"])


def make_ground(emit: Emit = _no_events, planner: Any = None, offline: bool = False):
    def node_ground(state: AgentState) -> AgentState:
        history = state.get("turns") or []
        resolved = resolve_follow_up(state["question"], history) or state["question"]
        entities = ground(resolved)
        frame = understand(resolved, entities)
        intent = choose_intent(Question(gloss_chinese(resolved), entities, frame, offline=offline, raw=resolved))
        emit({"event": "grounded", "intent": intent.name if intent else None, "frame": frame.brief(),
              "entities": [f"{e.kind}: {e.value}" for e in entities],
              **({"resolved": resolved} if resolved != state["question"] else {})})
        update: AgentState = {
            "resolved": resolved, "entities": entities, "frame": frame.model_dump(), "offline": offline,
            "intent": intent.name if intent else None, "step": 0,
            "ledger": {}, "calls": [], "gaps": [], "pending": [], "pending_ids": {}, "llm_log": [],
            "planner": "llm" if planner is not None else "grounded", "grounded_from": 0, "llm_messages": [],
        }
        if planner is not None:
            from genelm.agent.llm.plan import opening_messages

            update["llm_messages"] = opening_messages(resolved, history, frame)
        return update

    return node_ground


def _grounded_plan(state: AgentState) -> AgentState:
    intent = intent_by_name(state["intent"]) if state.get("intent") else None
    if intent is None:
        return {"pending": [], "pending_ids": {}}
    try:
        planned = intent.steps(_question(state), state["ledger"], state["step"] - state.get("grounded_from", 0))
    except ValidationError as exc:
        # A value the question supplied that a call's schema refuses (a family name where one gene symbol goes):
        # said as a gap naming the value, never a traceback; what was already retrieved still answers.
        return {"pending": [], "pending_ids": {}, "gaps": [*state["gaps"], _refused_value(exc)]}
    done = {c["call"] for c in state["calls"]}
    # The same call twice in one question would only repeat a failure or a result.
    return {"pending": [c for c in dict.fromkeys(planned) if c.describe() not in done], "pending_ids": {}}


def _refused_value(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = ".".join(str(x) for x in error.get("loc", ())) or "a value"
    return tr("genelm could not look up {value!r} as {field} ({problem}); ask again naming one gene by its symbol "
              "(for example RELA rather than NF-κB).", value=error.get("input"), field=field,
              problem=error.get("msg", "not accepted"))


def make_plan(planner: Any = None, emit: Emit = _no_events, max_steps: int = MAX_STEPS):
    def node_plan(state: AgentState) -> AgentState:
        if state["step"] >= max_steps:
            return {"pending": [], "pending_ids": {}}
        if state.get("planner") != "llm":
            return _grounded_plan(state)
        return _llm_plan(state)

    def _llm_plan(state: AgentState) -> AgentState:
        from genelm.agent.llm.plan import result_messages

        emit({"event": "planning", "planner": "llm", "step": state["step"]})
        messages = list(state["llm_messages"])
        messages += result_messages(state.get("pending_ids") or {}, state["calls"], state["ledger"])
        history = [t["question"] for t in state.get("turns") or []] + [t["resolved"] for t in state.get("turns") or []]
        sources = GroundingSources.collect(state["resolved"], state["entities"], history, state["ledger"])
        step = planner.step(messages, sources)
        log = [*state["llm_log"], *({"step": state["step"], **entry} for entry in step.log)]
        messages += step.messages
        done = {c["call"] for c in state["calls"]}
        fresh = [(i, c) for i, c in step.calls if c.describe() not in done]
        if step.fallback or (state["step"] == 0 and not fresh):
            why = step.fallback or "the model proposed no calls for a question genelm can plan"
            if state.get("intent") is None:
                # Nothing to fall back to: say so and answer from what there is.
                log.append({"step": state["step"], "fallback": f"{why}; no grounded plan fits this question"})
                return {"pending": [], "pending_ids": {}, "llm_messages": messages, "llm_log": log}
            log.append({"step": state["step"], "fallback": f"{why}; the grounded plan took over"})
            emit({"event": "fallback", "reason": why})
            taken_over = {**state, "grounded_from": state["step"]}
            return {**_grounded_plan(taken_over), "planner": "grounded",
                    "grounded_from": state["step"], "llm_messages": messages, "llm_log": log}
        return {"pending": [c for _, c in fresh], "pending_ids": {i: c.describe() for i, c in fresh},
                "llm_messages": messages, "llm_log": log}

    return node_plan


def _run_one(call, ctx: ToolContext) -> tuple[list[Evidence], str | None, float, str | None]:
    """The evidence, the failure in English (trace, events), the seconds, and the failure as the answer's gap."""
    started = time.perf_counter()
    try:
        return call.run(ctx), None, time.perf_counter() - started, None
    except GenelmError as exc:
        return [], call.failure(exc), time.perf_counter() - started, call.failure(exc, translate=True)
    except Exception as exc:  # a bug or an upstream shape we did not foresee: report, keep answering
        error = f"{type(exc).__name__}: {exc}"
        return [], f"{call.describe()} failed unexpectedly ({error})", time.perf_counter() - started, \
            tr("{call} failed unexpectedly ({error})", call=call.describe(), error=error)


def make_act(ctx: ToolContext, max_workers: int, emit: Emit = _no_events):
    def run_reported(call) -> tuple[list[Evidence], str | None, float, str | None]:
        emit(tool_event("tool_start", call))
        evidence, error, seconds, gap = _run_one(call, ctx)
        emit(tool_event("tool_end", call, seconds=seconds, error=error, evidence=[e.key for e in evidence]))
        return evidence, error, seconds, gap

    def node_act(state: AgentState) -> AgentState:
        pending = state.get("pending") or []
        ledger = dict(state["ledger"])
        calls = list(state["calls"])
        gaps = list(state["gaps"])
        workers = max(1, min(max_workers, len(pending)))
        # Each call runs in a copy of this question's context: its language (gap lines, notes) and its settings
        # (genelm.settings.current_settings) are the question's, not a worker thread's defaults.
        contexts = [contextvars.copy_context() for _ in pending]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda context, call: context.run(run_reported, call), contexts, pending))
        for call, (evidence, error, seconds, gap) in zip(pending, results):
            for ev in evidence:
                ledger[ev.key] = ev
            calls.append({"call": call.describe(), "tool": call.tool, "step": state["step"], "seconds": round(seconds, 4),
                          "evidence": [e.key for e in evidence], "error": error})
            if gap:
                gaps.append(gap)
        gaps.extend(ctx.take_gaps())
        return {"ledger": ledger, "calls": calls, "gaps": gaps, "step": state["step"] + 1, "pending": []}

    return node_act


def template_synthesis(state: AgentState) -> Synthesis:
    intent = intent_by_name(state["intent"]) if state.get("intent") else None
    frame = Frame(**state["frame"])
    if intent is None:
        return not_understood(frame, state["entities"]) if not state["ledger"] else Synthesis()
    return shape(frame, intent.answer(_question(state), state["ledger"]))


def make_synthesize(model: Any = None, emit: Emit = _no_events):
    def node_synthesize(state: AgentState) -> AgentState:
        template = template_synthesis(state)
        if model is None or not state["ledger"]:
            update = {"synthesis": template}
        else:
            update = _llm_synthesis(state, template)
            written = update["synthesis"]
            if written is not template:  # the model wrote the prose; the capability's decisions still stand
                written.verdict, written.verdict_keys = template.verdict, template.verdict_keys
                written.applied, written.items = template.applied, written.items or template.items
        enforce(Frame(**state["frame"]), update["synthesis"], state["ledger"], state["entities"])
        return update

    def _llm_synthesis(state: AgentState, template: Synthesis) -> AgentState:
        from genelm.agent.llm.prose import short_answer_supported, write_prose

        log = list(state.get("llm_log") or [])
        try:
            prose = write_prose(model, state["resolved"], state["ledger"], emit)
        except Exception as exc:  # the model failed mid-answer: the templates answer, and the trace says so
            log.append({"synthesis": f"the model failed ({type(exc).__name__}: {str(exc)[:200]}); "
                                     "template sentences answered"})
            return {"synthesis": template, "llm_log": log}
        verdict = verify(prose.sentences, state["ledger"])
        entry: dict = {"synthesis": "llm", "sentences": len(prose.sentences), "kept": len(verdict.kept),
                       "dropped": [f"{why}: {s.text[:80]!r}" for s, why in verdict.dropped]}
        if not any(s.factual for s in verdict.kept):
            entry["synthesis"] = "every LLM sentence failed the citation check; template sentences answered"
            log.append(entry)
            return {"synthesis": template, "llm_log": log}
        short = prose.short_answer if short_answer_supported(prose.short_answer, verdict.kept, state["ledger"]) \
            else template.short_answer
        entry["short_answer"] = "llm" if short == prose.short_answer else "template"
        log.append(entry)
        notes = [s for s in template.sentences if not s.factual]
        return {"synthesis": Synthesis([*prose.sentences, *notes], short), "llm_log": log}

    return node_synthesize


def node_verify(state: AgentState) -> AgentState:
    verdict = verify(state["synthesis"].sentences, state["ledger"])
    return {"kept": verdict.kept, "dropped": verdict.dropped}


def node_remember(state: AgentState) -> AgentState:
    """What a follow-up in this thread may refer back to."""
    return {"turns": [{
        "question": state["question"], "resolved": state["resolved"],
        "entities": [e.model_dump() for e in state["entities"]],
        "short_answer": state["synthesis"].short_answer, "intent": state.get("intent"),
    }]}


def _after_plan(state: AgentState) -> str:
    return "act" if state.get("pending") else "synthesize"


def build_graph(ctx: ToolContext, max_workers: int = 8, emit: Emit = _no_events, model: Any = None,
                max_steps: int = MAX_STEPS, checkpointer: Any = None):
    """``emit`` receives progress events (genelm.agent.core.events); ``model`` is a LangChain chat model or None."""
    from langgraph.graph import END, START, StateGraph

    from genelm.agent.llm.plan import LlmPlanner

    planner = LlmPlanner(model) if model is not None else None
    graph = StateGraph(AgentState)
    graph.add_node("ground", make_ground(emit, planner, offline=ctx.http.settings.mode.value == "replay"))
    graph.add_node("plan", make_plan(planner, emit, max_steps))
    graph.add_node("act", make_act(ctx, max_workers, emit))
    graph.add_node("synthesize", make_synthesize(model, emit))
    graph.add_node("verify", node_verify)
    graph.add_node("remember", node_remember)
    graph.add_edge(START, "ground")
    graph.add_edge("ground", "plan")
    graph.add_conditional_edges("plan", _after_plan, {"act": "act", "synthesize": "synthesize"})
    graph.add_edge("act", "plan")
    graph.add_edge("synthesize", "verify")
    graph.add_edge("verify", "remember")
    graph.add_edge("remember", END)
    return graph.compile(checkpointer=checkpointer)


def run_direct(ctx: ToolContext, question: str, max_workers: int = 8, emit: Emit = _no_events,
               max_steps: int = MAX_STEPS) -> AgentState:
    """The grounded loop without LangGraph: the same nodes in the same order, for a question with no LLM
    and no thread (nothing to checkpoint), so a plain offline answer does not pay LangGraph's import time."""
    state: AgentState = {"question": question}
    state.update(make_ground(emit, None, offline=ctx.http.settings.mode.value == "replay")(state))
    plan, act = make_plan(None, emit, max_steps), make_act(ctx, max_workers, emit)
    while True:
        state.update(plan(state))
        if _after_plan(state) != "act":
            break
        state.update(act(state))
    state.update(make_synthesize(None, emit)(state))
    state.update(node_verify(state))
    return state
