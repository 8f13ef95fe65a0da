"""genelm benchmarks: one command, tables with ratios against baselines measured in the same run.

    .venv/bin/python benchmarks/run.py [--suite ../shared/benchmarks/geneturing_dev.jsonl] [--quick]

1. Replay lookups per second: RecordingStore.lookup (normalise + exact/soft match) vs a plain
   dict lookup of an already-normalised URL (the floor).
2. Cache-hit overhead: HttpClient in auto mode answering from the requests-cache SQLite cache vs
   the same request served live by a local HTTP server.
3. Warm answer latency offline: genelm.ask over the dev suite (p50/p90) vs the bare replay of the
   same HTTP requests (the I/O floor).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from rich.console import Console
from rich.table import Table

from genelm.agent.api import ask, make_settings
from genelm.connectors.http import HttpClient, bundled_snapshot
from genelm.connectors.urls import normalize_url
from genelm.settings import NetworkMode, Settings

ROOT = Path(__file__).resolve().parents[1]


def bench_replay(n: int) -> list[tuple]:
    store = bundled_snapshot()
    urls = [r.url for r in store.recordings()]
    shuffled = [u.replace("?", "?zz=0&", 1) if "?" in u else u for u in urls]  # unnormalised variants
    plain = {u: r for u, r in ((r.url, r) for r in store.recordings())}
    t = time.perf_counter()
    for i in range(n):
        plain.get(urls[i % len(urls)])
    base = n / (time.perf_counter() - t)
    t = time.perf_counter()
    for i in range(n):
        store.lookup("GET", urls[i % len(urls)])
    ours = n / (time.perf_counter() - t)
    return [("replay lookup (normalise + match)", f"{ours:,.0f}/s", f"{base:,.0f}/s (dict.get)", f"{ours / base:.3f}"),
            ("", f"{len(shuffled)} recordings", "", "")]


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        body = json.dumps({"path": self.path, "pad": "x" * 2000}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def bench_cache(n: int) -> list[tuple]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/x"
    with tempfile.TemporaryDirectory() as tmp:
        fast = {f"127.0.0.1:{server.server_address[1]}": 100000.0}
        live = HttpClient(Settings(cache_dir=Path(tmp), mode=NetworkMode.live, rate_limits=fast))
        cached = HttpClient(Settings(cache_dir=Path(tmp), mode=NetworkMode.auto, rate_limits=fast))
        cached.request(url, {"q": 1}, source="bench")  # fill the cache
        t = time.perf_counter()
        for _ in range(n):
            live.request(url, {"q": 1}, source="bench")
        live_s = (time.perf_counter() - t) / n
        t = time.perf_counter()
        for _ in range(n):
            assert cached.request(url, {"q": 1}, source="bench").origin == "cache"
        cache_s = (time.perf_counter() - t) / n
    server.shutdown()
    return [("cache hit (auto mode, SQLite)", f"{cache_s * 1e3:.2f} ms", f"{live_s * 1e3:.2f} ms (live, loopback)",
             f"{cache_s / live_s:.2f}")]


def bench_latency(suite: Path, limit: int | None) -> list[tuple]:
    items = [json.loads(line) for line in suite.read_text().splitlines() if line.strip()][:limit]
    settings = make_settings(True, [ROOT.parent / "shared" / "recordings" / "ncbi"])
    ask(items[0]["question"], settings=settings)  # warm: tables and snapshot loaded once per process
    times, floors = [], []
    for item in items:
        t = time.perf_counter()
        answer = ask(item["question"], settings=settings)
        times.append(time.perf_counter() - t)
        client = HttpClient(settings)
        t = time.perf_counter()
        for req in answer.trace["requests"]:
            if req["origin"] in ("replay", "snapshot") and req["url"] and "blast" not in req["source"]:
                client._lookup("GET", req["url"])
        floors.append(time.perf_counter() - t)
    p50, p90 = statistics.median(times), statistics.quantiles(times, n=10)[-1]
    f50 = statistics.median(floors)
    return [("warm answer latency p50 (offline)", f"{p50 * 1e3:.1f} ms", f"{f50 * 1e3:.2f} ms (bare replay)", f"{p50 / max(f50, 1e-9):.0f}"),
            ("warm answer latency p90 (offline)", f"{p90 * 1e3:.1f} ms", "", ""),
            ("questions", str(len(items)), "target p50 ≤ 500 ms", "met" if p50 <= 0.5 else "NOT met")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=ROOT.parent / "shared" / "benchmarks" / "geneturing_dev.jsonl")
    parser.add_argument("--quick", action="store_true", help="fewer iterations (for CI smoke runs)")
    args = parser.parse_args(argv)
    n = 2_000 if args.quick else 50_000
    table = Table("benchmark", "genelm", "baseline (same run)", "ratio", title="genelm benchmarks")
    for row in bench_replay(n) + bench_cache(50 if args.quick else 300):
        table.add_row(*row)
    if args.suite.is_file():
        for row in bench_latency(args.suite, 30 if args.quick else None):
            table.add_row(*row)
    Console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
