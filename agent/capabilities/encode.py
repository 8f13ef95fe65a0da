"""ENCODE experiments: portal searches and records, or the bundled metadata index offline."""
from __future__ import annotations

from itertools import product
from typing import ClassVar, Literal

from pydantic import Field

from genelm.agent.core.call import ToolContext, _Call
from genelm.agent.core.question import Intent, Ledger, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.connectors.encode_index import encode_index, untagged
from genelm.connectors.errors import ReplayMiss, SourceError
from genelm.evidence import Evidence
from genelm.i18n import _, ngettext, tr


class EncodeSearch(_Call):
    """ENCODE experiments by target/biosample/assay: the portal, or offline the bundled metadata index."""

    tool: Literal["encode_search"] = "encode_search"
    label: ClassVar[str] = "ENCODE: searching experiments"
    target: str | None = None
    biosample: str | None = None
    assay: str | None = None
    assembly: Literal["GRCh38", "hg19", "GRCh37", "mm10"] | None = None
    organism: str | None = Field(None, pattern=r"^[A-Z][a-z]+ [a-z]+$", description="scientific name; human if unset")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        assembly = "hg19" if self.assembly == "GRCh37" else self.assembly
        # Both answers (portal and bundled index) carry the filters asked, so an answer finds its evidence by them.
        filters = {k: v for k, v in self.model_dump(exclude={"tool"}).items() if v}
        try:
            # Only a named organism is sent: the default (human) stays off the URL, as recorded searches have it;
            # cell lines and the bundled index are human already.
            ev = ctx.encode.search_experiments(target=self.target, biosample=self.biosample,
                                               assay=self.assay, assembly=assembly, organism=self.organism)
            return [ev.model_copy(update={"params": {**ev.params, "filters": filters}})]
        except (ReplayMiss, SourceError) as exc:
            # Offline, or the portal failed: answer from the bundled exports, and say so.
            if not isinstance(exc, ReplayMiss):
                ctx.report_gap(tr("{source} did not answer for {call}: {reason}; the bundled metadata index answered "
                                  "instead", source="encode", call=self.describe(), reason=exc.reason))
            if assembly and assembly not in ("GRCh38",):
                raise SourceError("encode", f"{exc.reason}; the bundled metadata index holds GRCh38 files only, "
                                  f"so it cannot answer for {assembly}") from None
            if self.organism and self.organism != "Homo sapiens":
                raise SourceError("encode", f"{exc.reason}; the bundled metadata index holds human experiments only, "
                                  f"so it cannot answer for {self.organism}") from None
            ix = encode_index()
            rows = ix.search(target=self.target, biosample=self.biosample, assay=self.assay, assembly=assembly)
            return ix.evidence(rows, filters)


class EncodeExperiment(_Call):
    """One ENCODE record (experiment, file, biosample, donor, antibody) by accession."""

    tool: Literal["encode_experiment"] = "encode_experiment"
    label: ClassVar[str] = "ENCODE: fetching the record"
    accession: str = Field(pattern=r"^ENC(SR|FF|BS|DO|AB)\d{3}[A-Z]{3}$")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        try:
            return [ctx.encode.lookup(self.accession)]
        except (ReplayMiss, SourceError) as exc:
            # Lookups fall back like searches do: the bundled exports, cited by file and row.
            found = encode_index().lookup(self.accession)
            if found is None:
                raise SourceError("encode", f"{exc.reason}; the bundled ENCODE metadata exports hold no "
                                  f"{self.accession} either") from None
            if not isinstance(exc, ReplayMiss):
                ctx.report_gap(tr("{source} did not answer for {call}: {reason}; the bundled metadata index answered "
                                  "instead", source="encode", call=self.describe(), reason=exc.reason))
            return [found]


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
            bundled = ledger.get(f"encode-index:{ent.value}")
            if ev is None and bundled is not None:
                _say_indexed_record(s, ent.value, bundled)
                continue
            if ev is None:
                s.note(tr("Neither the ENCODE portal (not reached: see the gap) nor the bundled ENCODE metadata "
                         "exports hold {accession}.", accession=ent.value))
                continue
            rec = ev.records[0]
            if "files" in rec:
                s.say(tr("{accession} is a {assay} experiment on {target} in {biosample} ({status}, released {date}, "
                        "lab {lab}).", accession=ent.value, assay=rec["assay"], target=rec["target"] or _("no target"),
                        biosample=rec["biosample"], status=rec["status"], date=rec["date_released"], lab=rec["lab"]),
                      ev.key)
                by_assembly: dict[str, int] = {}
                for f in rec["files"]:
                    by_assembly[f.get("assembly") or "unassembled"] = by_assembly.get(f.get("assembly") or "unassembled", 0) + 1
                per_assembly = [tr("{count} on {assembly}", count=n, assembly=a) for a, n in sorted(by_assembly.items())]
                s.say(tr("It has {count} files: {per_assembly}.", count=len(rec["files"]),
                         per_assembly=", ".join(per_assembly)), ev.key)
                s.short_answer = f"{rec['assay']}; {rec['target']}; {rec['biosample']}"
            else:
                s.say(f"{ev.title}.", ev.key)
        return s


def _say_indexed_record(s: Synthesis, accession: str, ev: Evidence) -> None:
    """An accession described from the bundled exports: what, on what, where; the file and rows it rests on."""
    rec = ev.records[0]
    where = "; ".join(tr("{export} rows {rows}", export=c["export"], rows=", ".join(map(str, c["rows"][:6])))
                      for c in rec["exports"])
    released = tr(", released {date}", date=rec["released"]) if rec.get("released") else ""
    lab = tr(", lab {lab}", lab=rec["lab"]) if rec.get("lab") else ""
    what = tr("a file of {accession}, ", accession=rec["accession"]) if rec.get("file_accession") else ""
    s.say(tr("{accession} is {file_of}a {assay} experiment on {target} in {biosample}{released}{lab}; the bundled "
            "ENCODE metadata exports hold it ({where}).", accession=accession, file_of=what, assay=rec["assay"],
            target=rec["target"] or _("no target"), biosample=rec["biosample"], released=released, lab=lab,
            where=where), ev.key)
    files = rec.get("files") or []
    if files:
        s.say(tr("They list {count} of its GRCh38 files: {files}.", count=len(files),
                files=", ".join(files[:8]) + ("…" if len(files) > 8 else "")), ev.key)
    s.note(_("This comes from the bundled exports, not a live portal query; the portal's record may hold more."))
    s.short_answer = f"{rec['assay']}; {rec['target'] or 'no target'}; {rec['biosample']}"


class EncodeSearchIntent(Intent):
    """ENCODE experiments for the frame's targets, biosamples (or tissues), assays, assembly and organism.

    Several values of a constraint ("H3K4me3 and H3K27ac in HepG2 and K562") run one search per
    combination; a comparison or a count answers per combination, with a table.
    """

    name = "encode_search"

    def matches(self, q):
        named = q.first("biosample", "target", "assay") or any(e.attrs.get("is_target") for e in q.all("gene"))
        return bool(named) and q.has("experiment", "encode", "chip", "profil", "dataset", "assay")

    def steps(self, q, ledger, step):
        if step or _unplaced(q):
            return []
        return [EncodeSearch(**f) for f in search_filters(q)]

    def answer(self, q, ledger):
        s = Synthesis()
        if _unplaced(q):
            return s  # nothing was searched; the answer's note says which words genelm could not read
        combos = search_filters(q)
        if len(combos) > 1 or q.frame.form in ("count", "comparison"):
            say_encode_counts(s, ledger, combos, q.offline)
            if q.frame.form != "list":
                return s
        accessions = []
        for f in combos:
            accessions += say_encode_experiments(s, ledger, f, offline=q.offline)
        if all(f["assembly"] is None for f in combos) and accessions:
            s.note(_("No assembly was named, so none was filtered on."))
        s.short_answer = ", ".join(dict.fromkeys(accessions)) or None
        if q.frame.ask == "profiled_targets":  # 'which targets were profiled in K562': the targets, not accessions
            targets = profiled_targets(ledger)
            if targets:
                s.short_answer = ", ".join(targets)
                s.listed(targets)
        return s


def profiled_targets(ledger: Ledger) -> list[str]:
    """The targets of the ENCODE experiments an answer found (tagged constructs read as their gene), sorted: every
    record of a portal search (one per experiment) and of the index (one per experiment's file)."""
    return sorted({untagged(str(r["target"])) for ev in ledger.values() if ev.source in ("encode-index", "encode")
                   for r in ev.records if r.get("target")})


def _unplaced(q: Question) -> bool:
    """The question names a place genelm could not read and no other place: searching without it would answer a
    broader question (every ATAC-seq experiment for 'ATAC-seq in pancreatic islets')."""
    return any(u.startswith("not recognised: ") for u in q.frame.understood) and \
        not (q.frame.values("biosample") or q.frame.values("tissue"))


def search_filters(q: Question) -> list[dict]:
    """One filter set per combination of the frame's values (a target and a biosample, say)."""
    frame = q.frame
    targets = frame.values("target") or [None]
    places = [*frame.values("biosample"), *frame.values("tissue")] or [None]
    assays = [None if a == "ChIP-seq" else a for a in frame.values("assay")] or [None]
    assembly = frame.constraint("assembly")
    organism = frame.organism
    return [{"target": t, "biosample": b, "assay": a,
             "assembly": {"GRCh37": "hg19"}.get(assembly, assembly) if assembly else None,
             "organism": None if organism == "Homo sapiens" else organism}
            for t, b, a in product(targets, places, assays)]


def describe_filters(f: dict) -> str:
    """'TF ChIP-seq CTCF in K562 on hg19', in the answer's language (the values themselves stay as written)."""
    parts = [f.get("assay") or "", f.get("target") or "",
             tr("in {biosample}", biosample=f["biosample"]) if f.get("biosample") else "",
             f"({f['organism']})" if f.get("organism") else "",
             tr("on {assembly}", assembly=f["assembly"]) if f.get("assembly") else ""]
    return " ".join(x for x in parts if x) or _("these filters")


def _evidence_for(ledger: Ledger, f: dict) -> tuple[list[Evidence], list[Evidence]]:
    """The portal search and the bundled-index Evidence that answered the filters ``f`` (stamped by EncodeSearch)."""
    wanted = {k: v for k, v in f.items() if v is not None}

    def answered(ev: Evidence) -> bool:
        asked = ev.params.get("filters", {})
        return {k: v for k, v in asked.items() if k in f and v is not None} == wanted

    portal = [e for e in ledger.values() if e.source == "encode" and e.key.startswith("encode:search:") and answered(e)]
    index = [e for e in ledger.values() if e.source == "encode-index" and answered(e)]
    return portal, index


def index_scope() -> str:
    """The bundled ENCODE exports with their dates: what an offline negative rests on."""
    exports = list(encode_index().exports.values())
    newest = max((e.newest_release or e.exported or "" for e in exports), default="")
    dated = "".join("; " + tr("{file} exported {date}", file=e.file, date=e.exported) for e in exports if e.exported)
    return tr("the {count} ENCODE metadata exports bundled with genelm (human, GRCh38; newest date in them "
              "{newest}{dated}; `genelm doctor` lists them)", count=len(exports), newest=newest, dated=dated)


def _negative(f: dict, offline: bool) -> str:
    """Where genelm looked when it found nothing, and what it did not search."""
    what = describe_filters(f)
    portal = (_("the live ENCODE portal was not queried (offline)") if offline
              else _("the live ENCODE portal did not answer"))
    if f.get("organism") and f["organism"] != "Homo sapiens":
        return tr("The bundled ENCODE exports hold human experiments only and {portal}, so genelm cannot list "
                 "{what} experiments here.", portal=portal, what=what)
    if f.get("assembly") and f["assembly"] not in ("GRCh38",):
        return tr("The bundled ENCODE exports hold GRCh38 files only and {portal}, so genelm cannot list {what} "
                 "experiments here.", portal=portal, what=what)
    return tr("No experiment for {what} is in {scope}; {portal}, and it may hold some.", what=what,
             scope=index_scope(), portal=portal)


def say_encode_counts(s: Synthesis, ledger: Ledger, combos: list[dict], offline: bool) -> None:
    """A count per combination (a comparison's table), each cited to the search that gave it."""
    rows = []
    for f in combos:
        portal, index = _evidence_for(ledger, f)
        what = describe_filters(f)
        if portal:
            total = portal[0].params.get("total", len(portal[0].records))
            s.say(tr("The ENCODE portal lists {total} released experiments for {what}.", total=total, what=what),
                  portal[0].key)
            rows.append({**{k: v for k, v in f.items() if v}, "experiments": total, "source": "ENCODE portal"})
        elif index:
            s.say(ngettext("The bundled ENCODE metadata exports hold {count} experiment for {what}.",
                           "The bundled ENCODE metadata exports hold {count} experiments for {what}.",
                           len(index)).format(count=len(index), what=what),
                  *(e.key for e in index))
            rows.append({**{k: v for k, v in f.items() if v}, "experiments": len(index), "source": "bundled exports"})
        else:
            s.note(_negative(f, offline))
            rows.append({**{k: v for k, v in f.items() if v}, "experiments": 0, "source": "bundled exports"})
    s.table = rows
    if len(combos) == 1 and rows:
        s.short_answer = str(rows[0]["experiments"])
    elif rows:
        s.short_answer = "; ".join(f"{describe_filters(r)}: {r['experiments']}" for r in rows)


def say_encode_experiments(s: Synthesis, ledger: Ledger, f: dict, limit: int | None = None,
                           offline: bool = False) -> list[str]:
    """Sentences for the ENCODE search evidence (portal or bundled index); returns the accessions named.

    Every negative names where genelm looked: the portal search (cited), or the bundled exports
    with their dates and the fact that the live portal was not queried.
    """
    described = describe_filters(f)
    portal, index = _evidence_for(ledger, f)
    index = index[:limit]
    accessions: list[str] = []
    for ev in portal:
        if not ev.records:
            s.say(tr("The ENCODE portal lists no released experiment for {what}.", what=described), ev.key)
        total, shown = ev.params.get("total"), ev.params.get("shown")
        if isinstance(total, int) and isinstance(shown, int) and shown < total:
            s.say(tr("The ENCODE portal lists {total} such experiments; showing {shown}.", total=total, shown=shown),
                  ev.key)
        for rec in ev.records[:limit]:
            on = (tr(" with files on {assemblies}", assemblies=", ".join(rec["assemblies"])) if rec.get("assemblies")
                  else "")
            s.say(tr("ENCODE experiment {accession} is a {assay} of {target} in {biosample}{files_on}.",
                    accession=rec["accession"], assay=rec["assay"], target=rec["target"], biosample=rec["biosample"],
                    files_on=on), ev.key)
            accessions.append(rec["accession"])
    if index:
        newest = max((e.records[0].get("export_newest_release") or "" for e in index), default="")
        for ev in index:
            rec = ev.records[0]
            where = "; ".join(tr("{export} rows {rows}", export=c["export"], rows=", ".join(map(str, c["rows"][:5])))
                              for c in rec["exports"])
            files = tr("{count} GRCh38 files; ", count=len(rec["files"])) if rec.get("files") else ""
            if rec.get("target"):
                s.say(tr("ENCODE experiment {accession} is a {assay} of {target} in {biosample} ({files}{where}).",
                        accession=rec["accession"], assay=rec["assay"], target=rec["target"],
                        biosample=rec["biosample"], files=files, where=where), ev.key)
            else:
                s.say(tr("ENCODE experiment {accession} is a {assay} in {biosample} ({files}{where}).",
                        accession=rec["accession"], assay=rec["assay"], biosample=rec["biosample"], files=files,
                        where=where), ev.key)
            accessions.append(rec["accession"])
        s.note(tr("These come from the ENCODE metadata exports bundled with genelm (newest release in them: {newest}), "
                 "not from a live portal query; newer experiments may exist.", newest=newest) if newest else
               _("These come from the ENCODE metadata exports bundled with genelm, not from a live portal query; newer "
                 "experiments may exist."))
    if not portal and not index:
        s.note(_negative(f, offline))
    s.listed(accessions)
    return list(dict.fromkeys(accessions))
