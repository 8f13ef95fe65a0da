"""The NCBI API key and email never land in anything a run writes: recordings, cache, logs, answers, exports.

A real record-mode run against a local server that plays NCBI (serving the real recorded SNAT6
responses), with a key and an email set and debug logging on; then every file under the run's
folders, the log text and every export are scanned for both strings.
"""
from __future__ import annotations

import json
import logging

import genelm
from genelm.connectors.recordings import read_recordings
from genelm.data import snapshot_dir
from genelm.settings import NetworkMode, Settings
from tests.conftest import FaultServer

KEY = "SEKRET-KEY-0123456789abcdef"
EMAIL = "someone.private@example.org"


def _snapshot_body(fragment: str) -> bytes:
    for rec in read_recordings(snapshot_dir() / "ncbi_genegpt_2023.jsonl"):
        if fragment in rec.url:
            return rec.body
    raise LookupError(fragment)


def test_a_recorded_run_leaks_no_key_or_email_anywhere(tmp_path, caplog):
    server = FaultServer()
    server.script("/entrez/eutils/esearch.fcgi", (200, {"Content-Type": "application/json"}, _snapshot_body("term=SNAT6")))
    server.script("/entrez/eutils/efetch.fcgi", (200, {"Content-Type": "text/plain"}, _snapshot_body("id=145389,299139")))
    settings = Settings(
        mode=NetworkMode.record, record_to=tmp_path / "recorded.jsonl", cache_dir=tmp_path / "cache",
        ncbi_api_key=KEY, ncbi_email=EMAIL, default_rate_limit=1000.0, retries=0, timeout_s=5,
        endpoints={"ncbi_eutils": server.url("/entrez/eutils")},
    )
    try:
        with caplog.at_level(logging.DEBUG):
            # record mode writes recordings; auto mode (the default) writes the HTTP cache.
            answer = genelm.ask("What is the official gene symbol of SNAT6?", settings=settings)
            cached = genelm.ask("What is the official gene symbol of SNAT6?", settings=settings, mode="auto")
    finally:
        server.close()
    assert cached.short_answer == "SLC38A6"
    # The key really was sent (otherwise this test proves nothing) ...
    assert any(f"api_key={KEY}" in path for path, _ in server.hits)
    assert answer.short_answer == "SLC38A6" and answer.evidence[0].origin == "live"
    # ... and is nowhere in what the run left behind.
    from genelm.ui.render import export_files

    exports = export_files(answer, tmp_path / "exports")
    texts = {"answer.json": answer.to_json(), "answer.md": answer.to_markdown(), "answer.html": answer.to_html(),
             "trace": json.dumps(answer.trace, default=str), "log": caplog.text}
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert (tmp_path / "recorded.jsonl") in files and any(p.suffix == ".sqlite" for p in files)
    assert set(exports.values()) <= set(files)
    for path in files:
        data = path.read_bytes()
        assert KEY.encode() not in data and EMAIL.encode() not in data, f"secret in {path}"
    for name, text in texts.items():
        assert KEY not in text and EMAIL not in text, f"secret in {name}"
    # The recording still replays: the redaction kept it usable.
    replayed = genelm.ask("What is the official gene symbol of SNAT6?", offline=True,
                          recordings=[tmp_path / "recorded.jsonl"], use_snapshot=False)
    assert replayed.short_answer == "SLC38A6"
