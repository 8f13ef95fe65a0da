from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from genelm.settings import NetworkMode, Settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
RECORDINGS = SHARED / "recordings"


def shared_or_skip(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} (../shared) is not present on this machine")
    return path


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep each expensive shared fixture on one pytest-xdist worker (`-n auto --dist loadgroup`, pyproject.toml).

    Every test that reads the session's graph joins one group, and every test of a module with a module-scoped
    fixture (a model, a browser, a Chroma collection) joins its module's group, so each is set up once per run
    instead of once per worker. Other tests go to whichever worker is free. Without xdist this does nothing.
    """
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        info = getattr(item, "_fixtureinfo", None)
        defs = info.name2fixturedefs if info is not None else {}
        if "bundled_graph" in defs:
            group = "bundled-graph"
        elif any(d.scope in ("module", "class", "package") for ds in defs.values() for d in ds):
            group = item.nodeid.split("::")[0]
        else:
            continue
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def bundled_graph(tmp_path_factory):
    """The knowledge graph built once per test session from every bundled adapter, on a real embedded ArcadeDB
    (a separate process, Bolt on 127.0.0.1): (settings, build report).

    Building it takes about 40 s on 2 cores, so test_graph.py, test_graph_regulation.py and the offline answers
    that read it share this one; a test that writes to it checks a fingerprint of the data afterwards, and a
    test that needs a graph of its own (rebuilds, restarts, first-use builds) builds a small one in tmp_path.
    """
    from genelm.graph.build import build_graph
    from genelm.graph.connection import embedded_server

    settings = Settings(cache_dir=tmp_path_factory.mktemp("graph-cache"), graph_heap="1g")
    report = build_graph(settings)
    yield settings, report
    embedded_server(settings).stop()


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Fast, isolated settings: own cache dir, short timeouts and backoff."""
    return Settings(cache_dir=tmp_path / "cache", timeout_s=1.0, backoff_s=0.01, retries=2, max_retry_after_s=2.0,
                    mode=NetworkMode.live, ncbi_api_key=None, ncbi_email=None)


class FaultServer:
    """A real HTTP server on 127.0.0.1 whose answers a test scripts per path."""

    def __init__(self):
        self.scripts: dict[str, list] = {}
        self.hits: list[tuple[str, float]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _serve(self):
                path = self.path.split("?")[0]
                server.hits.append((self.path, time.monotonic()))
                script = server.scripts.get(path, [(200, {}, b"{}")])
                step = script.pop(0) if len(script) > 1 else script[0]
                if step == "hang":
                    time.sleep(3)
                    step = (200, {}, b"{}")
                status, headers, body = step
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = _serve
            do_POST = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def script(self, path: str, *steps) -> None:
        self.scripts[path] = list(steps)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fault_server():
    server = FaultServer()
    yield server
    server.close()


def ok_json(obj) -> tuple:
    return (200, {"Content-Type": "application/json"}, json.dumps(obj).encode())
