"""Gene names as papers write them -> NCBI genes, by one index built from the bundled tables.

Biologists write p21, HIF-1α, C/EBPβ, IL-1β, cyclin D1, insulin or β-actin, rarely the
official symbol.  The index holds every way the bundled tables name a gene: the official
symbol, NCBI's synonyms, the nomenclature full name and NCBI's other designations
(``gene_info`` columns 5, 12 and 14, with the parts of a designation split at commas and
parentheses: "cyclin-dependent kinase inhibitor 1A (p21, Cip1)" gives "p21" and "Cip1"),
and Ideogram's synonym cache.  Every name is keyed the way papers vary it:

- case, hyphens, spaces, slashes and dots do not count (C/EBP-β, CEBP β, cebpb);
- a Greek letter is the same as its spelled name (α = alpha) and, in a second key, as its
  Latin initial (HIF-1α = HIF1alpha = HIF1a).

An alias several genes share is resolved by a stated rule (``RANKING``, ``Candidate.rank``):
the official symbol as written, a name written exactly so, the symbol written another way, a
protein name a designation gives in parentheses, protein-coding genes, the gene whose name
fields use the name most often, then Ideogram's gene-cache order, which is Ideogram's gene
popularity ranking (its "Gene Hints": Wikipedia page views and PubMed citations; the file lists
ACE2, TP53, CD274, EGFR, IL6, … first).  The other candidates are kept, so the answer can say
what else the name means.  Families and complexes (NF-κB, AP-1,
HIF-1, C/EBP) come from ``genes/families.tsv`` and are never read as one member.
"""
from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass, field
from functools import lru_cache

from genelm.data import DATA_DIR, ENSEMBL_GENES, GENE_INFO
from genelm.data.disk_cache import cached, gc_paused
from genelm.i18n import N_

IDEOGRAM_SYNONYMS = DATA_DIR / "genes" / "ideogram_homo-sapiens-synonyms.tsv.gz"
FAMILIES = DATA_DIR / "genes" / "families.tsv"

RANKING = ("the official symbol as written; a name written exactly so (case too); the official symbol written "
           "another way (HSF-1 for HSF1); a name in the list of names NCBI's designation closes with ('(p27, Kip1)'); "
           "protein-coding genes before other types; the gene whose synonyms and designations use the name most "
           "often; then Ideogram's gene popularity order")
RANKING_SHORT = N_("official symbol first, then the name as written, protein-coding genes, then the best known")

GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
         "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi",
         "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
         "ϵ": "epsilon", "ϕ": "phi", "ς": "sigma", "µ": "mu"}
# Letters papers abbreviate to their Latin initial (HIF1a, PPARg, TNFa, IKBa, CD8a).
_INITIALS = {"alpha": "a", "beta": "b", "gamma": "g", "delta": "d", "epsilon": "e", "kappa": "k", "zeta": "z",
             "lambda": "l", "theta": "t", "sigma": "s", "omega": "o"}
_GREEK_WORD = re.compile("|".join(sorted(_INITIALS, key=len, reverse=True)))
GREEK_CHARS = "".join(GREEK)
_SEPARATORS = re.compile(r"[^0-9a-z]+")

# 'paren': a name a designation gives in parentheses beside the gene's full name, the way nomenclature names the
# protein ('cyclin-dependent kinase inhibitor 1B (p27, Kip1)'): the strongest sign of what papers mean by it.
VIA_RANK = {"symbol": 0, "paren": 1, "synonym": 2, "name": 3, "part": 4, "mention": 5}
# Protein short names inside a designation ("nuclear factor NF-kappa-B p65 subunit" mentions p65): support only.
_MENTION = re.compile(r"^(?=[a-z]{1,4}\d)[A-Za-z]{1,4}\d{1,4}[A-Za-z]{0,4}$")


def spelled(text: str) -> str:
    """Greek letters spelled out, lower case: 'HIF-1α' -> 'hif-1alpha'."""
    return "".join(GREEK.get(c, c) for c in text.lower())


def keys(text: str) -> tuple[str, str]:
    """(full key, short key) of a name: separators dropped, Greek spelled out / as its Latin initial."""
    full = _SEPARATORS.sub("", spelled(text))
    short = _GREEK_WORD.sub(lambda m: _INITIALS[m.group(0)], full)
    return full, short


def name_parts(designation: str) -> list[tuple[str, str]]:
    """A designation and the names inside it: 'cadherin 1, E-cadherin (epithelial)' -> itself, 'cadherin 1',
    'E-cadherin', 'epithelial'; 'cyclin-dependent kinase inhibitor 1A (p21, Cip1)' -> …, 'p21', 'Cip1'."""
    parts = [(designation, "name")]
    outer = [p.strip() for p in re.sub(r"\([^()]*\)", ",", designation).split(",") if p.strip()]
    # The head before the first comma is the name itself ('C-reactive protein, pentraxin-related').
    parts.extend((p, "name" if i == 0 else "part") for i, p in enumerate(outer))
    # A parenthesis that closes the designation names this protein ('… inhibitor 1B (p27, Kip1)'); one inside it
    # often names another ('heat-shock protein (HSP27) estrogen response element-TATA box-binding protein' is SAFB,
    # which binds the HSP27 promoter): only a part.
    # A lone closing name ('Pol delta B subunit (p50)') is no stronger than a synonym: p50 is NFKB1's synonym too.
    for m in re.finditer(r"\(([^()]*)\)", designation):
        names = [p.strip() for p in m.group(1).split(",") if p.strip()]
        closing = not designation[m.end():].strip()
        how = "part" if not closing else "paren" if len(names) >= 2 else "synonym"
        parts.extend((name, how) for name in names)
    return list(dict.fromkeys(parts))


@dataclass(frozen=True)
class Candidate:
    """One gene a key names, with every way the bundled tables write that name for it."""

    symbol: str
    gene_id: str
    via: str  # the best way it matched: symbol, synonym, name (full name or designation), mention
    coding: bool
    popularity: int  # Ideogram's order (0 = best known); genes it does not list come after all it lists
    support: int  # how many of the gene's name fields (symbol, synonyms, designations) use this name
    written: tuple[str, ...]  # the name as the tables write it

    def rank(self, query: str) -> tuple:
        """The documented ranking (RANKING), for the name as the question writes it."""
        q = query.lower()
        exact_symbol = self.via == "symbol" and self.symbol.lower() == q
        as_written = query in self.written  # case too: 'HSF-1' is not NR5A1's 'hSF-1'
        exact = any(w.lower() == q for w in self.written)
        return (not exact_symbol, not as_written, self.via != "symbol", self.via != "paren", not exact,
                not self.coding, -self.support, self.popularity, VIA_RANK[self.via], int(self.gene_id))


@dataclass(frozen=True)
class Resolution:
    """What a written name was read as."""

    written: str
    symbol: str | None  # the gene it is read as; None for a family
    candidates: tuple[str, ...]  # every gene the name names, best first
    via: str  # how it matched the chosen gene: symbol, synonym, name, family
    family: str | None = None  # the family's name when the text names a family or complex
    members: tuple[str, ...] = ()
    family_source: str = ""
    coding_first: tuple[str, ...] = ()  # the candidates with protein-coding genes first (for saying what else)

    @property
    def ambiguous(self) -> bool:
        return self.family is None and len(self.candidates) > 1

    def reading(self) -> str:
        """One line an answer can carry: how the name was read and what else it could mean (in the answer's
        language: genelm.i18n, the catalogue's entries extracted from this file too)."""
        from genelm.i18n import _, tr

        if self.family:
            return tr("{written} names a family or complex, not one gene: {members} ({source}); name one member for "
                      "its own answer.", written=self.written, members=", ".join(self.members),
                      source=self.family_source)
        others = [c for c in self.coding_first if c != self.symbol]
        if not others:
            return tr("{written} is read as {symbol}.", written=self.written, symbol=self.symbol)
        shown = ", ".join(others[:4]) if len(others) <= 4 else \
            tr("{items} and {count} more", items=", ".join(others[:4]), count=len(others) - 4)
        return tr("{written} is read as {symbol} (genelm's ranking of shared names: {ranking}); it is also a name of "
                  "{others}. Name the symbol for another.", written=self.written, symbol=self.symbol,
                  ranking=_(RANKING_SHORT), others=shown)


@dataclass
class NameIndex:
    # key -> Candidate fields as tuples (they unpickle several times faster than objects)
    full: dict[str, list[tuple]] = field(default_factory=dict)
    short: dict[str, list[tuple]] = field(default_factory=dict)
    families: dict[str, tuple[str, tuple[str, ...], str]] = field(default_factory=dict)  # key -> (name, members, source)

    def lookup(self, text: str) -> Resolution | None:
        """The gene (or family) a written name means, or None when no bundled table names it."""
        full, short = keys(text)
        if not full:
            return None
        fam = self.families.get(full) or self.families.get(short)
        if fam is not None:
            name, members, source = fam
            return Resolution(text, None, members, "family", name, members, source)
        rows = self.full.get(full) or self.full.get(short) or self.short.get(short)
        if not rows:
            return None
        found = [Candidate(*row) for row in rows]
        if len(full) <= 2 and not any(c.via == "symbol" for c in found):
            return None  # one- and two-letter aliases ('B', 'T', 'ER') are words before they are genes
        found = [c for c in found if c.via != "mention"] or found
        ranked = sorted(found, key=lambda c: c.rank(text))
        candidates = tuple(dict.fromkeys(c.symbol for c in ranked))
        coding_first = tuple(dict.fromkeys(c.symbol for c in sorted(ranked, key=lambda c: (not c.coding,
                                                                                           VIA_RANK[c.via]))))
        return Resolution(text, ranked[0].symbol, candidates, ranked[0].via, coding_first=coding_first)


def _families() -> list[tuple[str, list[str], tuple[str, ...], str]]:
    """families.tsv: (family, every way it is written, members, source) per row."""
    with open(FAMILIES, encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return [(row["family"], [row["family"], *row["names"].split("|")],
                 tuple(m.strip() for m in row["members"].split(",") if m.strip()), row["source"]) for row in rows]


def _family_rows() -> dict[str, tuple[str, tuple[str, ...], str]]:
    """Each key of each way a family is written -> (family, members, source)."""
    out: dict[str, tuple[str, tuple[str, ...], str]] = {}
    for family, names, members, source in _families():
        for written in names:
            for key in keys(written):
                out.setdefault(key, (family, members, source))
    return out


def _popularity() -> dict[str, int]:
    order: dict[str, int] = {}
    with gzip.open(ENSEMBL_GENES, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            symbol = line.split("\t", 5)[4]
            order.setdefault(symbol.upper(), len(order))
    return order


def _entries() -> list[tuple[str, str, str, str, bool]]:
    """(written name, symbol, gene_id, via, coding) for every name of every bundled gene."""
    rows: list[tuple[str, str, str, str, bool]] = []
    symbols: dict[str, tuple[str, bool]] = {}
    with gzip.open(GENE_INFO, "rt", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader)
        for row in reader:
            gene_id, symbol, coding = row[1], row[2], row[9] == "protein-coding"
            if row[9] == "biological-region":
                continue  # regions named after what lies there ('insulator …'), not genes
            symbols.setdefault(symbol.upper(), (gene_id, coding))
            rows.append((symbol, symbol, gene_id, "symbol", coding))
            for synonym in row[4].split("|"):
                if synonym not in ("", "-"):
                    rows.append((synonym, symbol, gene_id, "synonym", coding))
            for text in [row[11], *row[13].split("|")]:
                if text in ("", "-"):
                    continue
                for part, via in name_parts(text):
                    rows.append((part, symbol, gene_id, via, coding))
                    words = part.split()
                    if len(words) == 2 and words[1].lower() in _INITIALS:  # 'actin beta' is written 'beta-actin'
                        rows.append((f"{words[1]}-{words[0]}", symbol, gene_id, "name", coding))
                    rows.extend((w, symbol, gene_id, "mention", coding) for w in words[1:] if _MENTION.match(w))
                    # A protein's own name at either end of a designation: 'apoptosis inhibitor survivin',
                    # 'oxytocin, prepropeptide' (a protein word only if few genes use it: see _build_hints)
                    rows.extend((w, symbol, gene_id, "mention", coding) for w in {words[0], words[-1]}
                                if len(words) > 1 and len(w) >= 5 and w.isalpha() and w.islower())
    with gzip.open(IDEOGRAM_SYNONYMS, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            symbol, *synonyms = line.rstrip("\n").split("\t")
            if symbol.upper() in symbols:
                gene_id, coding = symbols[symbol.upper()]
                rows.extend((s, symbol, gene_id, "synonym", coding) for s in synonyms if s)
    return rows


@lru_cache(maxsize=1)
def name_index() -> NameIndex:
    """The index, built once per bundled-data version and kept on disk (loaded only when a name is not a symbol)."""
    return cached([GENE_INFO, ENSEMBL_GENES, IDEOGRAM_SYNONYMS, FAMILIES], _build_index, version="names-12",
                  name="gene_names")


def _build_index() -> NameIndex:
    popularity = _popularity()
    last = len(popularity)
    # (key, gene_id) -> [symbol, coding, best via, support, written names]
    merged: dict[tuple[str, str], list] = {}
    shorts: dict[str, set[str]] = {}
    index = NameIndex(families=_family_rows())
    for written, symbol, gene_id, via, coding in _entries():
        full, short = keys(written)
        if not full:
            continue
        entry = merged.setdefault((full, gene_id), [symbol, coding, via, [], set()])
        if VIA_RANK[via] < VIA_RANK[entry[2]]:
            entry[2] = via
        entry[3].append(via)  # support: how many of the gene's name fields use it
        entry[4].add(written)
        if short != full:
            shorts.setdefault(short, set()).add(full)
    with gc_paused():
        for (full, gene_id), (symbol, coding, via, support, written) in merged.items():
            cand = (symbol, gene_id, via, coding, popularity.get(symbol.upper(), last), len(support),
                    tuple(sorted(written)))
            index.full.setdefault(full, []).append(cand)
        for short, fulls in shorts.items():
            index.short[short] = [c for f in sorted(fulls) for c in index.full[f]]
    return index


def resolve(text: str) -> Resolution | None:
    return name_index().lookup(text)


@dataclass(frozen=True)
class NameHints:
    """Small word sets that say, without loading the index, whether a word or phrase could be a name."""

    first_words: frozenset[str]  # keys of the first words of multi-word names ('cyclin' of 'cyclin D1')
    last_words: frozenset[str]  # keys of their last words ('beta1' of 'integrin beta-1' and of 'integrin β1')
    protein_words: frozenset[str]  # one-word names that are not common English ('insulin', 'vimentin')
    common_words: frozenset[str]  # common English words that are also symbols or synonyms ('clock', 'rest')
    family_keys: frozenset[str]  # keys of family and complex names ('nfkappab', 'hif1')
    plain_words: frozenset[str] = frozenset()  # common English words inside multi-word names ('breast', 'cancer')


# Zipf frequency (wordfreq, log10 per billion words) from which an English word is too common to be read as a
# gene when written in lower case: 'clock' (4.6) and 'rest' (5.2) stay words, 'insulin' (3.8) is a protein.
COMMON_ZIPF = 4.0
RARE_ZIPF = 3.0  # a word inside a designation counts as a protein's name only when rarer than this ('survivin')
# Inside a designation, a protein's own name ends as proteins and enzymes are named ('survivin', 'parkin',
# 'oxytocin', 'lactase'); other rare words there ('efflux', 'transcriptionally') are not names.
_PROTEIN_SUFFIXES = ("in", "ase", "gen")


@lru_cache(maxsize=1)
def name_hints() -> NameHints:
    return cached([GENE_INFO, IDEOGRAM_SYNONYMS, FAMILIES], _build_hints, version="name-hints-9",
                  name="gene_name_hints")


def _build_hints() -> NameHints:
    from wordfreq import zipf_frequency  # only when the hints are first built (then cached on disk)

    entries = _entries()  # parsed once: the names, and the designation words below
    families = [names for _family, names, _members, _source in _families()]
    first, last, lowered = set(), set(), set()
    names = {w for w, *_ in entries} | {n for written in families for n in written}
    for written in names:
        words = [keys(w)[0] for w in written.split()]
        if len(words) > 1:
            first.add(words[0])
            last.add(words[-1])
        lowered.add(written.lower())
    protein = {w for w in _whole_names() if w.isalpha() and w.islower() and zipf_frequency(w, "en") < COMMON_ZIPF}
    # Words at the end of designations that name few genes and are rare in English ('survivin', 'parkin').
    genes_per_word: dict[str, set[str]] = {}
    for written, _symbol, gene_id, via, _coding in entries:
        if via == "mention" and written.isalpha():
            genes_per_word.setdefault(written, set()).add(gene_id)
    protein |= {w for w, ids in genes_per_word.items() if len(ids) <= 3 and zipf_frequency(w, "en") < RARE_ZIPF
                and w.endswith(_PROTEIN_SUFFIXES)}
    common = {w for w in lowered if w.isalpha() and zipf_frequency(w, "en") >= COMMON_ZIPF}
    family = {k for written in families for n in written for k in keys(n)}
    plain = {w for n in names if " " in n for w in n.lower().split()
             if w.isalpha() and zipf_frequency(w, "en") >= COMMON_ZIPF}
    return NameHints(frozenset(first), frozenset(last), frozenset(protein), frozenset(common), frozenset(family),
                     frozenset(plain))


def _whole_names() -> set[str]:
    """Full names and designations as whole fields ('insulin', 'vimentin'), not their comma-separated parts."""
    out: set[str] = set()
    with gzip.open(GENE_INFO, "rt", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader)
        for row in reader:
            out.update(t for t in [row[11], *row[13].split("|")] if t not in ("", "-"))
    return out


def is_common_word(word: str) -> bool:
    """A common English word that a gene table also lists as a name ('clock', 'rest', 'impact')."""
    return word.lower() in name_hints().common_words
