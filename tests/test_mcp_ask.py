"""`genelm mcp --offline` driven by the official mcp client over stdio: the `ask` tool and the data resources.

The server runs as a real subprocess (as Claude Desktop or an IDE would start it); nothing is mocked.
"""
from __future__ import annotations

import json
import os
import re
import sys

import anyio
import pytest

pytest.importorskip("mcp")

QUESTION = "What is the official gene symbol of SNAT6?"


def _run(tmp_path, scenario):
    """Start `genelm mcp --offline`, initialize, and run ``scenario(session, init_result)``."""
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    async def main():
        params = StdioServerParameters(command=sys.executable, args=["-m", "genelm.cli", "mcp", "--offline"],
                                       env={**os.environ, "GENELM_CACHE_DIR": str(tmp_path)})
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            init = await session.initialize()
            return await scenario(session, init)

    return anyio.run(main)


def test_ask_over_mcp_returns_a_cited_answer_whose_citations_resolve_and_reports_progress(tmp_path):
    progress: list[tuple[float, str | None]] = []

    async def on_progress(value, _total, message):
        progress.append((value, message))

    async def scenario(session, init):
        tools = (await session.list_tools()).tools
        resources = (await session.list_resources()).resources
        catalogue = await session.read_resource("genelm://data/sources")
        notes = await session.read_resource("genelm://data/genes/SOURCES.md")
        answered = await session.call_tool("ask", {"question": QUESTION}, progress_callback=on_progress)
        return init, tools, resources, catalogue, notes, answered

    init, tools, resources, catalogue, notes, answered = _run(tmp_path, scenario)
    assert init.server_info.name == "genelm"
    by_name = {t.name: t for t in tools}
    # ask comes first, and the typed tools are all still there
    assert tools[0].name == "ask" and {"ncbi_gene", "encode_search", "gene_table", "ncbi_snp"} <= set(by_name)
    assert len(tools) >= 27
    assert by_name["ask"].input_schema["required"] == ["question"]
    assert by_name["ask"].output_schema["properties"]["sentences"]

    # the bundled data sources, with the dates their notes name
    uris = {r.uri for r in resources}
    assert {"genelm://data/sources", "genelm://data/snapshot/SOURCES.md", "genelm://data/genes/SOURCES.md"} <= uris
    sources = {s["folder"]: s for s in json.loads(catalogue.contents[0].text)["data_sources"]}
    assert "2020-04" in sources["genes"]["dates"]  # NCBI gene_info 2020-04
    assert any(f["name"] == "ncbi_genegpt_2023.jsonl" and f["bytes"] > 0 for f in sources["snapshot"]["files"])
    assert "mvelinder/ncbi_scripts" in notes.contents[0].text

    # the answer: text plus structured content whose every citation names evidence it carries
    assert not answered.is_error, answered.content[0].text
    result = answered.structured_content
    assert result["short_answer"] == "SLC38A6"
    assert "SLC38A6" in answered.content[0].text and "[ncbi:gene-search:SNAT6]" in answered.content[0].text
    keys = {e["key"] for e in result["evidence"]}
    factual = [s for s in result["sentences"] if s["factual"]]
    assert factual and all(s["citations"] and set(s["citations"]) <= keys for s in factual)
    assert {k for s in factual for k in s["citations"]} == keys  # nothing uncited rides along
    for ev in result["evidence"]:
        assert re.fullmatch(r"[0-9a-f]{64}", ev["sha256"]) and ev["url"].startswith("https://")
    assert any("145389" in str(ev["records"]) for ev in result["evidence"])

    # progress notifications while the sources were queried, in order
    assert progress, "no progress notification reached a client that asked for them"
    assert [v for v, _ in progress] == sorted(v for v, _ in progress)
    assert any(m and " s, done" in m for _, m in progress)  # a source's line: 'NCBI Gene: searching… 0.41 s, done'


def test_ask_with_bad_arguments_is_an_error_result_naming_the_fix_and_the_server_keeps_serving(tmp_path):
    from mcp.shared.exceptions import MCPError

    async def scenario(session, _init):
        missing = await session.call_tool("ask", {})
        wrong_type = await session.call_tool("ask", {"question": ["not", "a", "string"]})
        misspelt = await session.call_tool("ask", {"question": QUESTION, "thread_id": "t1"})
        blank = await session.call_tool("ask", {"question": "   "})
        bad_uri = None
        try:
            await session.read_resource("genelm://data/nothing/SOURCES.md")
        except MCPError as exc:  # an error response, not a tool result: reading a resource has no is_error
            bad_uri = exc
        still = await session.call_tool("ask", {"question": QUESTION, "offline": True, "thread": "t1"})
        return missing, wrong_type, misspelt, blank, bad_uri, still

    missing, wrong_type, misspelt, blank, bad_uri, still = _run(tmp_path, scenario)
    for result in (missing, wrong_type, misspelt, blank):
        assert result.is_error
        assert "Traceback" not in result.content[0].text
    assert "question" in missing.content[0].text and '{"question":' in missing.content[0].text
    assert "question" in wrong_type.content[0].text
    assert "thread_id" in misspelt.content[0].text and "Extra inputs" in misspelt.content[0].text
    assert "the question is empty" in blank.content[0].text
    assert bad_uri is not None and "genelm://data/sources" in str(bad_uri)
    assert not still.is_error and still.structured_content["short_answer"] == "SLC38A6"


def test_ask_is_the_first_langchain_tool_and_returns_the_cited_answer_with_its_evidence_as_artifact(tmp_path):
    from langchain.agents import create_agent
    from langchain_core.messages import AIMessage, ToolMessage
    from scripted_llm import ScriptedChatModel, call, calls

    import genelm.agent

    tools = genelm.agent.tools(offline=True, cache_dir=tmp_path)
    assert tools[0].name == "ask" and "gene_table" in {t.name for t in tools}
    assert [t.name for t in genelm.agent.tools(offline=True, cache_dir=tmp_path, names=["ask"])] == ["ask"]
    assert "ask" not in {t.name for t in genelm.agent.tools(offline=True, cache_dir=tmp_path, names=["gene_table"])}

    model = ScriptedChatModel(script=[calls(call("ask", question=QUESTION)), AIMessage(content="It is SLC38A6.")])
    result = create_agent(model, tools).invoke({"messages": [("user", QUESTION)]})
    (message,) = [m for m in result["messages"] if isinstance(m, ToolMessage)]
    assert message.status == "success" and "**Answer:** SLC38A6" in message.content
    cited = set(re.findall(r"\[([a-z][\w-]*:[^\]\s]+)\]", message.content))
    assert cited and cited <= {e.key for e in message.artifact}  # every [key] in the text is in the artifact
    assert all(re.fullmatch(r"[0-9a-f]{64}", e.sha256) for e in message.artifact)

    ask = tools[0]
    refused = ask.invoke({"type": "tool_call", "name": "ask", "id": "2",
                          "args": {"question": QUESTION, "thread_id": "x"}})
    assert refused.status == "error" and "thread_id" in refused.content and '{"question":' in refused.content
    blank = ask.invoke({"type": "tool_call", "name": "ask", "args": {"question": " "}, "id": "3"})
    assert blank.status == "error" and "the question is empty" in blank.content
