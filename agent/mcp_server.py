"""`genelm mcp`: genelm's typed calls as MCP tools over stdio (the official ``mcp`` SDK, low-level server).

The tools and their JSON schemas are the same as the LangChain tools
(agent/llm/tools.py).  A call is validated by the call's pydantic model before it
runs; a refused call or a failing source comes back as an MCP tool error naming
the problem, never a crash of the server.  Results are the Evidence records, with
their keys, URLs and hashes, as JSON text (and as structured content).

Beside them, ``ask`` runs genelm's whole question-answering graph and returns the
verified answer: Markdown text in which every factual sentence cites ``[key]``, and
as structured content the short answer, the sentences with their citation keys and
the Evidence they cite (agent/ask_tool.py holds its arguments, shared with the
LangChain tool).  While sources are queried it sends progress notifications to a
client that asked for them (a progress token).  The bundled data sources and their
dates are resources (agent/mcp_resources.py).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
from mcp.server.lowlevel import Server
from pydantic import BaseModel, ValidationError

from genelm import __version__
from genelm.agent import mcp_resources
from genelm.agent.answer import Answer, SentenceOut
from genelm.agent.api import ask_stream, make_settings
from genelm.agent.ask_tool import ASK_DESCRIPTION, ASK_TOOL_NAME, AskArgs, refusal
from genelm.agent.core.call import ToolContext
from genelm.agent.core.events import progress_line
from genelm.agent.llm.tools import ARGS_MODELS, CALL_CLASSES, call_from_arguments, describe_tool, validation_message
from genelm.connectors.errors import GenelmError
from genelm.connectors.http import HttpClient, RequestTrace
from genelm.evidence import Evidence
from genelm.settings import Settings

log = logging.getLogger(__name__)


class AskResult(BaseModel):
    """The structured content of an ``ask`` result (its JSON schema is the tool's output schema)."""

    question: str
    short_answer: str | None
    answer: str  # Markdown: the sentences with [key] citations, then the Sources list
    mode: str  # "grounded" or "llm:<spec>"
    sentences: list[SentenceOut]
    evidence: list[Evidence]  # exactly the records the sentences cite
    warnings: list[str]
    gaps: list[str]

    @classmethod
    def of(cls, answer: Answer) -> AskResult:
        return cls(question=answer.question, short_answer=answer.short_answer, answer=answer.text, mode=answer.mode,
                   sentences=answer.sentences, evidence=answer.evidence, warnings=answer.warnings, gaps=answer.gaps)


async def _run_ask(ctx: Any, args: AskArgs, settings: Settings) -> Answer:
    """genelm.ask with its progress events relayed as MCP progress notifications.

    ask_stream runs the graph in its own thread and yields events; each ``next`` runs in a
    worker thread so the event loop (and the client's other requests) stay free meanwhile.
    report_progress is a no-op unless the client sent a progress token.
    """
    stream = ask_stream(args.question, settings=settings, offline=args.offline, thread_id=args.thread)
    reported = 0
    while (event := await anyio.to_thread.run_sync(next, stream, None)) is not None:
        if event["event"] == "answer":
            return event["answer"]
        if (message := progress_line(event)) is not None:
            reported += 1
            await ctx.session.report_progress(reported, None, message)
    raise RuntimeError("ask_stream ended without an answer")


def _error(text: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=True)


def build_server(settings: Settings) -> Server:
    ctx = ToolContext(HttpClient(settings, RequestTrace()))
    listing = [types.Tool(name=ASK_TOOL_NAME, title="Ask genelm (a cited answer)", description=ASK_DESCRIPTION,
                          input_schema=AskArgs.model_json_schema(), output_schema=AskResult.model_json_schema())]
    listing += [types.Tool(name=name, description=describe_tool(name),
                           input_schema=ARGS_MODELS[name].model_json_schema()) for name in CALL_CLASSES]

    async def list_tools(_ctx: Any, _params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=listing)

    async def call_ask(request: Any, arguments: dict) -> types.CallToolResult:
        try:
            args = AskArgs.model_validate(arguments)
        except ValidationError as exc:
            return _error(refusal(exc))
        try:
            answer = await _run_ask(request, args, settings)
        except GenelmError as exc:
            return _error(f"{ASK_TOOL_NAME} could not answer: {exc}")
        except Exception as exc:  # a bug must not end the server the client's other work depends on
            log.exception("ask failed on %r", args.question)
            return _error(f"{ASK_TOOL_NAME} failed unexpectedly ({type(exc).__name__}: {exc}); this is a genelm bug, "
                          "please report it with the question")
        return types.CallToolResult(content=[types.TextContent(type="text", text=answer.text)],
                                    structured_content=AskResult.of(answer).model_dump(mode="json"))

    async def call_tool(request: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        if params.name == ASK_TOOL_NAME:
            return await call_ask(request, dict(params.arguments or {}))
        try:
            call = call_from_arguments(params.name, dict(params.arguments or {}))
        except (ValidationError, ValueError) as exc:
            return _error(f"{params.name} refused: {validation_message(exc)}")
        try:
            # Connectors are synchronous (requests); keep the event loop free while they work.
            evidence = await anyio.to_thread.run_sync(call.run, ctx)
        except GenelmError as exc:
            return _error(call.failure(exc))
        payload = {"call": call.describe(), "evidence": [e.model_dump(mode="json") for e in evidence]}
        return types.CallToolResult(content=[types.TextContent(type="text", text=json.dumps(payload, default=str))],
                                    structured_content=payload)

    async def list_resources(_ctx: Any, _params: Any) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=mcp_resources.list_resources())

    async def read_resource(_ctx: Any, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        return mcp_resources.read_resource(str(params.uri))

    return Server("genelm", version=__version__,
                  instructions="`ask` answers a question about genes, variants, regions or experiments with a verified "
                               "answer in which every sentence cites its evidence record. The other tools are typed, "
                               "validated queries over ENCODE, NCBI, UCSC, RegulomeDB, the genelm knowledge graph and "
                               "gene-knowledge retrieval; every result is Evidence with its URL and hash. The bundled "
                               "data sources and their dates are resources.",
                  on_list_tools=list_tools, on_call_tool=call_tool,
                  on_list_resources=list_resources, on_read_resource=read_resource)


def serve_stdio(offline: bool = False, recordings: list[Path] | None = None) -> None:
    from mcp.server.stdio import stdio_server

    server = build_server(make_settings(offline, recordings))

    async def main() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(main)
