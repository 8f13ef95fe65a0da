"""NCBI BLAST Common URL API contract: Put -> SearchInfo polls (WAITING, then READY) -> Get, and its pacing.

Documentation followed: the BLAST Common URL API (https://ncbi.github.io/blast-cloud/dev/api.html: CMD=Put
answers a QBlastInfo block with RID and RTOE; CMD=Get&FORMAT_OBJECT=SearchInfo answers Status=WAITING|READY|
FAILED|UNKNOWN; CMD=Get&FORMAT_TYPE=Text the report) and its usage guidelines
(https://blast.ncbi.nlm.nih.gov/doc/blast-help/developerinfo.html): "Do not contact the server more often than
once every 10 seconds" and "Do not poll for any single RID more often than once a minute".

The server timestamps each request on a FakeClock that the client sleeps on: the pacing is checked on the
times the server saw, without waiting in real time.  The report it returns is the real recorded CMD=Get
report for RID 57U2HF6W013 (../shared/recordings/ncbi).  Before this change the client waited
min(RTOE, 10) s, polled every 10 s and fetched the report right after READY.
"""
from __future__ import annotations

import json

import pytest

import genelm
from genelm.connectors.errors import SourceError
from genelm.connectors.http import HttpClient
from genelm.connectors.ncbi import NcbiClient
from tests.conftest import RECORDINGS, shared_or_skip
from tests.test_contracts_http import FakeClock, Seen, contract, live_settings  # noqa: F401  (fixture)

SEQ = ("ATTCTGCCTTTAGTAATTTGATGACAGAGACTTCTTGGGAACCACAGCCAGGGAGCCACCCTTTACTCCACCAACAGGTGGCTTATATCCAATCTGAGAAAGA"
       "AAGAAAAAAAAAAAAGTATTTCTCT")
RID = "57U2HF6W013"


def _report() -> bytes:
    lines = shared_or_skip(RECORDINGS / "ncbi" / "genegpt_2023_dev.jsonl").read_text().splitlines()
    return next(json.loads(x) for x in lines if f"RID={RID}" in x)["response"].encode()


def blast_server(waiting_polls: int, rtoe: int = 12, status_after: str = "READY"):
    """Answers like Blast.cgi: Put -> RID/RTOE; SearchInfo -> WAITING ``waiting_polls`` times, then READY."""
    polls = {"n": 0}
    report = _report()

    def handle(seen: Seen):
        cmd = seen.one("CMD")
        if cmd == "Put":
            body = f"<!--QBlastInfoBegin\n    RID = {RID}\n    RTOE = {rtoe}\nQBlastInfoEnd\n-->"
        elif cmd == "Get" and seen.one("FORMAT_OBJECT") == "SearchInfo":
            polls["n"] += 1
            status = "WAITING" if polls["n"] <= waiting_polls else status_after
            body = f"<!--\nQBlastInfoBegin\n\tStatus={status}\n\tThereAreHits=yes\nQBlastInfoEnd\n-->"
        elif cmd == "Get" and seen.one("FORMAT_TYPE") == "Text":
            return 200, {"Content-Type": "text/plain"}, report
        else:
            body = "<html>unknown command</html>"
        return 200, {"Content-Type": "text/html"}, body.encode()
    return handle


def assert_paced_as_ncbi_asks(seen: list[Seen]) -> None:
    times = [s.at for s in seen]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert all(g >= 10.0 for g in gaps), f"requests closer than 10 s: {gaps}"
    polls = [s.at for s in seen if s.one("FORMAT_OBJECT") == "SearchInfo" and s.one("RID") == RID]
    put = next(s.at for s in seen if s.one("CMD") == "Put")
    contacts = [put, *polls]
    assert all(b - a >= 60.0 for a, b in zip(contacts, contacts[1:])), f"RID polled within a minute: {contacts}"


def test_put_poll_get_keeps_ten_seconds_per_request_and_a_minute_per_poll(contract, tmp_path):
    clock = FakeClock()
    server = contract(blast_server(waiting_polls=3), clock)
    ncbi = NcbiClient(HttpClient(live_settings(tmp_path, server), clock=clock), blast_url=server.url("/blast/Blast.cgi"))
    ev = ncbi.blast(SEQ)
    assert ev.key == f"blast:{RID}" and ev.records[2]["accession"] == "CP068263.2"
    kinds = [(s.one("CMD"), s.one("FORMAT_OBJECT") or s.one("FORMAT_TYPE")) for s in server.seen]
    assert kinds == [("Put", None), *[("Get", "SearchInfo")] * 4, ("Get", "Text")]
    assert_paced_as_ncbi_asks(server.seen)
    # The report is fetched once the host allows (10 s after the READY poll), not a minute later.
    assert server.seen[-1].at - server.seen[-2].at == pytest.approx(10.0, abs=0.1)


def test_a_long_rtoe_delays_the_first_poll(contract, tmp_path):
    clock = FakeClock()
    server = contract(blast_server(waiting_polls=0, rtoe=95), clock)
    NcbiClient(HttpClient(live_settings(tmp_path, server), clock=clock),
               blast_url=server.url("/blast/Blast.cgi")).blast(SEQ)
    assert server.seen[1].at - server.seen[0].at >= 95


def test_two_searches_in_one_process_share_the_host_budget(contract, tmp_path):
    clock = FakeClock()
    server = contract(blast_server(waiting_polls=0), clock)
    for i in range(2):
        settings = live_settings(tmp_path / str(i), server)
        NcbiClient(HttpClient(settings, clock=clock), blast_url=server.url("/blast/Blast.cgi")).blast(SEQ)
    times = [s.at for s in server.seen]
    assert all(b - a >= 10.0 for a, b in zip(times, times[1:]))


def test_a_search_that_never_finishes_gives_up_at_the_deadline_without_polling_faster(contract, tmp_path):
    clock = FakeClock()
    server = contract(blast_server(waiting_polls=10_000), clock)
    settings = live_settings(tmp_path, server, blast_max_wait_s=300, blast_poll_s=1)  # 1 s is raised to 60 s
    ncbi = NcbiClient(HttpClient(settings, clock=clock), blast_url=server.url("/blast/Blast.cgi"))
    with pytest.raises(SourceError, match="not ready after 300 s"):
        ncbi.blast(SEQ)
    assert_paced_as_ncbi_asks(server.seen)
    assert len([s for s in server.seen if s.one("FORMAT_OBJECT")]) <= 5


def test_ask_aligns_a_sequence_at_the_pace_ncbi_asks(contract, tmp_path, monkeypatch):
    """genelm.ask with the BLAST server: the answer places the sequence, and the server saw NCBI's pacing."""
    from genelm.connectors import limits

    clock = FakeClock()
    monkeypatch.setattr(limits, "CLOCK", clock)
    server = contract(blast_server(waiting_polls=2), clock)
    answer = genelm.ask(f"Align the DNA sequence to the human genome:{SEQ}", settings=live_settings(tmp_path, server))
    assert any(e.key == f"blast:{RID}" for e in answer.evidence), (answer.text, answer.gaps)
    assert "chr15" in answer.text, answer.text
    assert [s for s in server.seen if s.one("CMD") == "Put"]
    assert_paced_as_ncbi_asks(server.seen)
