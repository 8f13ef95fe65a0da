"""The HTTP layer against a real local server: retries, per-source errors, rate limits, modes."""
from __future__ import annotations

import json
import socket

import pytest

from genelm.connectors.errors import ReplayMiss, SourceError
from genelm.connectors.http import HttpClient
from genelm.connectors.recordings import read_recordings
from genelm.settings import NetworkMode
from tests.conftest import ok_json


def test_429_with_retry_after_is_waited_out_then_succeeds(fault_server, settings):
    fault_server.script("/a", (429, {"Retry-After": "1"}, b"slow down"), ok_json({"ok": 1}))
    result = HttpClient(settings).request(fault_server.url("/a"), source="test")
    assert result.json() == {"ok": 1}
    assert result.attempts == 2
    (_, t0), (_, t1) = fault_server.hits
    assert t1 - t0 >= 0.95  # Retry-After: 1 was honoured


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried(fault_server, settings, status):
    fault_server.script("/b", (status, {}, b"oops"), ok_json({"fine": True}))
    assert HttpClient(settings).request(fault_server.url("/b"), source="test").json() == {"fine": True}


def test_persistent_503_ends_in_a_clear_per_source_error(fault_server, settings):
    fault_server.script("/c", (503, {}, b"down"))
    with pytest.raises(SourceError) as err:
        HttpClient(settings).request(fault_server.url("/c"), source="encode")
    assert err.value.source == "encode"
    assert "HTTP 503" in str(err.value) and "3 tries" in str(err.value)
    assert len(fault_server.hits) == settings.retries + 1


def test_hang_past_the_timeout_is_reported_as_a_timeout(fault_server, settings):
    fault_server.script("/d", "hang")
    with pytest.raises(SourceError, match="timed out after 1 s"):
        HttpClient(settings.with_overrides(retries=0)).request(fault_server.url("/d"), source="ncbi")


def test_truncated_json_is_retried_then_reported(fault_server, settings):
    fault_server.script("/e", (200, {"Content-Type": "application/json"}, b'{"@graph": [{"accession": "ENCS'))
    with pytest.raises(SourceError, match="invalid or truncated JSON"):
        HttpClient(settings).request(fault_server.url("/e"), source="encode")
    assert len(fault_server.hits) == settings.retries + 1


def test_html_error_page_with_status_200_is_not_accepted_as_data(fault_server, settings):
    page = b"<!DOCTYPE html><html><body>Service temporarily unavailable</body></html>"
    fault_server.script("/f", (200, {"Content-Type": "text/html"}, page), ok_json({"good": 1}))
    assert HttpClient(settings).request(fault_server.url("/f"), source="ncbi").json() == {"good": 1}
    fault_server.script("/g", (200, {"Content-Type": "text/html"}, page))
    with pytest.raises(SourceError, match="HTML"):
        HttpClient(settings).request(fault_server.url("/g"), source="ncbi")


def test_connection_refused_is_a_source_error(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SourceError, match="cannot connect"):
        HttpClient(settings).request(f"http://127.0.0.1:{port}/x", source="ucsc")


def test_a_404_is_not_retried(fault_server, settings):
    fault_server.script("/h", (404, {}, b"not found"))
    with pytest.raises(SourceError, match="HTTP 404"):
        HttpClient(settings).request(fault_server.url("/h"), source="encode")
    assert len(fault_server.hits) == 1


def test_per_host_rate_limit_holds(fault_server, settings):
    host = f"127.0.0.1:{fault_server.port}"
    client = HttpClient(settings.with_overrides(rate_limits={host: 4.0}))
    for i in range(10):
        client.request(fault_server.url(f"/r{i}"), source="test")
    times = [t for _, t in fault_server.hits]
    for i in range(len(times) - 4):
        # any 5 consecutive requests span at least ~1 s when the limit is 4 per second
        assert times[i + 4] - times[i] >= 0.9


def test_record_then_replay_is_byte_identical_and_has_no_secrets(fault_server, settings, tmp_path):
    body = b'{"esearchresult": {"idlist": ["145389"], "count": "1"}, "note": "caf\xc3\xa9"}'
    fault_server.script("/entrez/eutils/esearch.fcgi", (200, {"Content-Type": "application/json"}, body))
    record_to = tmp_path / "rec.jsonl"
    recorder = HttpClient(settings.with_overrides(mode=NetworkMode.record, record_to=record_to))
    params = {"db": "gene", "term": "SNAT6", "api_key": "SECRETKEY123", "email": "me@example.org", "tool": "genelm"}
    live = recorder.request(fault_server.url("/entrez/eutils/esearch.fcgi"), params, source="ncbi")
    text = record_to.read_text()
    assert "SECRETKEY123" not in text and "me@example.org" not in text
    replayer = HttpClient(settings.with_overrides(mode=NetworkMode.replay, recordings=[record_to], use_snapshot=False))
    # Parameter order and the caller's identity differ; the answer is the same request.
    replayed = replayer.request(fault_server.url("/entrez/eutils/esearch.fcgi"),
                                {"term": "SNAT6", "db": "gene", "api_key": "OTHER"}, source="ncbi")
    assert replayed.body == live.body == body
    assert replayed.origin == "replay"
    assert len(fault_server.hits) == 1
    assert read_recordings(record_to)[0].url.endswith("esearch.fcgi?db=gene&term=SNAT6")


def test_replay_miss_names_the_request_and_the_sources(settings, tmp_path):
    rec = tmp_path / "empty.jsonl"
    rec.write_text("")
    client = HttpClient(settings.with_overrides(mode=NetworkMode.replay, recordings=[rec]))
    with pytest.raises(ReplayMiss) as err:
        client.request("https://www.encodeproject.org/experiments/ENCSR999ZZZ/", {"format": "json"}, source="encode")
    message = str(err.value)
    assert "experiments/ENCSR999ZZZ" in message and str(rec) in message and "bundled snapshot" in message


def test_auto_mode_serves_a_repeat_from_the_cache(fault_server, settings):
    fault_server.script("/cached", ok_json({"n": 1}))
    client = HttpClient(settings.with_overrides(mode=NetworkMode.auto))
    first = client.request(fault_server.url("/cached"), {"q": "x", "api_key": "K1"}, source="test")
    second = client.request(fault_server.url("/cached"), {"q": "x", "api_key": "K2"}, source="test")
    assert (first.origin, second.origin) == ("live", "cache")
    assert len(fault_server.hits) == 1
    cache_bytes = b"".join(p.read_bytes() for p in settings.cache_dir.rglob("*") if p.is_file())
    assert b"K1" not in cache_bytes


def test_auto_mode_falls_back_to_recordings_when_the_source_fails(fault_server, settings, tmp_path):
    fault_server.script("/flaky", (503, {}, b"down"))
    rec = tmp_path / "rec.jsonl"
    rec.write_text(json.dumps({"url": fault_server.url("/flaky?id=7"), "response": '{"from": "recording"}'}) + "\n")
    client = HttpClient(settings.with_overrides(mode=NetworkMode.auto, recordings=[rec]))
    result = client.request(fault_server.url("/flaky"), {"id": "7"}, source="test")
    assert result.json() == {"from": "recording"}
    assert result.origin == "replay"
    assert len(fault_server.hits) == settings.retries + 1  # it did try the network first
