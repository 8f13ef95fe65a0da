"""Cell types as biologists name them (erythroid cells, B cells, hepatocytes) -> ENCODE terms and bundled proxies.

ENCODE names primary cells by their own terms ('B cell', 'erythroblast'); genelm's per-cell bundled files
cover three lines (K562, GM12878, HepG2).  A cell type whose ENCODE line stands in for it is answered from
that line, and the answer says so (``caveat``); one with no proxy is a stated gap.  The table is
``cell_types.tsv`` beside this module (its header says where each row comes from).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from genelm.data import DATA_DIR

CELL_TYPES = DATA_DIR / "cell_types.tsv"


@dataclass(frozen=True)
class CellType:
    name: str  # the first name of its row ('erythroid cell')
    encode_term: str  # the ENCODE biosample term ('erythroblast')
    proxy: str | None  # the bundled cell line that stands in, or None
    caveat: str
    tissue: str | None = None  # the HPA tissue it is found in: its expression is said as that tissue's, never its own


@lru_cache(maxsize=1)
def cell_types() -> dict[str, CellType]:
    """Each written name (lower case, singular) -> CellType."""
    out: dict[str, CellType] = {}
    with open(CELL_TYPES, encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            names = [n.strip() for n in row["names"].split("|") if n.strip()]
            cell = CellType(names[0], row["encode_term"], row["proxy"] or None, row["caveat"],
                            (row.get("tissue") or "").strip() or None)
            for name in names:
                out.setdefault(name.lower(), cell)
    return out


def cell_type_pattern() -> re.Pattern:
    """A regex over lower-cased text for any name in the table, singular or plural ('b cells', 'hepatocytes')."""
    names = sorted(cell_types(), key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w-])({alternatives})(?:s|es)?(?![\w-])")


def proxy_for(biosample: str) -> CellType | None:
    """The CellType whose ENCODE term or name is this biosample, when a bundled line stands in for it."""
    key = biosample.lower()
    if key in cell_types():
        return cell_types()[key]
    return next((c for c in cell_types().values() if c.encode_term.lower() == key), None)
