"""The regulation dossier online: UCSC cCRE and TF-cluster tracks and a RegulomeDB region search over the
promoter, from a local server that answers in the documented formats; a source that fails is a stated gap.

UCSC: no recorded responses exist here, so the server follows ../shared/recordings/ucsc_docs/ (getData/track:
downloadTime…, genome, track, chrom, start, end, trackType, the items under the track's name).  The items of
encodeCcreCombined (bigBed) and encRegTfbsClustered (bed) carry the fields UCSC's track schemas name
(name, ccre/encodeLabel/ucscLabel; name = factor for the clusters).  RegulomeDB: the real /regulome-search
recording in ../shared/recordings/regulomedb/, its assembly and coordinates moved to the asked region and one
ENCODE ChIP-seq peak of POLR2A in K562 added in the recording's own item shape.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import genelm
from tests.test_contracts_http import contract, json_answer, live_settings  # noqa: F401  (fixture)

RECORDING = Path(__file__).resolve().parents[2] / "shared" / "recordings" / "regulomedb" / \
    "regulome_search_GRCh37_regulome-encoded_testdata.json"
STAMP = {"downloadTime": "2026:11:30T10:00:00Z", "downloadTimeStamp": 1796032800}


def _regulome(seen) -> tuple[int, dict, bytes]:
    doc = json.loads(RECORDING.read_text())
    doc["assembly"] = seen.one("genome")
    doc["query_coordinates"] = [seen.one("regions")]
    peak = copy.deepcopy(doc["@graph"][0])
    peak.update({"method": "ChIP-seq", "targets": ["POLR2A"], "file": "ENCFF000AAA", "value": "",
                 "dataset": "https://www.encodeproject.org/experiments/ENCSR000EHL/"})
    peak["biosample_ontology"]["term_name"] = "K562"
    doc["@graph"] = [peak, *doc["@graph"][:3]]
    return json_answer(doc)


def server_for(failing_track: str | None = None):
    def handle(seen):
        if seen.path == "/getData/track":
            track, chrom = seen.one("track"), seen.one("chrom")
            start, end = int(seen.one("start")), int(seen.one("end"))
            if track == failing_track:
                return json_answer({**STAMP, "error": "internal error", "statusCode": 500}, 500)
            head = {**STAMP, "genome": seen.one("genome"), "track": track, "chrom": chrom, "start": start, "end": end}
            if track == "encodeCcreCombined":
                items = [{"chrom": chrom, "chromStart": start + 100, "chromEnd": start + 450, "name": "EH38E1844598",
                          "ccre": "PLS", "encodeLabel": "PLS", "ucscLabel": "prom"}]
                return json_answer({**head, "trackType": "bigBed 9 +", track: items, "itemsReturned": 1})
            if track == "encRegTfbsClustered":
                items = [{"chrom": chrom, "chromStart": start + 200, "chromEnd": start + 500, "name": n, "score": 900}
                         for n in ("POLR2A", "TAF1", "YY1")]
                return json_answer({**head, "trackType": "factorSource", track: items, "itemsReturned": 3})
        if seen.path.startswith("/regulome-search"):
            return _regulome(seen)
        return json_answer({**STAMP, "error": "no such endpoint", "statusCode": 404}, 404)
    return handle


def test_online_sources_join_the_bundled_dossier(contract, tmp_path):
    server = contract(server_for())
    answer = genelm.ask("Describe how TP53 is regulated", settings=live_settings(tmp_path, server))
    text = " ".join(s.text for s in answer.sentences)
    assert "UCSC's ENCODE cCRE track (all classes) lists 1 cCREs" in text and "EH38E1844598" in text
    assert "POLR2A, TAF1, YY1" in text  # the TF clusters over the promoter
    assert "RegulomeDB finds 4 ENCODE peaks" in text
    assert "tss:TP53" in {k for s in answer.sentences for k in s.citations}  # the bundled part is still there
    assert "Not consulted" not in text
    tracks = [e.params.get("track") for e in answer.evidence if e.source == "ucsc"]
    assert sorted(tracks) == ["encRegTfbsClustered", "encodeCcreCombined"]


def test_a_failing_track_is_a_gap_and_the_rest_arrives(contract, tmp_path):
    server = contract(server_for(failing_track="encRegTfbsClustered"))
    answer = genelm.ask("Describe how TP53 is regulated", settings=live_settings(tmp_path, server))
    assert any("encRegTfbsClustered" in g for g in answer.gaps)
    text = " ".join(s.text for s in answer.sentences)
    assert "Not consulted for TP53 (they did not answer): UCSC encRegTfbsClustered" in text
    assert "UCSC's ENCODE cCRE track" in text and "RegulomeDB finds" in text


def test_which_cells_show_factor_enrichment_reads_regulomedb_peaks(contract, tmp_path):
    server = contract(server_for())
    answer = genelm.ask("Which cell types show POLR2A enrichment near the TP53 promoter?",
                        settings=live_settings(tmp_path, server))
    assert answer.short_answer == "K562"
    assert any("RegulomeDB's ENCODE ChIP-seq peaks place POLR2A" in s.text and s.citations for s in answer.sentences)
