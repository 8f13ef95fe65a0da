"""Regions: genes, cCREs and UCSC tracks in a span (coordinates, or a gene's span); ENCODE in the biosamples named.

Coordinates are 1-based inclusive, as people write them; each connector converts to its API's convention.
The bundled tables are GRCh38 and refuse anything else: genelm converts nothing between assemblies.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import Field, field_validator

from genelm.agent.capabilities.encode import EncodeSearch, say_encode_experiments
from genelm.agent.capabilities.genes import GeneTableLookup
from genelm.agent.core.call import Assembly, SpanCall, ToolContext, _Call, _term
from genelm.agent.core.evidence_views import of_source, with_prefix
from genelm.agent.core.question import Intent, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.connectors.ucsc import TOPIC_TRACKS, ucsc_genome
from genelm.data import gene_table
from genelm.data.intervals import CCRE_FILES, ccre_index, gene_index
from genelm.evidence import Evidence, sha256_hex
from genelm.i18n import _, tr


class UcscTrack(SpanCall):
    """Items or signal of one UCSC track in a span (e.g. phyloP100way for conservation)."""

    tool: Literal["ucsc_track"] = "ucsc_track"
    label: ClassVar[str] = "UCSC: reading the track"
    track: str = Field(pattern=r"^[A-Za-z][\w.\-]{0,80}$")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ucsc.track(self.assembly, self.track, self.chromosome, self.start - 1, self.end)]


class UcscSearch(_Call):
    """UCSC Genome Browser search: where a gene name or term maps on the genome."""

    tool: Literal["ucsc_search"] = "ucsc_search"
    label: ClassVar[str] = "UCSC: searching"
    term: str
    assembly: Assembly = "GRCh38"
    _v = field_validator("term")(_term)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.ucsc.search(self.term, self.assembly)]


class CcreOverlap(SpanCall):
    """Bundled ENCODE SCREEN promoter-like cCREs (GRCh38) overlapping a span, per cell type."""

    tool: Literal["ccre_overlap"] = "ccre_overlap"
    label: ClassVar[str] = "SCREEN cCREs: overlapping"
    biosample: Literal["K562", "GM12878"]
    window: int = Field(0, ge=0, le=1_000_000)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        index = ccre_index(self.biosample)
        hits = index.near(self.chromosome, self.start, self.end, self.assembly, self.window)
        records = [{"accession": iv.name, "chrom": iv.chrom, "start": iv.start, "end": iv.end, "distance": d,
                    "classification": iv.attrs[0], "tss_support": iv.attrs[1], "biosample": self.biosample,
                    "assembly": "GRCh38", "row": iv.row} for iv, d in hits]
        span = f"{self.where}" + (f" ± {self.window:,} bp" if self.window else "")
        return [Evidence(
            key=f"ccre:{self.biosample}:{self.where}:{self.window}", source="ccre",
            title=f"{index.label}: {len(records)} within {span} (GRCh38; {index.file}"
                  + (f" rows {', '.join(str(r['row']) for r in records[:5])}" if records else "") + ")",
            url=None, params={"file": index.file, "biosample": self.biosample, "chrom": self.chromosome,
                              "start": self.start, "end": self.end, "window": self.window, "assembly": "GRCh38"},
            sha256=sha256_hex(repr(records)), accessions=[r["accession"] for r in records], records=records,
            license="ENCODE data: free use; cite the ENCODE Consortium", origin="bundled",
        )]


class NearbyGenes(SpanCall):
    """Ensembl 110 genes (GRCh38, bundled) overlapping or within ``window`` bp of a span."""

    tool: Literal["nearby_genes"] = "nearby_genes"
    label: ClassVar[str] = "Ensembl genes: overlapping"
    window: int = Field(50_000, ge=0, le=5_000_000)

    def run(self, ctx: ToolContext) -> list[Evidence]:
        index = gene_index()
        hits = index.near(self.chromosome, self.start, self.end, self.assembly, self.window)
        records = [{"symbol": iv.name, "ensembl_id": iv.attrs[0], "description": iv.attrs[1], "chrom": iv.chrom,
                    "start": iv.start, "end": iv.end, "distance": d, "assembly": "GRCh38", "row": iv.row}
                   for iv, d in hits]
        return [Evidence(
            key=f"genes-near:{self.where}:{self.window}", source="gene-table",
            title=f"{index.label}: {len(records)} genes "
                  + (f"within {self.window:,} bp of" if self.window else "overlapping")
                  + f" {self.where} (GRCh38; {index.file})",
            url=None, params={"file": index.file, "chrom": self.chromosome, "start": self.start, "end": self.end,
                              "window": self.window, "assembly": "GRCh38"},
            sha256=sha256_hex(repr(records)), accessions=[r["ensembl_id"] for r in records], records=records,
            license="Ensembl: no restrictions", origin="bundled",
        )]


CCRE_BIOSAMPLES = tuple(CCRE_FILES)


MAX_TRACK_SPAN = 1_000_000


REGION_WORDS = ("region", "around", "conservation", "phylop", "ccre", "track", "nearby", "near ", "neighbo",
                "genes in", "what genes", "which genes", "overlap")


@dataclass(frozen=True)
class RegionTarget:
    chromosome: str
    start: int
    end: int
    assembly: str
    assembly_stated: bool
    gene: str | None = None  # the region is this gene's span (GRCh38, Ensembl 110)

    @property
    def where(self) -> str:
        return f"{self.chromosome}:{self.start}-{self.end} ({self.assembly})"


def region_target(q: Question) -> RegionTarget | None:
    region = next((e for e in q.all("region") if not e.attrs.get("single_base")), None)
    if region is not None:
        a = region.attrs
        return RegionTarget(a["chromosome"], a["start"], a["end"], a["assembly"], a["assembly_stated"])
    gene = q.first("gene")
    if gene is None:
        return None
    record = gene_table().symbol(gene.value)
    assembly, stated = q.assembly()
    if record is None or record.start is None:
        return RegionTarget("", 0, 0, assembly, stated, gene=gene.value)
    return RegionTarget(f"chr{record.ensembl_chromosome}", record.start, record.end, "GRCh38", stated, gene=record.symbol)


def _topics(q: Question) -> list[str]:
    topics = []
    if q.has("conservation", "conserved", "phylop", "phastcons"):
        topics.append("conservation")
    if q.has("snps", "common variants"):
        topics.append("snps")
    return topics


class RegionDossier(Intent):
    name = "region_dossier"

    def matches(self, q):
        if q.first("sequence") is not None:
            return False
        if any(not e.attrs.get("single_base") for e in q.all("region")):
            return True
        return q.first("gene") is not None and q.has(*REGION_WORDS)

    def steps(self, q, ledger, step):
        t = region_target(q)
        if step or not t.chromosome:
            return []
        span = {"chromosome": t.chromosome, "start": t.start, "end": t.end, "assembly": t.assembly}
        calls: list = [GeneTableLookup(term=t.gene)] if t.gene else []
        if t.assembly == "GRCh38":
            calls.append(NearbyGenes(**span, window=0))
            calls += [CcreOverlap(**span, biosample=b) for b in CCRE_BIOSAMPLES]
        else:
            # Genes on GRCh37 come from UCSC's hg19 annotation, never from the GRCh38 table.
            calls.append(UcscTrack(**span, track=TOPIC_TRACKS["genes"][ucsc_genome(t.assembly)]))
        if t.end - t.start + 1 <= MAX_TRACK_SPAN:
            calls += [UcscTrack(**span, track=TOPIC_TRACKS[topic][ucsc_genome(t.assembly)]) for topic in _topics(q)
                      if ucsc_genome(t.assembly) in TOPIC_TRACKS.get(topic, {})]
        for biosample in q.all("biosample"):
            calls.append(EncodeSearch(biosample=biosample.value, assembly=t.assembly))
        return calls

    def answer(self, q, ledger):
        s = Synthesis()
        t = region_target(q)
        if not t.chromosome:
            s.note(tr("The bundled Ensembl 110 table has no GRCh38 span for {gene}; give the region as coordinates.",
                      gene=t.gene))
            return s
        if not t.assembly_stated:
            s.note(_("No assembly was named, so GRCh38 was assumed."))
        if t.assembly != "GRCh38":
            s.note(tr("The bundled gene and cCRE tables are GRCh38, so for a {assembly} region genes come from UCSC's "
                      "{genome} annotation instead; genelm does not convert coordinates between assemblies.",
                      assembly=t.assembly, genome=ucsc_genome(t.assembly)))
        if t.gene:
            if (named := q.first("assembly")) is not None and named.value != "GRCh38":  # a gene's span is GRCh38
                s.note(tr("The span of {gene} is known here on GRCh38 only, so the region is given on GRCh38.",
                          gene=t.gene))
            span_ev = next(iter(with_prefix(ledger, "gene-table:")), None)
            if span_ev:
                s.say(tr("{gene} spans {where} in the Ensembl 110 gene table.", gene=t.gene, where=t.where), span_ev.key)
        genes = next(iter(with_prefix(ledger, "genes-near:")), None)
        if genes is not None:
            listed = ", ".join(f"{r['symbol']} ({r['ensembl_id']})" for r in genes.records[:25])
            more = _(" and more in the cited record") if len(genes.records) > 25 else ""
            s.say(tr("{count} Ensembl 110 genes overlap {where}: {genes}{more}.", count=len(genes.records),
                     where=t.where, genes=listed, more=more) if genes.records
                  else tr("No Ensembl 110 gene overlaps {where}.", where=t.where), genes.key)
        for ev in of_source(ledger, "ccre"):
            biosample = ev.params["biosample"]
            names = ", ".join(r["accession"] for r in ev.records[:20])
            values = {"count": len(ev.records), "biosample": biosample, "where": t.where, "ccres": names}
            s.say(tr("{count} promoter-like cCREs of {biosample} (ENCODE SCREEN, GRCh38) lie in {where}: {ccres}.",
                     **values) if names else
                  tr("{count} promoter-like cCREs of {biosample} (ENCODE SCREEN, GRCh38) lie in {where}.", **values),
                  ev.key)
        for ev in of_source(ledger, "ucsc"):
            _say_track(s, ev, t)
        if q.all("biosample"):
            named = [a for b in q.all("biosample") for a in say_encode_experiments(
                s, ledger, {"biosample": b.value, "assembly": t.assembly}, limit=10, offline=q.offline)]
            found = sum(1 for e in ledger.values() if e.source == "encode-index")
            if found > len(named):
                s.note(tr("{listed} of {found} ENCODE experiments are listed; the evidence table has them all.",
                          listed=len(named), found=found))
        s.short_answer = t.where
        return s


def _say_track(s: Synthesis, ev: Evidence, t: RegionTarget) -> None:
    summary = ev.records[0]
    label = tr("UCSC {genome} track {track}", genome=summary["genome"], track=summary["track"])
    if "mean" in summary:
        s.say(tr("{track} over {where}: mean {mean}, median {median}, range {low} to {high}, over {bases} bases with "
                 "data.", track=label, where=t.where, mean=summary["mean"], median=summary["median"],
                 low=summary["min"], high=summary["max"], bases=summary["bases_covered"]), ev.key)
    elif summary.get("track_type", "").startswith(("genePred", "bigGenePred")) or summary["track"] == "knownGene":
        names = list(dict.fromkeys(i.get("geneName") or i.get("name2") or i.get("name") for i in ev.records[1:]))
        values = {"track": label, "count": summary["n_items"], "where": t.where,
                  "genes": ", ".join(n for n in names[:20] if n)}
        s.say(tr("{track} has {count} transcripts in {where}, of {genes}.", **values) if names else
              tr("{track} has {count} transcripts in {where}.", **values), ev.key)
    else:
        s.say(tr("{track} has {count} items in {where}.", track=label, count=summary["n_items"], where=t.where), ev.key)
    if summary.get("truncated"):
        s.note(tr("UCSC truncated the {track} answer at its item limit; narrow the region for all items.",
                  track=summary["track"]))
