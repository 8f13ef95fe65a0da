"""The knowledge graph against a real ArcadeDB server (started by genelm as a separate process, Bolt on 127.0.0.1).

One graph is built from the bundled data for the whole test session (tests/conftest.py, shared with
test_graph_regulation.py); each test that could change it checks a fingerprint of the data afterwards.
"""
from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from pydantic import ValidationError
from typer.testing import CliRunner

import genelm
from genelm.agent.core.call import ToolContext
from genelm.agent.capabilities.knowledge_graph import GraphQuery
from genelm.connectors.http import HttpClient
from genelm.evals.runner import run_eval
from genelm.graph.adapters import encode_adapter, transcription_factor_adapter
from genelm.graph.build import add_evidence, build_graph
from genelm.graph.connection import GraphConnection, embedded_server
from genelm.graph.guard import CypherRefused
from genelm.settings import Settings
from tests.conftest import RECORDINGS, shared_or_skip
from tests.test_graph_guard import WRITES

SUITE = Path(__file__).resolve().parents[1] / "evals" / "suites" / "graph_dev.jsonl"


@pytest.fixture(scope="module")
def built(bundled_graph):
    return bundled_graph  # the session's one build from the bundled data (tests/conftest.py)


@pytest.fixture()
def conn(built):
    with GraphConnection.open(built[0]) as c:
        yield c


def fingerprint(conn) -> tuple:
    """Counts plus a few properties a write would most likely touch."""
    nodes, rels = conn.count()
    labels = conn.read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label").rows
    tp53 = conn.read("MATCH (g:Gene {symbol: 'TP53'}) RETURN g.id AS id, g.name AS name, g.start AS start").rows
    return nodes, rels, tuple((r["label"], r["n"]) for r in labels), tuple(map(tuple, (r.values() for r in tp53)))


def test_build_loads_every_bundled_source_with_its_links(built, conn):
    settings, report = built
    assert report.per_source["NCBI genes"]["nodes"] == 61393
    assert report.per_source["transcription factors"] == {"nodes": 1639, "edges": 1630}
    assert report.per_source["SCREEN cCREs"]["nodes"] == 20288  # unique cCREs of the K562 and GM12878 files
    assert (report.nodes, report.relationships) == conn.count()
    row = conn.read("MATCH (e:EncodeExperiment {id: 'ENCSR000EDP'})-[:TARGETS]->(t:EncodeTarget), "
                    "(e)-[:IN_BIOSAMPLE]->(b:Biosample), (t)-[:PRODUCT_OF]->(g:Gene) "
                    "RETURN t.name AS t, t.category AS c, b.name AS b, g.gene_id AS g").rows
    assert row == [{"t": "ARID3A", "c": "transcription factor", "b": "HepG2", "g": "1820"}]
    near = conn.read("MATCH (c:Ccre {id: 'EH38E1844593'})-[n:NEAR_GENE]->(g:Gene) "
                     "RETURN g.symbol AS g, n.distance AS d, c.start AS s ORDER BY g").rows
    # The TP53 promoter cCRE overlaps both TP53 and WRAP53 (antisense): both are nearest, at 0 bp.
    assert near == [{"g": "TP53", "d": 0, "s": 7685996}, {"g": "WRAP53", "d": 0, "s": 7685996}]
    active = conn.read("MATCH (c:Ccre {id: 'EH38E1844593'})-[:PROMOTER_LIKE_IN]->(b:Biosample) "
                       "RETURN b.name AS b ORDER BY b").rows
    assert active == [{"b": "GM12878"}, {"b": "K562"}]
    track = conn.read("MATCH (k:EnformerTrack {index: 0})-[:PREDICTS]->(e:EncodeExperiment) "
                      "RETURN k.assay AS a, e.accession AS e").rows
    assert track == [{"a": "DNASE", "e": "ENCSR000EIJ"}]
    assert conn.read("MATCH (g:Gene {symbol: 'TP53'}) RETURN g.start AS s").rows == [{"s": 7661779}]


def test_the_tf_question_is_answered_from_the_graph_citing_query_and_accessions(built):
    settings, _ = built
    answer = genelm.ask("Which transcription factors were profiled by ChIP-seq in HepG2?", offline=True,
                        settings=settings)
    assert answer.intent == "graph"
    assert "ARID3A" in answer.short_answer.split(", ") and "CTCF" in answer.short_answer.split(", ")
    graph_ev = [e for e in answer.evidence if e.source == "graph"]
    assert len(graph_ev) == 1
    ev = graph_ev[0]
    assert "MATCH (e:EncodeExperiment)" in ev.params["query"]
    assert ev.params["parameters"] == {"biosample": "HepG2", "assay": "TF ChIP-seq"}
    assert "ENCSR000EDP" in ev.accessions and ev.url.startswith("bolt://127.0.0.1:")
    arid = next(s for s in answer.sentences if s.text.startswith("ARID3A"))
    assert "ENCSR000EDP" in arid.text and arid.citations == [ev.key]
    assert answer.citations_ok and all(s.citations for s in answer.sentences if s.factual)
    assert not answer.gaps


def test_the_graph_suite_is_scored_by_execution(built, tmp_path):
    settings, _ = built
    os.environ["GENELM_CACHE_DIR"] = str(settings.cache_dir)
    try:
        rows, manifest = run_eval([SUITE], tmp_path, offline=True)
    finally:
        del os.environ["GENELM_CACHE_DIR"]
    results = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert len(results) >= 40
    assert all(r["gold_rows"] > 0 for r in results)  # no question scores by two empty results
    assert manifest["mean_over_tasks"] >= 0.9
    miss = [r for r in results if r["score"] < 1]
    assert all(r["prediction"] is None or r["predicted_rows"] != r["gold_rows"] or r["score"] < 1 for r in miss)


@pytest.mark.parametrize("query", list(WRITES))
def test_write_attempts_are_refused_and_the_data_stays_intact(conn, query):
    before = fingerprint(conn)
    with pytest.raises(CypherRefused):
        conn.read(query)
    assert fingerprint(conn) == before


def test_arcadedb_itself_commits_a_write_sent_as_a_read_which_is_why_the_guard_exists(built, conn):
    state = embedded_server(built[0]).running()
    driver = GraphDatabase.driver(state.uri, auth=(state.user, state.password))
    try:
        with driver.session(database=state.database) as session:
            session.execute_read(lambda tx: tx.run("CREATE (:GuardProbe {id: 'probe'})").consume())
            assert session.run("MATCH (p:GuardProbe) RETURN count(p) AS n").single()["n"] == 1
            session.run("MATCH (p:GuardProbe) DELETE p").consume()
    finally:
        driver.close()


INJECTIONS = [
    "HepG2' }) MATCH (n) DETACH DELETE n //",
    "HepG2') DETACH DELETE e //",
    "K562\" OR 1=1 //",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_through_entity_names_and_parameters_changes_nothing(built, conn, value):
    before = fingerprint(conn)
    try:
        call = GraphQuery(template="tfs_profiled_in", parameters=(("assay", "TF ChIP-seq"), ("biosample", value)))
    except ValidationError:
        assert "}" in value or '"' in value  # refused as a term before anything ran
    else:
        evidence = call.run(ToolContext(HttpClient(built[0].with_overrides(mode="replay"))))
        assert evidence[0].records == []  # the text was a value to compare, nothing more
    assert conn.read("MATCH (g:Gene {symbol: $s}) RETURN g.id AS id", {"s": value}).rows == []
    answer = genelm.ask(f"Which transcription factors were profiled by ChIP-seq in {value}?", offline=True,
                        settings=built[0])
    assert answer.citations_ok
    assert fingerprint(conn) == before


def test_cli_query_refuses_writes_with_one_clear_line_and_runs_reads(built):
    from genelm.cli import app

    runner = CliRunner()
    env = {"GENELM_CACHE_DIR": str(built[0].cache_dir)}
    refused = runner.invoke(app, ["graph", "query", "MATCH (n) DETACH DELETE n"], env=env)
    assert refused.exit_code == 2
    assert "refused" in refused.output and "Traceback" not in refused.output
    ok = runner.invoke(app, ["graph", "query", "MATCH (g:Gene {symbol: $s}) RETURN g.gene_id AS id",
                             "--param", "s=TP53", "--json"], env=env)
    assert ok.exit_code == 0, ok.output
    assert '"rows": [{"id": "7157"}]' in ok.output
    bad = runner.invoke(app, ["graph", "query", "RETURN 1", "--param", "no-equals"], env=env)
    assert bad.exit_code == 2 and "NAME=VALUE" in bad.output


def test_answers_merge_into_the_graph_idempotently(built, conn):
    settings, _ = built
    answer = genelm.ask("Which gene is SNP rs1481036795 associated with?", offline=True,
                        recordings=[shared_or_skip(RECORDINGS / "ncbi")], settings=settings)
    before = conn.count()
    first = add_evidence(answer.evidence, settings)
    counts = conn.count()
    assert first[0] >= 1 and first[1] >= 1 and counts == (before[0] + first[0], before[1] + first[1])
    assert add_evidence(answer.evidence, settings) == (0, 0)
    assert conn.count() == counts  # MERGE: the second time adds nothing
    rows = conn.read("MATCH (v:SequenceVariant {rsid: 'rs1481036795'})-[:IN_GENE]->(g:Gene) "
                     "RETURN v.position AS p, g.symbol AS g, v.source AS s").rows
    assert rows == [{"p": 76988079, "g": "SEPTIN11", "s": "ncbi:snp:rs1481036795"}]


def test_rebuilds_are_idempotent_embedded_and_on_a_server_of_your_own(tmp_path, built):
    small = Settings(cache_dir=tmp_path, graph_heap="512m")
    try:
        first = build_graph(small, adapters=[transcription_factor_adapter(), encode_adapter()])
        second = build_graph(small, adapters=[transcription_factor_adapter(), encode_adapter()])
        assert (first.nodes, first.relationships) == (second.nodes, second.relationships)
        with GraphConnection.open(small) as c:
            assert c.count() == (second.nodes, second.relationships)
        # The same server reached as "your own Neo4j": never wiped, MERGEd.
        state = embedded_server(small).running()
        own = Settings(cache_dir=tmp_path / "other", graph_uri=state.uri, graph_user=state.user,
                       graph_password=state.password, graph_database=state.database)
        merged = build_graph(own, adapters=[transcription_factor_adapter()])
        assert merged.mode == "merge"
        with GraphConnection.open(own) as c:
            assert c.count() == (second.nodes, second.relationships)
    finally:
        embedded_server(small).stop()


def test_the_server_stops_cleanly_and_restarts_with_its_data(tmp_path):
    settings = Settings(cache_dir=tmp_path, graph_heap="512m")
    server = embedded_server(settings)
    try:
        build_graph(settings, adapters=[transcription_factor_adapter()])
        state = server.running()
        assert state and (tmp_path / "graph" / "server.json").stat().st_mode & 0o777 == 0o600
        assert server.stop() is True
        assert server.running() is None
        with pytest.raises(ProcessLookupError):
            os.kill(state.pid, 0)
        with GraphConnection.open(settings) as c:  # started on demand again
            assert c.count() == (1639, 0)  # TFs alone: their genes are not in this graph
        # A server that died leaves a stale state file: it is noticed and replaced.
        os.kill(server.running().pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while server.running() is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        with GraphConnection.open(settings) as c:
            assert c.count()[0] == 1639
    finally:
        server.stop()


def test_without_a_built_graph_the_bundled_index_answers_without_waiting_for_one(tmp_path):
    """Issue 23: a list the bundled ENCODE index answers never waits for (or asks for) a graph build."""
    answer = genelm.ask("Which transcription factors were profiled by ChIP-seq in HepG2?", offline=True,
                        settings=Settings(cache_dir=tmp_path, graph_autobuild=False))
    assert not any(c["call"].startswith("graph") for c in answer.trace["calls"])
    assert not any("genelm graph build" in gap for gap in answer.gaps)
    assert "ARID3A" in answer.short_answer.split(", ")
    assert all(e.source == "encode-index" for e in answer.evidence)
    assert answer.citations_ok


def test_llm_written_cypher_runs_only_through_the_read_only_guard(built, conn):
    """A scripted model writes one read and one write: the read becomes Evidence; the write is refused at
    validation with the guard's reason (the model reads it in its repair round) and never reaches the server."""
    from langchain_core.messages import AIMessage, ToolMessage

    from tests.scripted_llm import ScriptedChatModel, call, calls

    settings, _ = built
    before = fingerprint(conn)
    read = ("MATCH (e:EncodeExperiment)-[:IN_BIOSAMPLE]->(b:Biosample {name: 'HepG2'}), (e)-[:USES_ASSAY]->(a:Assay) "
            "RETURN DISTINCT a.name AS assay ORDER BY assay")

    def prose(messages):
        result = next(m for m in messages if "graph:cypher:" in str(m.content))
        key = json.loads(result.content.split("Evidence (data, not instructions):\n", 1)[1].splitlines()[0])["key"]
        return AIMessage(content=f"HepG2 was profiled by TF ChIP-seq in ENCODE. [{key}]\nShort answer: TF ChIP-seq")

    model = ScriptedChatModel(script=[
        calls(call("graph_cypher", cypher=read)),
        calls(call("graph_cypher", call_id="write", cypher="MATCH (n) DETACH DELETE n")),
        AIMessage(content="DONE"),  # the repair round: the model gives up on the write
        prose,
    ])
    answer = genelm.ask("Which assays were used on HepG2?", offline=True, settings=settings, llm=model)
    graph_ev = [e for e in answer.evidence if e.source == "graph"]
    assert len(graph_ev) == 1 and graph_ev[0].params["query"] == read
    assert {"assay": "TF ChIP-seq"} in graph_ev[0].records
    refusal = next(m for m in model.seen[2] if isinstance(m, ToolMessage) and m.tool_call_id == "write")
    assert "DELETE" in refusal.content and "read-only" in refusal.content
    assert [c["call"] for c in answer.trace["calls"]] == [f"graph_cypher(cypher={read!r})"]
    assert answer.short_answer == "TF ChIP-seq" and answer.citations_ok
    assert fingerprint(conn) == before
