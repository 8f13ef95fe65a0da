"""Progress events while a question is answered: what the CLI and the chat show as it works.

Events are plain dicts so any consumer (a queue, a websocket, a log) can carry them:

- ``{"event": "grounded", "intent": ..., "entities": [...], "resolved"?: the whole question a follow-up stands for}``
- ``{"event": "planning", "planner": "llm", "step"}`` (an LLM is choosing calls)
- ``{"event": "fallback", "reason"}`` (the LLM's plan was refused; the grounded plan took over)
- ``{"event": "token", "text"}`` (the LLM writing the answer, as it streams)
- ``{"event": "tool_start", "tool", "call", "label"}``
- ``{"event": "tool_end", "tool", "call", "label", "seconds", "error", "evidence"}``
- ``{"event": "answer", "answer": Answer}`` (from ``ask_stream`` only, always last)
"""
from __future__ import annotations

from typing import Any, Callable

Emit = Callable[[dict], None]

def _no_events(event: dict) -> None:
    """The default consumer: nobody is listening."""


def tool_event(kind: str, call: Any, **fields: Any) -> dict:
    return {"event": kind, "tool": call.tool, "call": call.describe(),
            "label": call.label or call.tool, **fields}


def progress_line(event: dict) -> str | None:
    """One line for a person, e.g. 'ENCODE: searching experiments… 0.4 s'."""
    kind = event.get("event")
    if kind == "grounded":
        understood = event.get("frame") or event["intent"] or "an unknown question"
        return f"Understood as {understood}" + (
            f" ({'; '.join(event['entities'][:6])})" if event["entities"] else "")
    if kind == "planning":
        return f"The LLM is choosing calls (step {event['step'] + 1})…"
    if kind == "fallback":
        return f"The LLM's plan was not used ({event['reason']}); the grounded plan took over"
    if kind == "tool_start":
        return f"{event['label']}…"
    if kind == "tool_end":
        outcome = f"failed: {event['error']}" if event.get("error") else "done"
        return f"{event['label']}… {event['seconds']:.2f} s, {outcome}"
    return None
