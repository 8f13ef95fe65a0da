"""Question types over grounded entities: which calls to make, step by step, and how to answer.

Each intent is deterministic.  ``steps`` returns the calls for a step given the
evidence so far (an empty list means done); ``answer`` writes template sentences
that cite the evidence they rest on.  The first matching intent wins, so the
order of ``genelm.agent.router.INTENTS`` is from the most to the least specific.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from genelm.agent import calls as C
from genelm.agent.entities import Entity
from genelm.agent.evidence_views import alias_candidates, ncbi_gene_records, of_source, pick_gene, table_records, with_prefix
from genelm.agent.synthesis_types import Synthesis
from genelm.evidence import Evidence

Ledger = dict[str, Evidence]


@dataclass
class Question:
    text: str
    entities: list[Entity]

    @property
    def lower(self) -> str:
        return self.text.lower()

    def first(self, *kinds: str) -> Entity | None:
        return next((e for e in self.entities if e.kind in kinds), None)

    def all(self, *kinds: str) -> list[Entity]:
        return [e for e in self.entities if e.kind in kinds]

    def has(self, *words: str) -> bool:
        return any(re.search(rf"\b{w}", self.lower) for w in words)

    def gene_term(self) -> Entity | None:
        return self.first("gene", "gene_ambiguous", "ensembl", "gene_id", "unknown_gene")


class Intent:
    name = "intent"

    def matches(self, q: Question) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def steps(self, q: Question, ledger: Ledger, step: int) -> list:
        return []

    def answer(self, q: Question, ledger: Ledger) -> Synthesis:  # pragma: no cover - interface
        raise NotImplementedError


# ---------------------------------------------------------------------------- genes
def _gene_calls(term: str) -> list:
    return [C.GeneLookup(term=term), C.GeneTableLookup(term=term)]


def _resolve_gene(q: Question, ledger: Ledger, s: Synthesis) -> tuple[dict | None, Evidence | None, str]:
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
        symbols = ", ".join(f"{r['symbol']} (GeneID {r['gene_id']})" for r, _ in several)
        s.say(f"'{term}' is an alias of several human genes in NCBI Gene: {symbols}.", several[0][1].key)
        s.note("Name the gene by its official symbol or NCBI GeneID to get one answer.")
        return None, None, term
    table = table_records(ledger)
    if len(table) == 1:
        rec, ev = table[0]
        return rec, ev, term
    if len(table) > 1:
        symbols = ", ".join(f"{r['symbol']} (GeneID {r['gene_id']})" for r, _ in table)
        s.say(f"'{term}' is an alias of several human genes: {symbols}.", *(ev.key for _, ev in table))
        s.note("Name the gene by its official symbol or NCBI GeneID to get one answer.")
        return None, None, term
    return None, None, term


def _abstain_gene(q: Question, ledger: Ledger, s: Synthesis, term: str) -> Synthesis:
    searched = [e for e in ledger.values() if e.source == "ncbi"]
    if searched:
        s.note(f"NCBI Gene returned no human record matching '{term}', and the bundled gene table has none either.")
    else:
        s.note(f"No source answered for '{term}': NCBI was not reachable and the bundled gene table has no such gene.")
    s.short_answer = "NA" if "protein" in q.lower else None
    return s


def _gene_sentence(rec: dict, ev: Evidence) -> str:
    where = "NCBI Gene" if ev.source == "ncbi" else "The bundled NCBI gene_info table (2020-04)"
    return f"{where} lists {rec['symbol']} (GeneID {rec['gene_id']})"


class GeneIntent(Intent):
    """A question about one named gene: look it up in NCBI and the bundled table, then answer about it."""

    def steps(self, q, ledger, step):
        return _gene_calls(q.gene_term().text) if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        rec, ev, term = _resolve_gene(q, ledger, s)
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
            s.say(f"{rec['symbol']} is itself the official symbol: {_gene_sentence(rec, ev)}.", ev.key)
        else:
            s.say(f"The official symbol of {term} is {rec['symbol']}: {_gene_sentence(rec, ev)} with {term} among its aliases.", ev.key)
        if aliases and q.has("aliases"):
            s.say(f"The aliases of {rec['symbol']} are {aliases}.", ev.key)
        s.short_answer = rec["symbol"]


class EnsemblToSymbol(Intent):
    name = "ensembl_to_symbol"

    def matches(self, q):
        return q.first("ensembl") is not None and q.has("symbol", "convert", "name", "which gene", "what gene")

    def steps(self, q, ledger, step):
        return _gene_calls(q.first("ensembl").value) if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        ens = q.first("ensembl").value
        found = pick_gene(ledger, ens)
        table = table_records(ledger)
        if found:
            rec, ev = found
            s.say(f"{ens} is the Ensembl ID of {rec['symbol']}: NCBI Gene's search for {ens} returns {rec['symbol']} (GeneID {rec['gene_id']}).", ev.key)
            s.short_answer = rec["symbol"]
        elif table:
            rec, ev = table[0]
            s.say(f"{ens} is the Ensembl ID of {rec['symbol']} (GeneID {rec['gene_id']}) in the bundled NCBI gene_info table (2020-04).", ev.key)
            s.short_answer = rec["symbol"]
        else:
            s.note(f"Neither NCBI Gene nor the bundled gene table maps {ens} to a gene.")
        return s


class ProteinCoding(Intent):
    name = "protein_coding"

    def matches(self, q):
        return q.gene_term() is not None and q.has("protein-coding", "protein coding")

    def steps(self, q, ledger, step):
        return _gene_calls(q.gene_term().text) if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        term = q.gene_term().text
        found = pick_gene(ledger, term)
        table = [(r, e) for r, e in table_records(ledger) if r["symbol"].upper() == term.upper()] or table_records(ledger)
        if found:
            rec, ev = found
            s.say(f"NCBI Gene names {rec['symbol']} (GeneID {rec['gene_id']}) '{rec.get('name', '')}'.", ev.key)
        if table:
            trec, tev = table[0]
            coding = trec["type_of_gene"] == "protein-coding"
            s.say(f"The bundled NCBI gene_info table (2020-04) gives {trec['symbol']} the gene type '{trec['type_of_gene']}'.", tev.key)
            s.short_answer = "TRUE" if coding else "NA"
        else:
            if found:
                s.note(f"No gene type is recorded for {term}: it is not in the bundled 2020 gene table, so it is not known to be protein-coding.")
            else:
                s.note(f"No record of {term} was found, so it is not known to be protein-coding.")
            s.short_answer = "NA"
        return s


class GeneLocation(GeneIntent):
    name = "gene_location"

    def matches(self, q):
        return q.gene_term() is not None and q.first("rsid") is None and q.has("chromosome", "where is", "locat", "cytoband")

    def answer_gene(self, s, q, ledger, rec, ev, term):
        chrom = rec.get("chromosome")
        if not chrom:
            s.note(f"The record of {rec['symbol']} states no chromosome.")
            return
        loc = f" at {rec['map_location']}" if rec.get("map_location") else ""
        s.say(f"{rec['symbol']} is on chromosome {chrom}{loc}: {_gene_sentence(rec, ev)} on chromosome {chrom}.", ev.key)
        if rec.get("start"):
            acc = rec.get("sequence_accession") or rec.get("assembly", "GRCh38")
            s.say(f"Its annotated span is {acc}:{rec['start']}-{rec['end']}.", ev.key)
        s.short_answer = f"chr{chrom}"


class GeneFunctionIntent(GeneIntent):
    name = "gene_function"

    def matches(self, q):
        return q.gene_term() is not None and q.first("rsid") is None and q.has("function", "what does", "summary", "role of")

    def steps(self, q, ledger, step):
        if step == 0:
            return _gene_calls(q.gene_term().text)
        if step == 1:
            rec, _, _ = _resolve_gene(q, ledger, Synthesis())
            return [C.GeneFunction(gene_id=rec["gene_id"])] if rec else []
        return []

    def answer_gene(self, s, q, ledger, rec, ev, term):
        _say_function(s, ledger, rec["symbol"], rec["gene_id"])


def _say_function(s: Synthesis, ledger: Ledger, symbol: str, gene_id: str) -> None:
    summaries = [(r, e) for e in ledger.values() if e.source in ("refseq-summary", "ncbi") and e.key.startswith(("refseq-summary:", "ncbi:gene-summary:"))
                 for r in e.records if str(r.get("gene_id")) == str(gene_id) and r.get("summary")]
    if not summaries:
        s.note(f"No function summary of {symbol} (GeneID {gene_id}) was found in NCBI or the bundled RefSeq summaries.")
        return
    rec, ev = summaries[0]
    s.say(f"RefSeq summary of {symbol}: {rec['summary']}", ev.key)
    s.short_answer = rec["summary"]


# ---------------------------------------------------------------------------- SNPs
def _snp_record(ledger: Ledger, rsid: str) -> tuple[dict | None, Evidence | None]:
    ev = ledger.get(f"ncbi:snp:{rsid}")
    if ev is None or not ev.records:
        return None, ev
    return ev.records[0], ev


class SnpGeneFunction(Intent):
    name = "snp_gene_function"

    def matches(self, q):
        return q.first("rsid") is not None and q.has("function")

    def steps(self, q, ledger, step):
        rsid = q.first("rsid").value
        if step == 0:
            return [C.SnpLookup(rsid=rsid)]
        if step == 1:
            rec, _ = _snp_record(ledger, rsid)
            return [C.GeneFunction(gene_id=g["gene_id"]) for g in (rec or {}).get("genes", [])[:3] if g.get("gene_id")]
        return []

    def answer(self, q, ledger):
        s = Synthesis()
        rsid = q.first("rsid").value
        rec, ev = _snp_record(ledger, rsid)
        if rec is None or not rec["genes"]:
            s.note(f"NCBI dbSNP returned no gene for {rsid}." if ev else f"NCBI dbSNP did not answer for {rsid}.")
            return s
        gene = rec["genes"][0]
        s.say(f"dbSNP places {rsid} in {gene['symbol']} (GeneID {gene['gene_id']}).", ev.key)
        _say_function(s, ledger, gene["symbol"], gene["gene_id"])
        return s


class SnpLocation(Intent):
    name = "snp_location"

    def matches(self, q):
        return q.first("rsid") is not None and q.has("chromosome", "locat", "position", "where")

    def steps(self, q, ledger, step):
        return [C.SnpLookup(rsid=e.value) for e in q.all("rsid")] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        for ent in q.all("rsid"):
            rec, ev = _snp_record(ledger, ent.value)
            if rec is None or not rec.get("chromosome"):
                s.note(f"NCBI dbSNP returned no record for {ent.value}." if ev else f"NCBI dbSNP did not answer for {ent.value}.")
                continue
            pos = f" at position {rec['position']} ({rec['assembly']})" if rec.get("position") else ""
            s.say(f"dbSNP places {ent.value} on chromosome {rec['chromosome']}{pos}.", ev.key)
            if rec.get("position_grch37"):
                s.say(f"On GRCh37 it was at {rec['position_grch37']}.", ev.key)
            s.short_answer = f"chr{rec['chromosome']}"
        return s


class SnpGene(Intent):
    name = "snp_gene"

    def matches(self, q):
        return q.first("rsid") is not None and q.has("gene")

    def steps(self, q, ledger, step):
        return [C.SnpLookup(rsid=e.value) for e in q.all("rsid")] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        rsid = q.first("rsid").value
        rec, ev = _snp_record(ledger, rsid)
        if rec is None:
            s.note(f"NCBI dbSNP returned no record for {rsid}." if ev else f"NCBI dbSNP did not answer for {rsid}.")
            return s
        if not rec["genes"]:
            s.say(f"dbSNP lists no gene for {rsid} (chromosome {rec['chromosome']}, {rec['function_class'] or 'no functional class'}).", ev.key)
            return s
        names = ", ".join(f"{g['symbol']} (GeneID {g['gene_id']})" for g in rec["genes"])
        fxn = f" as a {rec['function_class'].replace('_', ' ')}" if rec.get("function_class") else ""
        s.say(f"dbSNP associates {rsid} with {names}{fxn}.", ev.key)
        s.short_answer = ", ".join(g["symbol"] for g in rec["genes"])
        return s


# ---------------------------------------------------------------------------- diseases
def _disease_genes(q: Question, ledger: Ledger) -> tuple[list[tuple[dict, Evidence]], Evidence | None, set[str]]:
    """Human genes NCBI Gene finds for the disease, and the OMIM phenotype loci that support them."""
    omim = next(iter(with_prefix(ledger, "ncbi:omim-search:")), None)
    disease = q.first("disease").value.lower()
    words = {w for w in re.findall(r"[a-z0-9]+", disease) if len(w) > 2}
    loci: set[str] = set()
    for rec in (omim.records if omim else []):
        title = (rec["title"] + " " + rec.get("alt_titles", "")).lower()
        if rec.get("locus") and rec.get("prefix") in ("#", "%", "+") and words <= set(re.findall(r"[a-z0-9]+", title)):
            loci.update(l.strip() for l in rec["locus"].split(","))
    genes, seen = [], set()
    for rec, ev in ncbi_gene_records(ledger):
        if rec.get("species") == "Homo sapiens" and rec.get("status") == "live" and rec["symbol"] not in seen:
            seen.add(rec["symbol"])
            genes.append((rec, ev))
    return genes, omim, loci


class DiseaseGenes(Intent):
    name = "disease_genes"

    def matches(self, q):
        return q.first("disease") is not None

    def steps(self, q, ledger, step):
        term = q.first("disease").value
        return [C.OmimSearch(term=term), C.GeneLookup(term=term)] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        disease = q.first("disease").value
        genes, omim, loci = _disease_genes(q, ledger)
        supported = [(r, e) for r, e in genes if r.get("map_location") in loci]
        chosen = supported or genes
        want_locations = q.has("location", "locations", "cytoband", "where")
        if omim and loci:
            s.say(f"OMIM phenotype entries for {disease} map to {', '.join(sorted(loci))}.", omim.key)
        if not chosen:
            s.note(f"NCBI Gene returned no human gene for '{disease}'." if ledger else f"No source answered for '{disease}'.")
            return s
        for rec, ev in chosen:
            keys = [ev.key] + ([omim.key] if omim and rec.get("map_location") in loci else [])
            where = f" at {rec['map_location']}" if rec.get("map_location") else ""
            s.say(f"NCBI Gene links {rec['symbol']} (GeneID {rec['gene_id']}){where} to {disease}.", *keys)
        if supported and len(supported) < len(genes):
            others = ", ".join(r["symbol"] for r, _ in genes if (r, _) not in supported)
            s.say(f"NCBI Gene's search also returns {others}, at loci no matching OMIM phenotype entry names.", *(e.key for _, e in genes[:1]))
        if want_locations:
            s.short_answer = ", ".join(dict.fromkeys(r["map_location"] for r, _ in chosen if r.get("map_location")))
        else:
            s.short_answer = ", ".join(r["symbol"] for r, _ in chosen)
        return s


# ---------------------------------------------------------------------------- sequences
def _blast_ev(ledger: Ledger) -> Evidence | None:
    return next(iter(of_source(ledger, "blast")), None)


class SequenceGeneAliases(Intent):
    name = "sequence_gene_aliases"

    def matches(self, q):
        return q.first("sequence") is not None and q.has("alias", "gene")

    def steps(self, q, ledger, step):
        if step == 0:
            return [C.Blast(sequence=q.first("sequence").value)]
        if step == 1:
            gene = _gene_from_hits(_blast_ev(ledger))
            return _gene_calls(gene) if gene else []
        return []

    def answer(self, q, ledger):
        s = Synthesis()
        blast = _blast_ev(ledger)
        gene = _gene_from_hits(blast)
        if blast is None:
            s.note("BLAST did not answer, so the gene containing the sequence is unknown.")
            return s
        if gene is None:
            s.say(f"The BLAST hits ({', '.join(r['accession'] for r in blast.records[:3])}) name no gene.", blast.key)
            return s
        s.say(f"The sequence aligns to {gene} (BLAST hit {_hit_with_gene(blast, gene)['accession']}).", blast.key)
        found = pick_gene(ledger, gene)
        if found:
            rec, ev = found
            s.say(f"The aliases of {rec['symbol']} are {', '.join(rec.get('aliases', [])) or 'none recorded'}.", ev.key)
            s.short_answer = ", ".join([rec["symbol"], *rec.get("aliases", [])])
        return s


_GENE_IN_TITLE = re.compile(r"\(([A-Z][A-Z0-9\-]{1,15})\)")


def _hit_with_gene(blast: Evidence, gene: str) -> dict:
    return next(r for r in blast.records if f"({gene})" in r["title"])


def _gene_from_hits(blast: Evidence | None) -> str | None:
    for rec in (blast.records if blast else []):
        if rec.get("species") == "human":
            m = _GENE_IN_TITLE.search(rec["title"])
            if m and not m.group(1).startswith("LOC"):
                return m.group(1)
    return None


class SequenceSpecies(Intent):
    name = "sequence_species"

    def matches(self, q):
        return q.first("sequence") is not None and q.has("organism", "species", "come from")

    def steps(self, q, ledger, step):
        return [C.Blast(sequence=q.first("sequence").value)] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        blast = _blast_ev(ledger)
        if blast is None:
            s.note("BLAST did not answer, so the organism is unknown.")
            return s
        hits = [r for r in blast.records if r.get("species")]
        if not hits:
            s.say("None of the BLAST hits names an organism.", blast.key)
            return s
        top = hits[0]
        s.say(f"The best BLAST hit with a named organism is {top['accession']} ({top['title'][:90]}), from {top['organism']}.", blast.key)
        s.short_answer = top["species"]
        return s


class SequenceLocus(Intent):
    name = "sequence_locus"

    def matches(self, q):
        return q.first("sequence") is not None

    def steps(self, q, ledger, step):
        if step:
            return []
        seq = q.first("sequence").value
        if q.has("blat", "ucsc"):
            assembly = q.first("assembly")
            return [C.Blat(sequence=seq, assembly=assembly.value if assembly else "GRCh38")]
        return [C.Blast(sequence=seq)]

    def answer(self, q, ledger):
        s = Synthesis()
        seq = q.first("sequence")
        if seq.attrs.get("rna"):
            s.note("The sequence was given in RNA letters; U was read as T for the DNA alignment.")
        if q.has("blat", "ucsc"):
            return _say_blat(s, q, of_source(ledger, "ucsc-blat"))
        blast = _blast_ev(ledger)
        if blast is None:
            s.note("BLAST did not answer, so the sequence could not be placed.")
            return s
        human = [r for r in blast.records if r.get("species") == "human" and r.get("chromosome")]
        reference = [r for r in human if r.get("assembly") == "GRCh38" or r["accession"].startswith("NC_0000")]
        if reference:
            r = reference[0]
            s.say(f"The sequence aligns to chromosome {r['chromosome']} of GRCh38 at {r['subject_start']}-{r['subject_end']} ({r['accession']}, {r['identities']}).", blast.key)
            s.short_answer = f"chr{r['chromosome']}:{r['subject_start']}-{r['subject_end']}"
        elif human:
            r = human[0]
            s.say(f"The best human hit is {r['accession']} ({r['title'][:80]}), on chromosome {r['chromosome']}, identities {r['identities']}.", blast.key)
            s.note("None of the top hits is a GRCh38 reference chromosome, so only the chromosome is given, not GRCh38 coordinates.")
            s.short_answer = f"chr{r['chromosome']}"
        else:
            s.say(f"No BLAST hit is a human sequence with a named chromosome; the top hit is {blast.records[0]['accession']}." if blast.records else "BLAST found no hit.", blast.key)
        return s


def _say_blat(s: Synthesis, q: Question, evs: list[Evidence]) -> Synthesis:
    if not evs:
        s.note("UCSC BLAT did not answer, so the sequence could not be placed.")
        return s
    ev = evs[0]
    if not ev.records:
        s.say("BLAT found no placement of the sequence.", ev.key)
        return s
    top = ev.records[0]
    s.say(f"BLAT places the sequence at {top['position']} ({top['genome']}/{top['assembly']}), strand {top['strand']}, "
          f"{top['matches']} of {top['qSize']} bases matching.", ev.key)
    if len(ev.records) > 1:
        s.say(f"BLAT reports {len(ev.records)} placements in all; the next best is {ev.records[1]['position']}.", ev.key)
    s.short_answer = top["position"]
    return s


# ---------------------------------------------------------------------------- ENCODE and GEO
class EncodeExperimentDetails(Intent):
    name = "encode_experiment"

    def matches(self, q):
        return q.first("encode_accession") is not None

    def steps(self, q, ledger, step):
        return [C.EncodeExperiment(accession=e.value) for e in q.all("encode_accession")] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        for ent in q.all("encode_accession"):
            ev = ledger.get(f"encode:{ent.value}")
            if ev is None:
                s.note(f"The ENCODE portal did not answer for {ent.value}.")
                continue
            rec = ev.records[0]
            if "files" in rec:
                s.say(f"{ent.value} is a {rec['assay']} experiment on {rec['target'] or 'no target'} in {rec['biosample']} ({rec['status']}, released {rec['date_released']}, lab {rec['lab']}).", ev.key)
                by_assembly: dict[str, int] = {}
                for f in rec["files"]:
                    by_assembly[f.get("assembly") or "unassembled"] = by_assembly.get(f.get("assembly") or "unassembled", 0) + 1
                s.say(f"It has {len(rec['files'])} files: " + ", ".join(f"{n} on {a}" for a, n in sorted(by_assembly.items())) + ".", ev.key)
                s.short_answer = f"{rec['assay']}; {rec['target']}; {rec['biosample']}"
            else:
                s.say(f"{ev.title}.", ev.key)
        return s


class EncodeSearchIntent(Intent):
    name = "encode_search"

    def matches(self, q):
        named = q.first("biosample", "target", "assay") or any(e.attrs.get("is_target") for e in q.all("gene"))
        return bool(named) and q.has("experiment", "encode", "chip", "profil", "dataset", "assay")

    def _filters(self, q: Question) -> dict:
        target = q.first("target")
        gene_target = next((e for e in q.all("gene") if e.attrs.get("is_target")), None)
        biosample = q.first("biosample")
        assay = q.first("assay")
        assembly = q.first("assembly")
        return {
            "target": (target or gene_target).value if (target or gene_target) else None,
            "biosample": biosample.value if biosample else None,
            "assay": assay.value if assay and assay.value != "ChIP-seq" else None,
            "assembly": {"GRCh37": "hg19"}.get(assembly.value, assembly.value) if assembly else None,
        }

    def steps(self, q, ledger, step):
        return [C.EncodeSearch(**self._filters(q))] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        f = self._filters(q)
        accessions = say_encode_experiments(s, ledger, f)
        if f["assembly"] is None and accessions:
            s.note("No assembly was named, so none was filtered on; the bundled index holds GRCh38 files.")
        s.short_answer = ", ".join(accessions) or None
        return s


def say_encode_experiments(s: Synthesis, ledger: Ledger, f: dict, limit: int | None = None) -> list[str]:
    """Sentences for the ENCODE search evidence (portal or bundled index); returns the accessions named."""
    described = " ".join(x for x in [f.get("assay") or "", f.get("target") or "",
                                     f"in {f['biosample']}" if f.get("biosample") else ""] if x)
    portal = [e for e in ledger.values() if e.source == "encode" and e.key.startswith("encode:search:")]
    index = [e for e in ledger.values() if e.source == "encode-index"][:limit]
    accessions: list[str] = []
    for ev in portal:
        if not ev.records:
            s.say(f"The ENCODE portal lists no released experiment for {described}" + (f" on {f['assembly']}" if f.get("assembly") else "") + ".", ev.key)
        for rec in ev.records[:limit]:
            on = f" with files on {', '.join(rec['assemblies'])}" if rec.get("assemblies") else ""
            s.say(f"ENCODE experiment {rec['accession']} is a {rec['assay']} of {rec['target']} in {rec['biosample']}{on}.", ev.key)
            accessions.append(rec["accession"])
    if index:
        newest = max((e.records[0].get("export_newest_release") or "" for e in index), default="")
        for ev in index:
            rec = ev.records[0]
            where = "; ".join(f"{c['export']} rows {', '.join(map(str, c['rows'][:5]))}" for c in rec["exports"])
            s.say(f"ENCODE experiment {rec['accession']} is a {rec['assay']} of {rec['target'] or 'no target'} in {rec['biosample']} ({len(rec['files'])} GRCh38 files; {where}).", ev.key)
            accessions.append(rec["accession"])
        s.note("These come from the ENCODE metadata exports bundled with genelm" + (f" (newest release in them: {newest})" if newest else "") + ", not from a live portal query; newer experiments may exist.")
    if not portal and not index:
        s.note(f"No ENCODE experiment was found for {described}.")
    return list(dict.fromkeys(accessions))


class GeoIntent(Intent):
    name = "geo"

    def matches(self, q):
        return q.first("geo_accession") is not None or q.has("geo ", "gene expression omnibus")

    def steps(self, q, ledger, step):
        if step:
            return []
        acc = q.first("geo_accession")
        if acc:
            return [C.GeoSearch(term=f"{acc.value}[GEO Accession]")]
        topic = re.sub(r"(?i)\b(which|what|geo|gene expression omnibus|series|datasets?|are there|about|on|studies|list)\b", " ", q.text)
        topic = " ".join(re.findall(r"[\w\-]+", topic))[:120]
        return [C.GeoSearch(term=topic)] if topic else []

    def answer(self, q, ledger):
        s = Synthesis()
        evs = of_source(ledger, "geo")
        for ev in evs:
            for rec in ev.records[:10]:
                s.say(f"{rec['accession']}: {rec['title']} ({rec['taxon']}; {rec['n_samples']} samples; platform {rec['platform']}).", ev.key)
            if not ev.records:
                s.say("GEO returned no series for this query.", ev.key)
        if evs and evs[0].records:
            s.short_answer = ", ".join(r["accession"] for r in evs[0].records[:10])
        if not evs:
            s.note("GEO did not answer.")
        return s


class GeneOverview(GeneFunctionIntent):
    """A question that names a gene but no other task: what the sources say about it."""

    name = "gene_overview"

    def matches(self, q):
        return q.gene_term() is not None

    def answer_gene(self, s, q, ledger, rec, ev, term):
        s.say(f"{_gene_sentence(rec, ev)}, on chromosome {rec.get('chromosome') or '?'}" + (f" at {rec['map_location']}" if rec.get("map_location") else "") + ".", ev.key)
        _say_function(s, ledger, rec["symbol"], rec["gene_id"])
        s.short_answer = rec["symbol"]
