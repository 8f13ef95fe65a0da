"""The registry built from the capabilities: the typed-call union, parsing untrusted calls, and intents by name."""
from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field, TypeAdapter

from genelm.agent.capabilities import ASK_TABLE, CALLS, GUARDS, INTENTS
from genelm.agent.core.call import _Call
from genelm.agent.core.question import Intent, Question

ToolCall = Annotated[Union[CALLS], Field(discriminator="tool")]
TOOL_CALL_ADAPTER: TypeAdapter = TypeAdapter(ToolCall)
TOOLS: dict[str, type[_Call]] = {c.model_fields["tool"].default: c for c in CALLS}


def parse_call(data: dict) -> _Call:
    """Validate an untrusted call (e.g. from an LLM).  Raises pydantic.ValidationError."""
    return TOOL_CALL_ADAPTER.validate_python(data)


def choose_intent(q: Question) -> Intent | None:
    """The capability that answers the question's frame: a guard that scopes it (another organism, a gene family),
    else the first in ASK_TABLE whose needs are met."""
    for guard in GUARDS:
        if guard.matches(q):
            return guard
    for intent, needs in ASK_TABLE.get(q.frame.ask, []):
        if ((q.first(*needs) is not None) if needs else intent.matches(q)) and intent.fits(q):
            return intent
    return None


def intent_by_name(name: str) -> Intent | None:
    return next((i for i in INTENTS if i.name == name), None)
