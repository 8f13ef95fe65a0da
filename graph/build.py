"""`genelm graph build`: bundled data -> adapters -> BioCypher -> Bolt, with a progress bar.

The graph is part of the product, so it is also built on first use: :func:`ensure_built`
(called by ``require_built`` and by ``GraphConnection.open``) builds the embedded graph
the first time a question needs it, reporting progress through a callback or on stderr,
unless ``Settings.graph_autobuild`` is off; then it says how to build it.

Rebuilds are idempotent.  The embedded server's database is dropped and recreated
(its files are genelm's own); a Neo4j of your own is never wiped: nodes and
relationships are MERGEd on their ids, so running the build twice changes nothing.
All nodes of every source are written before any relationship, because relationships
cross sources (a cCRE's nearest gene, a TF's gene).
"""
from __future__ import annotations

import itertools
import json
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from genelm.connectors.errors import GenelmError
from genelm.graph.adapters import Adapter, bundled_adapters
from genelm.graph.connection import GraphConnection, embedded_server
from genelm.graph.loader import Loader, ensure_indexes
from genelm.graph.schema import SchemaTranslator, load_schema
from genelm.settings import Settings

CHUNK = 250_000  # tuples per BioCypher translation: bounds memory at registry scale


class UnknownLabels(GenelmError):
    """An adapter emitted a label schema_config.yaml does not declare (BioCypher would drop it silently)."""


@dataclass
class BuildReport:
    uri: str
    mode: str  # 'fresh' (embedded, recreated) or 'merge' (a server of your own)
    nodes: int = 0
    relationships: int = 0
    seconds: float = 0.0
    per_source: dict[str, dict] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return (self.nodes + self.relationships) / self.seconds if self.seconds else 0.0


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _reset_embedded(settings: Settings) -> None:
    server = embedded_server(settings)
    server.stop()
    shutil.rmtree(server.database_dir, ignore_errors=True)


def build_graph(settings: Settings | None = None, *, adapters: list[Adapter] | None = None,
                scale_ccres: int | None = None,
                on_progress: Callable[[str, int], None] | None = None) -> BuildReport:
    settings = settings or Settings()
    fresh = not settings.graph_uri
    if fresh:
        _reset_embedded(settings)
    adapters = adapters if adapters is not None else bundled_adapters(scale_ccres)
    schema = load_schema()
    translate = SchemaTranslator()
    started = time.perf_counter()
    with GraphConnection.open(settings, build=False) as conn:
        ensure_indexes(conn, schema)
        loader = Loader(conn, schema, merge=not fresh, on_progress=on_progress)
        report = BuildReport(conn.uri, "fresh" if fresh else "merge")
        # One writer thread: BioCypher translates the next chunk (Python) while the
        # server stores this one (Java), so the two cores work at once.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="graph-writer") as writer:
            for phase in ("nodes", "edges"):
                for adapter in adapters:
                    before = (loader.nodes_written, loader.edges_written)
                    pending = None
                    for chunk in _chunks(getattr(adapter, phase), CHUNK):
                        translated = translate(chunk, []) if phase == "nodes" else translate([], chunk)
                        if translated.unknown_labels:
                            raise UnknownLabels(f"{adapter.name}: labels not in schema_config.yaml: "
                                                f"{translated.unknown_labels}")
                        if pending is not None:
                            pending.result()
                        pending = writer.submit(loader.load, translated)
                    if pending is not None:
                        pending.result()  # the source's counts are final
                    stats = report.per_source.setdefault(adapter.name, {})
                    stats[phase] = (loader.nodes_written - before[0]) if phase == "nodes" else \
                        (loader.edges_written - before[1])
        report.nodes, report.relationships = loader.nodes_written, loader.edges_written
    report.seconds = time.perf_counter() - started
    manifest = _manifest(settings)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({**asdict(report), "built_at": time.time()}, indent=2))
    return report


def _manifest(settings: Settings) -> Path:
    return Path(settings.cache_dir) / "graph" / "build.json"  # made by a build; reading it never creates it


class GraphNotBuilt(GenelmError):
    """The embedded graph has never been built."""


def require_built(settings: Settings, on_progress: Callable[[str, int], None] | None = None) -> dict | None:
    """The last build's manifest, building the embedded graph first if needed (see :func:`ensure_built`)."""
    return ensure_built(settings, on_progress=on_progress)


def ensure_built(settings: Settings, *, on_progress: Callable[[str, int], None] | None = None,
                 adapters: list[Adapter] | None = None) -> dict | None:
    """The last build's manifest.  The embedded graph is built first if it never was (about a minute).

    ``settings.graph_autobuild`` off: raise GraphNotBuilt saying how to build it instead.
    A server of your own (NEO4J_URI) is taken as built: genelm cannot know what it holds,
    and never writes the bundled data into it uninvited.  Progress goes to ``on_progress``
    (what, rows written), or, without one, to stderr.  Two processes asking at once build
    once: the second waits for the first's build.
    """
    built = last_build(settings)
    if built is not None or settings.graph_uri:
        return built
    if not settings.graph_autobuild:
        raise GraphNotBuilt("the knowledge graph is not built yet, and building it on first use is turned off "
                            "(graph_autobuild = false); run `genelm graph build` (about a minute), then ask again")
    from filelock import FileLock

    folder = Path(settings.cache_dir) / "graph"
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder / "build.lock"), timeout=30 * 60):
        built = last_build(settings)  # another process may have built it while this one waited
        if built is None:
            report = None
            progress = on_progress or StderrProgress()
            try:
                report = build_graph(settings, adapters=adapters, on_progress=progress)
            finally:
                if isinstance(progress, StderrProgress):
                    progress.done(report)
            built = last_build(settings)
    return built


class StderrProgress:
    """genelm's own progress for a build on first use: a line at the start, one every few seconds, one at the end.

    Plain lines on stderr (not a live bar): they read the same in a terminal, a log file, under
    the chat and under the MCP server, whose stdout is the protocol.
    """

    def __init__(self, stream=None, every_s: float = 5.0):
        self.stream = stream or sys.stderr
        self.every_s = every_s
        self.written = 0
        self.started = time.monotonic()
        self._last = 0.0
        self._say("genelm: building the knowledge graph from the bundled data on first use (about a minute; "
                  "`genelm graph build` does it ahead of time, graph_autobuild = false turns this off)…")

    def _say(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    def __call__(self, what: str, n: int) -> None:
        self.written += n
        now = time.monotonic()
        if now - self._last >= self.every_s:
            self._last = now
            self._say(f"genelm: graph build: {self.written:,} written ({what}), {now - self.started:.0f} s")

    def done(self, report: "BuildReport | None") -> None:
        if report is None:
            self._say("genelm: the knowledge graph build did not finish")
        else:
            self._say(f"genelm: knowledge graph built: {report.nodes:,} nodes, {report.relationships:,} "
                      f"relationships in {report.seconds:.0f} s")


def last_build(settings: Settings) -> dict | None:
    try:
        return json.loads(_manifest(settings).read_text())
    except (OSError, ValueError):
        return None


def add_evidence(evidence: Iterable, settings: Settings | None = None) -> tuple[int, int]:
    """MERGE what an answer retrieved into the built graph; returns (nodes, relationships) written."""
    from genelm.graph.adapters import evidence_adapter

    settings = settings or Settings()
    adapter = evidence_adapter(evidence)
    with GraphConnection.open(settings) as conn:
        loader = Loader(conn, load_schema(), merge=True)
        translate = SchemaTranslator()
        loader.load(translate(adapter.nodes, []))
        loader.load(translate([], adapter.edges))
    return loader.nodes_written, loader.edges_written
