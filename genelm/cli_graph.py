"""`genelm graph …`: build, serve, stop, inspect and query the knowledge graph."""
from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from genelm.connectors.errors import GenelmError

graph_app = typer.Typer(help="The knowledge graph (BioCypher schema, Bolt server): build, serve, query.",
                        no_args_is_help=True)


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"genelm: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _settings():
    from genelm.settings import Settings

    return Settings()


@graph_app.command("build")
def build(
    scale_ccres: Annotated[Optional[int], typer.Option(
        help="Repeat the bundled cCREs to this many (a registry-sized load for benchmarks).", min=1)] = None,
) -> None:
    """Build the graph from the bundled data (rebuilding is idempotent)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from genelm.graph.build import build_graph

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,} written"),
                  TimeElapsedColumn(), transient=False) as progress:
        task = progress.add_task("building the knowledge graph", total=None)

        def on_progress(what: str, n: int) -> None:
            progress.update(task, advance=n, description=f"loading {what}")

        try:
            report = build_graph(_settings(), scale_ccres=scale_ccres, on_progress=on_progress)
        except GenelmError as exc:
            _fail(str(exc))
            return
        progress.update(task, description="built")
    for name, stats in report.per_source.items():
        typer.echo(f"  {name:28s} {stats.get('nodes', 0):>9,} nodes {stats.get('edges', 0):>9,} relationships")
    typer.echo(f"built {report.nodes:,} nodes and {report.relationships:,} relationships in {report.seconds:.1f} s "
               f"({report.per_second:,.0f}/s) at {report.uri} ({report.mode})")


@graph_app.command("serve")
def serve() -> None:
    """Start the embedded graph server (ArcadeDB, Bolt on 127.0.0.1) if it is not running."""
    from genelm.graph.connection import embedded_server
    from genelm.graph.server import GraphServerError

    try:
        state = embedded_server(_settings()).start()
    except GraphServerError as exc:
        _fail(str(exc))
        return
    typer.echo(f"graph server running at {state.uri} (database {state.database}, pid {state.pid}); "
               "stop it with `genelm graph stop`")


@graph_app.command("stop")
def stop() -> None:
    """Stop the embedded graph server."""
    from genelm.graph.connection import embedded_server

    stopped = embedded_server(_settings()).stop()
    typer.echo("graph server stopped" if stopped else "no graph server was running")


@graph_app.command("status")
def status() -> None:
    """Whether the server runs, and what the last build loaded."""
    from genelm.graph.build import last_build
    from genelm.graph.connection import embedded_server

    settings = _settings()
    if settings.graph_uri:
        typer.echo(f"graph: your server at {settings.graph_uri}")
    else:
        state = embedded_server(settings).running()
        typer.echo(f"embedded server: {'running at ' + state.uri if state else 'stopped'}")
    build = last_build(settings)
    if build:
        typer.echo(f"last build: {build['nodes']:,} nodes, {build['relationships']:,} relationships "
                   f"in {build['seconds']:.1f} s")
    else:
        typer.echo("not built yet: run `genelm graph build`")


@graph_app.command("schema")
def schema() -> None:
    """The labels, properties and relationships queries can use."""
    from genelm.graph.schema import load_schema

    typer.echo(load_schema().describe())


@graph_app.command("query")
def query(
    cypher: Annotated[str, typer.Argument(help="A read-only Cypher query (MATCH … RETURN).")],
    param: Annotated[Optional[list[str]], typer.Option("--param", help="A query parameter NAME=VALUE (repeatable).")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
) -> None:
    """Run a read-only query; anything that could write is refused before it reaches the server."""
    from rich.console import Console
    from rich.table import Table

    from genelm.graph.connection import GraphConnection

    parameters = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep or not name.isidentifier():
            _fail(f"--param takes NAME=VALUE, got {item!r}")
        parameters[name] = value
    try:
        with GraphConnection.open(_settings()) as conn:
            result = conn.read(cypher, parameters)
    except GenelmError as exc:
        _fail(str(exc))
        return
    if as_json:
        typer.echo(json.dumps({"query": cypher, "parameters": parameters, "rows": result.rows}, default=str))
        return
    table = Table(*result.columns)
    for row in result.rows:
        table.add_row(*(str(row[c]) for c in result.columns))
    console = Console()
    console.print(table)
    console.print(f"{len(result.rows)} rows in {result.seconds * 1000:.0f} ms")
