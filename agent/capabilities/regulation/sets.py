"""Bound factors over several genes or cell lines, with the set the question asks for.

"Which TFs are shared by the HBA1 and HBZ promoters in K562?" is an intersection over genes; "Which factors
bind the TAL1 promoter in K562 but not in GM12878?" a difference over cell lines.  Each set is read from the
cited per-gene, per-cell-line evidence (ENCODE TF ChIP-seq 2015 gene sets), and the operation is said with
every set's evidence cited (``core.contract.say_combined``).
"""
from __future__ import annotations

from genelm.agent.capabilities.regulation import sentences as say
from genelm.agent.core.contract import say_combined, set_operation
from genelm.agent.core.question import Ledger, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.i18n import _, tr


def genes_of(q: Question) -> list[str]:
    """The genes a bound-factors question is about, in order ('HBA1 and HBZ promoters')."""
    return [g for g in q.frame.about if g]


def _factors(ledger: Ledger, gene: str, cells: list[str]) -> tuple[list[str], list[str]]:
    """The factors the 2015 gene sets place near the gene's promoter in these cells (all covered cells when none)."""
    found, keys = [], []
    for ev in say.in_cells(say.evidence(ledger, "chip2015:"), cells):
        if ev.key.rsplit(":", 1)[-1].upper() != gene.upper():
            continue
        found += [r["tf"] for r in ev.records]
        keys.append(ev.key)
    return list(dict.fromkeys(found)), keys


def _combine(s: Synthesis, q: Question, named: list[tuple[str, list[str], list[str]]], noun: str,
             by: bool | str) -> list[str] | None:
    """The set operation the question asks for (shared unless it says either / only) over named, cited sets."""
    if len([keys for _name, _items, keys in named if keys]) < 2:
        return None
    op = set_operation(q.lower + " " + q.raw) or "intersection"
    return say_combined(s, op, [(name, items) for name, items, _keys in named],
                        [k for _name, _items, keys in named for k in keys], noun, by=by)


def say_over_genes(s: Synthesis, q: Question, ledger: Ledger, cells: list[str]) -> bool:
    """Factors at each of several genes' promoters, combined as asked."""
    genes = genes_of(q)
    if len(genes) < 2:
        return False
    named = [(gene, *_factors(ledger, gene, cells)) for gene in genes]
    where = ", ".join(cells) or _("the covered cell lines")
    for gene, factors, keys in named:
        if keys:
            s.say(tr("ENCODE ChIP-seq (2015 gene sets) places {count} factors near {gene}'s promoter in {cells}: "
                     "{factors}.", count=len(factors), gene=gene, cells=where, factors=", ".join(factors) or _("none")),
                  *keys)
    _combine(s, q, named, _("Factors at the promoters"), by="of")
    return True


def say_over_cells(s: Synthesis, q: Question, ledger: Ledger, gene: str, cells: list[str]) -> bool:
    """One gene in several cell lines with a set word: 'unique to K562 vs GM12878', 'bound in both'."""
    op = set_operation(q.lower + " " + q.raw)
    if len(cells) < 2 or op is None:
        return False
    sets, keys = [], []
    for cell in cells:
        factors, cell_keys = _factors(ledger, gene, [cell])
        sets.append((cell, factors))
        keys += cell_keys
    if not keys:
        return False
    say_combined(s, op, sets, keys, tr("Factors at {gene}'s promoter", gene=gene))
    return True


def factors_of(q: Question) -> list[str]:
    """The factors a factor-targets question names ('genes bound by both GATA1 and TAL1')."""
    return [g for g in q.frame.about if g]


def _targets(ledger: Ledger, factor: str, cells: list[str]) -> tuple[list[str], list[str]]:
    from genelm.regulation.factors import biosample_code

    codes = [biosample_code(c) for c in cells] or ["all"]
    genes, keys = [], []
    for code in codes:
        ev = ledger.get(f"chip2015-genes:{factor.upper()}:{code}")
        if ev is not None and ev.records:
            genes += [r["gene"] for r in ev.records]
            keys.append(ev.key)
    return list(dict.fromkeys(genes)), keys


def say_targets_over_factors(s: Synthesis, q: Question, ledger: Ledger, cells: list[str]) -> bool:
    """Genes bound by several factors, combined as asked."""
    factors = factors_of(q)
    if len(factors) < 2:
        return False
    result = _combine(s, q, [(f, *_targets(ledger, f, cells)) for f in factors], _("Genes bound"), by=True)
    if result is None:
        return False
    list_answer(s, result)
    return True


def list_answer(s: Synthesis, items: list[str], shown: int = 25) -> None:
    """A long list's short answer: its first items and how many there are (the full list stays in s.items)."""
    if not items:
        return
    s.short_answer = ", ".join(items) if len(items) <= shown else \
        tr("{items} … ({count} in all)", items=", ".join(items[:shown]), count=len(items))
