"""Variant dossiers: dbSNP, RegulomeDB, the bundled cCREs and genes, and a REF check joined on one position.

Assemblies are never mixed: every coordinate in a sentence names its assembly, and the GRCh38-only tables
are consulted only with a GRCh38 position (the question's own, or dbSNP's).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from genelm.agent.capabilities.regions import CCRE_BIOSAMPLES, CcreOverlap, NearbyGenes
from genelm.agent.capabilities.sequences import UcscSequence
from genelm.agent.capabilities.snps import SnpLookup, snp_record
from genelm.agent.core.call import CHROM, Assembly, ToolContext, _Call
from genelm.agent.core.evidence_views import of_source, with_prefix
from genelm.agent.core.question import Intent, Ledger, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.connectors.regulomedb import RANK_MEANING, region_query
from genelm.evidence import Evidence
from genelm.i18n import _, tr


class RegulomeSearch(_Call):
    """RegulomeDB rank, score and overlapping peaks for an rsID or a span."""

    tool: Literal["regulomedb_search"] = "regulomedb_search"
    label: ClassVar[str] = "RegulomeDB: scoring the position"
    rsid: str | None = Field(None, pattern=r"^rs\d{1,12}$")
    chromosome: str | None = Field(None, pattern=CHROM)
    start: int | None = Field(None, ge=1)
    end: int | None = Field(None, ge=1)
    assembly: Assembly = "GRCh38"

    @model_validator(mode="after")
    def _one_query(self):
        has_span = None not in (self.chromosome, self.start, self.end)
        if bool(self.rsid) == has_span:
            raise ValueError("give either an rsID or chromosome+start+end")
        return self

    def run(self, ctx: ToolContext) -> list[Evidence]:
        query = self.rsid or region_query(self.chromosome, self.start, self.end)
        return [ctx.regulome.search(query, self.assembly)]


GENE_WINDOW = 50_000


CCRE_WINDOW = 1_000


DOSSIER_WORDS = ("regulat", "regulome", "dossier", "enhancer", "promoter", "ccre", "functional", "what is known",
                 "tell me about", "annotat", "evidence", "variant", "overlap")


@dataclass(frozen=True)
class VariantTarget:
    rsid: str | None
    chromosome: str | None
    position: int | None
    ref: str | None
    alt: str | None
    assembly: str
    assembly_stated: bool

    @property
    def label(self) -> str:
        if self.rsid:
            return self.rsid
        change = f" {self.ref}>{self.alt}" if self.ref else ""
        return f"{self.chromosome}:{self.position}{change} ({self.assembly})"


def variant_target(q: Question) -> VariantTarget | None:
    if (v := q.first("variant")) is not None:
        a = v.attrs
        return VariantTarget(None, a["chromosome"], a["position"], a["ref"], a["alt"], a["assembly"], a["assembly_stated"])
    if (r := q.first("rsid")) is not None:
        assembly, stated = q.assembly()
        return VariantTarget(r.value, None, None, None, None, assembly, stated)
    region = next((e for e in q.all("region") if e.attrs.get("single_base")), None)
    if region is not None:
        a = region.attrs
        return VariantTarget(None, a["chromosome"], a["start"], None, None, a["assembly"], a["assembly_stated"])
    return None


def _grch38_position(t: VariantTarget, ledger: Ledger) -> tuple[str, int, str | None] | None:
    """(chromosome, 1-based position, key of the evidence it came from) on GRCh38, or None."""
    if t.position is not None and t.assembly == "GRCh38":
        return t.chromosome, t.position, None
    if t.rsid:
        rec, ev = snp_record(ledger, t.rsid)
        if rec and rec.get("position") and rec.get("chromosome"):
            return f"chr{rec['chromosome']}", rec["position"], ev.key
    return None


def _grch38_calls(chrom: str, pos: int) -> list:
    span = {"chromosome": chrom, "start": pos, "end": pos, "assembly": "GRCh38"}
    return [*(CcreOverlap(**span, biosample=b, window=CCRE_WINDOW) for b in CCRE_BIOSAMPLES),
            NearbyGenes(**span, window=GENE_WINDOW)]


def _rank_class(ranking: str | None) -> str | None:
    return ranking[0] if ranking and ranking[0].isdigit() else None


class VariantDossier(Intent):
    name = "variant_dossier"

    def fits(self, q):
        return variant_target(q) is not None  # a span of many bases is a region's question, not a variant's

    def matches(self, q):
        return variant_target(q) is not None and (q.first("variant") is not None or q.has(*DOSSIER_WORDS))

    def steps(self, q, ledger, step):
        t = variant_target(q)
        if step == 0:
            calls: list = []
            if t.rsid:
                calls += [SnpLookup(rsid=t.rsid), RegulomeSearch(rsid=t.rsid, assembly=t.assembly)]
            else:
                calls.append(RegulomeSearch(chromosome=t.chromosome, start=t.position, end=t.position,
                                              assembly=t.assembly))
            if t.ref:
                calls.append(UcscSequence(chromosome=t.chromosome, start=t.position, end=t.position + len(t.ref) - 1,
                                            assembly=t.assembly))
            if (pos := _grch38_position(t, ledger)) is not None:
                calls += _grch38_calls(pos[0], pos[1])
            return calls
        if step == 1 and t.rsid and (pos := _grch38_position(t, ledger)) is not None:
            return _grch38_calls(pos[0], pos[1])
        return []

    def answer(self, q, ledger):
        s = Synthesis()
        t = variant_target(q)
        if not t.assembly_stated:
            s.note(_("No assembly was named, so GRCh38 was assumed."))
        snp, snp_ev = snp_record(ledger, t.rsid) if t.rsid else (None, None)
        if t.rsid:
            _say_dbsnp(s, t, snp, snp_ev)
        regulome = next(iter(of_source(ledger, "regulomedb")), None)
        _say_regulome(s, t, regulome)
        _say_ref_check(s, t, next(iter(of_source(ledger, "ucsc")), None))
        pos38 = _grch38_position(t, ledger)
        ccres = of_source(ledger, "ccre")
        genes = next(iter(with_prefix(ledger, "genes-near:")), None)
        if pos38 is None:
            s.note(tr("The bundled cCRE and Ensembl gene tables are on GRCh38, and no GRCh38 position of {variant} was "
                      "retrieved, so they were not consulted: genelm does not convert coordinates between assemblies.",
                      variant=t.label))
        else:
            _say_ccres(s, pos38, ccres)
            _say_genes(s, pos38, genes)
        _say_agreement(s, t, snp, snp_ev, regulome, ccres, genes)
        rec = regulome.records[0] if regulome else None
        if rec and rec.get("ranking"):
            s.short_answer = tr("RegulomeDB rank {rank} ({assembly})", rank=rec["ranking"], assembly=rec["assembly"])
        return s


def _where(chrom: str, pos: int, assembly: str) -> str:
    return f"{chrom}:{pos} ({assembly})"


def _say_dbsnp(s: Synthesis, t: VariantTarget, rec: dict | None, ev: Evidence | None) -> None:
    if rec is None or not rec.get("position"):
        s.note(tr("NCBI dbSNP returned no position for {rsid}.", rsid=t.rsid) if ev else
               tr("NCBI dbSNP did not answer for {rsid}.", rsid=t.rsid))
        return
    where = _where("chr" + rec["chromosome"], rec["position"], "GRCh38")
    if rec.get("position_grch37"):
        s.say(tr("dbSNP places {rsid} at {where}; on GRCh37 it is at chr{grch37}.", rsid=t.rsid, where=where,
                 grch37=rec["position_grch37"]), ev.key)
    else:
        s.say(tr("dbSNP places {rsid} at {where}.", rsid=t.rsid, where=where), ev.key)


def _say_regulome(s: Synthesis, t: VariantTarget, ev: Evidence | None) -> None:
    if ev is None:
        s.note(tr("RegulomeDB did not answer for {variant} on {assembly}.", variant=t.label, assembly=t.assembly))
        return
    rec = ev.records[0]
    genome = rec["assembly"]
    variant = rec["variants"][0] if rec["variants"] else None
    if variant:
        where = _where(variant["chrom"], variant["end"], genome)
        rsid = t.rsid
    else:  # RegulomeDB knows no variant there: name the query as asked
        where, rsid = f"{rec['query']} ({genome})", None
    ranking = rec.get("ranking")
    if ranking is None:
        s.say(tr("RegulomeDB has no score for {rsid}, at {where}: it holds no regulatory evidence there.", rsid=rsid,
                 where=where) if rsid else
              tr("RegulomeDB has no score for {where}: it holds no regulatory evidence there.", where=where), ev.key)
        return
    meaning = RANK_MEANING.get(_rank_class(ranking) or "", "")
    meaning = tr(" ({meaning})", meaning=_(meaning)) if meaning else ""
    prob = tr(", probability score {probability}", probability=rec["probability"]) \
        if rec.get("probability") is not None else ""
    s.say(tr("RegulomeDB gives {rsid}, at {where}, rank {rank}{meaning}{probability}.", rsid=rsid, where=where,
             rank=ranking, meaning=meaning, probability=prob) if rsid else
          tr("RegulomeDB gives {where} rank {rank}{meaning}{probability}.", where=where, rank=ranking, meaning=meaning,
             probability=prob), ev.key)
    present = [k for k in ("ChIP", "DNase", "PWM", "Footprint", "QTL") if rec["features"].get(k)]
    if present:
        s.say(tr("Evidence classes RegulomeDB finds there: {classes}.", classes=", ".join(present)), ev.key)
    else:
        s.say(_("RegulomeDB finds no ChIP-seq, DNase, motif, footprint or QTL evidence there."), ev.key)
    by_method: dict[str, list[dict]] = {}
    for peak in rec["peaks"]:
        by_method.setdefault(peak["method"] or _("unknown"), []).append(peak)
    for method, peaks in sorted(by_method.items(), key=lambda kv: len(kv[1])):
        _say_peaks(s, ev, method, peaks)


def _say_peaks(s: Synthesis, ev: Evidence, method: str, peaks: list[dict]) -> None:
    datasets = list(dict.fromkeys(p["dataset"] for p in peaks if p["dataset"]))
    shown = ", ".join(datasets[:12])
    if len(datasets) > 12:
        shown = tr("{datasets}, and the others in the cited record", datasets=shown)
    if method == "chromatin state":
        states: dict[str, list[dict]] = {}
        for p in peaks:
            states.setdefault(p["value"] or _("unlabelled"), []).append(p)
        parts = []
        for state, items in sorted(states.items(), key=lambda kv: len(kv[1])):
            where = ", ".join(f"{p['biosample']}: {p['dataset']}" for p in items if p["biosample"] and p["dataset"])
            parts.append(tr("{count} call it {state}", count=len(items), state=state)
                         + (f" ({where})" if len(items) <= 5 and where else ""))
        s.say(tr("{count} ENCODE chromatin-state annotations overlap it: {states}.", count=len(peaks),
                 states="; ".join(parts)), ev.key)
        s.say(tr("Those annotations are ENCODE datasets {datasets}.", datasets=shown), ev.key)
        return
    targets = sorted({t for p in peaks for t in p["targets"]})
    biosamples = list(dict.fromkeys(p["biosample"] for p in peaks if p["biosample"]))
    values = {"count": len(peaks), "method": method, "targets": ", ".join(targets[:15]),
              "biosamples": ", ".join(biosamples[:10]),
              "datasets": tr(" (ENCODE datasets {datasets})", datasets=shown) if datasets else ""}
    if targets and biosamples:
        text = tr("{count} {method} peaks of {targets} overlap it in {biosamples}{datasets}.", **values)
    elif targets:
        text = tr("{count} {method} peaks of {targets} overlap it{datasets}.", **values)
    elif biosamples:
        text = tr("{count} {method} peaks overlap it in {biosamples}{datasets}.", **values)
    else:
        text = tr("{count} {method} peaks overlap it{datasets}.", **values)
    s.say(text, ev.key)


def _say_ref_check(s: Synthesis, t: VariantTarget, ev: Evidence | None) -> None:
    if not t.ref:
        return
    if ev is None:
        s.note(tr("The stated REF {ref} could not be checked: the UCSC reference sequence did not answer.", ref=t.ref))
        return
    rec = ev.records[0]
    base = rec["dna"].upper()
    where = _where(t.chromosome, t.position, f"{rec['genome']}/{rec['assembly']}")
    if base == t.ref:
        s.say(tr("The reference genome has {base} at {where}, matching the stated REF {ref}.", base=base, where=where,
                 ref=t.ref), ev.key)
    else:
        s.say(tr("Conflict: the reference genome has {base} at {where}, not the stated REF {ref}; "
                 "check the position and the assembly.", base=base, where=where, ref=t.ref), ev.key)


def _position_keys(pos38: tuple[str, int, str | None]) -> list[str]:
    return [pos38[2]] if pos38[2] else []


def _say_ccres(s: Synthesis, pos38: tuple[str, int, str | None], ccres: list[Evidence]) -> None:
    chrom, pos, _key = pos38
    for ev in ccres:
        biosample = ev.params["biosample"]
        inside = [r for r in ev.records if r["distance"] == 0]
        close = [r for r in ev.records if r["distance"] > 0]
        if inside:
            names = ", ".join(f"{r['accession']} ({r['classification']}, {r['chrom']}:{r['start']}-{r['end']})" for r in inside)
            s.say(tr("On GRCh38, {position} lies in promoter-like cCRE {ccres} of {biosample} (ENCODE SCREEN).",
                     position=f"{chrom}:{pos}", ccres=names, biosample=biosample), ev.key, *_position_keys(pos38))
        elif close:
            r = close[0]
            s.say(tr("On GRCh38, {position} lies in no promoter-like cCRE of {biosample}; the nearest is {accession}, "
                     "{distance} bp away (ENCODE SCREEN).", position=f"{chrom}:{pos}", biosample=biosample,
                     accession=r["accession"], distance=r["distance"]), ev.key, *_position_keys(pos38))
        else:
            s.say(tr("On GRCh38, no promoter-like cCRE of {biosample} lies within {window} bp of {position} "
                     "(ENCODE SCREEN).", biosample=biosample, window=f"{CCRE_WINDOW:,}", position=f"{chrom}:{pos}"),
                  ev.key, *_position_keys(pos38))


def _say_genes(s: Synthesis, pos38: tuple[str, int, str | None], ev: Evidence | None) -> None:
    if ev is None:
        return
    chrom, pos, _key = pos38
    inside = [r for r in ev.records if r["distance"] == 0]
    near = [r for r in ev.records if r["distance"] > 0][:6]
    if inside:
        names = ", ".join(f"{r['symbol']} ({r['ensembl_id']})" for r in inside)
        s.say(tr("On GRCh38, {position} lies within {genes} in the Ensembl 110 gene table.", position=f"{chrom}:{pos}",
                 genes=names), ev.key, *_position_keys(pos38))
    if near:
        s.say(tr("Other genes within {window} kb on GRCh38: {genes}.", window=GENE_WINDOW // 1000,
                 genes=", ".join(f"{r['symbol']} ({r['distance']:,} bp)" for r in near)), ev.key, *_position_keys(pos38))
    if not inside and not near:
        s.say(tr("No Ensembl 110 gene lies within {window} kb of {position} on GRCh38.", window=GENE_WINDOW // 1000,
                 position=f"{chrom}:{pos}"), ev.key, *_position_keys(pos38))


def _say_agreement(s: Synthesis, t: VariantTarget, snp: dict | None, snp_ev: Evidence | None,
                   regulome: Evidence | None, ccres: list[Evidence], genes: Evidence | None) -> None:
    """Where two sources speak to the same fact, say whether they agree."""
    reg = regulome.records[0] if regulome else None
    variant = reg["variants"][0] if reg and reg["variants"] else None
    if snp and variant:
        genome = reg["assembly"]
        snp_pos = snp.get("position_grch37") if genome == "GRCh37" else f"{snp['chromosome']}:{snp['position']}"
        reg_pos = f"{variant['chrom'].removeprefix('chr')}:{variant['end']}"
        if snp_pos:
            if snp_pos == reg_pos:
                s.say(tr("dbSNP and RegulomeDB agree on the {assembly} position (chr{position}).", assembly=genome,
                         position=reg_pos), snp_ev.key, regulome.key)
            else:
                s.say(tr("Conflict: on {assembly}, dbSNP puts {variant} at chr{dbsnp} but RegulomeDB at chr{regulomedb}.",
                         assembly=genome, variant=t.label, dbsnp=snp_pos, regulomedb=reg_pos), snp_ev.key, regulome.key)
    if snp and snp.get("genes") and genes is not None:
        dbsnp_genes = {g["symbol"] for g in snp["genes"]}
        overlapping = {r["symbol"] for r in genes.records if r["distance"] == 0}
        if dbsnp_genes & overlapping:
            s.say(tr("dbSNP and the Ensembl 110 table agree that it lies in {genes}.",
                     genes=", ".join(sorted(dbsnp_genes & overlapping))), snp_ev.key, genes.key)
        elif overlapping:
            s.say(tr("Conflict: dbSNP assigns it to {dbsnp}, but the Ensembl 110 table has it inside {genes}.",
                     dbsnp=", ".join(sorted(dbsnp_genes)), genes=", ".join(sorted(overlapping))), snp_ev.key, genes.key)
        else:
            s.say(tr("Conflict: dbSNP assigns it to {dbsnp}, but the Ensembl 110 table has no gene spanning it.",
                     dbsnp=", ".join(sorted(dbsnp_genes))), snp_ev.key, genes.key)
    rank = _rank_class(reg.get("ranking")) if reg else None
    if rank is None or not ccres:
        return
    inside = [(r, ev) for ev in ccres for r in ev.records if r["distance"] == 0]
    keys = [regulome.key, *(ev.key for ev in ccres)]
    active = rank in "12345"
    if inside and active:
        r, _ev = inside[0]
        s.say(tr("RegulomeDB (rank {rank}) and the promoter-like cCRE {accession} in {biosample} "
                 "agree that the position is regulatory.", rank=reg["ranking"], accession=r["accession"],
                 biosample=r["biosample"]), *keys)
    elif inside:
        r, _ev = inside[0]
        s.say(tr("Conflict: RegulomeDB finds no binding or open-chromatin evidence (rank {rank}), yet the "
                 "position lies in promoter-like cCRE {accession} of {biosample}.", rank=reg["ranking"],
                 accession=r["accession"], biosample=r["biosample"]), *keys)
    elif active:
        s.say(tr("RegulomeDB reports binding or open chromatin (rank {rank}), but the position is in no "
                 "promoter-like cCRE of K562 or GM12878; the bundled cCREs are promoter-like only, so an enhancer would "
                 "not show there.", rank=reg["ranking"]), *keys)
    else:
        s.say(tr("RegulomeDB (rank {rank}) and the bundled promoter-like cCREs of K562 and GM12878 agree: "
                 "no regulatory mark at this position.", rank=reg["ranking"]), *keys)
