"""genelm's tools for other agents: LangChain tools (genelm.agent.tools) and the MCP server over stdio."""
from __future__ import annotations

import json
import os
import sys

import anyio
import pytest
from langchain_core.messages import AIMessage, ToolMessage

import genelm.agent
from scripted_llm import ScriptedChatModel, call, calls


def _by_name(tools) -> dict:
    return {t.name: t for t in tools}


def test_tools_return_evidence_as_the_artifact_and_refusals_as_text(tmp_path):
    tools = _by_name(genelm.agent.tools(offline=True, cache_dir=tmp_path))
    assert {"gene_table", "ncbi_snp", "encode_search", "graph_query", "function_search", "similar_genes"} <= set(tools)
    message = tools["gene_table"].invoke({"type": "tool_call", "name": "gene_table", "args": {"term": "SNAT6"},
                                          "id": "1"})
    assert isinstance(message, ToolMessage)
    assert [e.key for e in message.artifact] == ["gene-table:145389"]
    assert message.artifact[0].url == "https://www.ncbi.nlm.nih.gov/gene/145389"
    refused = tools["ncbi_snp"].invoke({"type": "tool_call", "name": "ncbi_snp", "args": {"rsid": "SNAT6"}, "id": "2"})
    assert "ncbi_snp refused" in refused.content and "rsid" in refused.content
    missing = tools["ncbi_snp"].invoke({"type": "tool_call", "name": "ncbi_snp", "args": {"rsid": "rs1"}, "id": "3"})
    assert missing.status == "error" and "no recording for" in missing.content


def test_tools_drive_a_langgraph_agent_of_your_own(tmp_path):
    from langchain.agents import create_agent

    model = ScriptedChatModel(script=[calls(call("gene_table", term="SNAT6")),
                                      AIMessage(content="SNAT6 is SLC38A6 [gene-table:145389]")])
    agent = create_agent(model, genelm.agent.tools(offline=True, cache_dir=tmp_path))
    result = agent.invoke({"messages": [("user", "What is the official gene symbol of SNAT6?")]})
    tool_messages = [m for m in result["messages"] if isinstance(m, ToolMessage)]
    assert tool_messages and tool_messages[0].artifact[0].key == "gene-table:145389"
    assert "SLC38A6" in tool_messages[0].content


def _mcp_session(coroutine):
    """Run ``coroutine(session)`` against `genelm mcp --offline` started as a subprocess by the SDK's client."""
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    async def main():
        params = StdioServerParameters(command=sys.executable, args=["-m", "genelm.cli", "mcp", "--offline"],
                                       env={**os.environ, "GENELM_CACHE_DIR": os.environ.get("MCP_TEST_CACHE", "")})
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await coroutine(session)

    return anyio.run(main)


@pytest.fixture
def mcp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MCP_TEST_CACHE", str(tmp_path))


def test_an_mcp_client_lists_the_tools_and_calls_one_against_the_bundled_snapshot(mcp_cache):
    async def scenario(session):
        listed = await session.list_tools()
        found = await session.call_tool("gene_table", {"term": "SNAT6"})
        encode = await session.call_tool("encode_search", {"target": "POLR2A", "biosample": "GM12878"})
        refused = await session.call_tool("ncbi_snp", {"rsid": "DROP TABLE"})
        unknown = await session.call_tool("delete_everything", {})
        return listed, found, encode, refused, unknown

    listed, found, encode, refused, unknown = _mcp_session(scenario)
    tools = {t.name: t for t in listed.tools}
    assert len(tools) >= 20 and "graph_query" in tools
    assert tools["ncbi_snp"].input_schema["properties"]["rsid"]["pattern"] == r"^rs\d{1,12}$"
    assert not found.is_error
    payload = json.loads(found.content[0].text)
    assert payload["evidence"][0]["key"] == "gene-table:145389"
    assert payload["evidence"][0]["sha256"]
    experiments = {a for e in json.loads(encode.content[0].text)["evidence"] for a in e["accessions"]}
    assert {"ENCSR000BGD", "ENCSR000DKT"} <= experiments
    assert refused.is_error and "rsid" in refused.content[0].text
    assert unknown.is_error and "no tool named 'delete_everything'" in unknown.content[0].text
