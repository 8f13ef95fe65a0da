"""Gene -> Ensembl ids -> GENCODE v24 basic TSSs, and the promoter window around them.

The TSS file carries only versioned ENSG ids, so a symbol is resolved to ENSGs
first.  Fast tables are tried before the slow one: the Ensembl 110 gene table
(~0.03 s with pandas) and TissueEnrich's id -> name map (the symbols HPA v18 uses, e.g.
'AC023491.2'); only when neither knows the text is the NCBI gene_info table
(~0.9 s to load) consulted, for aliases ('p53' -> TP53) and NCBI-only symbols.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from genelm.connectors.errors import InputError
from genelm.data import gene_table
from genelm.regulation import tables

# Promoter window: TSS +/- 500 bp.  With it the promoter-like cCRE of every
# gene in regulation_dev.jsonl is found and no other (LRP2BP's second PLS lies
# 491 bp upstream of a TSS and is counted; ORAI2's PLS 984 bp downstream is not).
PROMOTER_FLANK = 500
_ENSG = re.compile(r"^ENSG\d{11}(?:\.\d+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Gene:
    symbol: str
    ensembl_ids: tuple[str, ...]  # unversioned ENSGs
    matched_as: str  # how the text was resolved, for the Evidence title: 'symbol', 'alias of …', 'Ensembl id'
    chrom: str | None = None  # Ensembl 110 span (1-based inclusive), when the table has the gene
    start: int | None = None
    end: int | None = None


@lru_cache(maxsize=1)
def _ensembl_by_symbol() -> dict[str, list[str]]:
    df = tables.ensembl110()
    out: dict[str, list[str]] = {}
    # .tolist() first: iterating a pandas string column element-wise is ~10x slower.
    for symbol, ensg in zip(df["symbol"].str.upper().tolist(), df["ensg"].tolist()):
        out.setdefault(symbol, []).append(ensg)
    return out


@lru_cache(maxsize=1)
def _ensembl_by_id() -> dict[str, tuple[str, str, int, int]]:
    """ENSG -> (symbol, chrom, start, end) from Ensembl 110."""
    df = tables.ensembl110()
    cols = [df[c].tolist() for c in ("ensg", "symbol", "chrom", "start", "end")]
    return {e: (sym, c, s, t) for e, sym, c, s, t in zip(*cols)}


@lru_cache(maxsize=1)
def _names_by_symbol() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ensg, name in tables.ensg_to_name().items():
        out.setdefault(str(name).upper(), []).append(ensg)
    return out


def _gene(symbol: str, ids: list[str], matched_as: str) -> Gene:
    ids = tuple(dict.fromkeys(ids))
    span = next((_ensembl_by_id()[i] for i in ids if i in _ensembl_by_id()), None)
    if span is None:
        return Gene(symbol, ids, matched_as)
    return Gene(symbol, ids, matched_as, f"chr{span[1]}", int(span[2]), int(span[3]))


@lru_cache(maxsize=4096)
def resolve_gene(text: str) -> Gene:
    """A gene symbol, alias or ENSG id -> ``Gene``.  Unknown text raises InputError saying what to try."""
    query = text.strip()
    if _ENSG.match(query):
        ensg = query.upper().split(".")[0]
        known = _ensembl_by_id().get(ensg)
        name = known[0] if known else tables.ensg_to_name().get(ensg)
        if name is None and ensg not in set(tables.tss_gene_ids()):
            raise InputError(f"unknown Ensembl gene id '{query}': not in Ensembl 110, GENCODE v24 or HPA v18")
        return _gene(name or ensg, [ensg], "Ensembl id")
    key = query.upper()
    ens = _ensembl_by_symbol().get(key, [])
    named = _names_by_symbol().get(key, [])
    if ens or named:
        symbol = _ensembl_by_id()[ens[0]][0] if ens else tables.ensg_to_name()[named[0]]
        return _gene(symbol, ens + named, "symbol")
    table = gene_table()
    rec = table.symbol(query)
    if rec is not None:
        return _gene(rec.symbol, rec.ensembl_ids, "symbol")
    aliases = table.aliases(query)
    if len(aliases) == 1:
        rec = aliases[0]
        via = resolve_gene(rec.symbol) if rec.symbol.upper() != key else None
        ids = list(rec.ensembl_ids) + (list(via.ensembl_ids) if via else [])
        return _gene(rec.symbol, ids, f"alias of {rec.symbol}")
    if len(aliases) > 1:
        names = ", ".join(sorted(a.symbol for a in aliases))
        raise InputError(f"'{query}' is an alias of several genes ({names}); name one of them")
    raise InputError(f"unknown gene '{query}': not a symbol, alias or Ensembl id in the bundled NCBI (2020-04), "
                     "Ensembl 110 or HPA v18 tables; check the spelling or use the official HGNC symbol")


def gene_tss(gene: str | Gene) -> pd.DataFrame:
    """The gene's GENCODE v24 basic TSSs: chrom, pos (1-based), strand, transcript_id, gene_id, row.

    Empty when the gene has no basic transcript in GENCODE v24 (newer genes, or an
    ENSG retired since): a scoped negative, not an error.
    """
    g = gene if isinstance(gene, Gene) else resolve_gene(gene)
    hits = tables.tss_rows(g.ensembl_ids)
    return hits.sort_values(["chrom", "pos", "transcript_id"], kind="stable")


def promoter_windows(sites: pd.DataFrame, flank: int = PROMOTER_FLANK) -> pd.DataFrame:
    """One window per distinct TSS position: [pos - flank, pos + flank], 1-based inclusive."""
    uniq = sites.drop_duplicates(["chrom", "pos", "strand"])[["chrom", "pos", "strand"]]
    return uniq.assign(window_start=uniq["pos"] - flank, window_end=uniq["pos"] + flank)
