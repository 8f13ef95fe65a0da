"""The typed call over the knowledge graph: a template name and its slot values, never Cypher text.

So nothing in a question, an LLM's output or an API response can change what runs:
the template fixes the query's shape and the values travel as Bolt parameters.
"""
from __future__ import annotations

from typing import Literal

from pydantic import field_validator, model_validator

from genelm.agent.call_base import ToolContext, _Call, _term
from genelm.connectors.errors import GenelmError, SourceError
from genelm.evidence import Evidence
from genelm.graph.text2cypher import T, GraphPlan

TemplateName = Literal[tuple(T)]  # type: ignore[valid-type]


class GraphQuery(_Call):
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
        from genelm.graph.build import require_built
        from genelm.graph.evidence import graph_evidence

        template = T[self.template]
        try:
            built = require_built(ctx.http.settings)
            conn = ctx.graph()
            result = conn.read(template.cypher, dict(self.parameters))
        except GenelmError as exc:
            raise SourceError("graph", str(exc)) from None
        return [graph_evidence(result, uri=conn.uri, database=conn.database,
                               title=template.describe(dict(self.parameters)), name=self.template,
                               built_at=(built or {}).get("built_at"))]


def graph_call(plan: GraphPlan) -> GraphQuery:
    return GraphQuery(template=plan.template.name, parameters=tuple(sorted(plan.parameters.items())))
