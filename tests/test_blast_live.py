"""BLAST URL API flow (Put -> poll by RID -> Get) against a local server, and its result cache.

No live BLAST response exists here except the recorded CMD=Get report, which the server
returns for Get; the Put and SearchInfo bodies follow NCBI's documented QBlastInfo format.
"""
from __future__ import annotations

import json

from genelm.connectors.http import HttpClient
from genelm.connectors.ncbi import NcbiClient
from genelm.settings import NetworkMode
from tests.conftest import RECORDINGS, shared_or_skip
from tests.test_contracts_http import FakeClock

SEQ = "ATTCTGCCTTTAGTAATTTGATGACAGAGACTTCTTGGGAACCACAGCCAGGGAGCCACCCTTTACTCCACCAACAGGTGGCTTATATCCAATCTGAGAAAGAAAGAAAAAAAAAAAAGTATTTCTCT"
PUT = b"<!--QBlastInfoBegin\n    RID = 57U2HF6W013\n    RTOE = 1\nQBlastInfoEnd\n-->"
WAITING = b"<!--\nQBlastInfoBegin\n\tStatus=WAITING\nQBlastInfoEnd\n-->"
READY = b"<!--\nQBlastInfoBegin\n\tStatus=READY\nQBlastInfoEnd\n-->"


def test_put_poll_get_then_answered_again_from_the_result_cache(fault_server, settings):
    lines = shared_or_skip(RECORDINGS / "ncbi" / "genegpt_2023_dev.jsonl").read_text().splitlines()
    report = next(json.loads(x) for x in lines if "RID=57U2HF6W013" in x)["response"].encode()
    # One path serves Put, two polls and the Get, in that order.
    fault_server.script("/blast", (200, {}, PUT), (200, {}, WAITING), (200, {}, READY), (200, {}, report))
    # NCBI asks for a minute between polls of a RID and 10 s between requests: slept on a fake clock here
    # (tests/test_contracts_blast.py checks that pacing; this test checks the flow and the result cache).
    clock = FakeClock()
    cfg = settings.with_overrides(mode=NetworkMode.auto, blast_max_wait_s=300)
    ncbi = NcbiClient(HttpClient(cfg, clock=clock), blast_url=fault_server.url("/blast"))
    ev = ncbi.blast(SEQ)
    assert ev.key == "blast:57U2HF6W013" and ev.records[2]["accession"] == "CP068263.2"
    sent = [path for path, _ in fault_server.hits]
    assert "RID=57U2HF6W013" in sent[1] and "FORMAT_OBJECT=SearchInfo" in sent[1]
    assert "FORMAT_TYPE=Text" in sent[-1] and len(sent) == 4
    # The same (program, database, sequence) is answered from the cache: no new search.
    again = NcbiClient(HttpClient(cfg, clock=clock), blast_url=fault_server.url("/blast")).blast(SEQ)
    assert again.sha256 == ev.sha256 and len(fault_server.hits) == 4
