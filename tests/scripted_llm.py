"""A scripted chat model for the LLM-path tests: it replies from a script and records what it saw.

Each script entry is an AIMessage or a function of the messages it is sent (so a
step can depend on tool results).  It is a real LangChain BaseChatModel, so the
agent drives it exactly as it drives a remote model (bind_tools, invoke, stream).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict

Reply = AIMessage | Callable[[list[BaseMessage]], AIMessage]


def call(name: str, call_id: str | None = None, **args: Any) -> dict:
    return {"name": name, "args": args, "id": call_id or f"call_{name}_{abs(hash(repr(args))) % 10**6}",
            "type": "tool_call"}


def calls(*tool_calls: dict, text: str = "") -> AIMessage:
    return AIMessage(content=text, tool_calls=list(tool_calls))


class ScriptedChatModel(BaseChatModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    script: list[Any]
    seen: list[list[BaseMessage]] = []
    bound_tools: list[Any] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> "ScriptedChatModel":
        self.bound_tools = list(tools)
        return self  # the same object: one script across planning and synthesis

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        self.seen.append(list(messages))
        if not self.script:
            raise AssertionError("the scripted model was called more often than scripted")
        entry = self.script.pop(0)
        reply = entry(messages) if callable(entry) else entry
        return ChatResult(generations=[ChatGeneration(message=reply)])
