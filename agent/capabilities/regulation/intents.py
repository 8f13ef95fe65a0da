"""Questions about regulation: how a gene is regulated, its promoter's activity, the factors that bind it,
where it is expressed, the TFs elevated in a tissue, and where a factor was profiled or binds.

Offline the bundled tables answer (genelm.regulation); online the UCSC cCRE and TF-cluster
tracks and RegulomeDB add to the same answer, and any source that did not answer is
named.  A cell line or tissue the question names focuses the answer on it.
"""
from __future__ import annotations

import re

from genelm.agent.capabilities.regions import UcscTrack
from genelm.agent.capabilities.regulation import bundled, in_short
from genelm.agent.capabilities.regulation import sentences as say
from genelm.agent.capabilities.regulation import sets
from genelm.agent.capabilities.regulation.calls import (
    FactorChipBiosamples,
    GeneExpression,
    RegulationEvidence,
    TissueElevatedTfs,
)
from genelm.agent.capabilities.variants import RegulomeSearch
from genelm.agent.core.contract import say_combined, set_operation
from genelm.agent.core.question import Intent, Ledger, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.data.cell_types import proxy_for
from genelm.i18n import _, ngettext, tr

ONLINE_TRACKS = ("encodeCcreCombined", "encRegTfbsClustered")
CELL_KEYED = ("ccre", "cage", "rampage", "chip2015", "peaks")  # Evidence about one cell line


def _gene(q: Question) -> str | None:
    about = q.frame.about
    genes = [e.value for e in q.all("gene", "unknown_gene") if e.value in about] or \
            [e.value for e in q.all("gene", "unknown_gene")]
    return genes[0] if genes else None


def _cells(q: Question) -> list[str]:
    """The question's cell lines; a cell type a bundled line stands in for is that line (erythroid cells -> K562)."""
    cells = []
    for biosample in q.frame.values("biosample"):
        cell = proxy_for(biosample)
        cells.append(cell.proxy if cell is not None and cell.proxy else biosample)
    return list(dict.fromkeys(cells))


def _say_proxies(s: Synthesis, q: Question) -> None:
    # The row the question's own words matched ('red blood cells': its caveat, not the erythroid row's)
    matched = {e.value: proxy_for(e.attrs["cell_type"]) for e in q.all("biosample") if e.attrs.get("cell_type")}
    for biosample in q.frame.values("biosample"):
        cell = matched.get(biosample) or proxy_for(biosample)
        if cell is not None and cell.proxy and cell.proxy != biosample:
            s.note(tr("{caveat} (the question names {written}; ENCODE's term is {term}).", caveat=cell.caveat,
                      written=cell.name, term=cell.encode_term))


class _GeneRegulation(Intent):
    """Plans the bundled regulation evidence for the gene, then the online tracks over its main promoter."""

    online = True
    by_cell = True  # the answer reads evidence per cell line (not so for expression by tissue)

    def matches(self, q: Question) -> bool:
        return _gene(q) is not None

    def steps(self, q, ledger, step):
        gene = _gene(q)
        if step == 0:
            return [RegulationEvidence(gene=gene, cells=tuple(_cells(q)))]
        return _online_calls(q, ledger, gene) if step == 1 and self.online else []

    def answer(self, q, ledger):
        s = Synthesis()
        gene = _gene(q)
        if not say.evidence(ledger, f"tss:{gene}"):
            s.note(tr("genelm found no bundled regulation evidence for {gene} (GENCODE v24 TSSs, ENCODE cCREs, "
                      "CAGE/RAMPAGE, ChIP-seq gene sets, HPA/GTEx); the gap below says why.", gene=gene))
            return s
        cells = _cells(q)
        _say_proxies(s, q)
        held = {say.cell_of(ev) for ev in ledger.values() if ev.key.split(":")[0] in CELL_KEYED}
        unheld = self.by_cell and cells and not any(say.same_cell(c, h) for c in cells for h in held)
        if unheld:
            s.note(tr("No bundled cCRE, CAGE/RAMPAGE, ChIP-seq gene-set or peak file covers {cells}; what follows is "
                      "what genelm holds for other cell lines.", cells=", ".join(cells)))
            asked, cells = cells, []
        self.say(s, q, ledger, gene, cells)
        if unheld:  # other cells' findings are context, never the answer for the cells asked about
            s.short_answer = None if q.frame.form == "count" else tr("no bundled data for {cells}",
                                                                     cells=", ".join(asked))
            s.items = None
            if q.frame.form == "yes_no":
                s.verdict = "cannot tell"
        if self.online:
            _say_unreached(s, ledger, gene, q.offline)
        return s

    def say(self, s: Synthesis, q: Question, ledger: Ledger, gene: str, cells: list[str]) -> None:
        raise NotImplementedError  # pragma: no cover - interface


def _online_calls(q: Question, ledger: Ledger, gene: str) -> list:
    """The UCSC cCRE and TF-cluster tracks and a RegulomeDB region search over the gene's main promoter."""
    if q.offline or (window := _main_window(ledger, gene)) is None:
        return []
    chrom, start, end = window
    span = {"chromosome": chrom, "start": start, "end": end, "assembly": "GRCh38"}
    return [*(UcscTrack(**span, track=t) for t in ONLINE_TRACKS), RegulomeSearch(**span)]


def _main_window(ledger: Ledger, gene: str) -> tuple[str, int, int] | None:
    """The promoter window of the gene's most-used TSS position (the one most transcripts start at)."""
    evs = say.evidence(ledger, f"tss:{gene}")
    if not evs or not evs[0].records:
        return None
    recs = evs[0].records
    pos = max({r["pos"] for r in recs}, key=lambda p: sum(r["pos"] == p for r in recs))
    rec = next(r for r in recs if r["pos"] == pos)
    return rec["chrom"], rec["window_start"], rec["window_end"]


def _say_unreached(s: Synthesis, ledger: Ledger, gene: str, offline: bool = False) -> None:
    reached = {ev.params.get("track") for ev in ledger.values() if ev.source == "ucsc"}
    missing = [t for t in ONLINE_TRACKS if t not in reached]
    if not any(ev.source == "regulomedb" for ev in ledger.values()):
        missing.append("RegulomeDB")
    if missing:
        why = _("not queried: offline") if offline else _("they did not answer")
        tracks = ", ".join(m for m in missing if m != "RegulomeDB")
        if "RegulomeDB" in missing:
            s.note(tr("Not consulted for {gene} ({why}): UCSC {tracks} and a RegulomeDB region search; the answer "
                      "rests on the bundled ENCODE, GENCODE and HPA/GTEx files.", gene=gene, why=why, tracks=tracks))
        else:
            s.note(tr("Not consulted for {gene} ({why}): UCSC {tracks}; the answer rests on the bundled ENCODE, "
                      "GENCODE and HPA/GTEx files.", gene=gene, why=why, tracks=tracks))


class RegulationNarrative(_GeneRegulation):
    """'Describe how TP53 is regulated (in K562)': promoter, activity, factors, elements, expression."""

    name = "regulation"

    def say(self, s, q, ledger, gene, cells):
        in_short.say_in_short(s, ledger, gene, cells)  # the reading first (issue 25), then the detail
        say.say_tss(s, ledger, gene)
        say.say_ccres(s, ledger, gene, cells)
        say.say_activity(s, ledger, gene, cells)
        in_short.say_in_context(s, ledger, gene, cells)
        if say.say_factors(s, ledger, gene, cells):
            s.note(_(say.CHIP2015_NOTE))
        say.say_online(s, ledger, gene)
        say.say_expression(s, ledger, gene)
        if not cells:  # no cell line named: the covered ones side by side
            s.table = in_short.cell_table(ledger, gene) or None


class BoundFactors(_GeneRegulation):
    """'Which TFs bind the MYC promoter (in K562)?'"""

    name = "bound_factors"

    def steps(self, q, ledger, step):
        calls = super().steps(q, ledger, step)
        if step == 0 and q.frame.values("target"):  # "Does MAX bind the NCL promoter?": that factor's gene sets
            calls += bundled.factor_calls(q.frame.values("target"))
        if step == 0 and not q.frame.values("target") and len(sets.genes_of(q)) > 1:  # 'shared by HBA1 and HBZ'
            calls += [RegulationEvidence(gene=g, cells=tuple(_cells(q))) for g in sets.genes_of(q)[1:]]
        return calls

    def say(self, s, q, ledger, gene, cells):
        if q.frame.values("target"):  # one named factor at the gene: yes / no / cannot tell (bundled.py)
            for factor in q.frame.values("target"):
                bundled.say_factor_at_gene(s, q, ledger, factor, gene, _cells(q))
            return
        if sets.say_over_genes(s, q, ledger, cells) or sets.say_over_cells(s, q, ledger, gene, cells):
            s.note(_(say.CHIP2015_NOTE))
            return
        factors = say.say_factors(s, ledger, gene, cells)
        say.say_online(s, ledger, gene)
        if factors:
            s.note(_(say.CHIP2015_NOTE))
            if q.has("regulat", "control"):  # 'which TFs regulate CD79A': what genelm holds is binding
                s.note(tr("These factors bind near {gene}'s promoter (ChIP-seq); binding shows where a factor sits, not "
                          "that it changes {gene}'s expression.", gene=gene))
            s.listed(factors)
            s.short_answer = ", ".join(factors)
        elif any(ev.key.split(":")[0] in ("chip2015", "peaks") for ev in ledger.values()):
            # Looked and found none: a list answer that says so (the sentences above name each file checked).
            s.short_answer = str(0) if q.frame.form == "count" else _("none found in the bundled ChIP-seq files")


class PromoterActivity(_GeneRegulation):
    """'Is the BRCA1 promoter active in K562?': the promoter-like cCRE at its TSS, CAGE and RAMPAGE there."""

    name = "promoter_activity"

    def steps(self, q, ledger, step):
        if step == 0 and not _cells(q) and q.frame.ask == "promoter_activity" and q.frame.form in ("list", "count"):
            # 'where is the ALB promoter active': every line genelm holds promoter evidence for (HepG2 by DNase)
            return [RegulationEvidence(gene=_gene(q), cells=("K562", "GM12878", "HepG2"))]
        return super().steps(q, ledger, step)

    def say(self, s, q, ledger, gene, cells):
        if bundled.signal_assays(q):  # "How strong is CAGE at the GAPDH promoter in GM12878?": the number, in context
            bundled.say_signal_value(s, q, ledger, gene, _cells(q))
            return
        say.say_tss(s, ledger, gene)
        marked = say.say_ccres(s, ledger, gene, cells)
        say.say_activity(s, ledger, gene, cells)
        say.say_online(s, ledger, gene)
        cage = [ev for ev in say.in_cells(say.evidence(ledger, "cage:"), cells) if ev.records]
        covered = [say.cell_of(ev) for ev in say.evidence(ledger, "ccre:")]
        uncovered = [c for c in cells if not any(say.same_cell(c, h) for h in covered)]
        open_chromatin = _say_dnase(s, ledger, gene, uncovered)
        if q.frame.form == "yes_no" and cells:
            _decide_activity(s, ledger, gene, cells, marked, cage, open_chromatin, uncovered)
        elif q.frame.ask == "ccres":  # 'what cCREs are near GATA1', 'how many cCREs …': the elements themselves
            s.short_answer = str(len(marked)) if q.frame.form == "count" else ", ".join(marked) or None
            s.listed(marked)
        else:
            ccre_cells = [say.cell_of(ev) for ev in say.in_cells(say.evidence(ledger, "ccre:"), cells)
                          if any(r.get("at_promoter") for r in ev.records)]  # at the promoter, as the yes/no rule
            _active_cells(s, q, ccre_cells, cage, covered, _dnase_cells(ledger, covered))
        if uncovered:
            if open_chromatin:
                s.note(tr("The bundled promoter-like cCRE, CAGE and RAMPAGE files cover K562 and GM12878 only, not "
                          "{cells}; DNase accessibility is what genelm holds there.", cells=", ".join(uncovered)))
            else:
                s.note(tr("The bundled promoter-like cCRE, CAGE and RAMPAGE files cover K562 and GM12878 only, not "
                          "{cells}; genelm cannot say whether the promoter is active there.",
                          cells=", ".join(uncovered)))


def _dnase_cells(ledger: Ledger, covered: list[str]) -> dict[str, bool]:
    """Cell lines the cCRE/CAGE files do not cover whose bundled DNase peaks were read: open at the promoter or not."""
    out: dict[str, bool] = {}
    for ev in say.evidence(ledger, "peaks:"):
        cell = str(ev.params.get("biosample") or "")
        if cell and "DNase" in ev.title and not any(say.same_cell(cell, c) for c in covered):
            out[cell] = out.get(cell, False) or bool(ev.records)
    return out


def _active_cells(s: Synthesis, q: Question, marked: list[str], cage, covered: list[str],
                  dnase: dict[str, bool]) -> None:
    """'Where is the CD3E promoter active?', 'in how many cell lines …': the cells the yes/no rule would call active
    (a promoter-like cCRE at the promoter, CAGE signal, or, where those files do not reach, an open DNase peak),
    counted or listed, and 'none' said over the cells checked."""
    active = list(dict.fromkeys([*marked, *(say.cell_of(ev) for ev in cage), *(c for c, o in dnase.items() if o)]))
    checked = list(dict.fromkeys([*covered, *dnase]))
    if q.frame.form == "count":
        s.short_answer = str(len(active))
        if checked:
            s.note(tr("Counted over the cell lines genelm's promoter-like cCRE and CAGE files (and, beyond them, DNase "
                      "peaks) cover: {cells}.", cells=", ".join(checked)))
    elif active:
        s.short_answer = ", ".join(active)
        s.listed(active)
    elif checked:
        s.short_answer = tr("none of {cells}", cells=", ".join(checked))


def _decide_activity(s: Synthesis, ledger: Ledger, gene: str, cells: list[str], marked, cage, opened: bool,
                     uncovered: list[str]) -> None:
    """Yes / no / cannot tell for 'is the promoter active in C', with the evidence that decides it first."""
    where = ", ".join(cells)
    keys = [ev.key for ev in say.in_cells(say.evidence(ledger, "ccre:"), cells) if ev.records] + \
        [ev.key for ev in cage] + [ev.key for ev in say.in_cells(say.evidence(ledger, "rampage:"), cells) if ev.records]
    dnase = [ev.key for ev in say.evidence(ledger, "peaks:") if ev.records and "DNase" in ev.title
             and any(say.same_cell(str(ev.params.get("biosample") or ""), c) for c in uncovered)]
    if marked or cage or opened:
        what = [w for w, found in ((_("a promoter-like cCRE"), marked), (_("CAGE signal"), cage),
                                   (_("an open-chromatin (DNase) peak"), opened)) if found]
        s.decide("yes", tr("Yes: {gene}'s promoter is active in {cells}: the bundled ENCODE files show {what} at it.",
                           gene=gene, cells=where, what=", ".join(what)), *(keys + dnase))
    elif not uncovered:
        checked = [ev.key for ev in say.in_cells(say.evidence(ledger, "ccre:") + say.evidence(ledger, "cage:")
                                                 + say.evidence(ledger, "rampage:"), cells)]
        s.decide("no", tr("No: in {cells}, nothing in the bundled files marks {gene}'s promoter as active (no "
                          "promoter-like cCRE, no CAGE or RAMPAGE signal at its TSSs).", cells=where, gene=gene), *checked)
    else:
        s.decide("cannot tell", tr("Cannot tell: no bundled cCRE, CAGE, RAMPAGE or DNase file shows {gene}'s promoter "
                                   "in {cells}.", gene=gene, cells=", ".join(uncovered)))


def _say_dnase(s: Synthesis, ledger: Ledger, gene: str, cells: list[str]) -> bool:
    """DNase peaks at the promoter in cell lines the cCRE/CAGE files do not cover; True when one is open there."""
    opened = False
    for ev in say.evidence(ledger, "peaks:"):
        biosample = str(ev.params.get("biosample") or "")
        if ev.params.get("assay") != "DNase-seq" and "DNase" not in ev.title:
            continue
        if not any(say.same_cell(biosample, c) for c in cells):
            continue
        if ev.records:
            rec = ev.records[0]
            s.say(tr("{gene}'s promoter is open chromatin in {biosample}: a DNase-seq peak of {accession} overlaps it "
                     "(signal {signal}).", gene=gene, biosample=biosample, accession=rec["accession"],
                     signal=rec["signal_value"]), ev.key)
            opened = True
        else:
            s.say(tr("No DNase-seq peak of the bundled {biosample} file overlaps {gene}'s promoter window.",
                     biosample=biosample, gene=gene), ev.key)
    return opened


class Expression(_GeneRegulation):
    """'Where is ALB expressed?': HPA and GTEx TPM by tissue and HPA's specificity group."""

    name = "expression"
    online = False
    by_cell = False

    def steps(self, q, ledger, step):
        if step == 0 and _cells(q):  # "Is MYB expressed in K562?": the cell line's TSS signal, not tissues
            return bundled.expression_calls(q, _gene(q))
        return [GeneExpression(gene=_gene(q), tissues=tuple(q.frame.values("tissue")))] if step == 0 else []

    def say(self, s, q, ledger, gene, cells):
        if _cells(q):
            bundled.say_expressed_in(s, q, ledger, gene, _cells(q))
            return
        top = re.search(r"\btop (\d{1,2})\b|\b(\d{1,2}) (?:tissues|highest)", q.lower)
        tops = say.say_expression(s, ledger, gene, top=min(int(next(g for g in top.groups() if g)), 35) if top else 3)
        rows = [row for tissue in q.frame.values("tissue") for row in _say_in_tissue(s, ledger, gene, tissue)]
        if q.frame.form == "yes_no" and rows:
            _decide_expressed(s, q, gene, rows)
        else:
            for row in rows:
                s.say(_row_sentence(row, gene), row["key"])
        if q.frame.form == "comparison" and rows:
            s.table = rows
            s.short_answer = "; ".join(f"{r['tissue']}: {r['tpm']} TPM ({r['source']})" for r in rows
                                       if r["source"] == "HPA v18") or None
        elif q.frame.form == "factoid" and rows:  # 'its TPM in pancreas': the value (HPA's first, as in a table)
            first = {}
            for row in rows:  # one value per tissue asked, HPA's where it measures the tissue
                first.setdefault(row["asked"], row)
            s.short_answer = f"{rows[0]['tpm']} TPM" if len(first) == 1 else \
                "; ".join(f"{r['tissue']}: {r['tpm']} TPM ({r['source']})" for r in first.values())
        elif q.frame.form == "factoid" and tops:  # 'the tissue where it is highest': HPA's first, with its value
            top_row = next((r for ev in say.evidence(ledger, f"hpa:{gene}") for r in ev.records
                            if r["tissue"] == tops[0]), None)
            s.short_answer = f"{tops[0]} ({top_row['tpm']} TPM, HPA v18)" if top_row else tops[0]
        elif tops and q.frame.form != "yes_no":
            s.short_answer = ", ".join(tops)
            s.listed(tops)


def _say_in_tissue(s: Synthesis, ledger: Ledger, gene: str, tissue: str) -> list[dict]:
    """The gene's TPM in one tissue by HPA and GTEx (a row each, with the key of the row cited)."""
    from genelm.regulation.evidence import tissue_expression_key

    rows = []
    for ev in say.evidence(ledger, f"hpa:{gene}") + say.evidence(ledger, f"gtex:{gene}"):
        source = "HPA v18" if ev.key.startswith("hpa") else "GTEx"
        # The tissue's own row when the call fetched it (normalised, and its citation names the tissue asked);
        # else the first of the table's tissues whose name holds the word.
        row = ledger.get(tissue_expression_key(gene, tissue, ev.source))
        rec = row.records[0] if row is not None and row.records else \
            next((r for r in ev.records if tissue.lower() in r["tissue"].lower()), None)
        if rec:
            key = row.key if row is not None and row.records else ev.key
            rows.append({"tissue": rec["tissue"], "tpm": rec["tpm"], "rank": rec["rank"], "source": source,
                         "count": len(ev.records), "key": key, "asked": tissue})
        else:
            s.note(tr("The bundled {source} table has no '{tissue}' tissue among the {count} it measures, so it cannot "
                      "answer for {tissue}.", source=source, tissue=tissue, count=len(ev.records)))
    return rows


def _row_sentence(row: dict, gene: str) -> str:
    return tr("In {tissue}, {gene} is at {tpm} TPM ({source}; rank {rank} of {count} tissues).", tissue=row["tissue"],
              gene=gene, tpm=row["tpm"], source=row["source"], rank=row["rank"], count=row["count"])


def _decide_expressed(s: Synthesis, q: Question, gene: str, rows: list[dict]) -> None:
    """'Is X expressed in liver (and brain)?': every tissue asked, by both atlases, at 1 TPM (HPA's detection cut-off).
    A tissue counts as expressed when an atlas measures 1 TPM or more there (a disagreement is said); several tissues
    joined by 'and' all must be, joined by 'or' any."""
    by_tissue: dict[str, list[dict]] = {}
    for row in rows:
        by_tissue.setdefault(row["asked"], []).append(row)
    expressed = {t: any(r["tpm"] >= 1 for r in rs) for t, rs in by_tissue.items()}
    either = re.search(r"\bor\b|\beither\b|或|还是|또는|이나", q.raw or q.text) is not None
    verdict = any(expressed.values()) if either else all(expressed.values())
    why = " ".join(_row_sentence(r, gene) for r in rows) + " " + _(
        "genelm counts 1 TPM or more as expressed (HPA's own detection cut-off).")
    if len(expressed) > 1 and len(set(expressed.values())) > 1:  # mixed: say which, before the values
        why = tr("Expressed in {yes}, not in {no}.", yes=", ".join(t for t, e in expressed.items() if e),
                 no=", ".join(t for t, e in expressed.items() if not e)) + " " + why
    split = [t for t, rs in by_tissue.items() if len({r["tpm"] >= 1 for r in rs}) > 1]
    if split:
        why += " " + tr("The two atlases disagree for {tissues}; one measuring 1 TPM or more counts.",
                        tissues=", ".join(split))
    s.decide("yes" if verdict else "no", why, *dict.fromkeys(r["key"] for r in rows))


class TissueTfs(Intent):
    """'Which TFs are upregulated in human liver?': HPA specificity groups joined with the Lambert TF list."""

    name = "tissue_tfs"

    def matches(self, q):
        return bool(q.frame.values("tissue"))

    def steps(self, q, ledger, step):
        if step == 0:
            source = "gtex" if q.has("gtex") else "hpa"  # the HPA groups unless the question asks for GTEx's
            return [TissueElevatedTfs(tissue=t, source=source) for t in q.frame.values("tissue")]
        if step == 1 and q.frame.values("biosample"):
            # "Which liver-elevated TFs have ChIP-seq in HepG2?": where was each of them profiled?
            tfs = {r["symbol"] for ev in _specific(ledger) for r in ev.records}
            return [FactorChipBiosamples(factor=tf) for tf in sorted(tfs)]
        return []

    def answer(self, q, ledger):
        s = Synthesis()
        cells = q.frame.values("biosample")
        per_tissue: list[tuple[str, list[str], str]] = []
        for ev in _specific(ledger):
            atlas = _("the Human Protein Atlas (v18)") if ev.key.startswith("hpa") else _("GTEx (TissueEnrich's groups)")
            if not ev.records:
                s.say(tr("No transcription factor of the Lambert 2018 list is in an elevated group of {atlas} for "
                         "{tissue}.", atlas=atlas, tissue=ev.params.get("tissue") or _("this tissue")), ev.key)
                continue
            by_group: dict[str, list[str]] = {}
            for r in ev.records:
                by_group.setdefault(r["Group"], []).append(r["symbol"])
            tissue = ev.records[0]["Tissue"]
            s.say(tr("{count} transcription factors (Lambert 2018) are elevated in {tissue} by {atlas}: {groups}.",
                     count=len(ev.records), tissue=tissue, atlas=atlas,
                     groups="; ".join(f"{g}: {', '.join(v)}" for g, v in by_group.items())),
                  ev.key)
            symbols = [r["symbol"] for r in ev.records]
            if cells:
                symbols = _profiled_in(s, ledger, symbols, cells, tissue)
            s.listed(symbols)
            s.short_answer = ", ".join(symbols) or None
            per_tissue.append((tissue, symbols, ev.key))
        if len(per_tissue) >= 2 and (op := set_operation(q.lower + " " + q.raw)) is not None:
            say_combined(s, op, [(t, syms) for t, syms, _k in per_tissue], [k for *_x, k in per_tissue],
                         _("Elevated transcription factors"))
        return s


def _specific(ledger: Ledger) -> list:
    """The tissue-specificity Evidence (HPA's 'hpa-specific:' or GTEx's 'gtex-specific:')."""
    return say.evidence(ledger, "hpa-specific:") + say.evidence(ledger, "gtex-specific:")


def _profiled_in(s: Synthesis, ledger: Ledger, symbols: list[str], cells: list[str], tissue: str) -> list[str]:
    """The tissue's elevated TFs that ENCODE profiled by TF ChIP-seq in the named cells (2019 report), cited."""
    found, keys = [], []
    for symbol in symbols:
        ev = ledger.get(f"encode-chip2019:{symbol}")
        hits = [r for r in (ev.records if ev else []) if any(say.same_cell(r["Biosample term name"], c) for c in cells)]
        if hits:
            found.append(f"{symbol} ({', '.join(r['Accession'] for r in hits[:3])})")
            keys.append(ev.key)
    named = " or ".join(cells)
    if found:
        s.say(tr("Of the {tissue}-elevated TFs, {count} have ENCODE TF ChIP-seq in {cells} (the portal's report of "
                 "2019-10-04): {factors}.", tissue=tissue, count=len(found), cells=named, factors=", ".join(found)),
              *keys)
    else:
        s.note(tr("None of the {tissue}-elevated TFs has TF ChIP-seq in {cells} in the portal's 2019-10-04 report "
                  "bundled with genelm; the live portal was not queried.", tissue=tissue, cells=named))
    return [f.split(" (")[0] for f in found]


class FactorBiosamples(Intent):
    """'In which biosamples has ENCODE profiled HNRNPH1 by ChIP-seq?' (the portal's 2019 TF ChIP-seq report)."""

    name = "factor_biosamples"

    def matches(self, q):
        # The 2019 report is TF ChIP-seq only: histone marks and other assays go to the graph or the ENCODE index.
        targets = q.frame.values("target")
        return bool(targets) and not any(e.attrs.get("class") == "histone mark" for e in q.all("target")) \
            and q.frame.constraint("assay") in (None, "TF ChIP-seq", "ChIP-seq")

    def steps(self, q, ledger, step):
        return [FactorChipBiosamples(factor=t) for t in q.frame.values("target")] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        for ev in say.evidence(ledger, "encode-chip2019:"):
            factor = ev.key.split(":", 1)[1]
            cells = list(dict.fromkeys(r["Biosample term name"] for r in ev.records))
            if cells:
                s.say(ngettext("ENCODE profiled {factor} by TF ChIP-seq in {count} biosample: {cells} ({experiments} "
                               "experiments in the portal's report of 2019-10-04).",
                               "ENCODE profiled {factor} by TF ChIP-seq in {count} biosamples: {cells} ({experiments} "
                               "experiments in the portal's report of 2019-10-04).", len(cells)).format(
                    factor=factor, count=len(cells), cells=", ".join(cells), experiments=len(ev.records)), ev.key)
                s.listed(cells)
                s.short_answer = ", ".join(cells)
            else:
                s.say(tr("The ENCODE portal's TF ChIP-seq report of 2019-10-04 (GRCh38, released) lists no experiment "
                         "on {factor}; newer experiments may exist (the live portal was not queried).", factor=factor),
                      ev.key)
        return s


class FactorBindingBiosamples(FactorBiosamples):
    """'Which cell types show POLR2A enrichment near the TP53 promoter?'"""

    name = "factor_binding_biosamples"

    def steps(self, q, ledger, step):
        gene = _gene(q)
        if step == 0:  # the gene's own evidence, and every cell line's 2015 gene set of each factor named
            factor_sets = bundled.factor_calls(q.frame.values("target"))
            return [RegulationEvidence(gene=gene), *factor_sets, *super().steps(q, ledger, 0)] if gene \
                else super().steps(q, ledger, 0)
        return _online_calls(q, ledger, gene) if step == 1 and gene else []

    def answer(self, q, ledger):
        s = Synthesis()
        gene = _gene(q)
        for factor in q.frame.values("target"):
            online, keys = say.regulome_biosamples(ledger, factor)
            if online:
                s.say(ngettext("RegulomeDB's ENCODE ChIP-seq peaks place {factor} at {gene}'s promoter in {count} "
                               "biosample: {cells}.",
                               "RegulomeDB's ENCODE ChIP-seq peaks place {factor} at {gene}'s promoter in {count} "
                               "biosamples: {cells}.", len(online)).format(
                    factor=factor, gene=gene, count=len(online), cells=", ".join(online)), *keys)
                s.listed(online)
                s.short_answer = ", ".join(online)
            every = ledger.get(f"chip2015-genes:{factor.upper()}:all")
            if every is not None and every.params.get("biosamples"):
                # every line's gene set of the factor, filtered to the cells asked, hedged ('not listed' is no proof)
                bundled.say_factor_at_gene(s, q, ledger, factor, gene, _cells(q))
                if q.frame.form == "count":
                    s.short_answer = str(len(s.items or []))
                elif not s.short_answer:  # none listed: over how many lines, the 'No' sentence above hedges it
                    lines = [b for b in every.params["biosamples"]
                             if not _cells(q) or any(say.same_cell(b, c) for c in _cells(q))]
                    s.short_answer = tr("none of the {total} cell lines profiled", total=len(lines))
                continue
            bound = [say.cell_of(ev) for ev in say.evidence(ledger, "chip2015:")
                     if any(r["tf"] == factor for r in ev.records)]
            chip = say.evidence(ledger, "chip2015:")
            if bound:
                s.say(tr("In the ENCODE TF ChIP-seq 2015 gene sets, {factor} binds near {gene}'s promoter in {cells}.",
                         factor=factor, gene=gene, cells=", ".join(bound)),
                      *(ev.key for ev in chip if say.cell_of(ev) in bound))
                s.listed(bound)
                s.short_answer = s.short_answer or ", ".join(bound)
            elif chip and not online:
                s.note(tr("The ENCODE TF ChIP-seq 2015 gene sets bundled with genelm have no {factor} set listing "
                          "{gene} (in {cells}), so they cannot say where {factor} binds it.", factor=factor, gene=gene,
                          cells=", ".join(say.cell_of(ev) for ev in chip)))
        profiled = super().answer(q, ledger)
        if not s.short_answer and profiled.sentences:
            s.note(_("What genelm can say offline is where ENCODE profiled the factor, not whether it was enriched at "
                     "this promoter there:"))
        s.sentences += profiled.sentences
        if gene:
            _say_unreached(s, ledger, gene, q.offline)
        return s


class FactorTargets(Intent):
    """'Which genes does MYC bind in K562?' (the 2015 gene sets)."""

    name = "factor_targets"

    def matches(self, q):
        return _gene(q) is not None

    def steps(self, q, ledger, step):
        if step != 0:
            return []
        factors = sets.factors_of(q) if q.frame.form != "yes_no" else []
        return [c for f in (factors if len(factors) > 1 else [_gene(q)]) for c in bundled.factor_target_calls(q, f)]

    def answer(self, q, ledger):
        s = Synthesis()
        if (pair := bundled.factor_target_pair(q)) is not None:  # "Is MDM2 a target of TP53?": decided
            bundled.say_factor_at_gene(s, q, ledger, pair[0], pair[1], _cells(q))
            return s
        _say_proxies(s, q)  # 'in B cells': GM12878 stands in, and the answer says so
        bundled.say_factor_target_scope(s, q, ledger, _gene(q))
        if q.frame.form != "yes_no" and sets.say_targets_over_factors(s, q, ledger, _cells(q)):
            s.note(_(say.CHIP2015_NOTE))
            return s
        for ev in say.evidence(ledger, "chip2015-genes:"):
            if _cells(q) and (ev.key.endswith(":all") or not ev.records):
                continue  # read to name where the factor was profiled; a named line without a set is said above
            genes = list(dict.fromkeys(r["gene"] for r in ev.records))
            where = _("any cell line") if ev.key.endswith(":all") else say.cell_of(ev)
            if genes:
                if len(genes) > 25:
                    s.say(tr("The ENCODE TF ChIP-seq 2015 gene sets list {count} genes bound near their promoter by "
                             "{factor} in {cells}, e.g. {genes}.", count=f"{len(genes):,}", factor=ev.key.split(":")[1],
                             cells=where, genes=", ".join(genes[:25])), ev.key)
                else:
                    s.say(tr("The ENCODE TF ChIP-seq 2015 gene sets list {count} genes bound near their promoter by "
                             "{factor} in {cells}: {genes}.", count=f"{len(genes):,}", factor=ev.key.split(":")[1],
                             cells=where, genes=", ".join(genes)), ev.key)
                s.listed(genes)
            else:
                s.say(tr("No ENCODE TF ChIP-seq 2015 gene set of {factor} in {cells} is bundled.",
                         factor=ev.key.split(":")[1], cells=where), ev.key)
        if s.sentences:
            s.note(_(say.CHIP2015_NOTE))
        sets.list_answer(s, s.items or [])
        if not s.items and _cells(q) and q.frame.form == "list":  # no gene set of the factor in the cells asked
            s.short_answer = tr("no bundled data for {factor} in {cells}", factor=_gene(q), cells=", ".join(_cells(q)))
        return s
