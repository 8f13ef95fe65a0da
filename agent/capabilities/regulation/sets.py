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


def say_over_genes(s: Synthesis, q: Question, ledger: Ledger, cells: list[str]) -> bool:
    """Factors at each of several genes' promoters, combined as asked (all of them unless the question says)."""
    genes = genes_of(q)
    if len(genes) < 2:
        return False
    sets, keys = [], []
    for gene in genes:
        factors, gene_keys = _factors(ledger, gene, cells)
        where = ", ".join(cells) or _("the covered cell lines")
        if gene_keys:
            s.say(tr("ENCODE ChIP-seq (2015 gene sets) places {count} factors near {gene}'s promoter in {cells}: "
                     "{factors}.", count=len(factors), gene=gene, cells=where, factors=", ".join(factors) or _("none")),
                  *gene_keys)
        sets.append((gene, factors))
        keys += gene_keys
    op = set_operation(q.lower + " " + q.raw) or "intersection"
    say_combined(s, op, sets, keys, _("Factors at the promoters"), by="of")
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
    """Genes bound by several factors, combined as asked (shared unless the question says either / only)."""
    factors = factors_of(q)
    if len(factors) < 2:
        return False
    sets, keys = [], []
    for factor in factors:
        genes, factor_keys = _targets(ledger, factor, cells)
        sets.append((factor, genes))
        keys += factor_keys
    if len(keys) < 2:
        return False
    op = set_operation(q.lower + " " + q.raw) or "intersection"
    result = say_combined(s, op, sets, keys, _("Genes bound"), by=True)
    if len(result) > 25:
        s.short_answer = tr("{genes} … ({count} genes)", genes=", ".join(result[:25]), count=len(result))
    return True


def list_answer(s: Synthesis, items: list[str], shown: int = 25) -> None:
    """A long list's short answer: its first items and how many there are (the full list stays in s.items)."""
    if not items:
        return
    s.short_answer = ", ".join(items) if len(items) <= shown else \
        tr("{items} … ({count} in all)", items=", ".join(items[:shown]), count=len(items))
