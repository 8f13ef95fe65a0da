"""The typed call over the knowledge graph: a template name and its slot values, never Cypher text.

So nothing in a question, an LLM's output or an API response can change what runs:
the template fixes the query's shape and the values travel as Bolt parameters.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from genelm.agent.call_base import ToolContext, _Call, _term
from genelm.connectors.errors import GenelmError, SourceError
from genelm.evidence import Evidence
from genelm.graph.text2cypher import T, GraphPlan

TemplateName = Literal[tuple(T)]  # type: ignore[valid-type]


class GraphQuery(_Call):
    """A fixed, read-only knowledge-graph query (template) filled with values, e.g. the TFs profiled in a cell type."""

    tool: Literal["graph_query"] = "graph_query"
    template: TemplateName
    parameters: tuple[tuple[str, str], ...]

    @field_validator("parameters")
    @classmethod
    def _values(cls, value):
        return tuple((k, _term(v)) for k, v in value)

    @model_validator(mode="after")
    def _slots(self):
        expected = set(T[self.template].slots)
        given = {k for k, _ in self.parameters}
        if given != expected:
            raise ValueError(f"template {self.template} takes {sorted(expected)}, got {sorted(given)}")
        return self

    def run(self, ctx: ToolContext) -> list[Evidence]:
        template = T[self.template]
        return _read_graph(ctx, template.cypher, dict(self.parameters), template.describe(dict(self.parameters)),
                           self.template)


class CypherQuery(_Call):
    """Read-only Cypher over the knowledge graph, written by an LLM (see ``genelm graph schema``).

    It runs only through GraphConnection.read: the read-only guard's parse, then
    EXPLAIN, then a READ transaction; literals in it must be grounded like any argument.
    """

    tool: Literal["graph_cypher"] = "graph_cypher"
    cypher: str = Field(min_length=6, max_length=4000)

    @field_validator("cypher")
    @classmethod
    def _read_only(cls, value: str) -> str:
        """Refused at validation, so a model gets the guard's reason in its repair round (read() checks again)."""
        from genelm.graph.guard import CypherRefused, check_read_only

        try:
            check_read_only(value)
        except CypherRefused as exc:  # an InputError; pydantic reports only ValueErrors as validation errors
            raise ValueError(str(exc)) from None
        return value

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return _read_graph(ctx, self.cypher, {}, "a Cypher query written by the LLM", "cypher")


def _read_graph(ctx: ToolContext, cypher: str, parameters: dict, title: str, name: str) -> list[Evidence]:
    from genelm.graph.build import require_built
    from genelm.graph.evidence import graph_evidence

    try:
        built = require_built(ctx.http.settings)
        conn = ctx.graph()
        result = conn.read(cypher, parameters)
    except GenelmError as exc:
        raise SourceError("graph", str(exc)) from None
    return [graph_evidence(result, uri=conn.uri, database=conn.database, title=title, name=name,
                           built_at=(built or {}).get("built_at"))]


def graph_call(plan: GraphPlan) -> GraphQuery:
    return GraphQuery(template=plan.template.name, parameters=tuple(sorted(plan.parameters.items())))
