"""A gene's locus as genome-browser tracks, from the bundled files only (what igv.js shows; genelm.ui.genome_browser).

``browser_locus("TP53")`` returns a ``Locus``: the view (the gene's Ensembl 110 span with a margin), the data
window the tracks cover (the view +/- ``DATA_MARGIN``), a local reference and one ``Track`` per bundled file:

- Genes: Ensembl 110 genes in the window (BED12; the exon/intron model from the GENCODE splice junctions
  CI-SpliceAI ships, where that package is installed, else the gene's span as one block).  Searchable, so
  typing a gene name in igv.js finds it locally.
- TSSs: GENCODE v24 basic transcript TSSs (BED6, named by transcript).
- cCREs (promoter-like) K562 and GM12878: ENCODE SCREEN PLS cCREs (BED9, red PLS, blue PLS,CTCF-bound).
- CAGE K562/GM12878 (TPM) and RAMPAGE K562/GM12878 (RPM): bedGraph of each peak's value.
- MYC and MAX ChIP-seq (K562) and DNase-seq (GM12878, HepG2): the ENCODE narrowPeak rows.

The reference is a FASTA text igv.js reads without an index: the bundled GRCh38 sequence around BRCA1
where the window lies inside it (chr17:42,425,000-43,600,000), otherwise one placeholder base per
chromosome with its GRCh38 length (igv.js's ``@len=`` header), so positions and chromosome sizes are
right and no sequence is claimed.  Coordinates: BED starts 0-based as the files have them; ``view``
1-based inclusive.  pandas is imported by the tables module only when a locus is built.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from genelm.connectors.errors import InputError

# GRCh38 primary chromosome lengths (UCSC hg38.chrom.sizes / NCBI GRCh38.p14 assembly report).
GRCH38_SIZES = {
    "chr1": 248956422, "chr2": 242193529, "chr3": 198295559, "chr4": 190214555, "chr5": 181538259,
    "chr6": 170805979, "chr7": 159345973, "chr8": 145138636, "chr9": 138394717, "chr10": 133797422,
    "chr11": 135086622, "chr12": 133275309, "chr13": 114364328, "chr14": 107043718, "chr15": 101991189,
    "chr16": 90338345, "chr17": 83257441, "chr18": 80373285, "chr19": 58617616, "chr20": 64444167,
    "chr21": 46709983, "chr22": 50818468, "chrX": 156040895, "chrY": 57227415, "chrM": 16569,
}
DATA_MARGIN = 100_000  # the tracks hold the bundled rows this far either side of the view
CCRE_RGB = {"PLS": "214,39,40", "PLS,CTCF-bound": "31,119,180"}  # SCREEN's colours: promoter red, CTCF blue


@dataclass
class Track:
    """One igv.js track: its name, igv type and format, the file's text and any display options."""

    name: str
    type: str  # igv.js track type: "annotation" or "wig"
    format: str  # "bed", "bedgraph" or "narrowpeak"
    text: str
    filename: str
    source: str  # the bundled file (and release) the rows come from
    options: dict = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(1 for line in self.text.splitlines() if line and not line.startswith(("#", "track")))


@dataclass
class Locus:
    gene: str
    chrom: str
    view: tuple[int, int]  # 1-based inclusive: what the browser opens on
    window: tuple[int, int]  # 1-based inclusive: what the tracks hold
    reference_fasta: str
    reference_note: str
    tracks: list[Track]

    @property
    def locus(self) -> str:
        return f"{self.chrom}:{self.view[0]}-{self.view[1]}"


@dataclass(frozen=True)
class GeneModel:
    symbol: str
    ensg: str
    chrom: str
    start: int  # 1-based inclusive
    end: int
    strand: str
    exons: tuple[tuple[int, int], ...]  # 1-based inclusive; empty when no splice annotation is at hand
    model_source: str


@lru_cache(maxsize=1)
def _junction_table():
    """cispliceai's GRCh38 gene table (GENCODE; gene span and splice junctions) keyed by ENSG, or None."""
    import importlib.util

    spec = importlib.util.find_spec("cispliceai")
    if spec is None or not spec.submodule_search_locations:
        return None
    import pandas as pd

    path = __import__("pathlib").Path(spec.submodule_search_locations[0]) / "data" / "grch38.csv"
    if not path.exists():
        return None
    return pd.read_csv(path).set_index("gene_id")


def exons_from_junctions(start: int, end: int, donors: list[int], acceptors: list[int]) -> list[tuple[int, int]]:
    """Exons (1-based inclusive, merged) of a gene from its annotated introns: each junction is (last exon base
    before the intron, first exon base after it).  An exon runs from a gene start or acceptor to the nearest
    donor or gene end after it, and back from each donor or gene end to the nearest start before it."""
    starts = sorted({start, *(a for a in acceptors if start <= a <= end)})
    ends = sorted({end, *(d for d in donors if start <= d <= end)})
    pieces = [(s, min(e for e in ends if e >= s)) for s in starts if any(e >= s for e in ends)]
    pieces += [(max(s for s in starts if s <= e), e) for e in ends if any(s <= e for s in starts)]
    merged: list[list[int]] = []
    for s, e in sorted(pieces):
        if merged and s <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def gene_models(chrom: str, start: int, end: int) -> list[GeneModel]:
    """Ensembl 110 genes overlapping chrom:start-end (1-based), with strand (GENCODE TSSs) and exons where known."""
    from genelm.regulation import tables

    genes = tables.ensembl110()
    bare = chrom.removeprefix("chr")
    hits = genes[(genes["chrom"] == bare) & (genes["start"] <= end) & (genes["end"] >= start)]
    junctions = _junction_table()
    out = []
    strands = {}
    if len(hits):
        tss = tables.tss_rows(hits["ensg"].tolist())
        ids = [g.split(".", 1)[0] for g in tss["gene_id"].astype(str).tolist()]
        strands = dict(zip(ids, tss["strand"].astype(str).tolist()))
    for row in hits.itertuples():
        exons: list[tuple[int, int]] = []
        source = "Ensembl 110 gene span (no splice annotation at hand)"
        strand = strands.get(row.ensg, ".")
        if junctions is not None and row.ensg in junctions.index:
            j = junctions.loc[row.ensg]
            if isinstance(j, __import__("pandas").DataFrame):
                j = j.iloc[0]
            donors = [int(x) for x in str(j["jn_start"]).split(",") if x.strip().isdigit()]
            acceptors = [int(x) for x in str(j["jn_end"]).split(",") if x.strip().isdigit()]
            exons = exons_from_junctions(int(j["start"]), int(j["end"]), donors, acceptors)
            strand = strand if strand != "." else str(j["strand"])
            source = "GENCODE splice junctions (CI-SpliceAI's GRCh38 table)"
        out.append(GeneModel(str(row.symbol), row.ensg, chrom, int(row.start), int(row.end), strand,
                             tuple(exons), source))
    return out


def _bed12(g: GeneModel) -> str:
    exons = g.exons or ((g.start, g.end),)
    lo, hi = min(g.start, exons[0][0]), max(g.end, exons[-1][1])
    sizes = ",".join(str(e - s + 1) for s, e in exons)
    starts = ",".join(str(s - lo) for s, _ in exons)
    return "\t".join(map(str, [g.chrom, lo - 1, hi, g.symbol, 0, g.strand if g.strand in "+-" else ".", lo - 1, hi,
                               "0,0,128", len(exons), sizes, starts]))


def _in(df, chrom: str, lo: int, hi: int, start: str = "start", end: str = "end"):
    """Rows of a BED-like table overlapping the 1-based window lo..hi (BED start 0-based)."""
    return df[(df["chrom"].astype(str) == chrom) & (df[start] < hi) & (df[end] >= lo)].sort_values(start)


def _reference(chrom: str, lo: int, hi: int) -> tuple[str, str]:
    """FASTA text for igv.js: the bundled sequence for lo..hi when it lies inside the BRCA1 slice, else placeholders."""
    lines: list[str] = []
    with_sequence = None
    note = "no sequence bundled for this locus: chromosome sizes only (GRCh38)"
    try:
        from genelm.models.reference import bundled_brca1

        piece = bundled_brca1()
        if chrom == piece.chrom:
            a, b = max(lo, piece.start), min(hi, piece.end)
            if a < b:
                seq = piece.fetch(chrom, a, b)
                lines.append(f">{chrom}:{a}-{b} @len={GRCH38_SIZES[chrom]}")
                lines += [seq[i:i + 80] for i in range(0, len(seq), 80)]
                with_sequence = chrom
                note = f"GRCh38 sequence {chrom}:{a:,}-{b:,} from the bundled slice ({piece.name})"
    except (ImportError, InputError, OSError):
        pass
    for name, size in GRCH38_SIZES.items():
        if name == with_sequence:
            continue
        lines += [f">{name}:1-1 @len={size}", "N"]
    return "\n".join(lines) + "\n", note


def browser_locus(gene: str, margin: int | None = None) -> Locus:
    """The locus of one gene with every bundled track over it.  Unknown genes raise InputError."""
    from genelm.regulation import factors, tables
    from genelm.regulation.sources import SOURCES
    from genelm.regulation.tss import resolve_gene

    g = resolve_gene(gene)
    if g.start is None or g.chrom is None:
        sites = tables.tss_rows(g.ensembl_ids)
        if not len(sites):
            raise InputError(f"{g.symbol} has no position in the bundled Ensembl 110 or GENCODE v24 tables")
        chrom, start, end = str(sites["chrom"].iloc[0]), int(sites["pos"].min()), int(sites["pos"].max())
    else:
        chrom, start, end = g.chrom, g.start, g.end
    if chrom not in GRCH38_SIZES:
        raise InputError(f"{g.symbol} lies on {chrom}, which the genome browser's GRCh38 reference does not hold")
    pad = margin if margin is not None else max(2_000, (end - start) // 5)
    view = (max(1, start - pad), min(GRCH38_SIZES[chrom], end + pad))
    lo, hi = max(1, view[0] - DATA_MARGIN), min(GRCH38_SIZES[chrom], view[1] + DATA_MARGIN)

    tracks: list[Track] = []
    models = gene_models(chrom, lo, hi)
    tracks.append(Track("Genes (Ensembl 110)", "annotation", "bed", "".join(_bed12(m) + "\n" for m in models),
                        "genes.bed", "Ensembl 110 genes; exons: " + (models[0].model_source if models else "-"),
                        {"searchable": True, "displayMode": "EXPANDED", "color": "#000080"}))
    tss = tables.tss()
    sites = tss[(tss["chrom"].astype(str) == chrom) & (tss["pos"] >= lo) & (tss["pos"] <= hi)].sort_values("pos")
    tracks.append(Track("TSSs (GENCODE v24)", "annotation", "bed",
                        "".join(f"{chrom}\t{p - 1}\t{p}\t{t}\t0\t{s}\n" for p, t, s in
                                zip(sites["pos"].tolist(), sites["transcript_id"].tolist(),
                                    sites["strand"].astype(str).tolist())),
                        "tss.bed", SOURCES["tss"].file, {"color": "#006400", "displayMode": "SQUISHED", "height": 40}))
    for cell in tables.CCRE_CELLS:
        df = _in(tables.ccres(cell), chrom, lo, hi)
        text = "".join(f"{chrom}\t{s}\t{e}\t{a}\t0\t.\t{s}\t{e}\t{CCRE_RGB.get(c, '128,128,128')}\n" for s, e, a, c in
                       zip(df["start"].tolist(), df["end"].tolist(), df["accession"].tolist(),
                           df["ccre_class"].tolist()))
        tracks.append(Track(f"cCREs PLS {cell} (SCREEN)", "annotation", "bed", text, f"ccre-{cell}.bed",
                            SOURCES[f"ccre:{cell}"].file, {"displayMode": "EXPANDED", "height": 45}))
    for cell in tables.CAGE_CELLS:
        df = _in(tables.cage(cell), chrom, lo, hi)
        text = "".join(f"{chrom}\t{s}\t{e}\t{v}\n" for s, e, v in
                       zip(df["start"].tolist(), df["end"].tolist(), df["tpm"].tolist()))
        tracks.append(Track(f"CAGE {cell} (TPM)", "wig", "bedgraph", text, f"cage-{cell}.bedgraph",
                            SOURCES[f"cage:{cell}"].file, {"color": "#2ca02c", "height": 50}))
    peaks = _in(tables.rampage_peaks(), chrom, lo, hi)
    for cell in tables.RAMPAGE_CELLS:
        quant = tables.rampage_quant(cell)
        rpm = quant["rpm"].reindex(peaks["name"].tolist()).fillna(0.0).tolist()
        text = "".join(f"{chrom}\t{s}\t{e}\t{v}\n" for s, e, v in
                       zip(peaks["start"].tolist(), peaks["end"].tolist(), rpm) if v > 0)
        tracks.append(Track(f"RAMPAGE {cell} (RPM)", "wig", "bedgraph", text, f"rampage-{cell}.bedgraph",
                            f"{SOURCES['rampage'].file} + {SOURCES[f'rampage:{cell}'].file}",
                            {"color": "#9467bd", "height": 50}))
    for accession, (assay, target, biosample) in factors.PEAK_FILES.items():
        df = _in(tables.narrowpeaks(accession), chrom, lo, hi)
        cols = ["chrom", "start", "end", "name", "score", "strand", "signal_value", "p_value", "q_value",
                "summit_offset"]
        text = "".join("\t".join(map(str, r)) + "\n" for r in zip(*(df[c].astype(str).tolist() for c in cols)))
        label = f"{target} ChIP-seq {biosample}" if target else f"DNase-seq {biosample}"
        tracks.append(Track(f"{label} ({accession})", "annotation", "narrowpeak", text, f"{accession}.narrowPeak",
                            SOURCES[accession].file,
                            {"color": "#ff7f0e" if target else "#555555", "height": 30, "displayMode": "COLLAPSED"}))
    fasta, note = _reference(chrom, lo, hi)
    return Locus(g.symbol, chrom, view, (lo, hi), fasta, note, tracks)


def answer_gene(evidence) -> str | None:
    """The gene whose regulation an answer's evidence describes (its ``tss:<gene>`` item), or None."""
    for e in evidence:
        if e.key.startswith("tss:") and e.records:
            return e.params.get("gene") or e.key.split(":", 1)[1]
    for e in evidence:  # a factor or activity answer without the TSS item still names its gene
        if e.key.split(":", 1)[0] in ("chip2015", "peaks", "ccre", "cage", "rampage") and e.params.get("gene"):
            return str(e.params["gene"])
    return None


def igv_options(locus: Locus, urls: dict[str, str], reference_url: str) -> dict:
    """igv.js ``createBrowser`` options for a locus whose track files are at ``urls`` (by file name) and whose
    FASTA is at ``reference_url`` (a served file or a data: URI).  Nothing in them names a remote host."""
    tracks = []
    for t in locus.tracks:
        config = {"name": t.name, "type": t.type, "format": t.format, "url": urls[t.filename], **t.options}
        if t.type == "annotation":
            config.setdefault("searchable", False)  # only the gene track answers searches
        tracks.append(config)
    return {
        "loadDefaultGenomes": False,  # else igv.js fetches igv.org's genome list
        "search": False,  # no remote search service; the searchable gene track answers
        "showSampleNames": False,
        "reference": {"id": "GRCh38-genelm", "name": "GRCh38 (genelm, bundled)", "fastaURL": reference_url,
                      "wholeGenomeView": False, "showIdeogram": False},
        "locus": locus.locus,
        "tracks": tracks,
    }
