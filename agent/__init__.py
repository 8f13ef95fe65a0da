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
    """
    from genelm.agent.api import make_settings
    from genelm.agent.core.call import ToolContext
    from genelm.agent.llm.tools import make_tools
    from genelm.connectors.http import HttpClient, RequestTrace

    cfg = make_settings(offline, recordings, settings, **overrides)
    return make_tools(ToolContext(HttpClient(cfg, RequestTrace())), names)
