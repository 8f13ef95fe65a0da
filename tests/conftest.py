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


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist (`-n auto --dist loadfile`, pyproject.toml): each test file runs on one worker, so a module's
    shared fixture (a model, the browser, a Chroma collection) is set up once per run, and the files that use the
    session's graph (`bundled_graph` below) share one worker, so the graph is built once.

    (xdist's own `--dist loadgroup` cannot do this under pytest 9: the group suffix it writes into a test's
    nodeid no longer reaches the scheduler.)
    """
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    root = config.rootpath
    uses_graph: dict[str, bool] = {}

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if path not in uses_graph:
                try:
                    uses_graph[path] = "bundled_graph" in (root / path).read_text(errors="replace")
                except OSError:
                    uses_graph[path] = False
            return "bundled_graph" if uses_graph[path] else path

    return SharedFixtureScheduling(config, log)


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
