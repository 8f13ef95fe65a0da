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
