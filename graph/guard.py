"""The read-only guard: generated Cypher runs only if a real parse proves it cannot write.

Neither ArcadeDB nor FalkorDB refuses a write inside a READ transaction (DESIGN.md;
genelm's own test shows ArcadeDB committing a CREATE sent through ``execute_read``),
so the database cannot be the safety net.  The query is parsed with graphglot's
Neo4j dialect and its syntax tree walked: any clause that modifies data or the
catalogue, any procedure outside a short read-only list, more than one statement,
or anything the parser cannot read (LOAD CSV, FOREACH, vendor extensions) is refused.
A keyword regex would refuse ``MATCH (g {name: 'DELETE'})`` and pass a write hidden
in a subquery; the tree does neither.
"""
from __future__ import annotations

from functools import lru_cache

from genelm.connectors.errors import InputError

# Procedures that only read schema information.  Everything else is refused,
# because a procedure's effect cannot be read from the call site.
READ_ONLY_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys",
    "db.schema.visualization", "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
})


class CypherRefused(InputError):
    """The query is not provably read-only; nothing was sent to the database."""


@lru_cache(maxsize=1)
def _dialect():
    from graphglot.dialect.neo4j import Neo4j

    return Neo4j()


def _forbidden():
    import graphglot.ast as ast

    # class -> the clause a person would recognise in the message
    return (
        (ast.CreateClause, "CREATE"),
        (ast.MergeClause, "MERGE"),
        (ast.InsertStatement, "INSERT"),
        (ast.SetStatement, "SET"),
        (ast.RemoveStatement, "REMOVE"),
        (ast.DeleteStatement, "DELETE"),
        (ast.PrimitiveDataModifyingStatement, "a data-modifying statement"),
        (ast.LinearDataModifyingStatement, "a data-modifying statement"),
        (ast.SimpleCatalogModifyingStatement, "a schema or catalogue change (CREATE/DROP INDEX, graph or type)"),
        (ast.CallCatalogModifyingProcedureStatement, "a catalogue-modifying procedure"),
        (ast.QueryPrefix, "EXPLAIN/PROFILE (genelm adds EXPLAIN itself; PROFILE executes the query)"),
    )


def _procedure_name(call, dialect) -> str:
    return dialect.generate(call.procedure_reference).replace("`", "").strip()


def check_read_only(query: str) -> None:
    """Raise CypherRefused unless ``query`` is a single statement that cannot write."""
    import graphglot.ast as ast
    from graphglot.error import GraphGlotError

    if not query or not query.strip():
        raise CypherRefused("the Cypher query is empty; write a MATCH … RETURN query")
    dialect = _dialect()
    try:
        statements = dialect.parse(query)
    except GraphGlotError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CypherRefused(
            f"the Cypher query could not be parsed as read-only Cypher ({_plain(first_line)}); "
            "genelm runs MATCH … RETURN queries only (LOAD CSV, FOREACH and vendor extensions are refused)"
        ) from None
    except RecursionError:
        raise CypherRefused("the Cypher query is nested too deeply to check; simplify it") from None
    if len(statements) != 1:
        raise CypherRefused(f"the Cypher text holds {len(statements)} statements; send one read-only query")
    found: list[tuple[int, str]] = []  # (rank in _forbidden, clause): the most specific is named
    forbidden = _forbidden()
    for node in statements[0].dfs():
        # A CALL statement subclasses the catalogue-modifying classes in graphglot's
        # GQL model whatever it calls; what it calls is checked below instead.
        if not isinstance(node, ast.CallProcedureStatement):
            found += [(rank, clause) for rank, (cls, clause) in enumerate(forbidden) if isinstance(node, cls)]
        if isinstance(node, ast.NamedProcedureCall):
            name = _procedure_name(node, dialect)
            if name.lower() not in READ_ONLY_PROCEDURES:
                raise CypherRefused(
                    f"refused: the procedure {name} is not on genelm's read-only list "
                    f"({', '.join(sorted(READ_ONLY_PROCEDURES))}); nothing was executed"
                )
    if found:
        raise CypherRefused(
            f"refused: the query contains {min(found)[1]}, which writes to the graph; "
            "genelm runs read-only Cypher (MATCH … RETURN) only, and nothing was executed"
        )


def _plain(text: str) -> str:
    """Parser messages carry ANSI underline codes for terminals; drop them."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text).strip()
