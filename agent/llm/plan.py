"""Planning by tool calling: the LLM proposes calls, genelm validates each one before anything runs.

Per step: the model sees the question (and the thread's earlier turns), the tools,
and the digests of the evidence so far; it answers with tool calls or with no
call (done).  Each proposed call must (1) name a tool, (2) validate against the
call's pydantic model and (3) have every argument grounded (call_grounding).
A step with refused calls gets one repair round in which the model reads why;
what is still invalid after it is dropped, and if nothing valid is left the
deterministic (grounded) plan takes over for the rest of the question.  Every
proposal, refusal, repair and fallback goes into the trace: never a silent switch.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from pydantic import ValidationError

from genelm.agent.core.call import _Call
from genelm.agent.core.frame import Frame
from genelm.agent.llm.argument_check import GroundingSources, ungrounded_arguments
from genelm.agent.llm.tools import CALL_CLASSES, call_from_arguments, evidence_digest, tool_schemas, validation_message
from genelm.evidence import Evidence
from genelm.prompts import load_prompt


@dataclass
class Proposal:
    id: str
    name: str
    arguments: dict
    call: _Call | None = None
    error: str | None = None

    def log(self) -> dict:
        return {"id": self.id, "tool": self.name, "arguments": self.arguments,
                "accepted": self.call is not None, "error": self.error}


@dataclass
class StepPlan:
    calls: list[tuple[str, _Call]] = field(default_factory=list)  # (tool_call id, call)
    messages: list[BaseMessage] = field(default_factory=list)  # what this step added to the conversation
    log: list[dict] = field(default_factory=list)
    fallback: str | None = None  # why the grounded plan takes over, if it does


def check_proposal(proposal: Proposal, sources: GroundingSources) -> Proposal:
    try:
        call = call_from_arguments(proposal.name, proposal.arguments)
    except (ValidationError, ValueError) as exc:
        proposal.error = validation_message(exc)
        return proposal
    ungrounded = ungrounded_arguments(proposal.name, proposal.arguments, sources)
    if ungrounded:
        proposal.error = (f"{', '.join(ungrounded)} appear(s) nowhere in the question, the conversation or the "
                          "identifiers of earlier evidence; use values from those")
        return proposal
    proposal.call = call
    return proposal


def _proposals(message: AIMessage) -> list[Proposal]:
    return [Proposal(tc.get("id") or f"call_{i}", tc["name"], tc.get("args") or {})
            for i, tc in enumerate(message.tool_calls)]


def _said(reply: AIMessage) -> str:
    """The model's own words beside its calls (what a person debugging a plan wants to read)."""
    text = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
    return text[:300]


def opening_messages(question: str, history: list[dict], frame: Frame | None = None) -> list[BaseMessage]:
    context = ""
    if history:
        turns = "\n".join(f"- Q: {t['question']} -> A: {t.get('short_answer') or '(no short answer)'}"
                          for t in history[-5:])
        context = f"Earlier in this conversation:\n{turns}\n\n"
    if frame is not None and frame.ask != "unknown":
        # The deterministic reading of the question, as a hint the model may use or correct.
        context += f"genelm's reading of the question: {frame.brief()}.\n\n"
    return [SystemMessage(load_prompt("plan_system")), HumanMessage(f"{context}Question: {question}")]


def result_messages(pending_ids: dict[str, str], calls: list[dict], ledger: dict[str, Evidence]) -> list[ToolMessage]:
    """Tool results for the calls the model asked for, as data (digests of the evidence, or the failure)."""
    out = []
    by_call = {c["call"]: c for c in calls}
    for tool_call_id, described in pending_ids.items():
        record = by_call.get(described)
        if record is None:
            continue
        if record["error"]:
            content = json.dumps({"error": record["error"]})
        else:
            content = evidence_digest([ledger[k] for k in record["evidence"] if k in ledger])
        out.append(ToolMessage(content=content, tool_call_id=tool_call_id, name=record["tool"]))
    return out


class LlmPlanner:
    def __init__(self, model: Any, tool_names: list[str] | None = None):
        self.tool_names = tool_names or list(CALL_CLASSES)
        self.model = model.bind_tools(tool_schemas(self.tool_names))

    def step(self, messages: list[BaseMessage], sources: GroundingSources) -> StepPlan:
        plan = StepPlan()
        proposals = self._round("propose", messages, sources, plan)
        if proposals and any(p.error for p in proposals):
            # One repair round: the model reads each refusal (valid calls are held back so the
            # repaired set is complete and nothing runs twice).
            plan.messages.extend(
                ToolMessage(content=json.dumps({"refused": p.error} if p.error else
                                               {"held": "not run yet; send the full corrected set of calls"}),
                            tool_call_id=p.id, name=p.name)
                for p in proposals)
            proposals = self._round("repair", [*messages, *plan.messages], sources, plan)
        if not proposals:
            return plan  # done, or the model failed (plan.fallback says so)
        plan.calls = [(p.id, p.call) for p in proposals if p.call is not None]
        # Every tool-call id gets an answer (OpenAI-style APIs insist); the refused ones get theirs now.
        plan.messages.extend(ToolMessage(content=json.dumps({"refused": p.error}), tool_call_id=p.id, name=p.name)
                             for p in proposals if p.error)
        if not plan.calls:
            plan.fallback = "every call the model proposed was refused, also after a repair round"
        return plan

    def _round(self, name: str, messages: list[BaseMessage], sources: GroundingSources,
               plan: StepPlan) -> list[Proposal]:
        """Ask the model once and check what it proposes; no proposal means it is done (or failed)."""
        reply = self._invoke(messages, plan)
        if reply is None:
            return []
        proposals = [check_proposal(p, sources) for p in _proposals(reply)]
        plan.log.append({"round": name, "calls": [p.log() for p in proposals], "said": _said(reply)})
        return proposals

    def _invoke(self, messages: list[BaseMessage], plan: StepPlan) -> AIMessage | None:
        try:
            reply = self.model.invoke(messages)
        except Exception as exc:  # the model server is down, a timeout, a bad key: say so, plan without it
            plan.fallback = f"the model failed ({type(exc).__name__}: {str(exc)[:200]})"
            return None
        plan.messages.append(reply)
        return reply
