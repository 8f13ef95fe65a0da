"""`genelm doctor`: the installation offline, and API drift against a real local HTTP server.

The server answers each probe with the real response the bundled snapshot holds for it
(so "no drift" is checked against what the sources really sent), or with a copy that
lost a field genelm's parser reads (drift).
"""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import pytest

from genelm.connectors.http import bundled_snapshot
from genelm.doctor import PROBES, missing_fields, run_doctor
from genelm.settings import NetworkMode, Settings
from tests.conftest import FaultServer

UCSC_SEQUENCE = {"downloadTime": "2026:11:30T12:00:00Z", "genome": "hg38", "chrom": "chrM", "start": 4321,
                 "end": 4331, "dna": "ACGTACGTAC"}  # the documented /getData/sequence answer


def real_body(probe) -> dict:
    """The bundled snapshot's real answer to this probe's request (UCSC: its documented shape)."""
    if probe.source == "ucsc_api":
        return copy.deepcopy(UCSC_SEQUENCE)
    base = Settings().endpoints[probe.source]
    rec = bundled_snapshot().lookup("GET", base + probe.path, probe.params)
    assert rec is not None, f"the snapshot lost its recording of {probe.source}{probe.path}"
    return json.loads(rec.body)


@pytest.fixture
def server():
    s = FaultServer()
    yield s
    s.close()


def serve(server: FaultServer, bodies: dict[str, dict]) -> Settings:
    paths = {"ncbi_eutils": "/entrez/eutils", "encode": "", "regulomedb": "", "ucsc_api": ""}
    for probe in PROBES:
        body = json.dumps(bodies[probe.source]).encode()
        server.script(paths[probe.source] + probe.path, (200, {"Content-Type": "application/json"}, body))
    endpoints = {k: server.url(v) for k, v in paths.items()}
    return endpoints


def settings_for(tmp_path, endpoints) -> Settings:
    return Settings(cache_dir=tmp_path, endpoints=endpoints, retries=1, timeout_s=5, backoff_s=0.01,
                    mode=NetworkMode.auto, ncbi_api_key=None, ncbi_email=None)


def test_the_probe_fields_are_in_the_real_responses():
    for probe in PROBES:
        assert missing_fields(real_body(probe), probe.fields) == [], probe.source


def test_no_drift_when_every_source_answers_as_genelm_reads_it(server, tmp_path):
    endpoints = serve(server, {p.source: real_body(p) for p in PROBES})
    report = run_doctor(settings_for(tmp_path, endpoints), online=True)
    network = {c.name: c for c in report.checks if c.area == "network"}
    assert not report.drift
    assert all(network[p.source].status == "ok" for p in PROBES), [c.detail for c in network.values()]
    assert {h.split("?")[0] for h, _ in server.hits} == {"/entrez/eutils/esearch.fcgi", "/search/",
                                                         "/regulome-search/", "/getData/sequence"}
    assert len(server.hits) == len(PROBES)  # one cheap request per source


def test_a_drifted_response_is_named_with_the_missing_field(server, tmp_path):
    bodies = {p.source: real_body(p) for p in PROBES}
    for hit in bodies["encode"]["@graph"]:  # the portal renames a field genelm reads
        hit["biosample"] = hit.pop("biosample_ontology")
    del bodies["regulomedb"]["regulome_score"]
    endpoints = serve(server, bodies)
    report = run_doctor(settings_for(tmp_path, endpoints), online=True)
    drift = {c.name: c.detail for c in report.drift}
    assert set(drift) == {"encode", "regulomedb"}
    assert "@graph[].biosample_ontology" in drift["encode"] and "parse_experiment" in drift["encode"]
    assert "regulome_score" in drift["regulomedb"]
    assert "/search/" in drift["encode"]  # the request is named, so a user can look at it


def test_an_unreachable_source_is_not_called_drift(server, tmp_path):
    endpoints = serve(server, {p.source: real_body(p) for p in PROBES})
    server.script("/getData/sequence", (503, {}, b"down"))
    report = run_doctor(settings_for(tmp_path, endpoints), online=True)
    ucsc = next(c for c in report.checks if c.area == "network" and c.name == "ucsc_api")
    assert ucsc.status == "unreachable" and not report.drift


def test_the_cli_exits_1_on_drift_and_prints_the_source(server, tmp_path):
    bodies = {p.source: real_body(p) for p in PROBES}
    bodies["ncbi_eutils"]["esearchresult"].pop("idlist")
    endpoints = serve(server, bodies)
    env = {**os.environ, "GENELM_CACHE_DIR": str(tmp_path), "GENELM_ENDPOINTS": json.dumps(endpoints),
           "GENELM_RETRIES": "1", "GENELM_BACKOFF_S": "0.01"}
    out = subprocess.run([sys.executable, "-m", "genelm.cli", "doctor"], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "DRIFT" in out.stdout and "esearchresult.idlist" in out.stdout and "ncbi_eutils" in out.stdout


def test_offline_doctor_lists_bundled_sources_with_dates_and_what_needs_a_network(tmp_path):
    env = {**os.environ, "GENELM_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "genelm.cli", "doctor", "--offline"], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "encode_tf_chip_experiments_report_2019-10-04.tsv.gz: 2,210 rows (exported 2019-10-04)" in text
    assert "NCBI gene_info (Homo sapiens, 2020-04)" in text
    assert "bundled snapshot:" in text and "www.encodeproject.org" in text
    assert "not built yet" in text  # a fresh cache: the graph is built on first use
    assert "Offline: what needs a network" in text and "need the portal" in text
    assert "auto:" in text  # which LLM auto would pick
    assert out.stderr == ""  # nothing from third-party libraries
