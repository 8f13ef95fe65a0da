"""A Bolt connection to the knowledge graph: your Neo4j (NEO4J_URI) or the embedded ArcadeDB.

Every query that did not come from genelm's own loader goes through :meth:`read`:
the read-only guard, then ``EXPLAIN`` (so a query the server cannot plan fails
before anything runs), then a READ transaction with a timeout.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from genelm.connectors.errors import GenelmError, InputError
from genelm.graph.guard import check_read_only
from genelm.graph.server import EmbeddedGraphServer, GraphServerError
from genelm.settings import Settings

QUERY_TIMEOUT_S = 30.0


class GraphUnavailable(GenelmError):
    """No graph server could be reached; the message says how to get one."""


class CypherFailed(InputError):
    """The server refused or could not run a (read-only) query."""


@dataclass
class QueryResult:
    query: str
    parameters: dict
    columns: list[str]
    rows: list[dict]
    seconds: float


def embedded_server(settings: Settings) -> EmbeddedGraphServer:
    return EmbeddedGraphServer(Path(settings.cache_dir) / "graph", heap=settings.graph_heap)


class GraphConnection:
    def __init__(self, driver, database: str | None, uri: str, embedded: bool):
        self._driver = driver
        self.database = database
        self.uri = uri  # never carries the password
        self.embedded = embedded

    @classmethod
    def open(cls, settings: Settings | None = None, *, start: bool = True, build: bool = True,
             on_progress: Callable[[str, int], None] | None = None) -> "GraphConnection":
        """Connect to NEO4J_URI if set, else to the embedded server (started when ``start``).

        An embedded graph that was never built is built first when ``build`` and
        ``settings.graph_autobuild`` (about a minute; progress to ``on_progress`` or stderr);
        with autobuild off this raises GraphNotBuilt, which says how to build it.
        """
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ServiceUnavailable

        settings = settings or Settings()
        if build and start and not settings.graph_uri:
            from genelm.graph.build import ensure_built

            ensure_built(settings, on_progress=on_progress)
        if settings.graph_uri:
            password = settings.graph_password.get_secret_value() if settings.graph_password else ""
            uri, user, database, embedded = settings.graph_uri, settings.graph_user, settings.graph_database, False
        else:
            server = embedded_server(settings)
            try:
                state = server.start() if start else server.running()
            except GraphServerError as exc:
                raise GraphUnavailable(str(exc)) from None
            if state is None:
                raise GraphUnavailable("the knowledge graph is not running; build it with `genelm graph build`")
            uri, user, password, database, embedded = state.uri, state.user, state.password, state.database, True
        driver = GraphDatabase.driver(uri, auth=(user, password), connection_timeout=10)
        try:
            driver.verify_connectivity()
        except AuthError:
            driver.close()
            raise GraphUnavailable(f"the graph server at {uri} refused the credentials; check NEO4J_USERNAME "
                                   "and NEO4J_PASSWORD") from None
        except (ServiceUnavailable, OSError) as exc:
            driver.close()
            raise GraphUnavailable(f"no graph server answered at {uri} ({exc.__class__.__name__}); "
                                   "start it with `genelm graph serve` or check NEO4J_URI") from None
        return cls(driver, database, uri, embedded)

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> "GraphConnection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _session(self, **kwargs):
        return self._driver.session(database=self.database, **kwargs) if self.database else \
            self._driver.session(**kwargs)

    def read(self, query: str, parameters: dict | None = None) -> QueryResult:
        """Run a query that the guard has proved read-only; raise a clear error otherwise."""
        from neo4j import unit_of_work
        from neo4j.exceptions import Neo4jError

        parameters = dict(parameters or {})
        check_read_only(query)
        started = time.perf_counter()
        try:
            with self._session(default_access_mode="READ") as session:
                session.run("EXPLAIN " + query, parameters).consume()

                @unit_of_work(timeout=QUERY_TIMEOUT_S)
                def work(tx):
                    result = tx.run(query, parameters)
                    return list(result.keys()), [record.data() for record in result]

                columns, rows = session.execute_read(work)
        except Neo4jError as exc:
            raise CypherFailed(f"the graph server could not run the query: {exc.message or exc.code}") from None
        return QueryResult(query, parameters, columns, rows, time.perf_counter() - started)

    def write(self, statement: str, parameters: dict | None = None):
        """genelm's own loader statements (never text from a question, an LLM or an API); returns the counters."""
        with self._session() as session:
            return session.run(statement, parameters or {}).consume().counters

    def count(self) -> tuple[int, int]:
        """(nodes, relationships) in the graph."""
        nodes = self.read("MATCH (n) RETURN count(n) AS n").rows[0]["n"]
        rels = self.read("MATCH ()-[r]->() RETURN count(r) AS n").rows[0]["n"]
        return nodes, rels
