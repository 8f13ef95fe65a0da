"""The typed calls as LangChain tools: what an LLM sees, and what any LangChain/LangGraph agent can use.

One tool per call class.  A tool's arguments are the call's own fields (its pydantic
schema, minus the discriminator), so a tool call an LLM emits is validated by the
same model the deterministic planner uses.  ``tools()`` returns tools that run
against a ToolContext and hand back the Evidence as the tool's artifact.
"""
from __future__ import annotations

import json
import typing
from typing import Any

from langchain_core.tools import StructuredTool, ToolException
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from genelm.agent.core.call import ToolContext, _Call
from genelm.agent.core.registry import ToolCall, parse_call
from genelm.connectors.errors import GenelmError
from genelm.evidence import Evidence
from genelm.graph.schema import load_schema
from genelm.graph.text2cypher import T

CALL_CLASSES: dict[str, type[_Call]] = {
    cls.model_fields["tool"].default: cls for cls in typing.get_args(typing.get_args(ToolCall)[0])
}

# Only for an LLM: the template list tells it what graph_query can do; plain Cypher is the fallback.
_EXTRA_DESCRIPTIONS = {
    "graph_query": "Templates: " + "; ".join(f"{t.name}({', '.join(t.slots)}): {t.description}" for t in T.values()),
    "graph_cypher": load_schema().describe() + "\nRead-only: writes are refused.",
}


def describe_tool(name: str) -> str:
    cls = CALL_CLASSES[name]
    doc = " ".join((cls.__doc__ or name).split())
    extra = _EXTRA_DESCRIPTIONS.get(name)
    return f"{doc} {extra}" if extra else doc


def _args_model(name: str) -> type[BaseModel]:
    """The call's fields minus ``tool``; graph parameters as an object, which LLMs fill far better than pairs."""
    cls = CALL_CLASSES[name]
    fields: dict[str, Any] = {}
    for field_name, info in cls.model_fields.items():
        if field_name == "tool":
            continue
        annotation = dict[str, str] if (name, field_name) == ("graph_query", "parameters") else info.annotation
        fields[field_name] = (annotation, info)
    return create_model(f"{cls.__name__}Args", __config__=ConfigDict(extra="forbid"), **fields)


ARGS_MODELS: dict[str, type[BaseModel]] = {name: _args_model(name) for name in CALL_CLASSES}


def call_from_arguments(name: str, arguments: dict) -> _Call:
    """An LLM's (or an MCP client's) tool call as a typed call; raises ValueError/ValidationError."""
    if name not in CALL_CLASSES:
        raise ValueError(f"there is no tool named {name!r}; the tools are {', '.join(sorted(CALL_CLASSES))}")
    if not isinstance(arguments, dict):
        raise ValueError(f"the arguments of {name} must be a JSON object")
    data = dict(arguments)
    if name == "graph_query" and isinstance(data.get("parameters"), dict):
        data["parameters"] = tuple(sorted((str(k), str(v)) for k, v in data["parameters"].items()))
    return parse_call({**data, "tool": name})


def validation_message(exc: ValidationError | ValueError) -> str:
    """A refusal in one line that says which argument and why (what a model or a person can fix)."""
    if isinstance(exc, ValidationError):
        # A tagged union's location starts with the tool name; the argument is what to name.
        return "; ".join(f"{'.'.join(str(p) for p in err['loc'] if p not in CALL_CLASSES) or 'arguments'}: "
                         f"{err['msg']}" for err in exc.errors())
    return str(exc)


def tool_schemas(names: typing.Iterable[str] | None = None) -> list[dict]:
    """OpenAI-style function schemas (what bind_tools sends, and what a local model is shown)."""
    return [{"type": "function", "function": {"name": n, "description": describe_tool(n),
                                              "parameters": ARGS_MODELS[n].model_json_schema()}}
            for n in (names or CALL_CLASSES)]


def evidence_digest(evidence: list[Evidence], limit: int = 1500) -> str:
    """What a model reads of a tool's result: keys, titles, accessions and records, as JSON data."""
    items = []
    for ev in evidence:
        items.append({"key": ev.key, "source": ev.source, "title": ev.title, "url": ev.url,
                      "accessions": ev.accessions[:20], "records": ev.records[:5]})
    text = json.dumps({"evidence": items}, default=str)
    return text if len(text) <= limit else text[:limit] + " …(truncated)"


def _runner(name: str, ctx: ToolContext):
    """The tool's function: validate with the call's model, run, hand back (digest, [Evidence])."""

    def run_call(**arguments: Any) -> tuple[str, list[Evidence]]:
        try:
            call = call_from_arguments(name, arguments)
        except (ValidationError, ValueError) as exc:
            raise ToolException(f"{name} refused: {validation_message(exc)}") from None
        try:
            evidence = call.run(ctx)
        except GenelmError as exc:
            raise ToolException(call.failure(exc)) from None
        return evidence_digest(evidence, limit=6000), evidence

    return run_call


def make_tools(ctx: ToolContext, names: typing.Iterable[str] | None = None) -> list[StructuredTool]:
    """LangChain tools over a ToolContext; each returns (digest text, [Evidence]) as content and artifact."""
    def refusal(name: str):
        return lambda exc: f"{name} refused: {validation_message(exc)}"

    return [
        StructuredTool.from_function(
            func=_runner(name, ctx), name=name, description=describe_tool(name), args_schema=ARGS_MODELS[name],
            response_format="content_and_artifact", handle_tool_error=True, handle_validation_error=refusal(name),
        )
        for name in (names or CALL_CLASSES)
    ]
