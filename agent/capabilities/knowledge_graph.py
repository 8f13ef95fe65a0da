"""The typed call over the knowledge graph: a template name and its slot values, never Cypher text.

So nothing in a question, an LLM's output or an API response can change what runs:
the template fixes the query's shape and the values travel as Bolt parameters.

Questions the knowledge graph answers: which template, and the sentences for its rows.

When the graph is not built or not reachable the answer says so (a gap) and, for
the TF question, the bundled ENCODE index answers instead.
"""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from genelm.agent.capabilities.encode import EncodeSearch, profiled_targets, say_encode_experiments
from genelm.agent.core.call import ToolContext, _Call, _term
from genelm.agent.core.question import Intent, Ledger, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.connectors.errors import GenelmError, SourceError
from genelm.evidence import Evidence
from genelm.i18n import _, tr
from genelm.graph.text2cypher import GraphPlan, T, plan_query

TemplateName = Literal[tuple(T)]  # type: ignore[valid-type]


class GraphQuery(_Call):
    """A fixed, read-only knowledge-graph query (template) filled with values, e.g. the TFs profiled in a cell type."""

    tool: Literal["graph_query"] = "graph_query"
    label: ClassVar[str] = "Knowledge graph: querying"
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
    label: ClassVar[str] = "Knowledge graph: running Cypher"
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

# Templates only the graph can answer; the rest (an experiment's files, say) go to the
# graph when the question asks for it by name, and to the ENCODE portal otherwise.
GRAPH_FIRST = {"tfs_profiled_in", "histone_marks_in", "count_experiments", "assays_in", "biosamples_for_target",
               "enformer_tracks_for", "enformer_assay_tracks_for", "enformer_tracks_for_experiment",
               "ccres_near_gene", "ccre_count_in", "tf_gene"}
# Templates the bundled ENCODE index answers as well: the graph is used for them only once it is built.
INDEX_ANSWERS = {"tfs_profiled_in", "histone_marks_in", "count_experiments", "assays_in", "biosamples_for_target"}
# Lists GraphIntent answers from the bundled index itself when no graph is built (never waiting for a build):
# the template and the ENCODE assay whose targets it lists.
INDEX_FALLBACK = {"tfs_profiled_in": None, "histone_marks_in": "Histone ChIP-seq"}
SHOWN = 25


def _graph_ready() -> bool:
    """Whether the graph under this question's settings (its cache dir, or a server of your own) is there."""
    from genelm.graph.build import last_build
    from genelm.settings import current_settings

    settings = current_settings()
    return bool(settings.graph_uri) or last_build(settings) is not None


def _joined(values) -> str:
    values = [str(v) for v in values if v not in (None, "")]
    return ", ".join(values) if values else _("none")


def _row_sentence(template: str, row: dict, params: dict) -> str:
    """One row of a template's result as a sentence."""
    if template == "tfs_profiled_in":
        return tr("{target} was profiled by {assay} in {biosample} (ENCODE {experiments}).", target=row["target"],
                  assay=params["assay"], biosample=params["biosample"], experiments=_joined(sorted(row["experiments"])))
    if template == "histone_marks_in":
        return tr("{target} was profiled in {biosample} (ENCODE {experiments}).", target=row["target"],
                  biosample=params["biosample"], experiments=_joined(sorted(row["experiments"])))
    if template == "biosamples_for_target":
        return tr("{target} was profiled in {biosample} (ENCODE {experiments}).", target=params["target"],
                  biosample=row["biosample"], experiments=_joined(sorted(row["experiments"])))
    if template == "assays_in":
        return tr("{biosample} has {count} {assay} experiment(s) in the graph.", biosample=params["biosample"],
                  count=row["experiments"], assay=row["assay"])
    if template == "experiments_for_target_in":
        return tr("ENCODE {experiment} is a {assay} of {target} in {biosample}.", experiment=row["experiment"],
                  assay=row["assay"], target=params["target"], biosample=params["biosample"])
    if template == "experiment_overview":
        return tr("ENCODE {experiment} is a {assay} of {target} in {biosample}.", experiment=row["experiment"],
                  assay=row["assay"] or _("assay not recorded"), target=row["target"] or _("no target"),
                  biosample=row["biosample"] or _("an unrecorded biosample"))
    if template == "files_of_experiment":
        return tr("File {file} belongs to {accession} ({details}).", file=row["file"], accession=params["accession"],
                  details=_joined([row["output_type"], row["file_format"], row["assembly"]]))
    if template in ("enformer_tracks_for", "enformer_assay_tracks_for", "enformer_tracks_for_experiment"):
        if row.get("experiment"):
            return tr("Enformer output track {track} is {description}, trained on ENCODE {experiment}.",
                      track=row["track"], description=row["description"], experiment=row["experiment"])
        return tr("Enformer output track {track} is {description}.", track=row["track"], description=row["description"])
    if template == "ccres_near_gene":
        return tr("cCRE {ccre} ({where}, GRCh38) is {distance} bp from {symbol} and promoter-like in {biosamples}.",
                  ccre=row["ccre"], where=f"{row['chrom']}:{row['start']}-{row['end']}", distance=row["distance"],
                  symbol=params["symbol"], biosamples=_joined(sorted(row["promoter_like_in"])))
    if template == "tf_gene":
        return tr("The transcription factor {tf} is encoded by NCBI Gene {gene_id} on chromosome {chrom} ({band}).",
                  tf=row["tf"], gene_id=row["gene_id"], chrom=row["chromosome"], band=row["map_location"])
    if template == "count_experiments":
        return tr("The graph holds {count} {assay} experiment(s) in {biosample}.", count=row["experiments"],
                  assay=params["assay"], biosample=params["biosample"])
    if template == "ccre_count_in":
        return tr("The graph holds {count} promoter-like cCREs in {biosample} (GRCh38).", count=row["ccres"],
                  biosample=params["biosample"])
    return "; ".join(f"{k}: {v}" for k, v in row.items()) + "."


def say_graph(s: Synthesis, ev: Evidence, template: str) -> None:
    params = ev.params["parameters"]
    rows = ev.records
    if not rows:
        s.say(tr("The knowledge graph holds nothing for {query}.", query=T[template].describe(params)), ev.key)
        return
    for row in rows[:SHOWN]:
        s.say(_row_sentence(template, row, params), ev.key)
    if len(rows) > SHOWN:
        s.note(tr("{count} more rows are in the evidence table.", count=len(rows) - SHOWN))
    first = ev.params["columns"][0]
    s.short_answer = ", ".join(str(r[first]) for r in rows)
    s.note(_("From genelm's knowledge graph, built from the bundled ENCODE metadata exports, NCBI Gene, SCREEN "
             "cCREs and Enformer targets; the Cypher query and its parameters are in the evidence."))


class GraphIntent(Intent):
    name = "graph"

    def _plan(self, q: Question) -> GraphPlan | None:
        plan = plan_query(q.text, q.entities)
        if plan is None:
            return None
        if q.has("graph", "knowledge graph"):
            return plan
        name = plan.template.name
        if name in INDEX_ANSWERS and name not in INDEX_FALLBACK and \
                (not _graph_ready() or set(q.frame.constraints) - {"biosample", "assay"}):
            return None  # the index answers it now (no waiting for a graph build), and with every filter asked
        return plan if name in GRAPH_FIRST else None

    def matches(self, q):
        return self._plan(q) is not None

    def steps(self, q, ledger, step):
        plan = self._plan(q)
        # A list of the targets profiled in a biosample: from the graph once it is built (or when the question asks
        # the graph by name), else straight from the bundled index (this intent's own fallback), never waiting for
        # a build.
        fallback = plan.template.name in INDEX_FALLBACK
        index_now = fallback and not _graph_ready() and not q.has("graph", "knowledge graph")
        if step == 0 and not index_now:
            return [graph_call(plan)]
        if step == (0 if index_now else 1) and fallback and not _graph_evidence(ledger, plan.template.name):
            return [EncodeSearch(biosample=plan.parameters["biosample"], assay=_index_assay(plan))]
        return []

    def answer(self, q, ledger):
        s = Synthesis()
        plan = self._plan(q)
        graph = _graph_evidence(ledger, plan.template.name)
        if graph:
            say_graph(s, graph[0], plan.template.name)
            return s
        if plan.template.name in INDEX_FALLBACK:
            f = {"biosample": plan.parameters["biosample"], "assay": _index_assay(plan)}
            targets = profiled_targets(ledger)
            accessions = say_encode_experiments(s, ledger, f, limit=SHOWN)
            s.short_answer = ", ".join(targets) or None
            if accessions and _graph_ready():
                s.note(_("The knowledge graph did not answer, so these come from the bundled ENCODE index."))
        return s


def _index_assay(plan: GraphPlan) -> str:
    return INDEX_FALLBACK[plan.template.name] or plan.parameters["assay"]


def _graph_evidence(ledger: Ledger, template: str) -> list[Evidence]:
    """This template's results only: an LLM's own Cypher (graph:cypher:…) has other columns and no slots."""
    return [ev for ev in ledger.values() if ev.source == "graph" and ev.key.startswith(f"graph:{template}:")]
