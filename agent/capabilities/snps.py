"""SNPs by rsID: dbSNP position, the genes a SNP falls in, and their function."""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from genelm.agent.capabilities.genes import GeneFunction, say_function
from genelm.agent.core.call import ToolContext, _Call
from genelm.agent.core.question import Intent, Ledger
from genelm.agent.core.synthesis import Synthesis
from genelm.evidence import Evidence
from genelm.i18n import _, tr


class SnpLookup(_Call):
    """dbSNP record of an rsID: chromosome, position, alleles, the genes it falls in."""

    tool: Literal["ncbi_snp"] = "ncbi_snp"
    label: ClassVar[str] = "dbSNP: fetching the variant"
    rsid: str = Field(pattern=r"^rs\d{1,12}$")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ncbi.snp(self.rsid)]


def snp_record(ledger: Ledger, rsid: str) -> tuple[dict | None, Evidence | None]:
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
            return [SnpLookup(rsid=rsid)]
        if step == 1:
            rec, _ev = snp_record(ledger, rsid)
            return [GeneFunction(gene_id=g["gene_id"]) for g in (rec or {}).get("genes", [])[:3] if g.get("gene_id")]
        return []

    def answer(self, q, ledger):
        s = Synthesis()
        rsid = q.first("rsid").value
        rec, ev = snp_record(ledger, rsid)
        if rec is None or not rec["genes"]:
            s.note(tr("NCBI dbSNP returned no gene for {rsid}.", rsid=rsid) if ev else
                   tr("NCBI dbSNP did not answer for {rsid}.", rsid=rsid))
            return s
        gene = rec["genes"][0]
        s.say(tr("dbSNP places {rsid} in {symbol} (GeneID {gene_id}).", rsid=rsid, symbol=gene["symbol"],
                 gene_id=gene["gene_id"]), ev.key)
        say_function(s, ledger, gene["symbol"], gene["gene_id"])
        return s


class SnpLocation(Intent):
    name = "snp_location"

    def matches(self, q):
        return q.first("rsid") is not None and q.has("chromosome", "locat", "position", "where")

    def steps(self, q, ledger, step):
        return [SnpLookup(rsid=e.value) for e in q.all("rsid")] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        for ent in q.all("rsid"):
            rec, ev = snp_record(ledger, ent.value)
            if rec is None or not rec.get("chromosome"):
                s.note(tr("NCBI dbSNP returned no record for {rsid}.", rsid=ent.value) if ev else
                       tr("NCBI dbSNP did not answer for {rsid}.", rsid=ent.value))
                continue
            if rec.get("position"):
                s.say(tr("dbSNP places {rsid} on chromosome {chrom} at position {position} ({assembly}).",
                         rsid=ent.value, chrom=rec["chromosome"], position=rec["position"], assembly=rec["assembly"]),
                      ev.key)
            else:
                s.say(tr("dbSNP places {rsid} on chromosome {chrom}.", rsid=ent.value, chrom=rec["chromosome"]), ev.key)
            if rec.get("position_grch37"):
                s.say(tr("On GRCh37 it was at {position}.", position=rec["position_grch37"]), ev.key)
            s.short_answer = f"chr{rec['chromosome']}"
        return s


class SnpGene(Intent):
    name = "snp_gene"

    def matches(self, q):
        return q.first("rsid") is not None and q.has("gene")

    def steps(self, q, ledger, step):
        return [SnpLookup(rsid=e.value) for e in q.all("rsid")] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        rsid = q.first("rsid").value
        rec, ev = snp_record(ledger, rsid)
        if rec is None:
            s.note(tr("NCBI dbSNP returned no record for {rsid}.", rsid=rsid) if ev else
                   tr("NCBI dbSNP did not answer for {rsid}.", rsid=rsid))
            return s
        if not rec["genes"]:
            s.say(tr("dbSNP lists no gene for {rsid} (chromosome {chrom}, {function_class}).", rsid=rsid,
                     chrom=rec["chromosome"], function_class=rec["function_class"] or _("no functional class")), ev.key)
            return s
        names = ", ".join(f"{g['symbol']} (GeneID {g['gene_id']})" for g in rec["genes"])
        if rec.get("function_class"):
            s.say(tr("dbSNP associates {rsid} with {genes} as a {function_class}.", rsid=rsid, genes=names,
                     function_class=rec["function_class"].replace("_", " ")), ev.key)
        else:
            s.say(tr("dbSNP associates {rsid} with {genes}.", rsid=rsid, genes=names), ev.key)
        s.short_answer = ", ".join(g["symbol"] for g in rec["genes"])
        return s
