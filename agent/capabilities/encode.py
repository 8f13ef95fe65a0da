"""ENCODE experiments: portal searches and records, or the bundled metadata index offline."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from genelm.agent.core.call import ToolContext, _Call
from genelm.agent.core.question import Intent, Ledger, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.connectors.encode_index import encode_index
from genelm.connectors.errors import ReplayMiss, SourceError
from genelm.evidence import Evidence


class EncodeSearch(_Call):
    """ENCODE experiments by target/biosample/assay: the portal, or offline the bundled metadata index."""

    tool: Literal["encode_search"] = "encode_search"
    target: str | None = None
    biosample: str | None = None
    assay: str | None = None
    assembly: Literal["GRCh38", "hg19", "GRCh37", "mm10"] | None = None

    def run(self, ctx: ToolContext) -> list[Evidence]:
        assembly = "hg19" if self.assembly == "GRCh37" else self.assembly
        try:
            ev = ctx.encode.search_experiments(target=self.target, biosample=self.biosample,
                                               assay=self.assay, assembly=assembly)
            return [ev]
        except (ReplayMiss, SourceError) as exc:
            # Offline, or the portal failed: answer from the bundled exports, and say so.
            if not isinstance(exc, ReplayMiss):
                ctx.report_gap(f"encode did not answer for {self.describe()}: {exc.reason}; "
                               "the bundled metadata index answered instead")
            if assembly and assembly not in ("GRCh38",):
                raise SourceError("encode", f"{exc.reason}; the bundled metadata index holds GRCh38 files only, "
                                  f"so it cannot answer for {assembly}") from None
            ix = encode_index()
            rows = ix.search(target=self.target, biosample=self.biosample, assay=self.assay, assembly=assembly)
            filters = {k: v for k, v in self.model_dump(exclude={"tool"}).items() if v}
            return ix.evidence(rows, filters)


class EncodeExperiment(_Call):
    """One ENCODE record (experiment, file, biosample, donor, antibody) by accession."""

    tool: Literal["encode_experiment"] = "encode_experiment"
    accession: str = Field(pattern=r"^ENC(SR|FF|BS|DO|AB)\d{3}[A-Z]{3}$")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        return [ctx.encode.lookup(self.accession)]


class EncodeExperimentDetails(Intent):
    name = "encode_experiment"

    def matches(self, q):
        return q.first("encode_accession") is not None

    def steps(self, q, ledger, step):
        return [EncodeExperiment(accession=e.value) for e in q.all("encode_accession")] if step == 0 else []

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
        return [EncodeSearch(**self._filters(q))] if step == 0 else []

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
        total, shown = ev.params.get("total"), ev.params.get("shown")
        if isinstance(total, int) and isinstance(shown, int) and shown < total:
            s.say(f"The ENCODE portal lists {total} such experiments; showing {shown}.", ev.key)
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
    s.listed(accessions)
    return list(dict.fromkeys(accessions))
