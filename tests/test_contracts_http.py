"""Contract-test helpers (a local HTTP server that behaves as an API documents, a fake clock) and the
HTTP layer's own contract: the source's error message survives, pyrate-limiter 4 blocks, limits are one table.

The other tests/test_contracts_*.py files import ContractServer and FakeClock from here.  Names added by the
change under test are imported inside the tests that use them, so that every test here also runs (and fails
for its own reason) against the code before the change.
"""
from __future__ import annotations

import json
import threading
import tomllib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

import pytest

from genelm.connectors.errors import SourceError
from genelm.connectors.http import HttpClient
from genelm.settings import Settings


class FakeClock:
    """Monotonic seconds that move only when someone sleeps on them."""

    def __init__(self, start: float = 1000.0):
        self.t = start
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self.t

    def sleep(self, seconds: float) -> None:
        with self._lock:
            if seconds > 0:
                self.t += seconds
                self.slept.append(seconds)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    at: float  # the server's clock (a FakeClock when one is given) when the request arrived

    def one(self, name: str) -> str | None:
        values = self.query.get(name) or self.form.get(name)
        return values[0] if values else None


Handler = Callable[[Seen], tuple[int, dict, bytes]]


class ContractServer:
    """A real HTTP server on 127.0.0.1 whose answers come from a function of the request (what the API does)."""

    def __init__(self, handler: Handler, clock: FakeClock | None = None):
        self.handler = handler
        self.clock = clock
        self.seen: list[Seen] = []
        outer = self

        class _H(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode()) if length else {}
                import time as _time

                seen = Seen(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True), form,
                            outer.clock.now() if outer.clock else _time.monotonic())
                outer.seen.append(seen)
                status, headers, body = outer.handler(seen)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = _serve
            do_POST = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _H)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def endpoints(self) -> dict[str, str]:
        base = self.url("")
        return {"ncbi_eutils": base + "/entrez/eutils", "ncbi_blast": base + "/blast/Blast.cgi", "encode": base,
                "regulomedb": base, "ucsc_api": base, "ucsc_blat": base + "/cgi-bin/hgBlat"}

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def json_answer(obj, status: int = 200) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(obj).encode()


def live_settings(tmp_path, server: ContractServer, **overrides) -> Settings:
    """Live mode against the contract server, fast failure, no rate limit on 127.0.0.1 (pacing is tested apart)."""
    values = dict(mode="live", cache_dir=tmp_path / "cache", timeout_s=5.0, retries=1, backoff_s=0.01,
                  max_retry_after_s=0.1, default_rate_limit=1000.0, ncbi_api_key=None, ncbi_email="dev@example.org",
                  endpoints=server.endpoints(), use_snapshot=False)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def contract():
    servers: list[ContractServer] = []

    def start(handler: Handler, clock: FakeClock | None = None) -> ContractServer:
        servers.append(ContractServer(handler, clock))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


# ------------------------------------------------------------------------------ the HTTP layer's contract
def test_the_sources_own_error_message_survives_a_long_preamble(contract, tmp_path):
    """UCSC REST API help ("errors"): the body is JSON whose first fields are downloadTime/downloadTimeStamp and
    whose message is ``error``.  Before: the first 160 characters of the body, which cut the message off."""
    long_error = ("can not find specified chrom=chrI in sequence for endpoint '/getData/track' "
                  "given: genome=hg38, track=gold, chrom=chrI, start=43521, end=54321")
    body = {"downloadTime": "2026:11:21T10:00:00Z", "downloadTimeStamp": 1795255200, "genome": "hg38",
            "hubUrl": "http://hgdownload.soe.ucsc.edu/hubs/mouseStrains/hub.txt" * 2, "error": long_error,
            "statusCode": 400, "statusMessage": "Bad Request"}
    server = contract(lambda seen: json_answer(body, 400))
    with pytest.raises(SourceError) as err:
        HttpClient(live_settings(tmp_path, server)).request(server.url("/getData/track"), source="ucsc")
    assert long_error in str(err.value) and "downloadTime" not in str(err.value)
    from genelm.connectors.http import error_message

    assert error_message(b"<html>plain text failure</html>") == "<html>plain text failure</html>"


def test_a_documented_answer_status_is_returned_not_raised(contract, tmp_path):
    server = contract(lambda seen: json_answer({"@graph": [], "total": 0}, 404))
    client = HttpClient(live_settings(tmp_path, server))
    result = client.request(server.url("/search/"), source="encode", answer_statuses=frozenset({404}))
    assert result.status == 404 and result.json()["@graph"] == []
    with pytest.raises(SourceError, match="HTTP 404"):  # without the declaration a 404 is still a failure
        client.request(server.url("/search/"), source="encode")


def test_pyrate_limiter_4_blocks_instead_of_raising(contract, tmp_path):
    """pyrate-limiter 3.x try_acquire raised BucketFullException when the bucket was full (uncaught in the
    HTTP layer); 4.x blocks.  Three requests at 2/s must all succeed, the third at least ~0.5 s later."""
    server = contract(lambda seen: json_answer({"ok": True}))
    host = f"127.0.0.1:{server.port}"
    client = HttpClient(live_settings(tmp_path, server, rate_limits={host: 2.0}))
    for i in range(3):
        assert client.request(server.url(f"/x{i}"), source="test").json() == {"ok": True}
    assert server.seen[2].at - server.seen[0].at >= 0.45


def test_pyrate_limiter_pin_matches_what_the_code_relies_on():
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    pins = [d for d in project["project"]["dependencies"] if d.startswith("pyrate-limiter")]
    assert pins and ">=4" in pins[0]


def test_pacer_spaces_requests_on_the_injected_clock():
    from genelm.connectors.http import Pacer

    clock = FakeClock()
    pacer = Pacer(10.0, clock)
    times = []
    for _ in range(4):
        pacer.wait()
        times.append(clock.now())
    assert all(b - a >= 10.0 for a, b in zip(times, times[1:]))
    assert times[-1] - times[0] < 31  # and no longer than needed


def test_every_documented_limit_is_one_table_with_its_reference():
    from genelm.connectors.limits import LIMITS, rate_limits_by_host
    from genelm.settings import DEFAULT_RATE_LIMITS

    assert DEFAULT_RATE_LIMITS == rate_limits_by_host()
    assert rate_limits_by_host()["blast.ncbi.nlm.nih.gov"] == 0.1  # one request every 10 s
    assert Settings(ncbi_api_key="k").rate_limit_for("eutils.ncbi.nlm.nih.gov") == 10.0
    for limit in LIMITS:
        text = limit.describe()
        assert limit.hosts[0] in text and "docs: https://" in text
