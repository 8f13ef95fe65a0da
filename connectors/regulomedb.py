"""RegulomeDB (regulomedb.org, v2 API): regulatory evidence at a variant or region.

``/regulome-search/?regions=…&genome=GRCh37|GRCh38&format=json`` answers one
query (an rsID, ``chr:start-end``) with ``regulome_score`` {ranking,
probability}, ``features`` (which evidence classes are present), ``@graph`` (the
overlapping peaks and annotations, each with its ENCODE dataset and file),
``variants`` and ``nearby_snps``.  ``/regulome-summary/`` scores several variants
at once.  Coordinates in ``regions`` are BED-style: 0-based start, 1-based end,
so the single base at 1-based position P is ``chr:P-1-P``.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from genelm.connectors.base import SourceClient
from genelm.connectors.errors import InputError, SourceError
from genelm.connectors.http import HttpClient
from genelm.connectors.shapes import obj, objects, strings
from genelm.evidence import Evidence

BASE = "https://regulomedb.org"
GENOMES = ("GRCh37", "GRCh38")
REGULOME_LICENSE = "RegulomeDB: free use; cite Dong et al. 2023 (Bioinformatics 39:btad233)"
# RegulomeDB's documented chromosomes are chr1-22, X and Y (no chrM, no contigs).
_QUERY_RE = re.compile(r"^(rs\d{1,12}|chr(?:[1-9]|1\d|2[0-2]|X|Y):\d{1,9}-\d{1,9})$")
_SPAN_RE = re.compile(r"^(chr\w{1,30}):\d{1,9}-\d{1,9}$")
# ENCODE accessions inside a dataset URL like https://www.encodeproject.org/annotations/ENCSR426USY/
_ENCODE_ACC = re.compile(r"ENC(?:SR|FF)\d{3}[A-Z]{3}")
# What each ranking means (RegulomeDB help page, "Scoring scheme").
RANK_MEANING = {
    "1": "eQTL/caQTL + TF binding + matched motif + footprint/DNase peak",
    "2": "TF binding + matched motif + DNase/footprint",
    "3": "TF binding + any motif + DNase peak",
    "4": "TF binding + DNase peak",
    "5": "TF binding or DNase peak",
    "6": "other (motif hit only)",
    "7": "no functional evidence",
}


def region_query(chromosome: str, start: int, end: int) -> str:
    """A 1-based inclusive span as RegulomeDB's BED-style query."""
    return f"{chromosome}:{start - 1}-{end}"


def check_query(query: str, genome: str) -> str:
    query = query.strip()
    if genome not in GENOMES:
        raise InputError(f"RegulomeDB serves GRCh37 and GRCh38, not '{genome}'")
    if not _QUERY_RE.match(query) and (span := _SPAN_RE.match(query)):
        raise InputError(f"RegulomeDB covers chr1-22, chrX and chrY, not {span.group(1)}; ask about a position on one "
                         "of those")
    if not _QUERY_RE.match(query):
        raise InputError(f"'{query}' is not a RegulomeDB query; give an rsID (rs229784) or chr14:83844094-83844095")
    return query


def parse_peak(item: dict) -> dict[str, Any]:
    """One @graph item.  Full responses embed biosample_ontology; trimmed ones carry biosample_term_name."""
    biosample = item.get("biosample_ontology")
    term = biosample.get("term_name") if isinstance(biosample, dict) else item.get("biosample_term_name")
    dataset = item.get("dataset") or item.get("dataset_rel") or ""
    found = _ENCODE_ACC.findall(dataset) if isinstance(dataset, str) else []
    return {
        "method": item.get("method") if isinstance(item.get("method"), str) else None,
        "targets": strings(item.get("targets")),
        "biosample": term,
        "dataset": found[0] if found else None,
        "file": item.get("file"),
        "chrom": item.get("chrom"),
        "start": item.get("start"),
        "end": item.get("end"),
        "value": item.get("value"),
    }


def parse_search(doc: dict) -> dict[str, Any]:
    # With nothing at the query RegulomeDB answers regulome_score: null (or {}): "no evidence", not a failure.
    if not isinstance(doc, dict) or "regulome_score" not in doc or not isinstance(doc["regulome_score"], (dict, type(None))):
        raise ValueError("no regulome_score object in the response")
    score = doc["regulome_score"] or {}
    peaks = [parse_peak(p) for p in objects(doc.get("@graph"))]
    variants = [
        {"chrom": v.get("chrom"), "start": v.get("start"), "end": v.get("end"), "rsids": strings(v.get("rsids"))}
        for v in objects(doc.get("variants")) if isinstance(v.get("end"), int) and isinstance(v.get("chrom"), str)
    ]
    nearby = [
        {"rsid": s.get("rsid"), "chrom": s.get("chrom"), "position": obj(s.get("coordinates")).get("lt"),
         "maf": s.get("maf")}
        for s in objects(doc.get("nearby_snps"))
    ]
    return {
        "assembly": doc.get("assembly"),
        "query_coordinates": doc.get("query_coordinates") or [],
        "ranking": score.get("ranking") if isinstance(score.get("ranking"), str) else None,
        "probability": _float(score.get("probability")),
        "features": obj(doc.get("features")),
        "variants": variants,
        "peaks": peaks,
        "methods": dict(Counter(p["method"] for p in peaks if p["method"])),
        "chromatin_states": dict(Counter(p["value"] for p in peaks
                                         if p["method"] == "chromatin state" and isinstance(p["value"], str))),
        "chip_targets": sorted({t for p in peaks if p["method"] == "ChIP-seq" for t in p["targets"]}),
        "nearby_snps": nearby,
    }


def parse_summary(doc: dict) -> list[dict[str, Any]]:
    if not isinstance(doc, dict) or not isinstance(doc.get("variants"), list):
        raise ValueError("no variants list in the response")
    out = []
    for v in objects(doc["variants"]):
        score = obj(v.get("regulome_score"))
        out.append({
            "rsids": strings(v.get("rsids")), "chrom": v.get("chrom"), "start": v.get("start"), "end": v.get("end"),
            "ranking": score.get("ranking") if isinstance(score.get("ranking"), str) else None, "probability": _float(score.get("probability")),
            "features": obj(v.get("features")),
        })
    return out


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class RegulomeClient(SourceClient):
    source = "regulomedb"
    license = REGULOME_LICENSE

    def __init__(self, http: HttpClient, base: str = BASE):
        self.http = http
        self.base = base.rstrip("/")

    def search(self, query: str, genome: str = "GRCh38") -> Evidence:
        query = check_query(query, genome)
        result = self.http.request(f"{self.base}/regulome-search/", {"regions": query, "genome": genome,
                                                                      "format": "json"}, source=self.source)
        rec = self.parsed(result, parse_search, f"unexpected /regulome-search/ answer for {query}")
        if rec["assembly"] and rec["assembly"] != genome:
            raise SourceError(self.source, f"asked for {genome} but the answer is on {rec['assembly']}", url=result.url)
        rec.update({"query": query, "assembly": genome})
        accessions = {p[k] for p in rec["peaks"] for k in ("dataset", "file") if p[k]}
        accessions |= {r for v in rec["variants"] for r in v["rsids"]}
        return self.evidence(
            key=f"regulomedb:{query}:{genome}",
            title=f"RegulomeDB search {query} ({genome}): "
                  + (f"rank {rec['ranking']}, {len(rec['peaks'])} overlapping peaks" if rec["ranking"] is not None
                     else f"no score (no regulatory evidence), {len(rec['peaks'])} overlapping peaks"),
            result=result,
            params={"regions": query, "genome": genome},
            accessions=sorted(accessions),
            records=[rec],
        )

    def summary(self, queries: list[str], genome: str = "GRCh38", maf: float = 0.01) -> Evidence:
        queries = [check_query(q, genome) for q in queries]
        if not queries:
            raise InputError("give at least one rsID or region to summarise")
        result = self.http.request(f"{self.base}/regulome-summary/", {
            "regions": "\r\n".join(queries), "genome": genome, "maf": maf, "format": "json"}, source=self.source)
        records = self.parsed(result, parse_summary, "unexpected /regulome-summary/ answer")
        return self.evidence(
            key=f"regulomedb:summary:{'+'.join(queries)}:{genome}",
            title=f"RegulomeDB summary of {len(queries)} queries ({genome}): {len(records)} scored variants",
            result=result,
            params={"regions": queries, "genome": genome, "maf": maf},
            accessions=sorted({r for v in records for r in v["rsids"]}),
            records=records,
        )
