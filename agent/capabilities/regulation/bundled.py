"""What the bundled regulation files answer directly (issue 23, item 5), for the regulation intents to call:

- a factor at a gene, as yes / no / cannot tell (``say_factor_at_gene``): the ENCODE TF ChIP-seq 2015 gene sets of
  the factor (any cell line, or the named ones) and the bundled MYC/MAX peaks (K562);
- CAGE/RAMPAGE at a gene's promoter in a cell line, as a number in context (``say_signal_value``);
- "is X expressed in <cell line>" from that TSS signal (``say_expressed_in``);
- the genes of a region with an active promoter in a cell line (``RegionPromoters``).

Every sentence cites the Evidence it reads; numbers come from its records.
"""
from __future__ import annotations

from functools import lru_cache

from genelm.agent.capabilities.regulation import sentences as say
from genelm.agent.capabilities.regulation.calls import FactorTargetGenes, PromoterSignal, RegionPromoterActivity
from genelm.agent.core.question import Intent, Ledger, Question
from genelm.agent.core.synthesis import Sentence, Synthesis
from genelm.i18n import _, tr

SIGNAL_ASSAYS = {"CAGE": "cage", "RAMPAGE": "rampage"}
UNITS = {"cage": "TPM", "rampage": "RPM"}


def _spell(code: str) -> str:
    """A 2015 gene-set library's cell code as ENCODE writes the biosample: HEPG2 -> HepG2, CD14POSITIVEMONOCYTE ->
    CD14-positive monocyte (matched to the bundled ENCODE index's names); else the code, lower case if a word."""
    named = say.ENCODE_SPELLING.get(code.upper().replace("-", "")) or _encode_names().get(code.lower())
    return named or (code.lower() if code.isalpha() and len(code) > 6 else code)  # ERYTHROBLAST -> erythroblast


@lru_cache(maxsize=1)
def _encode_names() -> dict[str, str]:
    from genelm.connectors.encode_index import encode_index, norm

    out: dict[str, str] = {}
    # The index holds both 'CD14-positive monocyte' and 'CD14-positive-monocyte': the one written with spaces wins.
    for name in sorted(encode_index().biosamples, key=lambda b: (-b.count(" "), b.count("-"), b)):
        out.setdefault(norm(name), name)
    return out


def covered_cells() -> tuple[str, ...]:
    from genelm.regulation.signal import covered_cells as covered

    return covered()


# --- a factor at a gene: yes / no / cannot tell ------------------------------------------------------------------

def factor_calls(factors: list[str]) -> list:
    """The 2015 gene sets of each factor, every cell line (the answer filters by the named ones itself)."""
    from genelm.regulation import chip_targets

    known = set(chip_targets())
    return [FactorTargetGenes(factor=f) for f in factors if f.upper() in known]


def say_factor_at_gene(s: Synthesis, q: Question, ledger: Ledger, factor: str, gene: str, cells: list[str]) -> None:
    """Whether ``factor`` binds near ``gene`` (in ``cells``, or any covered line): the verdict when the form is
    yes/no, the cell lines where it does as the short answer otherwise."""
    factor = factor.upper()
    sets = say.evidence(ledger, f"chip2015-genes:{factor}:")
    recs = [r for ev in sets for r in ev.records]
    profiled = sorted({r["biosample"] for r in recs})
    if cells:
        in_named = [c for c in profiled if any(say.same_cell(c, n) for n in cells)]
    else:
        in_named = profiled
    listed = sorted({r["biosample"] for r in recs if r["gene"] == gene and r["biosample"] in in_named})
    peak_hits, peak_keys, peak_lines = [], [], []
    for ev in say.evidence(ledger, "peaks:"):
        if str(ev.params.get("target") or "").upper() != factor or ev.params.get("gene") != gene:
            continue
        if cells and not any(say.same_cell(str(ev.params.get("biosample")), c) for c in cells):
            continue
        peak_lines.append(str(ev.params.get("biosample")))
        peak_keys.append(ev.key)
        if ev.records:
            peak_hits.append(ev)
    keys = [ev.key for ev in sets]
    yes_no = q.frame.form == "yes_no"
    s.applied.add("target")
    if cells:
        s.applied.add("biosample")  # applied below, or named where nothing covers it
    if listed or peak_hits:
        parts = []
        if listed:
            parts.append(tr("the ENCODE TF ChIP-seq 2015 gene set of {factor} in {cells} lists {gene} (a {factor} "
                            "peak near its promoter)", factor=factor, cells=", ".join(_spell(c) for c in listed),
                            gene=gene))
        for ev in peak_hits:
            rec = max(ev.records, key=lambda r: r["signal_value"])
            parts.append(tr("a {factor} ChIP-seq peak of {accession} in {cell} lies within {flank} bp of one of "
                            "{gene}'s TSSs (signal {signal})", factor=factor, accession=rec["accession"], cell=rec["biosample"],
                            flank=ev.params.get("flank_bp", 500), gene=gene, signal=rec["signal_value"]))
        cited = [ev.key for ev in sets if any(r["gene"] == gene and r["biosample"] in listed for r in ev.records)]
        cited += [ev.key for ev in peak_hits]
        why = tr("Yes: {evidence}.", evidence="; ".join(parts))
        if yes_no:
            s.decide("yes", why, *cited)
        else:
            s.say(why, *cited)
            s.short_answer = ", ".join([_spell(c) for c in listed] + [ev.params["biosample"] for ev in peak_hits])
        s.listed([_spell(c) for c in listed] + [str(ev.params["biosample"]) for ev in peak_hits])
        others = [c for c in in_named if c not in listed]
        if others:
            s.say(tr("Its {factor} gene sets in {cells} do not list {gene}.", factor=factor,
                     cells=", ".join(_spell(c) for c in others), gene=gene), *keys)
    elif in_named or peak_lines:
        lines = ", ".join(dict.fromkeys([_spell(c) for c in in_named] + peak_lines))
        why = tr("No: {factor} was profiled by ENCODE TF ChIP-seq in {cells} and none of its 2015 gene sets there lists "
                 "{gene}{peaks}; not listed means no peak near {gene}'s promoter in those experiments (hg19-era "
                 "calls), not proof that {factor} never binds it.", factor=factor, cells=lines, gene=gene,
                 peaks=tr(", nor does a bundled {factor} peak lie within 500 bp of one of {gene}'s TSSs", factor=factor,
                          gene=gene) if peak_lines else "")
        if yes_no:
            s.decide("no", why, *keys, *peak_keys)
        else:
            s.say(why, *keys, *peak_keys)
    else:
        if profiled:
            why = tr("genelm cannot tell: the ENCODE TF ChIP-seq 2015 gene sets profile {factor} in {profiled}, not in "
                     "{cells}, and no bundled {factor} peak file covers {cells}.", factor=factor,
                     profiled=", ".join(_spell(c) for c in profiled), cells=", ".join(cells))
            if yes_no:
                s.decide("cannot tell", why, *keys)
            else:
                s.say(why, *keys)
        else:
            why = tr("genelm cannot tell: the bundled ENCODE TF ChIP-seq 2015 gene sets have no experiment on {factor}, "
                     "and its bundled peak files are MYC and MAX in K562 only.", factor=factor)
            if cells:  # the place asked, named: nothing bundled covers the factor there
                why += " " + tr("No bundled file covers {factor} in {cells}.", factor=factor, cells=", ".join(cells))
            if yes_no:
                s.decide("cannot tell", why)
            else:
                s.note(why)
    if q.has("regulat", "target"):
        s.note(tr("A gene set of ChIP-seq binding near the promoter is what genelm holds; it shows where {factor} binds, "
                  "not that it changes {gene}'s expression.", factor=factor, gene=gene))
    s.note(_(say.CHIP2015_NOTE))


# --- CAGE / RAMPAGE at a gene ------------------------------------------------------------------------------------

def signal_assays(q: Question) -> list[str]:
    """The TSS assays a question names (frame constraint assay), as context keys: ['cage'], ['rampage'], …"""
    return [SIGNAL_ASSAYS[a.upper()] for a in q.frame.values("assay") if a.upper() in SIGNAL_ASSAYS]


def _context(ledger: Ledger, assay: str, cell: str, gene: str):
    return ledger.get(f"context:{assay}:{cell}:{gene}")


def _peaks(ledger: Ledger, assay: str, cell: str, gene: str):
    return ledger.get(f"{assay}:{cell}:{gene}")


def _say_one(s: Synthesis, ledger: Ledger, assay: str, cell: str, gene: str) -> tuple[float | None, list[str]]:
    """One sentence: the assay's value at the gene's promoter in the cell line, with its percentile; (value, keys)."""
    ctx, peaks = _context(ledger, assay, cell, gene), _peaks(ledger, assay, cell, gene)
    if ctx is None or not ctx.records:
        return None, []
    rec = ctx.records[0]
    keys = [k for k in (peaks.key if peaks else None, ctx.key) if k]
    name, unit = rec["assay"], rec["unit"]
    if rec.get("percentile") is None:
        if assay == "cage":
            s.say(tr("No CAGE peak (the file keeps peaks of at least 1 TPM) lies within {flank} bp of a same-strand "
                     "GENCODE v24 TSS of {gene} in {cell}; {n} {cell} promoters have one.", flank=500, gene=gene,
                     cell=cell, n=f"{rec['promoters_with_signal']:,}"), *keys)
        else:
            s.say(tr("No RAMPAGE rPeak with reads lies within {flank} bp of a same-strand GENCODE v24 TSS of {gene} in "
                     "{cell}; {n} {cell} promoters have one.", flank=500, gene=gene, cell=cell,
                     n=f"{rec['promoters_with_signal']:,}"), *keys)
        return None, keys
    value = rec["value"]
    where = ""
    if peaks and peaks.records:
        top = max(peaks.records, key=lambda r: r.get("tpm") or r.get("rpm") or 0)
        if top.get("summit") is not None:
            where = f", {top['chrom']}:{int(top['summit']):,}"
        count = len(peaks.records)
        where = tr(" (the strongest of {count} peaks within 500 bp of a same-strand TSS{where})", count=count,
                   where=where) if count > 1 else tr(" (one peak within 500 bp of a same-strand TSS{where})", where=where)
    s.say(tr("{assay} at {gene}'s promoter in {cell}: {value} {unit}{where}, the {pct} percentile of the {n} {cell} "
             "promoters with {assay} signal ({level}; median {median} {unit}, strong from {strong} {unit}).",
             assay=name, gene=gene, cell=cell, value=say.num(value), unit=unit, where=where,
             pct=say.ordinal(rec["percentile"]), n=f"{rec['promoters_with_signal']:,}", level=_(rec["level"]),
             median=say.num(rec["median"]), strong=say.num(rec["strong_from"])), *keys)
    return float(value), keys


def _covered(cells: list[str]) -> tuple[list[str], list[str]]:
    covered = covered_cells()
    named = [next((c for c in covered if say.same_cell(c, x)), None) for x in cells]
    return [c for c in named if c], [x for x, c in zip(cells, named) if c is None]


def say_signal_value(s: Synthesis, q: Question, ledger: Ledger, gene: str, cells: list[str]) -> None:
    """'How strong is CAGE at the GAPDH promoter in GM12878?': the value (short answer), its standing, cited."""
    assays = signal_assays(q) or ["cage", "rampage"]
    hit, missing = _covered(cells) if cells else (list(covered_cells()), [])
    values = []
    for cell in hit:
        s.applied.add("biosample")
        for assay in assays:
            value, keys = _say_one(s, ledger, assay, cell, gene)
            if keys:
                s.applied.add("assay")
                values.append((cell, assay, value))
    if missing:
        s.note(tr("CAGE and RAMPAGE are bundled for {covered} only, not {cells}; genelm cannot give their signal "
                  "there.", covered=", ".join(covered_cells()), cells=", ".join(missing)))
    if values and q.frame.form == "yes_no":
        active = [(c, a) for c, a, v in values if v]
        keys = [k for c, a, _v in values for k in (f"{a}:{c}:{gene}", f"context:{a}:{c}:{gene}") if k in ledger]
        if active:
            s.decide("yes", tr("Yes: {assays} signal marks transcription starting at {gene}'s promoter in {cells}.",
                               assays="/".join(dict.fromkeys(a.upper() for _c, a in active)), gene=gene,
                               cells=", ".join(dict.fromkeys(c for c, _a in active))), *keys)
        else:
            s.decide("no", tr("No: no {assays} signal lies at {gene}'s promoter in {cells}.",
                              assays="/".join(a.upper() for a in assays), gene=gene,
                              cells=", ".join(dict.fromkeys(c for c, _a, _v in values))), *keys)
    elif values:
        shown = [(c, a, v) for c, a, v in values]
        if len(shown) == 1:
            s.short_answer = say.num(shown[0][2]) if shown[0][2] is not None else "0"
        else:
            s.short_answer = "; ".join(f"{c} {a.upper()}: {say.num(v) if v is not None else 0} {UNITS[a]}"
                                       for c, a, v in shown)


def say_expressed_in(s: Synthesis, q: Question, ledger: Ledger, gene: str, cells: list[str]) -> None:
    """'Is MYB expressed in K562?': yes/no from CAGE/RAMPAGE at its TSSs in the cell line (value, percentile)."""
    hit, missing = _covered(cells)
    tss = ledger.get(f"tss:{gene}")
    verdicts: dict[str, bool] = {}
    keys: list[str] = []
    for cell in hit:
        s.applied.add("biosample")
        cage, cage_keys = _say_one(s, ledger, "cage", cell, gene)
        rampage, rampage_keys = _say_one(s, ledger, "rampage", cell, gene)
        verdicts[cell] = bool(cage or rampage)
        keys += cage_keys + rampage_keys
    n_tss = len({r["pos"] for r in tss.records}) if tss else 0
    if verdicts:
        yes = [c for c, v in verdicts.items() if v]
        no = [c for c, v in verdicts.items() if not v]
        if yes:
            levels = [_level(ledger, a, c, gene) for c in yes for a in ("cage", "rampage")]
            weak = all(lv in (None, "none", "weak") for lv in levels)
            why = tr("{answer}: transcription starts at {gene}'s promoter in {cells}, by TSS signal at its GENCODE v24 "
                     "TSSs ({values}){others}.", answer=_("Yes, weakly") if weak else _("Yes"), gene=gene,
                     cells=", ".join(yes), values="; ".join(v for c in yes for v in _values(ledger, c, gene)),
                     others=tr("; not in {cells}", cells=", ".join(no)) if no else "")
            if weak:
                why += " " + tr("Its signal is in the bottom quarter of the {cells} promoters with signal.",
                                cells=", ".join(yes))
            verdict = "yes"
        else:
            why = tr("No: neither a CAGE peak (>= 1 TPM) nor RAMPAGE reads lie within 500 bp of any of {gene}'s {n} "
                     "GENCODE v24 TSS positions in {cells}, so transcription from its annotated promoters is not "
                     "detected there.", gene=gene, n=n_tss, cells=", ".join(no))
            verdict = "no"
        if q.frame.form == "yes_no":
            s.decide(verdict, why, *keys)
        else:
            s.sentences.insert(0, Sentence(why, keys))
            s.short_answer = _(verdict)
        s.note(tr("The evidence is TSS signal (CAGE, RAMPAGE) at {gene}'s annotated promoters in the cell line, which "
                  "shows its transcription starting there; it is not an RNA-seq measure of {gene}'s transcripts, and "
                  "genelm bundles no cell-line RNA-seq.", gene=gene))
    if missing:
        why = tr("genelm cannot tell for {cells}: the bundled TSS signal (CAGE, RAMPAGE) covers {covered} only, and "
                 "HPA/GTEx measure tissues, not cell lines.", cells=", ".join(missing),
                 covered=", ".join(covered_cells()))
        if not verdicts and q.frame.form == "yes_no":
            s.decide("cannot tell", why)
        else:
            s.note(why)
        _say_tissue_stand_ins(s, ledger, gene, q.frame.values("biosample"))


def _say_tissue_stand_ins(s: Synthesis, ledger: Ledger, gene: str, cells: list[str]) -> None:
    """'Is ALB expressed in hepatocytes?': the value in the tissue they are found in (liver), said as the tissue's."""
    from genelm.regulation.evidence import tissue_expression_key

    for cell, tissue in tissue_stand_ins(cells):
        row = ledger.get(tissue_expression_key(gene, tissue))
        if row is None or not row.records:
            continue
        rec = row.records[0]
        s.say(tr("What genelm holds nearest: HPA v18 measures {gene} at {tpm} TPM in {tissue} tissue (rank {rank} of "
                 "{count} tissues), where the cell type {cell} is found; that is the tissue's value, not the cell "
                 "type's own.",
                 tissue=rec["tissue"], cell=cell, gene=gene, tpm=rec["tpm"], rank=rec["rank"],
                 count=row.params.get("tissues_measured", "?")), row.key)


def _level(ledger: Ledger, assay: str, cell: str, gene: str) -> str | None:
    ctx = _context(ledger, assay, cell, gene)
    return ctx.records[0]["level"] if ctx is not None and ctx.records else None


def _values(ledger: Ledger, cell: str, gene: str) -> list[str]:
    """'CAGE 72.1 TPM, 85th percentile (strong)' for each assay with signal at the gene in the cell line."""
    out = []
    for assay in ("cage", "rampage"):
        ctx = _context(ledger, assay, cell, gene)
        rec = ctx.records[0] if ctx is not None and ctx.records else None
        if rec and rec.get("percentile") is not None:
            out.append(f"{cell} {rec['assay']} {say.num(rec['value'])} {rec['unit']}, {say.ordinal(rec['percentile'])} "
                       f"percentile ({_(rec['level'])})")
    return out


def expression_calls(q: Question, gene: str) -> list:
    """TSS signal in the cells asked; for a cell type no per-cell file covers, its tissue's row (said as such)."""
    from genelm.agent.capabilities.regulation.calls import GeneExpression

    cells = q.frame.values("biosample")
    tissues = tuple(dict.fromkeys(t for _cell, t in tissue_stand_ins(cells)))
    return [PromoterSignal(gene=gene, cells=tuple(cells))] + ([GeneExpression(gene=gene, tissues=tissues)]
                                                                if tissues else [])


def tissue_stand_ins(cells: list[str]) -> list[tuple[str, str]]:
    """(cell type, HPA tissue it is found in) for the asked cells the bundled TSS signal does not cover."""
    from genelm.data.cell_types import proxy_for

    out = []
    for cell in cells:
        c = proxy_for(cell)
        if c is not None and c.tissue and _covered([c.proxy or cell])[1]:  # nor does its stand-in line
            out.append((c.name, c.tissue))
    return out


# --- genes of a region with an active promoter -------------------------------------------------------------------

def _region(q: Question):
    return next((e for e in q.all("region") if not e.attrs.get("single_base")), None)


class RegionPromoters(Intent):
    """'Which genes in chr17:7,600,000-7,700,000 have active promoters in K562?'"""

    name = "region_promoters"

    def matches(self, q):
        if _region(q) is None:
            return False
        return (q.has("active") and q.has("promoter")) or q.has("cage", "rampage", "expressed", "transcribed")

    def steps(self, q, ledger, step):
        region = _region(q)
        if step or region is None or region.attrs.get("assembly", "GRCh38") != "GRCh38":
            return []
        cells, _missing = _covered(q.frame.values("biosample"))
        a = region.attrs
        return [RegionPromoterActivity(chromosome=a["chromosome"], start=a["start"], end=a["end"], cell=c)
                for c in (cells or ([] if q.frame.values("biosample") else list(covered_cells())))]

    def answer(self, q, ledger):
        s = Synthesis()
        region = _region(q)
        a = region.attrs
        where = f"{a['chromosome']}:{a['start']:,}-{a['end']:,}"
        if a.get("assembly", "GRCh38") != "GRCh38":
            s.note(tr("The bundled CAGE, RAMPAGE, cCRE and gene tables are GRCh38; genelm does not convert {where} from "
                      "{assembly}.", where=where, assembly=a["assembly"]))
            return s
        cells, missing = _covered(q.frame.values("biosample"))
        if missing:
            s.note(tr("CAGE, RAMPAGE and promoter-like cCREs are bundled for {covered} only, not {cells}.",
                      covered=", ".join(covered_cells()), cells=", ".join(missing)))
        for ev in say.evidence(ledger, "region-promoters:"):
            cell = ev.params["cell"]
            s.applied.add("biosample")
            active = [r for r in ev.records if r["active"]]
            inactive = [r for r in ev.records if not r["active"] and r["tss"]]
            no_tss = [r for r in ev.records if not r["tss"]]
            if not ev.records:
                s.say(tr("No Ensembl 110 gene overlaps {where} (GRCh38).", where=where), ev.key)
                continue
            if active:
                s.say(tr("In {cell}, {n} of the {total} Ensembl 110 genes overlapping {where} (GRCh38) have an active "
                         "promoter (a CAGE peak, RAMPAGE reads or a promoter-like cCRE within 500 bp of a GENCODE v24 "
                         "TSS): {genes}.", cell=cell, n=len(active), total=len(ev.records), where=where,
                         genes="; ".join(_describe(r) for r in active)), ev.key)
            else:
                s.say(tr("In {cell}, none of the {total} Ensembl 110 genes overlapping {where} (GRCh38) has a CAGE peak, "
                         "RAMPAGE reads or a promoter-like cCRE within 500 bp of a GENCODE v24 TSS.", cell=cell,
                         total=len(ev.records), where=where), ev.key)
            if inactive:
                s.say(tr("Not active in {cell} by that rule: {genes}.", cell=cell,
                         genes=", ".join(r["symbol"] for r in inactive)), ev.key)
            if no_tss:
                s.say(tr("No GENCODE v24 basic TSS, so not assessed: {genes}.",
                         genes=", ".join(r["symbol"] for r in no_tss)), ev.key)
            s.listed([r["symbol"] for r in active])
        if s.items:
            s.short_answer = ", ".join(s.items)
        elif s.items is None and not s.sentences:
            s.note(tr("genelm's bundled files hold no promoter activity for {where} in the named cell line.", where=where))
        return s


def _describe(r: dict) -> str:
    bits = []
    if r.get("cage_tpm"):
        bits.append(f"CAGE {say.num(r['cage_tpm'])} TPM, {say.ordinal(r['cage_percentile'])} percentile")
    if r.get("rampage_rpm"):
        bits.append(f"RAMPAGE {say.num(round(r['rampage_rpm'], 2))} RPM")
    if r.get("pls"):
        bits.append(f"PLS {r['pls']}")
    return f"{r['symbol']} ({'; '.join(bits)})"


# --- factor_targets: the cell-line filter applied or named; "is G a target of F" decided ---------------------------

def factor_target_pair(q: Question) -> tuple[str, str] | None:
    """(factor, gene) of a yes/no factor_targets question ('Is MDM2 a target of TP53?'), else None."""
    if q.frame.form != "yes_no":
        return None
    from genelm.regulation import chip_targets

    genes = list(dict.fromkeys([*q.frame.values("target"), *(a for a in q.frame.about if a.upper() == a)]))
    genes = [g for g in genes if g] or [e.value for e in q.all("gene")]
    if len(genes) < 2:
        return None
    known = set(chip_targets())
    factor = next((g for g in genes if g.upper() in known), genes[0])
    gene = next(g for g in genes if g != factor)
    return factor, gene


def factor_target_calls(q: Question, factor: str) -> list:
    """The factor's 2015 gene sets: per named cell line the library holds, else every line (to name where it was
    profiled); for a yes/no pair also the bundled MYC/MAX peaks at the gene."""
    from genelm.agent.capabilities.regulation.calls import RegulationEvidence
    from genelm.regulation.factors import biosample_code, chip2015_biosamples

    pair = factor_target_pair(q)
    if pair is not None:
        factor, gene = pair
        calls = factor_calls([factor])
        if factor.upper() in ("MYC", "MAX"):
            calls.append(RegulationEvidence(gene=gene, cells=("K562",)))
        return calls
    known = set(chip2015_biosamples())
    cells = _proxied(q.frame.values("biosample"))
    calls = [FactorTargetGenes(factor=factor, cell=c) for c in cells if biosample_code(c) in known]
    return [*calls, FactorTargetGenes(factor=factor)]  # every line too: to name where the factor was profiled


def say_factor_target_scope(s: Synthesis, q: Question, ledger: Ledger, factor: str) -> None:
    """A named cell line the 2015 gene sets do not hold for the factor: said, with the lines they do hold."""
    cells = _proxied(q.frame.values("biosample"))
    if not cells:
        return
    every = ledger.get(f"chip2015-genes:{factor.upper()}:all")
    profiled = sorted({r["biosample"] for r in every.records}) if every else []
    held = [c for c in cells if ledger.get(f"chip2015-genes:{factor.upper()}:{_code(c)}") is not None
            and ledger[f"chip2015-genes:{factor.upper()}:{_code(c)}"].records]
    s.applied.add("biosample")
    for cell in cells:
        if cell in held:
            continue
        if profiled:
            s.say(tr("The ENCODE TF ChIP-seq 2015 gene sets hold no {factor} experiment in {cell}, so genelm cannot "
                     "list the genes it binds there; {factor} was profiled in {lines}.", factor=factor.upper(), cell=cell,
                     lines=", ".join(_spell(c) for c in profiled)), every.key)
        elif every is not None:  # the library searched for the factor and holds no set of it: a cited negative
            s.say(tr("The ENCODE TF ChIP-seq 2015 gene sets hold no {factor} experiment in {cell}; genelm cannot list "
                     "the genes it binds there.", factor=factor.upper(), cell=cell), every.key)
        else:
            s.note(tr("The ENCODE TF ChIP-seq 2015 gene sets hold no {factor} experiment in {cell}; genelm cannot list "
                      "the genes it binds there.", factor=factor.upper(), cell=cell))


def _proxied(cells: list[str]) -> list[str]:
    """Cell types as the bundled line that stands in for them (B cell -> GM12878; data/cell_types.tsv)."""
    from genelm.data.cell_types import proxy_for

    return list(dict.fromkeys((c.proxy if (c := proxy_for(b)) is not None and c.proxy else b) for b in cells))


def _code(cell: str) -> str:
    from genelm.regulation.factors import biosample_code

    return biosample_code(cell)
