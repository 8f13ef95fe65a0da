"""DNA sequences: where a sequence comes from (BLAST, BLAT) and the sequence of a span (UCSC)."""
from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import Field

from genelm.agent.capabilities.genes import gene_calls
from genelm.agent.core.call import Assembly, SpanCall, ToolContext, _Call
from genelm.agent.core.evidence_views import of_source, pick_gene
from genelm.agent.core.question import Intent, Ledger, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.connectors.errors import InputError
from genelm.evidence import Evidence, sha256_hex
from genelm.i18n import _, tr


class Blast(_Call):
    """Align a DNA sequence with NCBI BLAST: which species and locus it comes from."""

    tool: Literal["blast"] = "blast"
    label: ClassVar[str] = "BLAST: aligning the sequence"
    sequence: str = Field(pattern=r"^[ACGTN]{15,10000}$")
    program: Literal["blastn", "megablast"] = "blastn"
    database: Literal["nt", "refseq_genomic", "core_nt"] = "nt"

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ncbi.blast(self.sequence, self.program, self.database)]


class UcscSequence(SpanCall):
    """The reference DNA sequence of a span from UCSC."""

    tool: Literal["ucsc_sequence"] = "ucsc_sequence"
    label: ClassVar[str] = "UCSC: fetching the reference sequence"

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ucsc.sequence(self.assembly, self.chromosome, self.start - 1, self.end)]


class RegionSequence(SpanCall):
    """The reference DNA of a span: a configured FASTA, the bundled GRCh38 slice, else UCSC getData/sequence."""

    tool: Literal["region_sequence"] = "region_sequence"
    label: ClassVar[str] = "Reference: reading the sequence"

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from genelm.models.reference import FastaReference, bundled_brca1

        if self.end - self.start >= MAX_SEQUENCE:
            raise InputError(f"{self.where} is {self.end - self.start + 1:,} bp; ask for at most {MAX_SEQUENCE:,} bp")
        fasta = ctx.http.settings.reference_fasta
        local = FastaReference(fasta) if fasta else bundled_brca1()
        holds = self.assembly == "GRCh38" and (fasta or (self.chromosome == local.chrom
                                                         and local.start <= self.start and self.end <= local.end))
        if not holds:
            return [ctx.ucsc.sequence(self.assembly, self.chromosome, self.start - 1, self.end)]
        dna = local.fetch(self.chromosome, self.start, self.end)
        record = {"chrom": self.chromosome, "start": self.start, "end": self.end, "assembly": "GRCh38", "dna": dna,
                  "length": len(dna), "strand": "+"}
        return [Evidence(
            key=f"reference:{self.where}", source="reference",
            title=f"GRCh38 reference {self.where} (plus strand, 1-based) from {local.name}",
            url=None if fasta else "https://www.ncbi.nlm.nih.gov/nuccore/NC_000017.11", params=record | {"dna": None},
            sha256=sha256_hex(dna), accessions=[] if fasta else ["NC_000017.11"], records=[record],
            license="NCBI RefSeq: public domain" if not fasta else None, origin="bundled" if not fasta else "local",
        )]


MAX_SEQUENCE = 100_000


class RegionSequenceIntent(Intent):
    """'What is the DNA sequence of chr1:1,000,000-1,000,100 on hg38?'"""

    name = "region_sequence"

    def matches(self, q):
        return q.first("region") is not None

    def _call(self, q: Question) -> RegionSequence:
        a = q.first("region").attrs
        return RegionSequence(chromosome=a["chromosome"], start=a["start"], end=a["end"], assembly=a["assembly"])

    def steps(self, q, ledger, step):
        return [self._call(q)] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        call = self._call(q)
        if not q.first("region").attrs.get("assembly_stated"):
            s.note(_("No assembly was named, so GRCh38 was assumed."))
        found = [ev for ev in ledger.values() if ev.source in ("reference", "ucsc") and ev.records
                 and ev.records[0].get("dna")]
        if not found:
            s.note(tr("genelm has no sequence of {where} at hand: the bundled reference is GRCh38 "
                      "{bundled} (around BRCA1) only, and UCSC's getData/sequence did not answer "
                      "(offline, or see the gap). Set GENELM_REFERENCE_FASTA to a genome FASTA, or ask online.",
                      where=call.where, bundled="chr17:42,425,000-43,600,000"))
            return s
        ev = found[0]
        dna = ev.records[0]["dna"].upper()
        shown = dna if len(dna) <= 600 else dna[:600] + "…"
        s.say(tr("The {assembly} sequence of {where} ({length} bp, plus strand) is {sequence}", assembly=call.assembly,
                 where=call.where, length=len(dna), sequence=shown), ev.key)
        s.short_answer = dna if len(dna) <= 200 else None
        return s


class Blat(_Call):
    """Place a DNA sequence on the human genome with UCSC BLAT."""

    tool: Literal["ucsc_blat"] = "ucsc_blat"
    label: ClassVar[str] = "UCSC BLAT: placing the sequence"
    sequence: str = Field(pattern=r"^[ACGTN]{20,25000}$")
    assembly: Assembly = "GRCh38"

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ucsc.blat(self.sequence, self.assembly)]


def _blast_ev(ledger: Ledger) -> Evidence | None:
    return next(iter(of_source(ledger, "blast")), None)


class SequenceGeneAliases(Intent):
    name = "sequence_gene_aliases"

    def matches(self, q):
        return q.first("sequence") is not None and q.has("alias", "gene")

    def steps(self, q, ledger, step):
        if step == 0:
            return [Blast(sequence=q.first("sequence").value)]
        if step == 1:
            gene = _gene_from_hits(_blast_ev(ledger))
            return gene_calls(gene) if gene else []
        return []

    def answer(self, q, ledger):
        s = Synthesis()
        blast = _blast_ev(ledger)
        gene = _gene_from_hits(blast)
        if blast is None:
            s.note(_("BLAST did not answer, so the gene containing the sequence is unknown."))
            return s
        if gene is None:
            s.say(tr("The BLAST hits ({hits}) name no gene.", hits=", ".join(r["accession"] for r in blast.records[:3])),
                  blast.key)
            return s
        s.say(tr("The sequence aligns to {gene} (BLAST hit {accession}).", gene=gene,
                 accession=_hit_with_gene(blast, gene)["accession"]), blast.key)
        found = pick_gene(ledger, gene)
        if found:
            rec, ev = found
            s.say(tr("The aliases of {symbol} are {aliases}.", symbol=rec["symbol"],
                     aliases=", ".join(rec.get("aliases", [])) or _("none recorded")), ev.key)
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
        return [Blast(sequence=q.first("sequence").value)] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        blast = _blast_ev(ledger)
        if blast is None:
            s.note(_("BLAST did not answer, so the organism is unknown."))
            return s
        hits = [r for r in blast.records if r.get("species")]
        if not hits:
            s.say(_("None of the BLAST hits names an organism."), blast.key)
            return s
        top = hits[0]
        s.say(tr("The best BLAST hit with a named organism is {accession} ({title}), from {organism}.",
                 accession=top["accession"], title=top["title"][:90], organism=top["organism"]), blast.key)
        s.short_answer = top["species"]
        return s


class SequenceLocus(Intent):
    name = "sequence_locus"

    def matches(self, q):
        return q.first("sequence") is not None

    def steps(self, q, ledger, step):
        seq = q.first("sequence").value
        if step == 0 and q.has("blat", "ucsc"):
            assembly = q.first("assembly")
            return [Blat(sequence=seq, assembly=assembly.value if assembly else "GRCh38")]
        if step == 0:
            return [Blast(sequence=seq)]
        if step == 1 and q.has("blat", "ucsc") and not of_source(ledger, "ucsc-blat"):
            # BLAT could not run (UCSC closed keyless hgBlat; or it failed): place it with BLAST on the genome instead.
            return [Blast(sequence=seq, database="refseq_genomic")]
        return []

    def answer(self, q, ledger):
        s = Synthesis()
        seq = q.first("sequence")
        if seq.attrs.get("rna"):
            s.note(_("The sequence was given in RNA letters; U was read as T for the DNA alignment."))
        blat = of_source(ledger, "ucsc-blat")
        if q.has("blat", "ucsc") and blat:
            return _say_blat(s, q, blat)
        if q.has("blat", "ucsc") and _blast_ev(ledger) is None:
            s.note(_("Neither UCSC BLAT nor NCBI BLAST (tried in its place) answered, so the sequence could not be "
                     "placed; the gaps below say why."))
            return s
        if q.has("blat", "ucsc"):
            s.note(_("UCSC BLAT could not be used (see the gap below), so NCBI BLAST placed the sequence instead."))
        blast = _blast_ev(ledger)
        if blast is None:
            s.note(_("BLAST did not answer, so the sequence could not be placed."))
            return s
        human = [r for r in blast.records if r.get("species") == "human" and r.get("chromosome")]
        reference = [r for r in human if r.get("assembly") == "GRCh38" or r["accession"].startswith("NC_0000")]
        if reference:
            r = reference[0]
            s.say(tr("The sequence aligns to chromosome {chrom} of GRCh38 at {start}-{end} ({accession}, {identities}).",
                     chrom=r["chromosome"], start=r["subject_start"], end=r["subject_end"], accession=r["accession"],
                     identities=r["identities"]), blast.key)
            s.short_answer = f"chr{r['chromosome']}:{r['subject_start']}-{r['subject_end']}"
        elif human:
            r = human[0]
            s.say(tr("The best human hit is {accession} ({title}), on chromosome {chrom}, identities {identities}.",
                     accession=r["accession"], title=r["title"][:80], chrom=r["chromosome"],
                     identities=r["identities"]), blast.key)
            s.note(_("None of the top hits is a GRCh38 reference chromosome, so only the chromosome is given, not "
                     "GRCh38 coordinates."))
            s.short_answer = f"chr{r['chromosome']}"
        else:
            s.say(tr("No BLAST hit is a human sequence with a named chromosome; the top hit is {accession}.",
                     accession=blast.records[0]["accession"]) if blast.records else _("BLAST found no hit."), blast.key)
        return s


def _say_blat(s: Synthesis, q: Question, evs: list[Evidence]) -> Synthesis:
    if not evs:
        s.note(_("UCSC BLAT did not answer, so the sequence could not be placed."))
        return s
    ev = evs[0]
    if not ev.records:
        s.say(_("BLAT found no placement of the sequence."), ev.key)
        return s
    top = ev.records[0]
    s.say(tr("BLAT places the sequence at {position} ({genome}/{assembly}), strand {strand}, {matches} of {size} bases "
             "matching.", position=top["position"], genome=top["genome"], assembly=top["assembly"],
             strand=top["strand"], matches=top["matches"], size=top["qSize"]), ev.key)
    if len(ev.records) > 1:
        s.say(tr("BLAT reports {count} placements in all; the next best is {position}.", count=len(ev.records),
                 position=ev.records[1]["position"]), ev.key)
    s.short_answer = top["position"]
    return s
