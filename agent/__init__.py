"""genelm.agent: the question-answering graph, and its tools for any LangChain/LangGraph agent."""
from __future__ import annotations

from pathlib import Path
from typing import Any


def tools(offline: bool = False, recordings: list[str | Path] | None = None, settings: Any = None,
          names: list[str] | None = None, **overrides: Any) -> list:
    """genelm's typed calls as LangChain tools (StructuredTool), ready for any LangChain or LangGraph agent.

    Each tool validates its arguments with the call's pydantic model and returns
    ``(digest, [Evidence])`` as content and artifact, so an agent of your own keeps
    genelm's provenance.  ``offline=True`` replays recordings and the bundled snapshot.
    The first tool, ``ask``, returns genelm's whole verified answer (Markdown with citations) instead.
    """
    from genelm.agent.api import make_settings
    from genelm.agent.core.call import ToolContext
    from genelm.agent.llm.tools import make_tools
    from genelm.connectors.http import HttpClient, RequestTrace

    cfg = make_settings(offline, recordings, settings, **overrides)
    # --- `ask`: the whole cited answer as one tool, first, beside the typed calls (agent/ask_tool.py) ---
    from genelm.agent.ask_tool import ASK_TOOL_NAME, ask_tool

    with_ask = [ask_tool(settings=cfg)] if names is None or ASK_TOOL_NAME in names else []
    typed_names = None if names is None else [n for n in names if n != ASK_TOOL_NAME]
    if typed_names == []:  # only `ask` was asked for (make_tools reads an empty list as "all")
        return with_ask
    return with_ask + make_tools(ToolContext(HttpClient(cfg, RequestTrace())), typed_names)
