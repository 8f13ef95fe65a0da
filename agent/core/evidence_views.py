"""Small readers over the evidence ledger used by the answer templates."""
from __future__ import annotations

from genelm.evidence import Evidence


def of_source(ledger: dict[str, Evidence], *sources: str) -> list[Evidence]:
    return [e for e in ledger.values() if e.source in sources]


def with_prefix(ledger: dict[str, Evidence], prefix: str) -> list[Evidence]:
    return [e for e in ledger.values() if e.key.startswith(prefix)]


def ncbi_gene_records(ledger: dict[str, Evidence]) -> list[tuple[dict, Evidence]]:
    return [(rec, ev) for ev in ledger.values() if ev.source == "ncbi" and ev.key.startswith(("ncbi:gene:", "ncbi:gene-search:"))
            for rec in ev.records]


def table_records(ledger: dict[str, Evidence]) -> list[tuple[dict, Evidence]]:
    return [(ev.records[0], ev) for ev in ledger.values() if ev.source == "gene-table" and ev.records]


def pick_gene(ledger: dict[str, Evidence], term: str, organism: str = "Homo sapiens") -> tuple[dict, Evidence] | None:
    """The NCBI record the question means: the organism's live record whose symbol, alias or ID matches."""
    t = term.upper()
    candidates = [
        (rec, ev) for rec, ev in ncbi_gene_records(ledger)
        if rec.get("species") == organism and rec.get("status") == "live"
    ]
    for rec, ev in candidates:
        if rec.get("symbol", "").upper() == t:
            return rec, ev
    # NCBI aliases are case-sensitive names ('hCAP' is RNGTT, 'HCAP' is DCD): an exact-case match wins.
    exact = [(rec, ev) for rec, ev in candidates if term in rec.get("aliases", [])]
    if len(exact) == 1:
        return exact[0]
    loose = [(rec, ev) for rec, ev in candidates if t in (a.upper() for a in rec.get("aliases", []))]
    if len(loose) == 1:
        return loose[0]
    if t.startswith("ENSG") or not any(c.isalpha() for c in t):
        # NCBI matched an ID we cannot see in the summary text: its first live record is the match.
        return candidates[0] if candidates else None
    return None


def alias_candidates(ledger: dict[str, Evidence], term: str, organism: str = "Homo sapiens") -> list[tuple[dict, Evidence]]:
    """Every live record of the organism that carries ``term`` as an alias (any case)."""
    t = term.upper()
    return [(rec, ev) for rec, ev in ncbi_gene_records(ledger)
            if rec.get("species") == organism and rec.get("status") == "live"
            and t in (a.upper() for a in rec.get("aliases", []))]
