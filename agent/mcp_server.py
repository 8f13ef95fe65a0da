"""`genelm mcp`: genelm's typed calls as MCP tools over stdio (the official ``mcp`` SDK, low-level server).

The tools and their JSON schemas are the same as the LangChain tools
(agent/llm_tools.py).  A call is validated by the call's pydantic model before it
runs; a refused call or a failing source comes back as an MCP tool error naming
the problem, never a crash of the server.  Results are the Evidence records, with
their keys, URLs and hashes, as JSON text (and as structured content).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
from mcp.server.lowlevel import Server
from pydantic import ValidationError

from genelm import __version__
from genelm.agent.core.call import ToolContext
from genelm.agent.llm.tools import (
    ARGS_MODELS,
    CALL_CLASSES,
    call_from_arguments,
    describe_tool,
    validation_message,
)
from genelm.connectors.errors import GenelmError
from genelm.connectors.http import HttpClient, RequestTrace
from genelm.settings import Settings


def _error(text: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=True)


def build_server(settings: Settings) -> Server:
    ctx = ToolContext(HttpClient(settings, RequestTrace()))
    listing = [types.Tool(name=name, description=describe_tool(name), input_schema=ARGS_MODELS[name].model_json_schema())
               for name in CALL_CLASSES]

    async def list_tools(_ctx: Any, _params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=listing)

    async def call_tool(_ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
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

    return Server("genelm", version=__version__,
                  instructions="Typed, validated queries over ENCODE, NCBI, UCSC, RegulomeDB, the genelm knowledge "
                               "graph and gene-knowledge retrieval. Every result is Evidence with its URL and hash.",
                  on_list_tools=list_tools, on_call_tool=call_tool)


def serve_stdio(offline: bool = False, recordings: list[Path] | None = None) -> None:
    from mcp.server.stdio import stdio_server

    from genelm.agent.api import make_settings

    server = build_server(make_settings(offline, recordings))

    async def main() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(main)
