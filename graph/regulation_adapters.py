"""BioCypher adapters for the regulation facts of genelm.regulation (data/regulation):

- which factors bind near which genes, per cell line (ENCODE TF ChIP-seq 2015 gene sets);
- where genes are expressed (HPA v18 and GTEx: each gene's top-3 tissues and every tissue
  in which it is tissue-elevated, with TPM and HPA's specificity group);
- transcription start activity (CAGE TPM, RAMPAGE RPM within 500 bp of a same-strand TSS);
- which promoter-like cCREs sit at a gene's promoter (within 500 bp of a TSS).

Same rules as the library, so a Cypher answer and a library answer agree.  Genes are
the NCBI gene nodes (gene_adapter), reached by symbol (gene sets) or Ensembl id (the rest);
rows whose gene has no NCBI node are skipped and counted in ``skipped``.  Expression
edges are limited to top tissues and elevated tissues: all 35 x 19,613 HPA values would
be ~0.7 M edges that no question needs (the library has them all).
"""
from __future__ import annotations

from collections.abc import Iterator

from genelm.data import gene_table
from genelm.graph.adapters import Adapter, Edge, Node, _edge, assay_curie, biosample_curie, gene_curie, \
    target_category, target_curie
from genelm.regulation import activity, expression, factors, tables
from genelm.regulation.overlap import pairs_within
from genelm.regulation.tss import PROMOTER_FLANK

CHIP2015 = "ENCODE TF ChIP-seq 2015 gene sets (hg19)"
TOP_TISSUES = 3
skipped: dict[str, int] = {}


def _keyed(key: str, source: str, target: str, label: str, **props) -> Edge:
    """An edge with its own id.  BioCypher deduplicates id-less edges on (source, target, label), which
    would keep one of MYC's BINDS_NEAR edges to a gene in K562 and HepG2, or one of CAGE and RAMPAGE."""
    return (key, source, target, label, props)


def tissue_curie(name: str) -> str:
    return f"tissue:{name}"


def _genes_by_ensembl() -> dict[str, str]:
    return {e: g.gene_id for g in gene_table().genes for e in g.ensembl_ids}


def _portal_biosample_names() -> dict[str, str]:
    """2015 biosample codes -> the portal's term name where exactly one matches (HEPG2 -> HepG2)."""
    names = set(tables.chip2019()["Biosample term name"])
    by_code: dict[str, set[str]] = {}
    for name in names:
        by_code.setdefault(factors.biosample_code(name), set()).add(name)
    return {code: next(iter(found)) for code, found in by_code.items() if len(found) == 1}


def _export_targets() -> set[str]:
    """Targets the ENCODE export adapter already links to their genes (PRODUCT_OF): never twice."""
    from genelm.connectors.encode_index import encode_index

    return set(encode_index().frame["target"].dropna())


def _product_edges(targets: set[str], linked: set[str]) -> Iterator[Edge]:
    table = gene_table()
    for target in sorted(targets - linked):
        gene = table.symbol(target)
        if gene is not None:
            yield _edge(target_curie(target), gene_curie(gene.gene_id), "target_product_of_gene")


def chip2015_adapter() -> Adapter:
    """ENCODE target -[:BINDS_NEAR {biosample, gene_set}]-> gene, one edge per gene a 2015 set lists."""
    df = tables.chip2015()
    df = df[df["assembly"] == "HG19"]
    portal = _portal_biosample_names()
    table = gene_table()

    def nodes() -> Iterator[Node]:
        for tf in sorted(set(df["tf"])):
            yield (target_curie(tf), "encode_target", {"name": tf, "category": target_category(tf)})
        for code in sorted(set(df["biosample"])):
            yield (biosample_curie(portal.get(code, code)), "biosample", {"name": portal.get(code, code)})

    def edges() -> Iterator[Edge]:
        yield from _product_edges(set(df["tf"]), _export_targets())
        missing = 0
        for r in df.itertuples():
            for symbol in r.genes.split(","):
                gene = table.symbol(symbol)
                if gene is None:
                    missing += 1
                    continue
                yield _keyed(f"binds:{r.gene_set}:{gene.gene_id}", target_curie(r.tf), gene_curie(gene.gene_id),
                             "factor_binds_near_gene", biosample=portal.get(r.biosample, r.biosample),
                             biosample_code=r.biosample, gene_set=r.gene_set, provenance=f"{CHIP2015} row {r.row}")
        skipped["chip2015 genes without an NCBI gene"] = missing

    return Adapter("ENCODE TF ChIP-seq 2015 gene sets", nodes(), edges())


def chip2019_adapter() -> Adapter:
    """Experiments of the 2019 TF ChIP-seq report that the bundled ENCODE exports lack, with their
    target, biosample and assay, so "which factors have ChIP-seq in HepG2" sees all 2,210."""
    from genelm.connectors.encode_index import encode_index

    known = set(encode_index().frame["experiment"])
    report = tables.chip2019()
    report = report[~report["Accession"].isin(known)]
    sets = tables.chip2015()
    linked = _export_targets() | set(sets.loc[sets["assembly"] == "HG19", "tf"])  # chip2015_adapter links these

    def targets(r) -> list[str]:
        return [t.strip() for t in r["Target gene symbol"].split(",") if t.strip()]

    rows = report.to_dict("records")

    def nodes() -> Iterator[Node]:
        for r in rows:
            yield (r["Accession"], "encode_experiment", {
                "accession": r["Accession"], "lab": r["Lab"] or None, "description": r["Description"] or None,
                "status": r["Status"] or None, "source": f"{tables.SOURCES['chip2019'].file} row {r['row']}"})
            for t in targets(r):
                yield (target_curie(t), "encode_target", {"name": t, "category": target_category(t)})
            yield (biosample_curie(r["Biosample term name"]), "biosample", {"name": r["Biosample term name"]})
        yield (assay_curie("TF ChIP-seq"), "assay", {"name": "TF ChIP-seq"})

    def edges() -> Iterator[Edge]:
        for r in rows:
            for t in targets(r):
                yield _edge(r["Accession"], target_curie(t), "experiment_targets")
            yield _edge(r["Accession"], biosample_curie(r["Biosample term name"]), "experiment_in_biosample")
            yield _edge(r["Accession"], assay_curie("TF ChIP-seq"), "experiment_uses_assay")
        yield from _product_edges({t for r in rows for t in targets(r)}, linked)

    return Adapter("ENCODE TF ChIP-seq report 2019", nodes(), edges())


def _expression_rows(source: str) -> Iterator[tuple[str, str, float, int | None, str | None]]:
    """(ENSG, tissue, TPM, rank if in the top 3, group if elevated) per kept gene-tissue pair."""
    tpm = tables.tpm(source).drop(columns="row")
    spec = tables.specificity(source)
    elevated = spec[spec["Group"].isin(expression.ELEVATED_GROUPS)]
    groups = {(g, t): grp for g, t, grp in zip(elevated["Gene"].tolist(), elevated["Tissue"].tolist(),
                                               elevated["Group"].tolist())}
    by_gene: dict[str, list[str]] = {}
    for g, t in groups:
        by_gene.setdefault(g, []).append(t)
    columns = list(tpm.columns)
    for ensg, values in zip(tpm.index.tolist(), tpm.to_numpy().tolist()):
        order = sorted(range(len(values)), key=lambda i: -values[i])  # stable: ties keep column order
        ranks = {columns[i]: k + 1 for k, i in enumerate(order[:TOP_TISSUES])}
        for tissue in dict.fromkeys([*ranks, *by_gene.get(ensg, [])]):
            yield ensg, tissue, values[columns.index(tissue)], ranks.get(tissue), groups.get((ensg, tissue))


def expression_adapter() -> Adapter:
    """gene -[:EXPRESSED_IN {tpm, rank, specificity, dataset}]-> tissue (HPA v18 and GTEx)."""
    to_gene = _genes_by_ensembl()

    def nodes() -> Iterator[Node]:
        names = {n: [] for n in expression.tissue_names("hpa")}
        for n in expression.tissue_names("gtex"):
            names.setdefault(n, [])
        for source in ("hpa", "gtex"):
            for n in expression.tissue_names(source):
                names[n].append(expression.SOURCE_NAMES[source])
        for name, sources in names.items():
            yield (tissue_curie(name), "tissue", {"name": name, "sources": ", ".join(sources)})

    def edges() -> Iterator[Edge]:
        for source in ("hpa", "gtex"):
            missing = 0
            for ensg, tissue, tpm, rank, group in _expression_rows(source):
                if ensg not in to_gene:
                    missing += 1
                    continue
                yield _keyed(f"expressed:{source}:{to_gene[ensg]}:{tissue}", gene_curie(to_gene[ensg]),
                             tissue_curie(tissue), "gene_expressed_in_tissue", tpm=tpm, rank=rank,
                             specificity=group, dataset=expression.SOURCE_NAMES[source])
            skipped[f"{source} rows without an NCBI gene"] = missing

    return Adapter("tissue expression (HPA v18, GTEx)", nodes(), edges())


def tss_activity_adapter(flank: int = PROMOTER_FLANK) -> Adapter:
    """gene -[:TSS_ACTIVE_IN {assay, peaks, max_value, unit, min_distance}]-> biosample (K562, GM12878)."""
    to_gene = _genes_by_ensembl()
    units = {"CAGE": "TPM", "RAMPAGE": "RPM"}

    def nodes() -> Iterator[Node]:
        for cell in sorted(set(tables.CAGE_CELLS) | set(tables.RAMPAGE_CELLS)):
            yield (biosample_curie(cell), "biosample", {"name": cell})

    def edges() -> Iterator[Edge]:
        for assay, cells in (("CAGE", tables.CAGE_CELLS), ("RAMPAGE", tables.RAMPAGE_CELLS)):
            for cell in cells:
                genes = activity.activity_by_gene(cell, assay, flank)
                genes = genes[(genes["max_value"] > 0) & genes["ensg"].isin(to_gene.keys())]
                genes = genes.assign(gene_id=genes["ensg"].map(to_gene))
                # Two ENSGs of one NCBI gene (rare) make one edge: its strongest peak, nearest distance.
                per_gene = genes.groupby("gene_id").agg(peaks=("peaks", "sum"), max_value=("max_value", "max"),
                                                        min_distance=("min_distance", "min"))
                for r in per_gene.itertuples():
                    yield _keyed(f"tss-active:{assay}:{cell}:{r.Index}", gene_curie(r.Index), biosample_curie(cell),
                                 "gene_tss_active_in", assay=assay, peaks=r.peaks, max_value=r.max_value,
                                 unit=units[assay], min_distance=r.min_distance,
                                 window=f"TSS +/- {flank} bp, same strand")

    return Adapter("TSS activity (CAGE, RAMPAGE)", nodes(), edges())


def promoter_ccre_adapter(flank: int = PROMOTER_FLANK) -> Adapter:
    """cCRE -[:PROMOTER_OF {distance}]-> gene: PLS cCREs within ``flank`` bp of a GENCODE v24 basic TSS.

    The cCRE nodes come from the existing SCREEN adapter (same accessions); this adds only edges.
    """
    to_gene = _genes_by_ensembl()

    def edges() -> Iterator[Edge]:
        sites = tables.tss()
        best: dict[tuple[str, str], int] = {}
        for cell in tables.CCRE_CELLS:
            ccres = tables.ccres(cell)
            pairs = pairs_within(ccres, sites, flank)
            accessions = ccres.loc[pairs["peak"], "accession"].tolist()
            genes = [g.split(".", 1)[0] for g in sites.loc[pairs["tss"], "gene_id"].astype(str).tolist()]
            for accession, ensg, distance in zip(accessions, genes, pairs["distance"].tolist()):
                if ensg in to_gene:
                    key = (accession, to_gene[ensg])
                    best[key] = min(distance, best.get(key, distance))
        for (accession, gene_id), distance in sorted(best.items()):
            yield _edge(accession, gene_curie(gene_id), "ccre_promoter_of_gene", distance=distance)

    return Adapter("promoter cCREs", (), edges())


def regulation_adapters() -> list[Adapter]:
    return [chip2015_adapter(), chip2019_adapter(), expression_adapter(), tss_activity_adapter(),
            promoter_ccre_adapter()]
