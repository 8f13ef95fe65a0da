"""The read-only guard, the query planner and the execution scorer: no server needed."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from genelm.agent.core.registry import parse_call
from genelm.evals.graph_scoring import execution_score
from genelm.graph.guard import CypherRefused, check_read_only
from genelm.graph.schema import load_schema
from genelm.graph.text2cypher import T, plan_query

WRITES = {
    "MATCH (n) DETACH DELETE n": "DELETE",
    "MATCH (n:Gene) DELETE n": "DELETE",
    "CREATE (n:Gene {id: 'x'})": "CREATE",
    "MATCH (n:Gene) SET n.symbol = 'x'": "SET",
    "MATCH (n:Gene) SET n:Evil": "SET",
    "MERGE (n:Gene {id: 'x'})": "MERGE",
    "MATCH (n:Gene) REMOVE n.symbol": "REMOVE",
    "MATCH (n:Gene) WITH n CALL { WITH n SET n.x = 1 } RETURN n": "SET",
    "MATCH (a:Gene), (b:Gene) WITH a, b LIMIT 1 MERGE (a)-[:R]->(b)": "MERGE",
    "INSERT (:Gene {id: 'x'})": "INSERT",
    "CREATE INDEX FOR (n:Gene) ON (n.symbol)": "schema",
    "DROP INDEX gene_symbol": "schema",
    "PROFILE MATCH (n) RETURN n": "PROFILE",
    "CALL dbms.security.createUser('eve', 'pw')": "dbms.security.createUser",
}
UNPARSEABLE_WRITES = [
    "LOAD CSV FROM 'file:///etc/passwd' AS row CREATE (:Leak {line: row[0]})",
    "MATCH (n) FOREACH (x IN [1] | CREATE (:Z))",
    "CALL apoc.create.node(['X'], {}) YIELD node RETURN node",
    "USING PERIODIC COMMIT LOAD CSV FROM 'x' AS r CREATE (:X)",
]
READS = [
    "MATCH (e:EncodeExperiment)-[:TARGETS]->(t:EncodeTarget) RETURN t.name LIMIT 5",
    "MATCH (g:Gene {symbol: 'DELETE'}) RETURN g",  # a keyword inside a string is data
    "MATCH (g:Gene) WHERE g.name CONTAINS 'CREATE (x)' RETURN g.symbol",
    "MATCH (n) RETURN n.id AS id UNION MATCH (m:Gene) RETURN m.id AS id",
    "MATCH (n) CALL { WITH n RETURN n.id AS y } RETURN y",
    "CALL db.labels() YIELD label RETURN label",
    "OPTIONAL MATCH (c:Ccre)-[r:NEAR_GENE]->(g) RETURN c, r, g ORDER BY r.distance LIMIT 3",
]


@pytest.mark.parametrize("query,clause", WRITES.items())
def test_every_write_form_is_refused_and_named(query, clause):
    with pytest.raises(CypherRefused) as err:
        check_read_only(query)
    assert clause in str(err.value)
    assert "nothing was executed" in str(err.value)


@pytest.mark.parametrize("query", UNPARSEABLE_WRITES)
def test_what_the_parser_cannot_read_is_refused(query):
    with pytest.raises(CypherRefused, match="could not be parsed as read-only Cypher"):
        check_read_only(query)


def test_several_statements_are_refused_even_when_the_first_reads():
    with pytest.raises(CypherRefused, match="2 statements"):
        check_read_only("MATCH (n) RETURN n; MATCH (n) DETACH DELETE n")


@pytest.mark.parametrize("query", READS)
def test_read_queries_pass(query):
    check_read_only(query)


@pytest.mark.parametrize("query", ["", "   ", "(((((", "MATCH"])
def test_empty_or_broken_text_is_a_clear_error(query):
    with pytest.raises(CypherRefused):
        check_read_only(query)


def test_every_template_is_read_only_and_uses_only_schema_labels():
    schema = load_schema()
    words = set(schema.nodes) | set(schema.edges)
    for template in T.values():
        check_read_only(template.cypher)
        for label in __import__("re").findall(r"[(\[]\w*:(\w+)", template.cypher):
            assert label in words, (template.name, label)
        for slot in template.slots:
            assert f"${slot}" in template.cypher


@pytest.mark.parametrize("question,template,params", [
    ("Which transcription factors were profiled by ChIP-seq in HepG2?", "tfs_profiled_in",
     {"biosample": "HepG2", "assay": "TF ChIP-seq"}),
    ("List the TFs with ChIP-seq data in K562 cells.", "tfs_profiled_in", {"biosample": "K562", "assay": "TF ChIP-seq"}),
    ("How many DNase-seq experiments are there in K562?", "count_experiments",
     {"biosample": "K562", "assay": "DNase-seq"}),
    ("Which promoter-like cCREs are near TP53?", "ccres_near_gene", {"symbol": "TP53"}),
    ("Which Enformer tracks were trained on ENCSR000EIJ?", "enformer_tracks_for_experiment",
     {"accession": "ENCSR000EIJ"}),
    ("In which biosamples was CTCF profiled?", "biosamples_for_target", {"target": "CTCF"}),
])
def test_questions_map_to_templates_with_grounded_parameters(question, template, params):
    plan = plan_query(question)
    assert plan is not None and plan.template.name == template
    assert plan.parameters == params


def test_questions_no_template_fits_get_none():
    assert plan_query("What is the official gene symbol of SNAT6?") is None
    assert plan_query("Tell me a joke about chromatin") is None


def test_graph_calls_take_template_names_and_slot_values_never_cypher():
    call = parse_call({"tool": "graph_query", "template": "ccres_near_gene", "parameters": [["symbol", "TP53"]]})
    assert call.describe().startswith("graph_query(")
    with pytest.raises(ValidationError):
        parse_call({"tool": "graph_query", "template": "MATCH (n) DETACH DELETE n", "parameters": []})
    with pytest.raises(ValidationError, match="takes"):
        parse_call({"tool": "graph_query", "template": "ccres_near_gene", "parameters": [["biosample", "K562"]]})
    with pytest.raises(ValidationError):
        parse_call({"tool": "graph_query", "template": "ccres_near_gene", "parameters": [["symbol", "TP53\n}"]]})


def test_execution_score_compares_rows_not_names():
    gold = [{"t.name": "CTCF"}, {"t.name": "REST"}]
    assert execution_score(gold, [{"target": "REST", "experiments": ["ENCSR1"]},
                                  {"target": "CTCF", "experiments": ["ENCSR2"]}]) == 1.0
    assert execution_score(gold, [{"target": "CTCF"}]) == 0.5
    assert execution_score(gold, [{"target": "CTCF"}, {"target": "REST"}, {"target": "YY1"}]) == pytest.approx(2 / 3)
    assert execution_score(gold, []) == 0.0
    assert execution_score([{"n": 7}], [{"count": 7.0}]) == 1.0
    assert execution_score([{"n": 7}], [{"count": 8}]) == 0.0
