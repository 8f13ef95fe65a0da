"""UCSC Genome Browser REST API (api.genome.ucsc.edu) and BLAT.

Endpoints follow the official help page (kent src/hg/htdocs/goldenPath/help/api.html):
``/list/ucscGenomes``, ``/list/tracks?genome=``, ``/getData/track?genome=;track=;chrom=;start=;end=``,
``/getData/sequence?genome=;chrom=;start=;end=``, ``/search?search=;genome=``.
UCSC coordinates are half-open with a 0-based start; genelm's Region is 1-based
inclusive, so a Region [s, e] is sent as start=s-1, end=e.  Every answer
carries its genome (hg19/hg38): a coordinate never travels without it.
An error comes back as JSON with an ``error`` field (and an HTTP 4xx); it is
reported with UCSC's own words.

BLAT: UCSC closed open programmatic access to hgBlat in 2025 (BLAT FAQ #blat14,
genome.ucsc.edu/FAQ/FAQblat.html#blat14) and in 2026 its REST API gained
``/blat/<type>``, which needs the user's apiKey.  So ``blat`` calls that endpoint when
Settings.ucsc_api_key is set and otherwise raises BlatUnavailable before any request,
whose message says what works instead (the apiKey, or NCBI BLAST against the genome).
No documentation of the new endpoint's parameters is available here; the request below
uses the REST API's own conventions (``genome``, ``apiKey``) and hgBlat's ``userSeq``.
"""
from __future__ import annotations

import statistics
from typing import Any

from genelm.connectors.base import SourceClient
from genelm.connectors.errors import BlatUnavailable, InputError, SourceError
from genelm.connectors.http import HttpClient
from genelm.connectors.shapes import objects, strings
from genelm.evidence import Evidence, sha256_hex

API = "https://api.genome.ucsc.edu"
BLAT = "https://genome.ucsc.edu/cgi-bin/hgBlat"
UCSC_LICENSE = "UCSC Genome Browser data: free for academic use; cite Perez et al. 2025 (NAR)"
UCSC_GENOMES = {"GRCh38": "hg38", "GRCh37": "hg19", "hg38": "hg38", "hg19": "hg19", "mm10": "mm10", "mm39": "mm39"}
ASSEMBLY_OF = {"hg38": "GRCh38", "hg19": "GRCh37"}
# Track names for what people ask by topic, per genome (names from /list/tracks).
TOPIC_TRACKS = {
    "conservation": {"hg38": "phyloP100way", "hg19": "phyloP100wayAll"},
    "genes": {"hg38": "knownGene", "hg19": "knownGene"},
    # UCSC's ENCODE cCRE track exists for hg38 and mm10 only; hg19 has none.
    "ccres": {"hg38": "encodeCcreCombined", "mm10": "encodeCcreCombined"},
    "snps": {"hg38": "snp151Common", "hg19": "snp151Common"},
}
# Tracks UCSC does not have on some genomes: refused before a request that cannot succeed.
TRACK_GENOMES = {"encodeCcreCombined": ("hg38", "mm10")}
MAX_SPAN = 10_000_000
BLAT_FIELDS = ("matches", "misMatches", "repMatches", "nCount", "qNumInsert", "qBaseInsert", "tNumInsert",
               "tBaseInsert", "strand", "qName", "qSize", "qStart", "qEnd", "tName", "tSize", "tStart", "tEnd",
               "blockCount", "blockSizes", "qStarts", "tStarts")


def ucsc_genome(assembly: str) -> str:
    try:
        return UCSC_GENOMES[assembly]
    except KeyError:
        raise InputError(f"UCSC has no genome named '{assembly}'; use hg38/GRCh38 or hg19/GRCh37") from None


def _check_span(chrom: str, start: int, end: int) -> None:
    if not chrom.startswith("chr") or start < 0 or end <= start:
        raise InputError(f"{chrom}:{start}-{end} is not a UCSC span (chrN, 0 ≤ start < end)")
    if end - start > MAX_SPAN:
        raise InputError(f"{chrom}:{start}-{end} spans {end - start:,} bp; ask for at most {MAX_SPAN:,} bp at a time")


def _raise_on_error(doc: Any, url: str) -> dict:
    if not isinstance(doc, dict):
        raise SourceError("ucsc", "the answer is not a JSON object", url=url)
    if "error" in doc:
        raise SourceError("ucsc", f"UCSC says: {doc['error']}", url=url)
    return doc


def parse_track_items(doc: dict, track: str, chrom: str | None = None) -> list[dict[str, Any]]:
    """Items of a getData/track answer, in each shape the server writes.

    - most tracks (bigWig, bigBed, bed, genePred…): a list under the track's name, or {chrom: list} under
      it when no chrom was asked;
    - a wiggle table in SQL (hg19 phyloP100wayAll): the list under the chromosome's name at the top level
      ({"chr17": [{start, end, value}…]}), one such key per chromosome when no chrom was asked.
    """
    data = doc.get(track)
    if isinstance(data, list):
        return objects(data)
    if isinstance(data, dict):
        return [i for items in data.values() for i in objects(items)]
    if chrom is not None and isinstance(doc.get(chrom), list):
        return objects(doc[chrom])
    by_chrom = [v for k, v in doc.items() if k.startswith("chr") and isinstance(v, list)]
    if by_chrom:
        return [i for items in by_chrom for i in objects(items)]
    raise ValueError(f"no '{track}' data in the answer")


def summarise_signal(items: list[dict]) -> dict[str, Any]:
    """bigWig/wig items carry start, end, value: per-base-weighted summary."""
    values = [(i["end"] - i["start"], float(i["value"])) for i in items
              if isinstance(i.get("value"), (int, float)) and isinstance(i.get("start"), int) and isinstance(i.get("end"), int)]
    if not values:
        return {"n_items": len(items)}
    covered = sum(w for w, _ in values)
    return {
        "n_items": len(items),
        "bases_covered": covered,
        "mean": round(sum(w * v for w, v in values) / covered, 3),
        "median": round(statistics.median(v for _, v in values), 3),
        "min": round(min(v for _, v in values), 3),
        "max": round(max(v for _, v in values), 3),
    }


def parse_blat(doc: dict) -> list[dict[str, Any]]:
    fields = strings(doc.get("fields")) or list(BLAT_FIELDS)
    if missing := [f for f in ("matches", "misMatches", "qSize", "tName", "tStart", "tEnd", "strand") if f not in fields]:
        raise ValueError(f"BLAT fields lack {', '.join(missing)}")
    hits = []
    for row in doc.get("blat") if isinstance(doc.get("blat"), list) else []:
        if isinstance(row, list) and len(row) == len(fields):
            hit = dict(zip(fields, row))
            if not all(isinstance(hit[f], int) for f in ("matches", "misMatches", "qSize", "tStart", "tEnd")):
                raise ValueError(f"BLAT row with non-integer coordinates: {row[:6]}")
            # tStart is 0-based: report 1-based inclusive like every other coordinate in an answer.
            hit["position"] = f"{hit['tName']}:{hit['tStart'] + 1}-{hit['tEnd']}"
            hit["identity"] = round(100 * hit["matches"] / max(1, hit["qSize"]), 1)
            hits.append(hit)
    hits.sort(key=lambda h: (-h["matches"], h["misMatches"]))
    return hits


def parse_search(doc: dict) -> list[dict[str, Any]]:
    out = []
    for group in objects(doc.get("positionMatches")):
        for match in objects(group.get("matches")):
            out.append({"track": group.get("trackName") or group.get("name"), "description": group.get("description"),
                        "position": match.get("position"), "name": match.get("posName"),
                        "canonical": bool(match.get("canonical"))})
    return out


def parse_tracks(doc: dict, genome: str) -> list[dict[str, Any]]:
    tracks = doc.get(genome)
    if not isinstance(tracks, dict):
        raise ValueError(f"no '{genome}' track list in the answer")
    return [{"track": name, "short_label": t.get("shortLabel"), "long_label": t.get("longLabel"),
             "type": t.get("type"), "group": t.get("group")}
            for name, t in tracks.items() if isinstance(t, dict)]


class UcscClient(SourceClient):
    source = "ucsc"
    license = UCSC_LICENSE

    def __init__(self, http: HttpClient, api: str = API, blat: str = BLAT):
        self.http = http
        self.api = api.rstrip("/")
        self.blat_url = blat  # hgBlat: no longer open to programs (kept for replaying old recordings)

    def _get(self, path: str, params: dict) -> tuple[dict, Any]:
        # A 4xx from UCSC explains itself in its JSON body; the HTTP layer quotes the body in the error.
        result = self.http.request(f"{self.api}{path}", params, source=self.source)
        return _raise_on_error(result.json(), result.url), result

    def genomes(self) -> Evidence:
        doc, result = self._get("/list/ucscGenomes", {})
        genomes = doc.get("ucscGenomes") or {}
        records = [{"genome": g, "description": v.get("description"), "organism": v.get("organism"),
                    "scientific_name": v.get("scientificName"), "tax_id": v.get("taxId")}
                   for g, v in genomes.items() if isinstance(v, dict)]
        return self.evidence(key="ucsc:genomes", title=f"UCSC genomes ({len(records)})",
                         result=result, records=records)

    def tracks(self, assembly: str) -> Evidence:
        genome = ucsc_genome(assembly)
        doc, result = self._get("/list/tracks", {"genome": genome, "trackLeavesOnly": 1})
        records = self.parsed(result, lambda d: parse_tracks(d, genome), "unexpected /list/tracks answer", doc)
        return self.evidence(key=f"ucsc:tracks:{genome}", title=f"UCSC {genome} tracks ({len(records)})",
                         result=result, params={"genome": genome}, records=records)

    def track(self, assembly: str, track: str, chrom: str, start: int, end: int, max_items: int = 100_000) -> Evidence:
        """Items of a track in a half-open span [start, end) of genome ``assembly``."""
        genome = ucsc_genome(assembly)
        _check_span(chrom, start, end)
        if genome not in TRACK_GENOMES.get(track, (genome,)):
            raise InputError(f"UCSC has the {track} track for {' and '.join(TRACK_GENOMES[track])} only, not {genome}")
        doc, result = self._get("/getData/track", {"genome": genome, "track": track, "chrom": chrom,
                                                   "start": start, "end": end, "maxItemsOutput": max_items})
        try:
            items = parse_track_items(doc, track, chrom)
        except ValueError as exc:
            raise SourceError(self.source, f"{exc}; is '{track}' a track of {genome}?", url=result.url) from None
        track_type = doc.get("trackType") if isinstance(doc.get("trackType"), str) else ""
        summary = {"genome": genome, "assembly": ASSEMBLY_OF.get(genome, genome), "track": track,
                   "track_type": track_type, "chrom": chrom, "start": start, "end": end,
                   "truncated": bool(doc.get("maxItemsLimit"))}
        if (track_type.split() or [""])[0] in ("bigWig", "wig", "wiggle"):
            summary.update(summarise_signal(items))
        else:
            summary["n_items"] = len(items)
        return self.evidence(
            key=f"ucsc:track:{genome}:{track}:{chrom}:{start}-{end}", source=self.source,
            title=f"UCSC {genome} track {track} at {chrom}:{start + 1}-{end} ({len(items)} items)",
            result=result, params={"genome": genome, "track": track, "chrom": chrom, "start": start, "end": end},
            records=[summary, *items[:2000]],
        )

    def sequence(self, assembly: str, chrom: str, start: int, end: int, reverse_complement: bool = False) -> Evidence:
        genome = ucsc_genome(assembly)
        _check_span(chrom, start, end)
        params = {"genome": genome, "chrom": chrom, "start": start, "end": end}
        if reverse_complement:
            params["revComp"] = 1
        doc, result = self._get("/getData/sequence", params)
        dna = doc.get("dna")
        if not isinstance(dna, str) or len(dna) != end - start:
            raise SourceError(self.source, f"expected {end - start} bases of DNA, got "
                              f"{len(dna) if isinstance(dna, str) else 'none'}", url=result.url)
        return self.evidence(
            key=f"ucsc:sequence:{genome}:{chrom}:{start}-{end}" + (":rc" if reverse_complement else ""), title=f"UCSC {genome} sequence {chrom}:{start + 1}-{end} ({len(dna)} bp)",
            result=result, params=params,
            records=[{"genome": genome, "assembly": ASSEMBLY_OF.get(genome, genome), "chrom": chrom, "start": start,
                      "end": end, "dna": dna, "reverse_complement": reverse_complement}],
        )

    def search(self, term: str, assembly: str = "GRCh38") -> Evidence:
        genome = ucsc_genome(assembly)
        doc, result = self._get("/search", {"search": term, "genome": genome})
        records = parse_search(doc)
        return self.evidence(key=f"ucsc:search:{genome}:{term}", source=self.source,
                         title=f"UCSC {genome} search '{term}' ({len(records)} position matches)",
                         result=result, params={"search": term, "genome": genome},
                         records=[{**r, "genome": genome} for r in records])

    def blat(self, sequence: str, assembly: str = "GRCh38") -> Evidence:
        """Place a DNA sequence on a genome with BLAT: the REST API's /blat/dna with the user's apiKey.

        Without an apiKey, BlatUnavailable (a SourceError) is raised before any request: UCSC no longer
        answers programs at hgBlat, and retrying it only delays the answer.
        """
        genome = ucsc_genome(assembly)
        seq = sequence.strip().upper()
        if not 20 <= len(seq) <= 25_000 or set(seq) - set("ACGTN"):
            raise InputError("BLAT takes 20-25,000 DNA letters (ACGTN)")
        key = self.http.settings.ucsc_api_key
        if key is None:
            raise BlatUnavailable(genome)
        # apiKey is a secret parameter: stripped from the cited URL, the cache key and any recording.
        result = self.http.request(f"{self.api}/blat/dna", {"genome": genome, "userSeq": seq,
                                                            "apiKey": key.get_secret_value()},
                                   source="ucsc-blat", retries=0)
        doc = _raise_on_error(result.json(), result.url)
        hits = parse_blat(doc)
        return self.evidence(
            key=f"ucsc:blat:{genome}:{sha256_hex(seq)[:12]}", source="ucsc-blat",
            title=f"UCSC BLAT of a {len(seq)} bp sequence on {genome} ({len(hits)} hits)", result=result,
            params={"db": genome, "length": len(seq)},
            records=[{**h, "genome": genome, "assembly": ASSEMBLY_OF.get(genome, genome)} for h in hits[:50]],
        )
