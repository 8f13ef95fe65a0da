"""BioCypher adapters: the bundled real data (and connector Evidence) as node and edge tuples.

Nodes are ``(id, input_label, properties)`` and edges ``(None, source_id, target_id,
input_label, properties)``, the tuples BioCypher's ``add_nodes``/``add_edges`` take;
the input labels are those of ``schema_config.yaml``.  Each adapter reads one source,
so a build can report progress per source and a test can check one at a time.
"""
from __future__ import annotations

import gzip
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from genelm.connectors.encode_index import untagged
from genelm.data import DATA_DIR, gene_table, transcription_factors
from genelm.data.intervals import CCRE_FILES, ccre_index, gene_index

# Node ids are CURIEs (prefix:local id) except ENCODE and SCREEN accessions, which are
# unique by format: BioCypher deduplicates by id across all labels, and 'CTCF' is
# both an ENCODE target and a transcription factor.
Node = tuple[str, str, dict]
Edge = tuple[None, str, str, str, dict]
ENFORMER_TARGETS = DATA_DIR / "enformer_targets" / "targets_human.txt.gz"
HISTONE_MARK = re.compile(r"^H[1-4][A-Z0-9.]*[a-z]+\d*", re.IGNORECASE)
NEAR_GENE_WINDOW = 50_000
_ENCSR = re.compile(r"ENCSR\d{3}[A-Z]{3}")


@dataclass
class Adapter:
    """One source: its name (for progress and errors) and its nodes and edges."""

    name: str
    nodes: Iterable[Node]
    edges: Iterable[Edge]


def gene_curie(gene_id: str) -> str:
    return f"ncbigene:{gene_id}"


def target_curie(name: str) -> str:
    return f"encode.target:{name}"


def biosample_curie(name: str) -> str:
    return f"biosample:{name}"


def assay_curie(name: str) -> str:
    return f"assay:{name}"


def _edge(source: str, target: str, label: str, **props) -> Edge:
    return (None, source, target, label, props)


def gene_adapter() -> Adapter:
    """NCBI gene_info (2020-04) genes, with their Ensembl 110 GRCh38 spans where known."""

    def nodes() -> Iterator[Node]:
        for g in gene_table().genes:
            props = {
                "symbol": g.symbol, "name": g.description, "gene_id": g.gene_id, "type_of_gene": g.type_of_gene,
                "chromosome": g.chromosome, "map_location": g.map_location,
                "ensembl_id": g.ensembl_ids[0] if g.ensembl_ids else None,
            }
            if g.start is not None:
                props.update(assembly="GRCh38", start=g.start, end=g.end)
            yield (gene_curie(g.gene_id), "gene", props)

    return Adapter("NCBI genes", nodes(), ())


def transcription_factor_adapter() -> Adapter:
    """Lambert et al. 2018 human TFs, each linked to the gene of the same official symbol."""
    table = gene_table()

    def nodes() -> Iterator[Node]:
        for symbol in sorted(transcription_factors()):
            yield (f"tf:{symbol}", "transcription_factor", {"symbol": symbol, "source": "Lambert et al. 2018 v1.01"})

    def edges() -> Iterator[Edge]:
        for symbol in sorted(transcription_factors()):
            gene = table.symbol(symbol)
            if gene is not None:
                yield _edge(f"tf:{symbol}", gene_curie(gene.gene_id), "tf_encoded_by_gene")

    return Adapter("transcription factors", nodes(), edges())


def target_category(name: str) -> str:
    if HISTONE_MARK.match(name):
        return "histone mark"
    if name.upper() in transcription_factors():
        return "transcription factor"
    return "other"


def encode_adapter(frame=None) -> Adapter:
    """Experiments, files, targets, biosamples and assays from the bundled ENCODE exports."""
    if frame is None:
        from genelm.connectors.encode_index import encode_index

        frame = encode_index().frame
    table = gene_table()
    rows = frame.to_dict("records")

    def nodes() -> Iterator[Node]:
        seen: set[tuple[str, str]] = set()

        def once(key: str, label: str, props: dict) -> Iterator[Node]:
            if (label, key) not in seen:
                seen.add((label, key))
                yield (key, label, props)

        for r in rows:
            yield from once(r["experiment"], "encode_experiment", {
                "accession": r["experiment"], "lab": r["lab"] or None, "released": r["released"] or None,
                "description": r["description"] or None, "status": r["status"] or None,
                "source": f"{r['export']} row {r['row']}",
            })
            if r["file"]:
                yield from once(r["file"], "encode_file", {
                    "accession": r["file"], "output_type": r["output_type"] or None,
                    "file_format": r["file_format"] or None, "assembly": r["assembly"] or None,
                })
            if r["target"]:
                yield from once(target_curie(r["target"]), "encode_target", {"name": r["target"],
                                                               "category": target_category(r["target"])})
            if r["biosample"]:
                yield from once(biosample_curie(r["biosample"]), "biosample", {"name": r["biosample"]})
            if r["assay"]:
                yield from once(assay_curie(r["assay"]), "assay", {"name": r["assay"]})

    def edges() -> Iterator[Edge]:
        seen: set[tuple] = set()
        for r in rows:
            experiment = r["experiment"]
            candidates = [
                (experiment, r["target"] and target_curie(r["target"]), "experiment_targets"),
                (experiment, r["biosample"] and biosample_curie(r["biosample"]), "experiment_in_biosample"),
                (experiment, r["assay"] and assay_curie(r["assay"]), "experiment_uses_assay"),
                (r["file"], experiment, "file_of_experiment"),
            ]
            for source, target, label in candidates:
                if source and target and (source, target, label) not in seen:
                    seen.add((source, target, label))
                    yield _edge(source, target, label)
        for target in sorted({r["target"] for r in rows if r["target"]}):
            gene = table.symbol(untagged(target))
            if gene is not None:
                yield _edge(target_curie(target), gene_curie(gene.gene_id), "target_product_of_gene")

    return Adapter("ENCODE metadata exports", nodes(), edges())


def _ccre_rows() -> dict[str, dict]:
    """Unique cCREs of the bundled SCREEN files, with the biosamples each is promoter-like in."""
    out: dict[str, dict] = {}
    for biosample in CCRE_FILES:
        for iv in ccre_index(biosample):
            ccre_class, tss_support = iv.attrs
            row = out.setdefault(iv.name, {"chrom": iv.chrom, "start": iv.start, "end": iv.end,
                                           "ccre_class": ccre_class, "tss_support": tss_support, "biosamples": []})
            row["biosamples"].append(biosample)
    return out


def ccre_adapter(scale_to: int | None = None) -> Adapter:
    """SCREEN promoter-like cCREs (K562, GM12878; GRCh38) and the nearest Ensembl gene within 50 kb.

    ``scale_to`` repeats the real cCREs under new accessions (suffix ``.s<k>``) until
    there are that many: the benchmark's stand-in for the full 2.3 M registry.
    """
    rows = _ccre_rows()
    ensembl_to_gene = {e: g.gene_id for g in gene_table().genes for e in g.ensembl_ids}
    index = gene_index()
    nearest: dict[str, list[tuple[str, int]]] = {}
    for accession, r in rows.items():
        near = index.near(r["chrom"], r["start"], r["end"], "GRCh38", NEAR_GENE_WINDOW)
        if near:
            best = near[0][1]
            nearest[accession] = [(ensembl_to_gene[iv.attrs[0]], d) for iv, d in near
                                  if d == best and iv.attrs[0] in ensembl_to_gene]
    total = max(scale_to or 0, len(rows))

    def copies() -> Iterator[tuple[str, str, dict]]:
        emitted = 0
        copy = 0
        while emitted < total:
            for accession, r in rows.items():
                if emitted >= total:
                    return
                yield (accession if copy == 0 else f"{accession}.s{copy}", accession, r)
                emitted += 1
            copy += 1

    def nodes() -> Iterator[Node]:
        for key, _, r in copies():
            yield (key, "ccre", {"accession": key, "chrom": r["chrom"], "start": r["start"], "end": r["end"],
                                 "assembly": "GRCh38", "ccre_class": r["ccre_class"], "tss_support": r["tss_support"]})

    def edges() -> Iterator[Edge]:
        for key, original, r in copies():
            for biosample in r["biosamples"]:
                yield _edge(key, biosample_curie(biosample), "ccre_promoter_like_in")
            for gene_id, distance in nearest.get(original, ()):
                yield _edge(key, gene_curie(gene_id), "ccre_near_gene", distance=distance)

    biosample_nodes = ((biosample_curie(name), "biosample", {"name": name}) for name in CCRE_FILES)
    return Adapter("SCREEN cCREs", itertools.chain(biosample_nodes, nodes()), edges())


def parse_enformer_description(description: str) -> tuple[str, str | None, str]:
    """'CHIP:H3K27ac:HepG2' -> ('CHIP', 'H3K27ac', 'HepG2'); 'DNASE:chorion' -> ('DNASE', None, 'chorion')."""
    parts = description.split(":", 2)
    if parts[0] == "CHIP" and len(parts) == 3:
        return parts[0], parts[1], parts[2]
    return parts[0], None, ":".join(parts[1:])


def enformer_adapter(path: Path = ENFORMER_TARGETS) -> Adapter:
    """Enformer's 5,313 human output tracks, each linked to the ENCODE experiment it was trained on."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = next(handle).rstrip("\n").split("\t")
        records = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in handle]

    def nodes() -> Iterator[Node]:
        for r in records:
            assay, target, biosample = parse_enformer_description(r["description"])
            yield (f"enformer:{r['index']}", "enformer_track", {
                "index": int(r["index"]), "identifier": r["identifier"], "assay": assay, "target": target,
                "biosample": biosample, "description": r["description"],
            })
        seen: set[str] = set()
        for r in records:
            m = _ENCSR.search(r["file"])
            if m and m.group(0) not in seen:
                seen.add(m.group(0))
                # For an experiment also in the exports, the loader keeps the export's node (first wins).
                yield (m.group(0), "encode_experiment", {"accession": m.group(0),
                                                        "source": f"targets_human.txt index {r['index']}"})

    def edges() -> Iterator[Edge]:
        for r in records:
            m = _ENCSR.search(r["file"])
            if m:
                yield _edge(f"enformer:{r['index']}", m.group(0), "track_predicts_experiment")

    return Adapter("Enformer targets", nodes(), edges())


def bundled_adapters(scale_ccres: int | None = None) -> list[Adapter]:
    from genelm.graph.regulation_adapters import regulation_adapters  # imports this module: import here

    return [gene_adapter(), transcription_factor_adapter(), encode_adapter(), ccre_adapter(scale_ccres),
            enformer_adapter(), *regulation_adapters()]


def evidence_adapter(evidence: Iterable) -> Adapter:
    """What an answer retrieved (dbSNP, RegulomeDB, OMIM, GEO, ENCODE portal records), as graph nodes.

    Only fields the records carry are used; every node names the Evidence key it came
    from, so a graph answer built on it cites back to the original request.
    """
    nodes: list[Node] = []
    edges: list[Edge] = []
    for ev in evidence:
        for rec in ev.records:
            if ev.source == "ncbi" and rec.get("rsid") and rec.get("chromosome"):
                rsid = rec["rsid"]
                nodes.append((f"dbsnp:{rsid}", "sequence_variant", {
                    "rsid": rsid, "chrom": f"chr{rec['chromosome']}", "position": rec.get("position"),
                    "assembly": rec.get("assembly"), "source": ev.key}))
                edges += [_edge(f"dbsnp:{rsid}", gene_curie(g["gene_id"]), "variant_in_gene")
                          for g in rec.get("genes") or [] if g.get("gene_id")]
            elif ev.source == "regulomedb" and rec.get("rsid") and rec.get("ranking"):
                nodes.append((f"dbsnp:{rec['rsid']}", "sequence_variant", {
                    "rsid": rec["rsid"], "regulome_rank": rec["ranking"], "source": ev.key}))
            elif ev.source == "ncbi" and rec.get("mim") and rec.get("title"):
                nodes.append((f"omim:{rec['mim']}", "disease", {"mim": rec["mim"], "name": rec["title"],
                                                                "source": ev.key}))
            elif ev.source == "ncbi" and str(rec.get("accession", "")).startswith("GSE"):
                nodes.append((rec["accession"], "geo_series", {"accession": rec["accession"],
                                                               "title": rec.get("title"), "source": ev.key}))
            elif ev.source in ("encode", "encode-index") and _ENCSR.fullmatch(str(rec.get("accession", ""))):
                acc = rec["accession"]
                nodes.append((acc, "encode_experiment", {"accession": acc, "lab": rec.get("lab"),
                                                          "description": rec.get("description"),
                                                          "status": rec.get("status"), "source": ev.key}))
                for value, label, curie, rel in ((rec.get("target"), "encode_target", target_curie, "experiment_targets"),
                                                 (rec.get("biosample"), "biosample", biosample_curie,
                                                  "experiment_in_biosample"),
                                                 (rec.get("assay"), "assay", assay_curie, "experiment_uses_assay")):
                    if value:
                        props = {"name": value}
                        if label == "encode_target":
                            props["category"] = target_category(value)
                        nodes.append((curie(value), label, props))
                        edges.append(_edge(acc, curie(value), rel))
    return Adapter("answer evidence", nodes, edges)
