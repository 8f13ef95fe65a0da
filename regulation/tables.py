"""Cached loaders of the bundled gene-regulation tables (data/regulation, data/ccre); sources.py says where each came from.

Every loader reads one file with pandas the first time it is asked for and keeps
the parsed table in memory (``lru_cache``); nothing is read at import.  Each table
keeps a ``row`` column, the 1-based line of the file the row came from, so an
answer can point at the exact line.  Values are kept as the files have them
(BED starts stay 0-based); converted columns get their own names.

Parsed tables are also pickled under ``<cache_dir>/regulation``, named by the
source file's sha256 and the pandas version (so an edited file or a new pandas
never reads a stale copy): a cold gene dossier reads 19 files, ~0.4 s of gzip and
CSV parsing that the pickles cut to ~0.1 s.  An unwritable cache dir only means
no copy is kept.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

from genelm.regulation.sources import SOURCES

BED_PEAK_COLUMNS = ["chrom", "start", "end", "name", "score", "strand", "thick_start", "thick_end", "rgb", "summit"]
NARROWPEAK_COLUMNS = ["chrom", "start", "end", "name", "score", "strand", "signal_value", "p_value", "q_value",
                      "summit_offset"]
CCRE_COLUMNS = ["chrom", "start", "end", "accession", "score", "strand", "thick_start", "thick_end", "rgb",
                "ccre_class", "group", "tss_support"]
# Categorical: ~25 chromosome names and 3 strands repeated over 10^5 rows cost 10x in memory and pickles.
_BED_DTYPES = {"chrom": "category", "strand": "category"}
CCRE_CELLS = ("K562", "GM12878")
CAGE_CELLS = ("K562", "GM12878")
RAMPAGE_CELLS = ("K562", "GM12878")


@lru_cache(maxsize=None)
def file_sha256(key: str) -> str:
    """sha256 of a bundled file, so Evidence pins the exact file version it was read from."""
    return hashlib.sha256(SOURCES[key].path.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def cache_dir() -> Path | None:
    """Where parsed tables are pickled (``Settings().cache_dir / 'regulation'``); None disables it."""
    from genelm.settings import Settings

    try:
        return Settings().cache_dir / "regulation"
    except Exception:  # a broken config file must not stop bundled lookups; it is reported elsewhere
        return None


def _cached(key: str, parse, spec: str) -> pd.DataFrame:
    """``parse()``'s table, from the pickle named by the file's sha256, the parse ``spec`` (columns,
    dtypes: a changed loader never reads an old copy) and the pandas version."""
    folder = cache_dir()
    if folder is None:
        return parse()
    tag = hashlib.sha256(spec.encode()).hexdigest()[:8]
    copy = folder / f"{SOURCES[key].file}.{file_sha256(key)[:16]}.{tag}.pandas-{pd.__version__}.pkl"
    if copy.exists():
        try:
            return pd.read_pickle(copy)
        except Exception:  # a truncated or foreign pickle: parse the file again and replace it
            pass
    df = parse()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        os.close(fd)
        df.to_pickle(tmp)
        os.replace(tmp, copy)  # atomic: a concurrent reader sees the old copy or the whole new one
    except OSError:
        pass
    return df


def _read(key: str, *, names=None, header="infer", skiprows=0, first_data_line: int = 2, **kw) -> pd.DataFrame:
    def parse() -> pd.DataFrame:
        df = pd.read_csv(SOURCES[key].path, sep="\t", names=names, header=header if names is None else None,
                         skiprows=skiprows, **kw)
        df["row"] = range(first_data_line, first_data_line + len(df))
        return df

    return _cached(key, parse, repr((names, header, skiprows, first_data_line, sorted(kw.items()))))


@lru_cache(maxsize=1)
def tss() -> pd.DataFrame:
    """GENCODE v24 basic TSSs.  ``pos`` is the file's start (= end): the 1-based TSS position.

    1-based because the canonical TP53 transcript ENST00000269305 starts here at
    7,687,538, Ensembl's 1-based end of the minus-strand TP53 gene.  ``gene_id`` is
    categorical: the unversioned id is derived once per distinct gene (~60k) rather
    than per row (~100k), which is most of the cold-load time otherwise.
    """
    df = _read("tss", names=["chrom", "pos", "end", "transcript_id", "dot", "strand", "gene_id"], first_data_line=1,
               dtype={"chrom": "category", "strand": "category", "gene_id": "category"})
    return df.drop(columns=["end", "dot"])


@lru_cache(maxsize=1)
def tss_gene_ids() -> pd.Index:
    """Unversioned ENSG of each ``tss().gene_id`` category, in category order."""
    return pd.Index([g.split(".", 1)[0] for g in tss()["gene_id"].cat.categories.tolist()])


def tss_rows(ensembl_ids) -> pd.DataFrame:
    """The TSS rows of the given unversioned ENSGs."""
    wanted = pd.Index(range(len(tss_gene_ids())))[tss_gene_ids().isin(list(ensembl_ids))]
    df = tss()
    return df[df["gene_id"].cat.codes.isin(wanted)]


@lru_cache(maxsize=2)
def cage(cell: str) -> pd.DataFrame:
    """CAGE peaks of one cell line; the TPM is column 11 of the file."""
    return _read(f"cage:{cell}", names=BED_PEAK_COLUMNS + ["tpm"], first_data_line=1, dtype=_BED_DTYPES)


@lru_cache(maxsize=2)
def ccres(cell: str) -> pd.DataFrame:
    """Promoter-like cCREs of one cell line; ``tss_support`` letters: R(AMPAGE), C(AGE), P(acBio) overlap."""
    return _read(f"ccre:{cell}", names=CCRE_COLUMNS, first_data_line=1, dtype=_BED_DTYPES)


@lru_cache(maxsize=1)
def rampage_peaks() -> pd.DataFrame:
    return _read("rampage", names=BED_PEAK_COLUMNS, first_data_line=1, dtype=_BED_DTYPES)


@lru_cache(maxsize=2)
def rampage_quant(cell: str) -> pd.DataFrame:
    """Per rPeak id: RPKM, RPM and read count in one cell line (indexed by rPeak id)."""
    df = _read(f"rampage:{cell}")
    return df.rename(columns={"peak_id": "rpeak_id", "RPKM": "rpkm", "RPM": "rpm", "number_reads": "reads"}) \
        .set_index("rpeak_id")


@lru_cache(maxsize=4)
def narrowpeaks(accession: str) -> pd.DataFrame:
    return _read(accession, names=NARROWPEAK_COLUMNS, first_data_line=1, dtype={**_BED_DTYPES, "name": "category"})


@lru_cache(maxsize=1)
def chip2015() -> pd.DataFrame:
    """One row per 2015 gene set; ``genes`` is the set's comma-separated symbols."""
    return _read("chip2015")


@lru_cache(maxsize=1)
def _padded_sets() -> tuple[str, ...]:
    return tuple(f",{g}," for g in chip2015()["genes"].tolist())


def chip2015_listing(symbol: str) -> pd.Series:
    """Boolean mask over ``chip2015()``: which sets list the symbol (exact, case-sensitive as the library)."""
    needle = f",{symbol},"
    return pd.Series([needle in s for s in _padded_sets()], index=chip2015().index)


@lru_cache(maxsize=1)
def chip2019() -> pd.DataFrame:
    """The 2019 ENCODE TF ChIP-seq report.  Line 1 is the export stamp, line 2 the header, data from line 3."""
    return _read("chip2019", skiprows=1, first_data_line=3, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def chip2019_stamp() -> str:
    import gzip

    with gzip.open(SOURCES["chip2019"].path, "rt", encoding="utf-8") as handle:
        return handle.readline().strip()


@lru_cache(maxsize=2)
def tissues(source: str) -> pd.DataFrame:
    """Tissue display name, column name in the TPM table (``RName``) and sample count, for 'hpa' or 'gtex'."""
    return _read(f"{source}-tissues")


@lru_cache(maxsize=2)
def tpm(source: str) -> pd.DataFrame:
    """Genes x tissues TPM (index: ENSG), columns renamed to the tissue display names."""
    df = _cached(source, lambda: pd.read_csv(SOURCES[source].path, sep="\t", index_col=0), "tpm index_col=0")
    names = dict(zip(tissues(source)["RName"], tissues(source)["TissueName"]))
    df = df.rename(columns=names)
    df["row"] = range(2, 2 + len(df))
    return df


@lru_cache(maxsize=2)
def specificity(source: str) -> pd.DataFrame:
    """Gene (ENSG), tissue (display name, or 'All' for the tissue-wide groups), group, row, gene name."""
    df = _read(f"{source}-specific")
    names = dict(zip(tissues(source)["RName"], tissues(source)["TissueName"]))
    df["Tissue"] = df["Tissue"].map(lambda t: names.get(t, t))
    df["symbol"] = df["Gene"].map(ensg_to_name())
    return df


@lru_cache(maxsize=1)
def ensembl110() -> pd.DataFrame:
    """The bundled Ensembl 110 gene table (genelm.data reads it too, row by row; pandas is ~5x faster cold).

    Columns: chrom ('17'), start (1-based), end (= start + length, as genelm.data computes it), ensg, symbol.
    """
    from genelm.data import ENSEMBL_GENES

    df = pd.read_csv(ENSEMBL_GENES, sep="\t", comment="#", header=None, usecols=[0, 1, 2, 3, 4],
                     names=["chrom", "start", "length", "slim", "symbol"], dtype={"chrom": str, "symbol": str})
    return pd.DataFrame({"chrom": df["chrom"], "start": df["start"], "end": df["start"] + df["length"],
                         "ensg": [f"ENSG{s:011d}" for s in df["slim"].tolist()], "symbol": df["symbol"]})


@lru_cache(maxsize=1)
def gene_names() -> pd.DataFrame:
    return _read("gene-names")


@lru_cache(maxsize=1)
def ensg_to_name() -> dict[str, str]:
    df = gene_names()
    return dict(zip(df["Gene"].tolist(), df["Gene.name"].tolist()))
