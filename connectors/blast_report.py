"""Parse NCBI BLAST plain-text reports (``Blast.cgi?CMD=Get&FORMAT_TYPE=Text``).

The text format is what the BLAST URL API returns by default and what the
recorded responses hold.  We read the summary table and the alignments; the
query sequence is recovered from the top alignment's ``Query`` lines, which is
what lets a recorded report be found again by its sequence (RIDs expire).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_STATUS_RE = re.compile(r"Status=(\w+)")
_RID_RE = re.compile(r"^\s*RID = (\S+)", re.M)
_RTOE_RE = re.compile(r"^\s*RTOE = (\d+)", re.M)
_PROGRAM_RE = re.compile(r"^(T?BLAST[NPX]|MEGABLAST)\s+([\d.+]+)", re.M)
_DB_RE = re.compile(r"^Database:\s*(.+)$", re.M)
_QLEN_RE = re.compile(r"^Query=.*?\n\s*Length=(\d+)", re.M | re.S)
_ALN_BLOCK_RE = re.compile(r"^>(.+?)(?=^>|\Z)", re.M | re.S)
_SEG_RE = re.compile(r"^(Query|Sbjct)\s+(\d+)\s+([A-Za-z-]+)\s+(\d+)\s*$", re.M)


@dataclass
class Alignment:
    accession: str
    title: str
    length: int | None
    strand: str | None
    identities: str | None
    query_start: int
    query_end: int
    subject_start: int
    subject_end: int
    query_seq: str  # gapless query letters of this alignment


@dataclass
class BlastReport:
    status: str
    program: str | None = None
    database: str | None = None
    query_length: int | None = None
    rid: str | None = None
    alignments: list[Alignment] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.status == "READY"

    def query_fragment(self) -> tuple[int, str] | None:
        """(1-based start, letters) of the query as seen in the top alignment."""
        if not self.alignments:
            return None
        top = self.alignments[0]
        return top.query_start, top.query_seq.upper()


def parse_status(text: str) -> tuple[str, str | None, int | None]:
    """Status of a Put/poll response: (status, RID, seconds-to-wait estimate)."""
    status = _STATUS_RE.search(text)
    rid = _RID_RE.search(text)
    rtoe = _RTOE_RE.search(text)
    return (
        status.group(1) if status else ("READY" if "ALIGNMENTS" in text else "UNKNOWN"),
        rid.group(1) if rid else None,
        int(rtoe.group(1)) if rtoe else None,
    )


def parse_report(text: str) -> BlastReport:
    status, _, _ = parse_status(text)
    report = BlastReport(status=status)
    if (m := _PROGRAM_RE.search(text)) is not None:
        report.program = m.group(1).lower()
    if (m := _DB_RE.search(text)) is not None:
        report.database = m.group(1).strip()
    if (m := _QLEN_RE.search(text)) is not None:
        report.query_length = int(m.group(1))
    if (m := re.search(r"^RID:\s*(\S+)", text, re.M)) is not None:
        report.rid = m.group(1)
    start = text.find("ALIGNMENTS")
    if start < 0:
        return report
    for block in _ALN_BLOCK_RE.findall(text[start:]):
        aln = _parse_alignment(block)
        if aln is not None:
            report.alignments.append(aln)
    return report


def _parse_alignment(block: str) -> Alignment | None:
    header, _, body = block.partition("Length=")
    title = " ".join(header.split())
    accession = title.split(" ", 1)[0]
    length_match = re.match(r"(\d+)", body)
    # Only the first HSP of each subject: the report lists the best one first.
    hsp = body.split(" Score =")[1] if " Score =" in body else body
    hsp = hsp.split(" Score =")[0]
    segments = _SEG_RE.findall(hsp)
    queries = [s for s in segments if s[0] == "Query"]
    subjects = [s for s in segments if s[0] == "Sbjct"]
    if not queries or not subjects:
        return None
    strand = re.search(r"Strand=(\S+)", hsp)
    idents = re.search(r"Identities = (\S+ \(\d+%\))", hsp)
    return Alignment(
        accession=accession,
        title=title.split(" ", 1)[1] if " " in title else title,
        length=int(length_match.group(1)) if length_match else None,
        strand=strand.group(1) if strand else None,
        identities=idents.group(1) if idents else None,
        query_start=int(queries[0][1]),
        query_end=int(queries[-1][3]),
        subject_start=int(subjects[0][1]),
        subject_end=int(subjects[-1][3]),
        query_seq="".join(q[2] for q in queries).replace("-", ""),
    )


def matches_query(report: BlastReport, sequence: str) -> bool:
    """Did this report come from aligning ``sequence``?"""
    frag = report.query_fragment()
    if frag is None or report.query_length != len(sequence):
        return False
    start, letters = frag
    return sequence.upper()[start - 1 : start - 1 + len(letters)] == letters
