"""The whole cited answer as one tool: ``ask`` for LangChain agents (and its arguments, shared with MCP).

The typed tools (``genelm.agent.tools()``) hand an agent raw Evidence and leave
the answer, and its citations, to the agent.  This tool runs genelm's own
plan → act → synthesize → verify graph instead, so the agent receives an answer
in which every factual sentence already cites its record.  Its content is the
answer's Markdown (``[key]`` citations and a Sources list); its artifact is the
answer's Evidence list, so provenance survives in the agent's message history.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

ASK_TOOL_NAME = "ask"

ASK_DESCRIPTION = (
    "Answer a question about genes, variants, regions or functional-genomics experiments (ENCODE, NCBI Gene/dbSNP/"
    "GEO/OMIM/BLAST, UCSC, RegulomeDB, the genelm knowledge graph, local sequence models) with genelm's planned and "
    "verified answer: every factual sentence cites the evidence record it rests on as [key], and the Sources list "
    "gives each record's URL and sha256. Prefer this over the typed tools when you want a finished, cited answer."
)


class AskArgs(BaseModel):
    """Arguments of the ``ask`` tool (LangChain and MCP)."""

    # Unknown arguments are refused rather than ignored: a misspelt "thread_id" silently
    # dropped would answer without the conversation the caller meant.
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=20_000,
                          description="The question in plain language, e.g. "
                                      "'What is the official gene symbol of SNAT6?'")
    offline: bool = Field(False, description="true: answer only from recordings and the bundled snapshot, no network. "
                                             "false: use the server's own network setting.")
    thread: str | None = Field(None, min_length=1, max_length=200,
                               description="A conversation id: follow-ups such as 'and in K562?' resolve against the "
                                           "earlier questions of the same thread.")


def refusal(exc: ValidationError) -> str:
    """One line naming each wrong argument and how a correct call looks (what a model or a person can fix)."""
    problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'arguments'}: {err['msg']}" for err in exc.errors())
    return (f"{ASK_TOOL_NAME} refused: {problems}. Call it as "
            '{"question": "What is the official gene symbol of SNAT6?", "offline": false, "thread": null} '
            "(only question is required).")


def ask_tool(offline: bool = False, recordings: list[str | Path] | None = None, settings: Any = None,
             **overrides: Any):
    """genelm's ``ask`` as a LangChain StructuredTool returning (answer Markdown, [Evidence]).

    ``offline`` and ``recordings`` fix the network setting for every call, like
    ``genelm.agent.tools(offline=...)``; the tool's own ``offline`` argument can only
    narrow it (a model cannot switch on the network its developer switched off).
    A question genelm refuses (empty, too long) comes back as an error message, not
    an exception, so the agent can correct itself.
    """
    from langchain_core.tools import StructuredTool, ToolException

    from genelm.agent.api import ask, make_settings
    from genelm.connectors.errors import GenelmError

    cfg = make_settings(offline, recordings, settings, **overrides)

    def run(question: str, offline: bool = False, thread: str | None = None):
        try:
            answer = ask(question, offline=offline, settings=cfg, thread_id=thread)
        except GenelmError as exc:
            raise ToolException(f"{ASK_TOOL_NAME} could not answer: {exc}") from None
        return answer.text, answer.evidence

    return StructuredTool.from_function(
        func=run, name=ASK_TOOL_NAME, description=ASK_DESCRIPTION, args_schema=AskArgs,
        response_format="content_and_artifact", handle_tool_error=True,
        handle_validation_error=lambda exc: (refusal(exc) if isinstance(exc, ValidationError)
                                             else f"{ASK_TOOL_NAME} refused: {exc}"),
    )
