"""Genes: NCBI Gene and the bundled gene tables; symbols, aliases, Ensembl IDs, location, type and function."""
from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import Field, field_validator

from genelm.agent.core.call import ToolContext, _Call, _term
from genelm.agent.core.evidence_views import alias_candidates, ncbi_gene_records, pick_gene, table_records
from genelm.agent.core.question import Intent, Ledger, Question
from genelm.agent.core.synthesis import Sentence, Synthesis
from genelm.connectors.errors import ReplayMiss, SourceError
from genelm.data import ENSEMBL_LABEL, GENE_INFO, GENE_INFO_LABEL, GeneRecord, gene_summaries, gene_table
from genelm.evidence import Evidence, sha256_hex
from genelm.i18n import _, tr


class GeneLookup(_Call):
    """NCBI Gene records for a symbol, alias, Ensembl ID or phrase."""

    tool: Literal["ncbi_gene"] = "ncbi_gene"
    label: ClassVar[str] = "NCBI Gene: searching"
    term: str
    retmax: int = Field(5, ge=1, le=20)
    _v = field_validator("term")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ncbi.gene_search(self.term, self.retmax)]


class GeneTableLookup(_Call):
    """The bundled NCBI gene_info (2020-04) + Ensembl 110 tables: offline and instant."""

    tool: Literal["gene_table"] = "gene_table"
    label: ClassVar[str] = "Gene table: looking up"
    term: str
    _v = field_validator("term")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        table = gene_table()
        term = self.term.strip()
        hits: list[GeneRecord] = []
        how = ""
        if term.upper().startswith("ENSG"):
            gene = table.by_ensembl.get(term.upper().split(".")[0])
            hits, how = ([gene] if gene else []), "Ensembl ID"
        elif term.isdigit():
            gene = table.by_id.get(term)
            hits, how = ([gene] if gene else []), "GeneID"
        else:
            gene = table.symbol(term)
            if gene is not None:
                hits, how = [gene], "official symbol"
            else:
                hits, how = table.aliases(term), "alias"
        return [gene_table_evidence(g, f"{how} {term}") for g in hits]


def gene_table_evidence(gene: GeneRecord, matched: str) -> Evidence:
    record = gene.as_record() | {"matched": matched, "source_row": gene.row}
    return Evidence(
        key=f"gene-table:{gene.gene_id}",
        source="gene-table",
        title=f"{GENE_INFO_LABEL}, row {gene.row}: {gene.symbol} (GeneID {gene.gene_id})"
        + (f"; coordinates from {ENSEMBL_LABEL}" if gene.start else ""),
        url=f"https://www.ncbi.nlm.nih.gov/gene/{gene.gene_id}",
        # The coordinates (from the Ensembl GTF) are GRCh38's: said in the params a citation is checked against.
        params={"file": GENE_INFO.name, "row": gene.row, "matched": matched} | (
            {"assembly": "GRCh38"} if gene.start else {}),
        sha256=sha256_hex(repr(sorted(record.items()))),
        accessions=[f"GeneID:{gene.gene_id}", *gene.ensembl_ids],
        records=[record],
        license="NCBI gene_info: public domain",
        origin="bundled",
    )


class GeneFunction(_Call):
    """RefSeq summary of a gene's function (bundled RefSeq summaries; NCBI esummary when online)."""

    tool: Literal["gene_function"] = "gene_function"
    label: ClassVar[str] = "RefSeq: reading the gene summary"
    gene_id: str = Field(pattern=r"^\d{1,12}$")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        out: list[Evidence] = []
        try:
            out.append(ctx.ncbi.gene_summary([self.gene_id]))
        except ReplayMiss:
            pass  # normal offline: the bundled summary below answers
        except SourceError as exc:
            ctx.report_gap(tr("{source} did not answer for {call}: {reason}; the bundled RefSeq summary answered "
                              "instead", source="ncbi", call=self.describe(), reason=exc.reason))
        refseq = gene_summaries().get(self.gene_id)
        gene = gene_table().by_id.get(self.gene_id)
        if refseq:
            accession, summary = refseq
            record = {"gene_id": self.gene_id, "symbol": gene.symbol if gene else None, "summary": summary,
                      "refseq": accession}
            out.append(Evidence(
                key=f"refseq-summary:{self.gene_id}", source="refseq-summary",
                title=f"RefSeq summary of {record['symbol'] or 'GeneID ' + self.gene_id} ({accession}; GeneSummary 2025-01)",
                url=f"https://www.ncbi.nlm.nih.gov/gene/{self.gene_id}", params={"gene_id": self.gene_id},
                sha256=sha256_hex(summary), accessions=[f"GeneID:{self.gene_id}", accession], records=[record],
                license="NCBI RefSeq: public domain", origin="bundled",
            ))
        return out


def gene_calls(term: str) -> list:
    return [GeneLookup(term=term), GeneTableLookup(term=term)]


def lookup_term(q: Question) -> str:
    """What to look a question's gene up by: the name as written ('SNAT6', so the answer can say whose alias it
    is), unless only genelm's name resolver knows that name ('Ki-67', 'TGF-β1', 'Bcl-xL'); then the gene it read."""
    ent = q.gene_term()
    if ent.kind != "gene" or ent.value == ent.text:
        return ent.text
    genes = gene_table()
    known = genes.symbol(ent.text) is not None or bool(genes.aliases(ent.text))
    return ent.text if known else ent.value


def resolve_gene(q: Question, ledger: Ledger, s: Synthesis) -> tuple[dict | None, Evidence | None, str]:
    """Find the gene a question names: NCBI first (current), the bundled table second (2020).

    Returns (record, evidence, term).  Ambiguity is stated in ``s``, never guessed silently.
    """
    ent = q.gene_term()
    term = ent.text if ent else ""
    found = pick_gene(ledger, term) if term else None
    if found:
        return found[0], found[1], term
    several = alias_candidates(ledger, term) if term else []
    if len(several) > 1:
        symbols = ", ".join(f"{r['symbol']} (GeneID {r['gene_id']})" for r, _ev in several)
        s.say(tr("'{term}' is an alias of several human genes in NCBI Gene: {symbols}.", term=term, symbols=symbols),
              several[0][1].key)
        s.note(_("Name the gene by its official symbol or NCBI GeneID to get one answer."))
        return None, None, term
    table = table_records(ledger)
    if len(table) == 1:
        rec, ev = table[0]
        return rec, ev, term
    if len(table) > 1:
        symbols = ", ".join(f"{r['symbol']} (GeneID {r['gene_id']})" for r, _ev in table)
        read = ent.value if ent is not None and ent.attrs.get("ambiguous") else None
        chosen = next(((r, ev) for r, ev in table if r["symbol"] == read), None)
        if chosen is not None:  # read by the resolver's stated ranking (data/names.py); the reading note says so
            s.say(tr("'{term}' is an alias of several human genes: {symbols}; genelm reads it as {symbol}.",
                     term=term, symbols=symbols, symbol=read), *(ev.key for _r, ev in table))
            return chosen[0], chosen[1], term
        s.say(tr("'{term}' is an alias of several human genes: {symbols}.", term=term, symbols=symbols),
              *(ev.key for _r, ev in table))
        s.note(_("Name the gene by its official symbol or NCBI GeneID to get one answer."))
        return None, None, term
    return None, None, term


def _abstain_gene(q: Question, ledger: Ledger, s: Synthesis, term: str) -> Synthesis:
    searched = [e for e in ledger.values() if e.source == "ncbi"]
    if searched:
        s.note(tr("NCBI Gene returned no human record matching '{term}', and the bundled gene table has none either.",
                 term=term))
    else:
        s.note(tr("No source answered for '{term}': NCBI was not reachable and the bundled gene table has no such "
                 "gene.", term=term))
    s.short_answer = "NA" if "protein" in q.lower else None
    return s


def _gene_sentence(rec: dict, ev: Evidence) -> str:
    if ev.source == "ncbi":
        return tr("NCBI Gene lists {symbol} (GeneID {gene_id})", symbol=rec["symbol"], gene_id=rec["gene_id"])
    return tr("The bundled NCBI gene_info table (2020-04) lists {symbol} (GeneID {gene_id})", symbol=rec["symbol"],
             gene_id=rec["gene_id"])


class GeneIntent(Intent):
    """A question about one named gene: look it up in NCBI and the bundled table, then answer about it."""

    def steps(self, q, ledger, step):
        return gene_calls(lookup_term(q)) if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        rec, ev, term = resolve_gene(q, ledger, s)
        if rec is None:
            return s if s.sentences else _abstain_gene(q, ledger, s, term)
        self.answer_gene(s, q, ledger, rec, ev, term)
        return s

    def answer_gene(self, s: Synthesis, q: Question, ledger: Ledger, rec: dict, ev: Evidence, term: str) -> None:
        raise NotImplementedError  # pragma: no cover - interface


class GeneAlias(GeneIntent):
    name = "gene_alias"

    def matches(self, q):
        return q.gene_term() is not None and q.has("official", "symbol", "alias", "also known")

    def answer_gene(self, s, q, ledger, rec, ev, term):
        aliases = ", ".join(rec.get("aliases", [])[:12])
        if rec["symbol"].upper() == term.upper():
            s.say(tr("{symbol} is itself the official symbol: {record}.", symbol=rec["symbol"],
                    record=_gene_sentence(rec, ev)), ev.key)
        elif _among_aliases(term, rec):
            s.say(tr("The official symbol of {alias} is {symbol}: {record} with {alias} among its aliases.", alias=term,
                    symbol=rec["symbol"], record=_gene_sentence(rec, ev)), ev.key)
        else:  # read by genelm's name index (a protein name, a Greek spelling), not an alias this record holds
            s.say(tr("The official symbol of {alias} is {symbol}: {record}.", alias=term, symbol=rec["symbol"],
                     record=_gene_sentence(rec, ev)), ev.key)
            s.note(tr("{alias} is not among this record's aliases; genelm read it as {symbol} by its name index "
                      "(gene_info full names and designations, Ideogram's synonyms).", alias=term, symbol=rec["symbol"]))
        wants_aliases = q.frame.ask == "aliases" or q.has("aliases")
        if aliases and wants_aliases:
            s.say(tr("The aliases of {symbol} are {aliases}.", symbol=rec["symbol"], aliases=aliases), ev.key)
        elif wants_aliases:
            s.say(tr("{record} with no aliases in that record.", record=_gene_sentence(rec, ev)), ev.key)
        s.short_answer = aliases if q.frame.ask == "aliases" and aliases else rec["symbol"]
        if q.frame.ask == "aliases":
            s.listed(list(rec.get("aliases", [])))


def _among_aliases(term: str, rec: dict) -> bool:
    """Whether the record lists this name as an alias (case, hyphens and Greek spelling aside: IL-8 is IL8)."""
    from genelm.data.names import keys

    written = keys(term)[0]
    return any(keys(a)[0] == written for a in rec.get("aliases", []))


class EnsemblToSymbol(Intent):
    name = "ensembl_to_symbol"

    def matches(self, q):
        return q.first("ensembl") is not None and q.has("symbol", "convert", "name", "which gene", "what gene")

    def steps(self, q, ledger, step):
        return gene_calls(q.first("ensembl").value) if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        ens = q.first("ensembl").value
        found = pick_gene(ledger, ens)
        table = table_records(ledger)
        if found:
            rec, ev = found
            s.say(tr("{ensembl} is the Ensembl ID of {symbol}: NCBI Gene's search for {ensembl} returns {symbol} "
                    "(GeneID {gene_id}).", ensembl=ens, symbol=rec["symbol"], gene_id=rec["gene_id"]), ev.key)
            s.short_answer = rec["symbol"]
        elif table:
            rec, ev = table[0]
            s.say(tr("{ensembl} is the Ensembl ID of {symbol} (GeneID {gene_id}) in the bundled NCBI gene_info table "
                    "(2020-04).", ensembl=ens, symbol=rec["symbol"], gene_id=rec["gene_id"]), ev.key)
            s.short_answer = rec["symbol"]
        else:
            s.note(tr("Neither NCBI Gene nor the bundled gene table maps {ensembl} to a gene.", ensembl=ens))
        return s


class ProteinCoding(Intent):
    name = "protein_coding"

    def matches(self, q):
        return q.gene_term() is not None and q.has("protein-coding", "protein coding")

    def steps(self, q, ledger, step):
        return gene_calls(lookup_term(q)) if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        term = q.gene_term().text
        found = pick_gene(ledger, term)
        table = [(r, e) for r, e in table_records(ledger) if r["symbol"].upper() == term.upper()] or table_records(ledger)
        if found:
            rec, ev = found
            s.say(tr("NCBI Gene names {symbol} (GeneID {gene_id}) '{name}'.", symbol=rec["symbol"],
                    gene_id=rec["gene_id"], name=rec.get("name", "")), ev.key)
        if table:
            trec, tev = table[0]
            coding = trec["type_of_gene"] == "protein-coding"
            s.decide("yes" if coding else "no",
                     tr("The bundled NCBI gene_info table (2020-04) gives {symbol} the gene type '{gene_type}'.",
                        symbol=trec["symbol"], gene_type=trec["type_of_gene"]), tev.key)
            if q.frame.form != "yes_no":  # 'what kind of gene is KCNQ1OT1': the type itself
                s.short_answer = trec["type_of_gene"]
        else:
            if found:
                s.note(tr("No gene type is recorded for {term}: it is not in the bundled 2020 gene table, so it is not "
                         "known to be protein-coding.", term=term))
            else:
                s.note(tr("No record of {term} was found, so it is not known to be protein-coding.", term=term))
            s.verdict = "cannot tell"
        return s


class GeneLocation(GeneIntent):
    name = "gene_location"

    def matches(self, q):
        return q.gene_term() is not None and q.first("rsid") is None and q.has("chromosome", "where is", "locat", "cytoband")

    def steps(self, q, ledger, step):
        calls = super().steps(q, ledger, step)
        if step == 0 and asks_tss(q):  # "where is the TSS of GATA1": GENCODE's TSSs, not the gene's chromosome
            from genelm.agent.capabilities.regulation.calls import GeneTss

            calls.append(GeneTss(gene=q.gene_term().value))
        return calls

    def answer_gene(self, s, q, ledger, rec, ev, term):
        chrom = rec.get("chromosome")
        if asks_tss(q) and say_tss_sites(s, ledger, rec["symbol"]):
            s.say(tr("{record}, on chromosome {chrom}{band}.", record=_gene_sentence(rec, ev), chrom=chrom or "?",
                     band=tr(" at {band}", band=rec["map_location"]) if rec.get("map_location") else ""), ev.key)
            return
        if not chrom:
            s.note(tr("The record of {symbol} states no chromosome.", symbol=rec["symbol"]))
            return
        record = _gene_sentence(rec, ev)
        if rec.get("map_location"):
            s.say(tr("{symbol} is on chromosome {chrom} at {band}: {record} on chromosome {chrom}.", symbol=rec["symbol"],
                    chrom=chrom, band=rec["map_location"], record=record), ev.key)
        else:
            s.say(tr("{symbol} is on chromosome {chrom}: {record} on chromosome {chrom}.", symbol=rec["symbol"],
                    chrom=chrom, record=record), ev.key)
        # 'which chromosome' gets the chromosome; 'where is it located' the band, which names the chromosome too
        s.short_answer = f"chr{chrom}" if asks_chromosome(q) or not rec.get("map_location") else rec["map_location"]
        if rec.get("start"):
            acc = rec.get("sequence_accession") or rec.get("assembly", "GRCh38")
            s.say(tr("Its annotated span is {accession}:{start}-{end}.", accession=acc, start=rec["start"], end=rec["end"]),
                  ev.key)
            if asks_coordinates(q):
                s.short_answer = f"chr{chrom}:{rec['start']}-{rec['end']} (GRCh38)"
        assembly, named = q.assembly()
        if named and assembly != "GRCh38" and (asks_coordinates(q) or rec.get("start")):
            s.note(tr("These coordinates are GRCh38's; the bundled gene table holds no {assembly} coordinates, so "
                      "{assembly} was not applied (NCBI Gene online has them).", assembly=assembly))
        say_band(s, q, rec, ev)


def asks_tss(q: Question) -> bool:
    return q.has("transcription start", "tss", "start site", "转录起始") or \
        re.search(r"where (?:exactly )?does (?:its |the )?transcription (?:of \S+ )?start", q.lower) is not None


def asks_chromosome(q: Question) -> bool:
    """'Which chromosome is X on?', 'what chr', 哪条染色体, 몇 번 염색체 (both glossed 'which chromosome')."""
    return q.has("which chromosome", "what chromosome", "what chr", r"chr\b", "chromosome number", "on chromosome",
                 "number of the chromosome")


def asks_coordinates(q: Question) -> bool:
    """'hg38 coordinates of HNF1A', 'genomic position of SOX9', 'where exactly is …': a span, not a chromosome."""
    return q.has("coordinate", "coords", "genomic position", "genomic location", "position", "span", "start and end",
                 "where exactly", "bp")


def asks_band(q: Question) -> bool:
    return q.has("band", "cytoband", "cytogenetic", "map location", "细胞遗传")


def say_band(s: Synthesis, q: Question, rec: dict, ev: Evidence) -> None:
    """A question about the cytogenetic band gets the band as its short answer (NCBI gene_info's map_location)."""
    if not asks_band(q):
        return
    if rec.get("map_location"):
        s.sentences.insert(0, Sentence(tr("{symbol} lies in cytogenetic band {band} ({source}'s map location).",
                                          symbol=rec["symbol"], band=rec["map_location"],
                                          source=_("NCBI Gene") if ev.source == "ncbi" else _("NCBI gene_info")),
                                       [ev.key]))
        s.short_answer = rec["map_location"]
    else:
        s.note(tr("The record of {symbol} states no cytogenetic band (map location).", symbol=rec["symbol"]))


def say_tss_sites(s: Synthesis, ledger: Ledger, symbol: str) -> bool:
    """The gene's GENCODE v24 basic TSSs (position, strand, transcripts), most-used first; the short answer the
    positions.  False when no TSS evidence is in the ledger."""
    tss = next((e for k, e in ledger.items() if k.startswith("tss:") and e.params.get("gene", "").upper() ==
                symbol.upper()), None) or next((e for k, e in ledger.items() if k.startswith("tss:")), None)
    if tss is None:
        return False
    gene = tss.params.get("gene") or symbol
    if not tss.records:
        s.say(tr("GENCODE v24 (basic) lists no transcript TSS for {gene}.", gene=gene), tss.key)
        return True
    sites: dict[tuple, list[str]] = {}
    for r in tss.records:
        sites.setdefault((r["chrom"], int(r["pos"]), r["strand"]), []).append(r["transcript_id"])
    order = sorted(sites, key=lambda k: (-len(sites[k]), k[1] if k[2] != "-" else -k[1]))
    def transcripts(ids: list[str]) -> str:
        return ", ".join(ids) if len(ids) <= 3 else tr("{items} and {count} more", items=", ".join(ids[:3]),
                                                       count=len(ids) - 3)

    shown = [f"{c}:{p:,} ({st}; {transcripts(sites[(c, p, st)])})" for c, p, st in order[:8]]
    more = len(order) - len(shown)
    s.say(tr("{gene}'s transcription start sites (GENCODE v24 basic transcripts, GRCh38, 1-based): {sites}{more}.",
             gene=gene, sites="; ".join(shown),
             more=tr("; and {n} more positions in the cited record", n=more) if more else ""), tss.key)
    if len(order) > 1:
        c, p, st = order[0]
        s.say(tr("The most used is {where} ({strand} strand), where {n} of its {total} transcripts start.",
                 where=f"{c}:{p:,}", strand=st, n=len(sites[order[0]]), total=len(tss.records)), tss.key)
    s.short_answer = "; ".join(f"{c}:{p:,} ({st})" for c, p, st in order[:3]) + (
        tr("; +{count} more", count=len(order) - 3) if len(order) > 3 else "")
    return True


class GeneFunctionIntent(GeneIntent):
    name = "gene_function"

    def matches(self, q):
        return q.gene_term() is not None and q.first("rsid") is None and q.has("function", "what does", "summary", "role of")

    def steps(self, q, ledger, step):
        if step == 0:
            return gene_calls(lookup_term(q))
        if step == 1:
            rec, _ev, _term = resolve_gene(q, ledger, Synthesis())
            return [GeneFunction(gene_id=rec["gene_id"])] if rec else []
        return []

    def answer_gene(self, s, q, ledger, rec, ev, term):
        say_function(s, ledger, rec["symbol"], rec["gene_id"])


def say_function(s: Synthesis, ledger: Ledger, symbol: str, gene_id: str) -> None:
    summaries = [(r, e) for e in ledger.values() if e.source in ("refseq-summary", "ncbi") and e.key.startswith(("refseq-summary:", "ncbi:gene-summary:"))
                 for r in e.records if str(r.get("gene_id")) == str(gene_id) and r.get("summary")]
    if not summaries:
        described = _description(ledger, gene_id)
        if described is not None:
            # Many genes (ncRNAs, pseudogenes) have no RefSeq summary; what NCBI says of them still describes them.
            rec, ev = described
            kind = rec.get("type_of_gene") or rec.get("type")
            name = rec.get("description") or rec.get("name")
            where = _("NCBI Gene") if ev.source == "ncbi" else _("The bundled NCBI gene_info table (2020-04)")
            what = tr("a {kind} gene", kind=kind) if kind else _("a gene")
            if name:
                s.say(tr("{source} describes {symbol} (GeneID {gene_id}) as {what}, '{name}'; it has no RefSeq function "
                        "summary.", source=where, symbol=symbol, gene_id=gene_id, what=what, name=name), ev.key)
            else:
                s.say(tr("{source} describes {symbol} (GeneID {gene_id}) as {what}; it has no RefSeq function summary.",
                        source=where, symbol=symbol, gene_id=gene_id, what=what), ev.key)
            s.short_answer = f"{kind}: {name}" if kind and name else name or kind
            return
        s.note(tr("No function summary of {symbol} (GeneID {gene_id}) was found in NCBI or the bundled RefSeq "
                 "summaries.", symbol=symbol, gene_id=gene_id))
        return
    rec, ev = summaries[0]
    s.say(tr("RefSeq summary of {symbol}: {summary}", symbol=symbol, summary=rec["summary"]), ev.key)
    s.short_answer = rec["summary"]


def _description(ledger: Ledger, gene_id: str) -> tuple[dict, Evidence] | None:
    """The gene's own record (NCBI Gene, else the bundled gene_info row) when it names a type or a full name."""
    for rec, ev in [*ncbi_gene_records(ledger), *table_records(ledger)]:
        if str(rec.get("gene_id")) == str(gene_id) and (rec.get("description") or rec.get("name") or
                                                        rec.get("type_of_gene")):
            return rec, ev
    return None


class GeneOverview(GeneFunctionIntent):
    """A question that names a gene but no other task: what the sources say about it."""

    name = "gene_overview"

    def matches(self, q):
        return q.gene_term() is not None

    def steps(self, q, ledger, step):
        calls = super().steps(q, ledger, step)
        if step == 0 and asks_tss(q):
            from genelm.agent.capabilities.regulation.calls import GeneTss

            calls.append(GeneTss(gene=q.gene_term().value))
        return calls

    def answer_gene(self, s, q, ledger, rec, ev, term):
        if asks_tss(q):
            say_tss_sites(s, ledger, rec["symbol"])
        if rec.get("map_location"):
            s.say(tr("{record}, on chromosome {chrom} at {band}.", record=_gene_sentence(rec, ev),
                    chrom=rec.get("chromosome") or "?", band=rec["map_location"]), ev.key)
        else:
            s.say(tr("{record}, on chromosome {chrom}.", record=_gene_sentence(rec, ev), chrom=rec.get("chromosome") or "?"),
                  ev.key)
        tss = s.short_answer if asks_tss(q) else None
        say_function(s, ledger, rec["symbol"], rec["gene_id"])
        s.short_answer = tss or rec["symbol"]
        say_band(s, q, rec, ev)
