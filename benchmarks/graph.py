"""Knowledge-graph benchmark: load rate and query latency, with baselines measured in the same run.

    .venv/bin/python benchmarks/graph.py [--scale 2300000] [--heap 6g]

1. Loading: genelm's batched ``UNWIND … CREATE`` loader vs one ``CREATE`` per row (what a
   plain driver loop does), on the same 5,000 gene nodes.
2. Build: the bundled data, then a copy scaled to ``--scale`` cCREs (the full ENCODE
   registry is about 2.3 M): nodes + relationships per second, end to end (adapters,
   BioCypher translation, Bolt).  Goal: the registry size in 10 minutes or less.
3. Queries: p50/p90 of the graph suite's 49 gold queries vs a ``RETURN 1`` round trip.

Everything runs in a temporary cache dir with its own embedded ArcadeDB server, so the
user's graph is untouched.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from genelm.graph.adapters import gene_adapter
from genelm.graph.build import build_graph
from genelm.graph.connection import GraphConnection, embedded_server
from genelm.graph.loader import Loader
from genelm.graph.schema import Translated, load_schema, translate
from genelm.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT / "evals" / "suites" / "graph_dev.jsonl"


def bench_loader(conn: GraphConnection, n: int = 5000) -> tuple[float, float]:
    schema = load_schema()
    nodes = list(gene_adapter().nodes)[:n]
    rows = translate(nodes, []).nodes["Gene"]
    for row in rows:
        row["id"] = "bench-" + row["id"]
    plain = [dict(r, id=r["id"] + "-plain") for r in rows]
    started = time.perf_counter()
    Loader(conn, schema, merge=False).load(Translated({"Gene": rows}, {}, {}))
    batched = n / (time.perf_counter() - started)
    started = time.perf_counter()
    for r in plain:  # one statement and one round trip per row
        conn.write("CREATE (n:Gene {id: $id, symbol: $symbol, name: $name})", r)
    per_row = n / (time.perf_counter() - started)
    return batched, per_row


def bench_queries(conn: GraphConnection, repeats: int = 5) -> tuple[list[float], list[float]]:
    queries = [json.loads(line)["cypher"] for line in SUITE.read_text().splitlines() if line.strip()]
    for q in queries:  # warm the server's plan cache, as a running genelm would have it
        conn.read(q)
    times, floor = [], []
    for _ in range(repeats):
        for q in queries:
            started = time.perf_counter()
            conn.read(q)
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            conn.read("RETURN 1 AS one")
            floor.append(time.perf_counter() - started)
    return times, floor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=200_000, help="cCREs in the scaled build (registry: 2300000)")
    parser.add_argument("--heap", default="4g", help="Java heap of the benchmark's graph server")
    args = parser.parse_args(argv)
    console = Console()
    with tempfile.TemporaryDirectory(prefix="genelm-graph-bench-") as tmp:
        settings = Settings(cache_dir=Path(tmp), graph_heap=args.heap)
        try:
            bundled = build_graph(settings)
            with GraphConnection.open(settings) as conn:
                times, floor = bench_queries(conn)
                batched, per_row = bench_loader(conn)
            scaled = build_graph(settings, scale_ccres=args.scale)
        finally:
            embedded_server(settings).stop()

    table = Table("measure", "genelm", "baseline", "ratio", title="knowledge graph (embedded ArcadeDB over Bolt)")
    table.add_row("gene nodes/s: batched UNWIND vs one CREATE per row", f"{batched:,.0f}", f"{per_row:,.0f}",
                  f"{batched / per_row:.1f}x")
    p50, p90, f50 = (statistics.median(times), statistics.quantiles(times, n=10)[-1], statistics.median(floor))
    table.add_row("query p50 (49 gold queries) vs RETURN 1", f"{p50 * 1000:.1f} ms", f"{f50 * 1000:.1f} ms",
                  f"{p50 / f50:.1f}x")
    table.add_row("query p90", f"{p90 * 1000:.1f} ms", "", "")
    for name, report in (("bundled data", bundled), (f"scaled: {args.scale:,} cCREs", scaled)):
        table.add_row(f"build {name}: {report.nodes:,} nodes + {report.relationships:,} rels",
                      f"{report.per_second:,.0f}/s", f"{report.seconds:.0f} s", "")
    # The registry-size time: the scaled build's own, plus (when --scale is smaller) the
    # extra cCREs' nodes and relationships at the scaled build's rate.
    registry = 2_300_000
    bundled_ccres = bundled.per_source["SCREEN cCREs"]["nodes"]
    extra = (scaled.nodes + scaled.relationships) - (bundled.nodes + bundled.relationships)
    per_ccre = extra / max(args.scale - bundled_ccres, 1)
    projected = scaled.seconds + max(registry - args.scale, 0) * per_ccre / scaled.per_second
    table.add_row("registry (2.3 M cCREs) at the scaled rate", f"{projected / 60:.1f} min", "goal 10 min",
                  f"{600 / projected:.2f}x of goal")
    console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
