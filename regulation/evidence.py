"""Evidence records for regulation lookups: one per piece (a gene's TSSs, its cCREs in one cell line, …).

Each record names the bundled file, its release and what was matched in its title;
``url`` is the upstream page or repository file (tables.SOURCES); ``params`` hold
the query, the window and every file read with its sha256; ``sha256`` is that of
the matched rows (canonical JSON), ``records`` the rows themselves with their
1-based file line in ``row``.  An empty ``records`` list is a scoped negative
("no CAGE peak within 500 bp of a TSS in K562"), stated as such in the title.
BED coordinates stay as the files have them (0-based start), which ``params``
says, so every number in a record is in its file.
"""
from __future__ import annotations

import json
import re

import pandas as pd

from genelm.connectors.errors import InputError
from genelm.evidence import Evidence, sha256_hex
from genelm.regulation import activity, ccre, expression, factors, tables
from genelm.regulation.tss import PROMOTER_FLANK, Gene, gene_tss, promoter_windows, resolve_gene

BED = "BED: 0-based start, end inclusive (1-based: start+1..end); TSS positions 1-based; GRCh38"
ACCESSION = re.compile(r"^(?:ENS[GT]\d{11}|EH38E\d+|ENC(?:SR|FF)\d{3}[A-Z]{3})")


def rows(df: pd.DataFrame, columns: list[str]) -> list[dict]:
    """DataFrame rows as JSON-plain dicts (NaN -> None, numpy -> Python), for ``records``."""
    cols = [c for c in columns if c in df.columns]
    return json.loads(df[cols].to_json(orient="records", double_precision=15))


def make(key: str, source: str, title: str, tables_read: list[str], records: list[dict], params: dict,
         accessions: list[str] = ()) -> Evidence:
    files = [{"file": tables.SOURCES[t].file, "release": tables.SOURCES[t].release,
              "sha256": tables.file_sha256(t)} for t in tables_read]
    found = {str(v).split(".")[0] for rec in records for v in rec.values() if isinstance(v, str) and ACCESSION.match(v)}
    licences = dict.fromkeys(tables.SOURCES[t].licence for t in tables_read)
    return Evidence(
        key=key, source=source, title=title, url=tables.SOURCES[tables_read[0]].url,
        params={**params, "files": files}, sha256=sha256_hex(json.dumps(records, sort_keys=True)),
        accessions=sorted(found | set(accessions)), records=records, license="; ".join(licences), origin="bundled",
    )


def _g(gene: str | Gene) -> Gene:
    return gene if isinstance(gene, Gene) else resolve_gene(gene)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def tss_evidence(gene: str | Gene, flank: int = PROMOTER_FLANK) -> Evidence:
    g = _g(gene)
    sites = gene_tss(g)
    windows = promoter_windows(sites, flank)
    merged = sites.merge(windows, on=["chrom", "pos", "strand"])
    recs = rows(merged, ["chrom", "pos", "strand", "transcript_id", "gene_id", "window_start", "window_end", "row"])
    strands = "/".join(sorted(set(sites["strand"]))) or "-"
    what = (f"{len(sites)} transcript TSSs at {len(windows)} positions on {', '.join(sorted(set(sites['chrom'])))} "
            f"({strands} strand)") if len(sites) else "no basic transcript TSS"
    params = {"gene": g.symbol, "matched_as": g.matched_as, "ensembl_ids": list(g.ensembl_ids),
              "promoter_window": f"TSS +/- {flank} bp", "flank_bp": flank, "coordinates": BED}
    if g.start is not None:
        params["gene_span_ensembl110"] = {"chrom": g.chrom, "start": g.start, "end": g.end}
    return make(f"tss:{g.symbol}", "gencode",
                f"GENCODE v24 basic TSSs of {g.symbol}: {what}; promoter window TSS +/- {flank} bp "
                f"({tables.SOURCES['tss'].file})", ["tss"], recs, params, list(g.ensembl_ids))


def ccre_evidence(gene: str | Gene, cell: str, flank: int = PROMOTER_FLANK, around: int = ccre.NEIGHBOURHOOD) -> Evidence:
    g = _g(gene)
    hits = ccre.ccres_near(g, cell, flank, around)
    cell = hits["cell"].iloc[0] if len(hits) else ccre.check_cell(cell, tables.CCRE_CELLS, "promoter-like cCREs")
    at = hits[hits["at_promoter"]]["accession"].tolist()
    recs = rows(hits, ["accession", "chrom", "start", "end", "ccre_class", "tss_support", "distance",
                       "nearest_transcript", "at_promoter", "cell", "row"])
    what = (f"promoter-like cCRE(s) at the promoter (<= {flank} bp from a TSS): {', '.join(at)}" if at
            else f"no promoter-like cCRE within {flank} bp of a TSS")
    return make(f"ccre:{cell}:{g.symbol}", "encode-screen",
                f"ENCODE SCREEN PLS cCREs in {cell} near {g.symbol}: {what}; {len(hits)} within {around} bp "
                f"({tables.SOURCES[f'ccre:{cell}'].file})", [f"ccre:{cell}", "tss"], recs,
                {"gene": g.symbol, "cell": cell, "flank_bp": flank, "around_bp": around, "coordinates": BED,
                 "scope": "promoter-like cCREs only (PLS, PLS,CTCF-bound); other cCRE classes are not bundled"})


def cage_evidence(gene: str | Gene, cell: str, flank: int = PROMOTER_FLANK) -> Evidence:
    g = _g(gene)
    hits = activity.cage_at(g, cell, flank)
    cell = ccre.check_cell(cell, tables.CAGE_CELLS, "CAGE peaks")
    recs = rows(hits, ["name", "chrom", "start", "end", "strand", "summit", "tpm", "distance", "nearest_transcript",
                       "cell", "row"])
    what = (f"{len(hits)} peak(s), highest {hits['tpm'].iloc[0]} TPM" if len(hits)
            else "no peak with TPM >= 1")
    return make(f"cage:{cell}:{g.symbol}", "encode-tss",
                f"CAGE TSS peaks in {cell} within {flank} bp of a same-strand {g.symbol} TSS: {what} "
                f"({tables.SOURCES[f'cage:{cell}'].file}, TPM = column 11)", [f"cage:{cell}", "tss"], recs,
                {"gene": g.symbol, "cell": cell, "flank_bp": flank, "stranded": True, "min_tpm": 1,
                 "coordinates": BED})


def rampage_evidence(gene: str | Gene, cell: str | None = None, flank: int = PROMOTER_FLANK) -> Evidence:
    g = _g(gene)
    hits = activity.rampage_at(g, cell, flank)
    cell = ccre.check_cell(cell, tables.RAMPAGE_CELLS, "RAMPAGE quantifications") if cell else None
    recs = rows(hits, ["rpeak_id", "chrom", "start", "end", "strand", "summit", "distance", "nearest_transcript",
                       "rpkm", "rpm", "reads", "cell", "row", "quant_row"])
    where = f" quantified in {cell}" if cell else ""
    best = hits["rpm"].iloc[0] if cell and len(hits) else None
    what = (f"{len(hits)} rPeak(s)" + (f", highest {best} RPM" if best is not None else "")) if len(hits) \
        else "no rPeak"
    read = ["rampage", "tss"] + ([f"rampage:{cell}"] if cell else [])
    return make(f"rampage:{cell}:{g.symbol}" if cell else f"rampage:{g.symbol}", "encode-tss",
                f"ENCODE RAMPAGE rPeaks (merged over all RAMPAGE biosamples) within {flank} bp of a same-strand "
                f"{g.symbol} TSS{where}: {what}", read, recs,
                {"gene": g.symbol, "cell": cell, "flank_bp": flank, "stranded": True, "coordinates": BED,
                 "rpeak_biosamples": "all ENCODE RAMPAGE biosamples (merged; per-peak biosample not in the file); "
                                     "quantified in K562 and GM12878 only"})


CHIP2015_CAVEAT = ("ENCODE TF ChIP-seq 2015 gene sets (Enrichr/ChEA3 library): genes with a peak near their "
                   "promoter in each experiment, peaks called on hg19 (2015); window not stated by the library")


def chip2015_evidence(gene: str | Gene, cell: str | None = None) -> Evidence:
    g = _g(gene)
    hits = factors.factors_binding(g, cell)
    code = factors.chip2015_biosample(cell) if cell else None
    recs = rows(hits, ["tf", "biosample", "gene_set", "assembly", "n_genes", "row"])
    names = sorted(set(hits["tf"]))
    what = f"{len(names)} factor(s): {', '.join(names)}" if names else "no gene set lists it"
    return make(f"chip2015:{code}:{g.symbol}" if code else f"chip2015:{g.symbol}", "encode-chip2015",
                f"ENCODE TF ChIP-seq 2015 gene sets (hg19-era) listing {g.symbol}"
                f"{' in ' + code if code else ''}: {what} ({tables.SOURCES['chip2015'].file})", ["chip2015"], recs,
                {"gene": g.symbol, "biosample": code, "assembly": "HG19", "caveat": CHIP2015_CAVEAT,
                 "profiled_biosamples": [code] if code else factors.chip2015_biosamples()})


def peaks_evidence(gene: str | Gene, accession: str, flank: int = PROMOTER_FLANK) -> Evidence:
    g = _g(gene)
    hits = factors.peaks_at(g, accession, flank)
    assay, target, biosample = factors.PEAK_FILES[accession]
    recs = rows(hits, ["chrom", "start", "end", "signal_value", "p_value", "q_value", "summit_offset", "distance",
                       "nearest_transcript", "assay", "target", "biosample", "accession", "row"])
    what = f"{len(hits)} peak(s), max signal {hits['signal_value'].max()}" if len(hits) else "no peak"
    label = f"{target} {assay}" if target else assay
    return make(f"peaks:{accession}:{g.symbol}", "encode",
                f"ENCODE {label} peaks in {biosample} ({accession}) within {flank} bp of a {g.symbol} TSS: {what}",
                [accession, "tss"], recs,
                {"gene": g.symbol, "accession": accession, "assay": assay, "target": target, "biosample": biosample,
                 "flank_bp": flank, "coordinates": BED}, [accession])


def expression_evidence(gene: str | Gene, source: str = "hpa", top: int = 3) -> Evidence:
    g = _g(gene)
    full = expression.tissue_tpm(g, source)
    tops = expression.top_tissues(g, top, source)
    name = expression.SOURCE_NAMES[source]
    recs = rows(full, ["tissue", "tpm", "rank", "ensg", "row"])
    tied = sorted({t for ties in tops.get("tied_beyond", []) for t in ties})
    what = ("top " + ", ".join(f"{r.tissue} {r.tpm} TPM" for r in tops.itertuples()) if len(full)
            else f"no {name} row for the gene")
    return make(f"{source}:{g.symbol}", source,
                f"{name} RNA expression of {g.symbol} across {len(full)} tissues: {what}"
                + (f" (tied with the last: {', '.join(tied)})" if tied else ""),
                [source, f"{source}-tissues"], recs,
                {"gene": g.symbol, "unit": "TPM", "top_n": top, "top": tops["tissue"].tolist(), "tied_beyond": tied})


def tissue_expression_key(symbol: str, tissue: str, source: str = "hpa") -> str:
    """The key of a gene's row in one tissue ('hpa-tissue:ALB:liver'), as tissue_expression_evidence writes it."""
    return f"{source}-tissue:{symbol}:{_slug(tissue)}"


def tissue_expression_evidence(gene: str | Gene, tissue: str, source: str = "hpa") -> Evidence:
    """A gene's TPM in the one tissue a question names (its row of the source's table), so the sentence that
    answers 'is X expressed in bone marrow?' cites that row and the tissue asked."""
    g = _g(gene)
    full = expression.tissue_tpm(g, source)
    try:
        name = expression.normalise_tissue(tissue, source)
    except InputError:
        name = None
    hit = full[full["tissue"] == name] if name else full[full["tissue"].str.lower().str.contains(tissue.lower(),
                                                                                                 regex=False)]
    recs = rows(hit.head(1), ["tissue", "tpm", "rank", "ensg", "row"])
    label = expression.SOURCE_NAMES[source]
    what = f"{recs[0]['tissue']} {recs[0]['tpm']} TPM (rank {recs[0]['rank']} of {len(full)})" if recs else \
        f"no '{tissue}' tissue among its {len(full)}"
    return make(tissue_expression_key(g.symbol, tissue, source), source,
                f"{label} RNA expression of {g.symbol} in {tissue}: {what}", [source, f"{source}-tissues"], recs,
                {"gene": g.symbol, "tissue": tissue, "unit": "TPM", "tissues_measured": len(full)})


def specificity_evidence(gene: str | Gene, source: str = "hpa") -> Evidence:
    g = _g(gene)
    hits = expression.gene_specificity(g, source)
    recs = rows(hits, ["Gene", "symbol", "Tissue", "Group", "row"])
    what = "; ".join(f"{r.Group} ({r.Tissue})" for r in hits.itertuples()) or "not classified"
    return make(f"{source}-group:{g.symbol}", source,
                f"{expression.SOURCE_NAMES[source]} tissue specificity of {g.symbol}: {what}",
                [f"{source}-specific", "gene-names"], recs, {"gene": g.symbol, "groups": list(expression.ELEVATED_GROUPS)})


def elevated_tfs_evidence(tissue: str, source: str = "hpa") -> Evidence:
    name = expression.normalise_tissue(tissue, source)
    hits = expression.elevated_tfs(name, source)
    recs = rows(hits, ["symbol", "Gene", "Tissue", "Group", "row"])
    return make(f"{source}-specific:{_slug(name)}", source,
                f"{len(hits)} transcription factors (Lambert 2018 list) tissue-elevated in {name} "
                f"({expression.SOURCE_NAMES[source]} groups Tissue-Enriched, Group-Enriched, Tissue-Enhanced)",
                [f"{source}-specific", "gene-names"], recs,
                {"tissue": name, "asked": tissue, "groups": list(expression.ELEVATED_GROUPS),
                 "tf_list": "Lambert et al. 2018 v1.01 (data/tf)"})


def chip_experiments_evidence(factor: str) -> Evidence:
    hits = factors.chip_experiments(factor)
    recs = rows(hits, ["Accession", "Target gene symbol", "Biosample term name", "Lab", "row"])
    samples = sorted(set(hits["Biosample term name"]))
    what = f"{len(hits)} experiment(s) in {', '.join(samples)}" if len(hits) else "no experiment"
    return make(f"encode-chip2019:{factor.upper()}", "encode",
                f"ENCODE TF ChIP-seq experiments targeting {factor.upper()} (portal report of 2019-10-04, GRCh38): "
                f"{what}", ["chip2019"], recs,
                {"factor": factor.upper(), "export": tables.chip2019_stamp(), "biosamples": samples})


def genes_bound_evidence(factor: str, cell: str | None = None) -> Evidence:
    """The genes the factor's 2015 gene set(s) list; a factor the library has no set of is a cited negative (an
    empty record list), so 'Nrf2 targets in A549' can say so, citing the library it searched."""
    try:
        hits = factors.genes_bound_by(factor, cell)
    except InputError:
        if factor.strip().upper() in set(tables.chip2015()["tf"]):
            raise  # the factor has sets; what failed is the cell line
        hits = pd.DataFrame(columns=["gene_set", "tf", "biosample", "row", "gene"])
    code = factors.chip2015_biosample(cell) if cell else None
    recs = rows(hits, ["tf", "biosample", "gene_set", "gene", "row"])
    sets = sorted(set(hits["gene_set"]))
    return make(f"chip2015-genes:{factor.upper()}:{code or 'all'}", "encode-chip2015",
                f"Genes listed by the ENCODE TF ChIP-seq 2015 gene set(s) {', '.join(sets)} (hg19-era): "
                f"{hits['gene'].nunique()} genes", ["chip2015"], recs,
                {"factor": factor.upper(), "biosample": code, "caveat": CHIP2015_CAVEAT,
                 # the lines the sets come from (the library's spelling: K562, GM12878, HEPG2): the scope of the set
                 "biosamples": sorted(set(hits["biosample"]))})
