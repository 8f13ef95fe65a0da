"""NCBI: E-utilities (gene, snp, omim, gds) and the BLAST URL API, returning Evidence.

Requests follow the forms NCBI documents (and the recorded traffic uses):
``esearch.fcgi?db=…&term=…&retmode=json&sort=relevance&retmax=N`` then
``efetch``/``esummary`` with the ids.  ``tool``/``email``/``api_key`` are added to
every request and stripped from everything we store or show (E-utilities usage
guidelines ask for tool and email in every request; without an email a warning says so).

BLAST follows the Common URL API's usage guidelines (genelm.connectors.limits.BLAST):
no more than one request to the BLAST host every 10 s, and no RID polled more often
than once a minute; the waits are slept on the HTTP client's clock.
"""
from __future__ import annotations

from typing import Any

from genelm.connectors import ncbi_parse as parse
from genelm.connectors.blast_report import BlastReport, parse_report, parse_status
from genelm.connectors.base import SourceClient
from genelm.connectors.errors import SourceError
from genelm.connectors.http import HttpClient, HttpResult, pacer_for
from genelm.connectors.limits import BLAST as BLAST_LIMITS
from genelm.connectors.recordings import Recording, append_recording, now_iso
from genelm.connectors.urls import host_of, normalize_url
from genelm.evidence import Evidence, sha256_hex
from genelm.settings import NetworkMode

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
BLAST_URL = "https://blast.ncbi.nlm.nih.gov/blast/Blast.cgi"
NCBI_LICENSE = "NCBI data: public domain (US government work); see NCBI's policies"
GENE_PAGE = "https://www.ncbi.nlm.nih.gov/gene/{}"


class NcbiClient(SourceClient):
    source = "ncbi"
    license = NCBI_LICENSE

    def __init__(self, http: HttpClient, eutils: str = EUTILS, blast_url: str = BLAST_URL):
        self.http = http
        # Pluggable endpoints (mirrors, or a local server in tests).
        self.eutils = eutils.rstrip("/") + "/"
        self.blast_url = blast_url

    # ------------------------------------------------------------ low level
    def _identity(self) -> dict[str, str]:
        s = self.http.settings
        ident = {"tool": s.ncbi_tool}
        if s.ncbi_email:
            ident["email"] = s.ncbi_email
        elif self.http.mode is not NetworkMode.replay:
            warning = ("NCBI asks every E-utilities and BLAST request to name a tool and an email address (so that "
                       "it can write before blocking a client); set GENELM_NCBI_EMAIL or ncbi_email in the config")
            if warning not in self.http.trace.warnings:
                self.http.trace.warnings.append(warning)
        if s.ncbi_api_key is not None:
            ident["api_key"] = s.ncbi_api_key.get_secret_value()
        return ident

    def _eutil(self, endpoint: str, params: dict[str, Any], expect: str = "json") -> HttpResult:
        return self.http.request(self.eutils + endpoint, {**params, **self._identity()}, source=self.source, expect=expect)

    def _json(self, result: HttpResult) -> Any:
        try:
            return result.json()
        except ValueError as exc:
            raise SourceError(self.source, f"unreadable JSON from {result.url}: {exc}", url=result.url) from None

    def esearch(self, db: str, term: str, retmax: int = 5) -> tuple[list[str], int, HttpResult]:
        result = self._eutil(
            "esearch.fcgi", {"db": db, "term": term, "retmode": "json", "sort": "relevance", "retmax": retmax}
        )
        try:
            ids, count = parse.parse_esearch(self._json(result))
        except ValueError as exc:
            raise SourceError(self.source, f"esearch db={db}: {exc}", url=result.url) from None
        return ids, count, result

    # ------------------------------------------------------------ gene
    def gene_search(self, term: str, retmax: int = 5) -> Evidence:
        """Genes matching a symbol, alias, Ensembl ID or free text (all organisms, best first)."""
        ids, count, search = self.esearch("gene", term, retmax)
        if not ids:
            return Evidence(
                key=f"ncbi:gene-search:{term}",
                source=self.source,
                title=f"NCBI Gene search for '{term}': no records",
                url=search.url,
                params={"db": "gene", "term": term},
                sha256=sha256_hex(search.body),
                records=[],
                license=NCBI_LICENSE,
                origin=search.origin,
            )
        # NCBI returns this text summary for db=gene efetch whatever retmode says; we send the
        # same request the documented examples (and recorded traffic) use, and parse the text.
        fetched = self._eutil("efetch.fcgi", {"db": "gene", "id": ",".join(ids), "retmode": "json", "retmax": retmax}, "text")
        genes = parse.parse_gene_text(fetched.text)
        if not genes:
            raise SourceError(self.source, f"efetch db=gene returned no parsable record for ids {ids}", url=fetched.url)
        for gene in genes:
            if gene.get("gene_id"):
                gene["url"] = GENE_PAGE.format(gene["gene_id"])
        return self.evidence(
            key=f"ncbi:gene:{ids[0]}" if len(ids) == 1 else f"ncbi:gene-search:{term}",
            title=f"NCBI Gene records for '{term}' ({count} match{'es' if count != 1 else ''}, top {len(genes)})",
            result=fetched,
            params={"db": "gene", "term": term, "ids": ids, "search_url": search.url},
            accessions=[f"GeneID:{g['gene_id']}" for g in genes if g.get("gene_id")],
            records=genes,
        )

    def gene_summary(self, gene_ids: list[str]) -> Evidence:
        """esummary db=gene: symbol, chromosome, map location, coordinates and the RefSeq summary."""
        result = self._eutil("esummary.fcgi", {"db": "gene", "id": ",".join(gene_ids), "retmode": "json"})
        try:
            items = parse.esummary_items(self._json(result))
        except ValueError as exc:
            raise SourceError(self.source, str(exc), url=result.url) from None
        records = []
        for item in items:
            info = (item.get("genomicinfo") or [{}])[0]
            start, end, strand = parse.genomic_span(info)
            records.append(
                {
                    "gene_id": item.get("uid"),
                    "symbol": item.get("name"),
                    "name": item.get("description"),
                    "aliases": [a.strip() for a in (item.get("otheraliases") or "").split(",") if a.strip()],
                    "chromosome": item.get("chromosome"),
                    "map_location": item.get("maplocation"),
                    "summary": item.get("summary"),
                    "organism": (item.get("organism") or {}).get("scientificname"),
                    "sequence_accession": info.get("chraccver"),
                    "start": start,  # 1-based inclusive, start <= end on either strand
                    "end": end,
                    "strand": strand,
                }
            )
        return self.evidence(
            key=f"ncbi:gene-summary:{','.join(gene_ids)}",
            title=f"NCBI Gene summaries for GeneID {', '.join(gene_ids)}",
            result=result,
            params={"db": "gene", "id": gene_ids},
            accessions=[f"GeneID:{r['gene_id']}" for r in records],
            records=records,
        )

    # ------------------------------------------------------------ snp
    def snp(self, rsid: str) -> Evidence:
        number = rsid.lower().removeprefix("rs")
        if not number.isdigit():
            raise SourceError(self.source, f"'{rsid}' is not an rsID (expected rs followed by digits)")
        # efetch db=snp has answered this request with DocumentSummary XML (the recordings), but JSON is a
        # documented form too (an esummary-style document, or a RefSNP report): each is read, and anything
        # else is an error, never an empty record.
        result = self._eutil("efetch.fcgi", {"db": "snp", "id": number, "retmode": "json", "retmax": 5}, "text")
        try:
            records = parse.parse_snp_answer(result.text)
        except ValueError as exc:
            raise SourceError(self.source, f"unreadable dbSNP answer for rs{number}: {exc}", url=result.url) from None
        return self.evidence(
            key=f"ncbi:snp:rs{number}",
            title=f"dbSNP rs{number}",
            result=result,
            params={"db": "snp", "id": number},
            accessions=[f"rs{number}"] if records else [],
            records=records,
        )

    # ------------------------------------------------------------ omim
    def omim_search(self, term: str, retmax: int = 20) -> Evidence:
        ids, count, search = self.esearch("omim", term, retmax)
        records: list[dict] = []
        result = search
        if ids:
            result = self._eutil("esummary.fcgi", {"db": "omim", "id": ",".join(ids), "retmode": "json", "retmax": retmax})
            try:
                records = parse.parse_omim_esummary(self._json(result))
            except ValueError as exc:
                raise SourceError(self.source, f"OMIM esummary: {exc}", url=result.url) from None
        return self.evidence(
            key=f"ncbi:omim-search:{term}",
            title=f"OMIM entries for '{term}' ({count} matches)",
            result=result,
            params={"db": "omim", "term": term, "search_url": search.url},
            accessions=[f"MIM:{r['mim']}" for r in records],
            records=records,
            license="OMIM: Johns Hopkins University; see omim.org terms",
        )

    # ------------------------------------------------------------ GEO
    def gds_search(self, term: str, retmax: int = 10) -> Evidence:
        ids, count, search = self.esearch("gds", term, retmax)
        records: list[dict] = []
        result = search
        if ids:
            result = self._eutil("esummary.fcgi", {"db": "gds", "id": ",".join(ids), "retmode": "json"})
            try:
                records = parse.parse_gds_esummary(self._json(result))
            except ValueError as exc:
                raise SourceError(self.source, f"GEO esummary: {exc}", url=result.url) from None
        return self.evidence(
            key=f"ncbi:gds:{term}",
            source="geo",
            title=f"GEO DataSets for '{term}' ({count} matches)",
            result=result,
            params={"db": "gds", "term": term, "search_url": search.url},
            accessions=[r["accession"] for r in records if r.get("accession")],
            records=records,
        )

    def geo_series(self, accession: str) -> Evidence:
        return self.gds_search(f"{accession}[GEO Accession]")

    # ------------------------------------------------------------ BLAST
    def blast(self, sequence: str, program: str = "blastn", database: str = "nt") -> Evidence:
        """Align a sequence with the BLAST URL API (Put, poll by RID, Get).

        Results are found again by (program, database, sequence), because RIDs expire
        and a user re-running an alignment wants the same answer without a new search.
        """
        sequence = sequence.upper()
        params = {"program": program, "database": database, "query_length": len(sequence)}
        mode = self.http.mode
        # Replay: any recording.  Auto: the user's recordings and earlier results first, then a new
        # search, and the bundled (2023) snapshot only if the search fails.  Live/record: always search.
        recorded = None
        if mode in (NetworkMode.replay, NetworkMode.auto):
            recorded = self.http.find_blast_recording(sequence, program, database, snapshot=mode is NetworkMode.replay)
        if recorded is None and mode is NetworkMode.replay:
            raise SourceError(
                "blast",
                f"no recorded BLAST report for this {len(sequence)}-nt sequence ({program}/{database}); "
                "run without --offline to align it, or add recordings with --recordings PATH",
            )
        if recorded is None:
            try:
                result = self._blast_live(sequence, program, database)
            except SourceError:
                recorded = self.http.find_blast_recording(sequence, program, database) if mode is NetworkMode.auto else None
                if recorded is None:
                    raise
        if recorded is not None:
            result = self.http.from_recording(recorded, "blast")
        report = parse_report(result.text)
        if not report.ready:
            raise SourceError("blast", f"BLAST report not ready (status {report.status})", url=result.url)
        rid = report.rid or sha256_hex(result.body)[:10]
        records = [_alignment_record(a) for a in report.alignments]
        return self.evidence(
            key=f"blast:{rid}",
            source="blast",
            title=f"BLAST {report.program or program} of a {len(sequence)}-nt query against {report.database or database}",
            result=result,
            params=params,
            accessions=[r["accession"] for r in records],
            records=records,
        )

    def _blast_live(self, sequence: str, program: str, database: str) -> HttpResult:
        s = self.http.settings
        clock = self.http.clock
        # One request to the BLAST host per 10 s (process-wide), one poll of a RID per minute.
        host = pacer_for(f"blast:{host_of(self.blast_url)}", 1 / BLAST_LIMITS.per_second, clock)
        poll_every = max(s.blast_poll_s, BLAST_LIMITS.poll_interval_s)

        def send(*args, tries: int = s.retries + 1, **kwargs) -> HttpResult:
            # No quick retries inside the HTTP layer: a retry is a request too, so it waits its turn here.
            for attempt in range(tries):
                host.wait()
                try:
                    return self.http.request(*args, retries=0, **kwargs)
                except SourceError as exc:
                    if not exc.retryable or attempt == tries - 1:
                        raise
            raise AssertionError("unreachable")

        put = send(
            self.blast_url,
            method="POST",
            data={"CMD": "Put", "PROGRAM": program, "DATABASE": database, "QUERY": sequence,
                  "MEGABLAST": "on" if program == "blastn" else None, "HITLIST_SIZE": 10, **self._identity()},
            source="blast",
            expect="text",
            replayable=False,
        )
        status, rid, rtoe = parse_status(put.text)
        if not rid:
            raise SourceError("blast", "BLAST Put returned no RID", url=put.url)
        submitted = clock.now()
        deadline = submitted + s.blast_max_wait_s
        # The first poll comes when NCBI expects the result (RTOE), and never within a minute of the Put.
        next_poll = submitted + max(rtoe or 0, poll_every)
        failed_polls = 0
        while True:
            clock.sleep(next_poll - clock.now())
            try:
                # A poll that fails is not repeated sooner: the next one keeps the once-a-minute schedule.
                info = send(self.blast_url, {"CMD": "Get", "FORMAT_OBJECT": "SearchInfo", "RID": rid},
                            tries=1, source="blast", expect="text", replayable=False)
                failed_polls = 0
                status, _, _ = parse_status(info.text)
            except SourceError as exc:
                failed_polls += 1
                if not exc.retryable or failed_polls > s.retries:
                    raise
                status = "WAITING"
            next_poll = clock.now() + poll_every
            if status == "READY":
                break
            if status in ("FAILED", "UNKNOWN"):
                raise SourceError("blast", f"BLAST search {rid} ended with status {status}")
            if next_poll > deadline:
                raise SourceError("blast", f"BLAST search {rid} not ready after {s.blast_max_wait_s:g} s "
                                  f"(polled once a minute, as NCBI asks)")
        result = send(
            self.blast_url, {"CMD": "Get", "FORMAT_TYPE": "Text", "RID": rid}, source="blast", expect="text", replayable=False
        )
        if s.cache_dir:
            # Keep finished reports so the same (program, database, sequence) is answered again offline.
            rec = Recording("GET", normalize_url(result.url), 200, {}, result.body, now_iso(), "blast-cache")
            append_recording(s.cache_dir / "blast_results.jsonl", rec, [])
            if s.record_to and self.http.mode is NetworkMode.record:
                append_recording(s.record_to, rec, [])
        return result


def _alignment_record(aln) -> dict[str, Any]:
    from genelm.connectors.blast_titles import describe_subject

    subject = describe_subject(aln.title)
    return {
        "accession": aln.accession,
        "title": aln.title,
        "organism": subject.organism,
        "species": subject.species,
        "chromosome": subject.chromosome,
        "assembly": subject.assembly,
        "subject_start": min(aln.subject_start, aln.subject_end),
        "subject_end": max(aln.subject_start, aln.subject_end),
        "strand": aln.strand,
        "identities": aln.identities,
        "query_start": aln.query_start,
        "query_end": aln.query_end,
    }

