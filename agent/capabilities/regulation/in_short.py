"""The reading that opens a regulation answer ("In short"), the numbers in context, and the per-cell table.

Everything here reads the ledger's regulation Evidence (genelm.regulation) and the
``context:`` Evidence of genelm.regulation.context (each value against its own
distribution), and cites both.  Sentences are deterministic: the same ledger gives the
same words.  The "In short" paragraph is 2-4 sentences, marked ``part="in_short"``:

1. is the promoter active, in which covered cell lines and how strongly (level word and
   percentile; the cut-offs follow as a note);
2. which bound factors stand out: the gene's own product, lineage TFs (HPA-elevated in
   the tissue the cell line comes from), other tissue-elevated TFs, general machinery;
3. where the gene is expressed and how specifically (HPA group, rank, fold over median);
4. only when sources disagree: what disagrees, said plainly.
"""
from __future__ import annotations

from genelm.agent.capabilities.regulation import sentences as say
from genelm.agent.core.question import Ledger
from genelm.agent.core.synthesis import Sentence, Synthesis
from genelm.evidence import Evidence
from genelm.i18n import N_, _, current, tr

IN_SHORT = "in_short"
ELEVATED = ("Tissue-Enriched", "Group-Enriched", "Tissue-Enhanced")
ADVERB = {"strong": "strongly", "moderate": "moderately", "weak": "weakly"}
_ACTIVE = {"strong": N_("strongly active in {cell} ({measure})"),
           "moderate": N_("moderately active in {cell} ({measure})"),
           "weak": N_("weakly active in {cell} ({measure})")}
_LEVEL = {"strong": N_("strong"), "moderate": N_("moderate"), "weak": N_("weak"), "none": N_("none")}
# genelm.regulation.context's MACHINERY_KIND values, said after a general-machinery factor
_MACHINERY_KINDS = (N_("basal transcription machinery"), N_("CTCF/cohesin architecture"))
LEVELS_NOTE = N_("Levels: CAGE, RAMPAGE and DNase values are placed among all promoters with signal in the same cell "
               "line (one value per gene: its strongest peak within 500 bp of a GENCODE v24 basic TSS); strong = at or "
               "above the 75th percentile, moderate = 25th-74th, weak = below the 25th, none = no peak (CAGE: no peak "
               ">= 1 TPM; RAMPAGE: no reads). None of these files defines 'high' itself; ENCODE SCREEN does for its "
               "cCREs, and its promoter-like call means DNase and H3K4me3 Z-scores above 1.64 in that cell line.")


def _join(items: list[str], last: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return items[0] if items else ""
    return tr(N_("{items} or {last}") if last == "or" else N_("{items} and {last}"), items=", ".join(items[:-1]),
              last=items[-1])


def _semi(parts: list[str]) -> str:
    """Clauses joined by semicolons ('a; b; c')."""
    parts = list(parts)
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out = tr("{first}; {second}", first=out, second=part)
    return out



def _context(ledger: Ledger, kind: str, cells: list[str]) -> list[Evidence]:
    return [ev for ev in say.evidence(ledger, f"context:{kind}:") if ev.records
            and (not cells or any(say.same_cell(str(ev.records[0].get("cell") or ev.key.split(":")[2]), c)
                                  for c in cells))]


def _one(evs: list[Evidence], cell: str) -> Evidence | None:
    return next((ev for ev in evs if say.same_cell(str(ev.key.split(":")[2]), cell)), None)


def _cell_keyed(ledger: Ledger, prefix: str, cell: str) -> Evidence | None:
    return next((ev for ev in say.evidence(ledger, prefix) if say.same_cell(say.cell_of(ev), cell)), None)


def _rec(ev: Evidence | None) -> dict:
    return ev.records[0] if ev is not None and ev.records else {}


def _ord(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _measure(rec: dict, what: str) -> str:
    """'CAGE 7.9 TPM, 41st percentile of the 11,951 K562 promoters with a CAGE peak' ('DNase signal 663, …')."""
    value = (tr("DNase signal {value}", value=say.num(rec["value"])) if rec["assay"] == "DNase-seq"
             else f"{rec['assay']} {say.num(rec['value'])} {rec['unit']}")
    return tr("{value}, {ordinal} percentile of the {count} {cell} promoters with {what}", value=value,
              ordinal=say.ordinal(rec["percentile"]), count=f"{rec['promoters_with_signal']:,}", cell=rec["cell"],
              what=_(what))


def _groups(elevated: list[dict], only: tuple[str, ...] | list[str] | None = None, most: int = 3) -> str:
    """HPA groups of a factor: 'Tissue-Enriched in Testis'; 'Tissue-Enhanced in Stomach, Lung and Prostate'."""
    by_group: dict[str, list[str]] = {}
    for e in elevated:
        if only is None or e["tissue"] in only:
            by_group.setdefault(e["group"], []).append(e["tissue"])
    return _semi([tr("{group} in {tissues}", group=g, tissues=_join(t[:most]) if len(t) <= most else
                     tr("{items} and more", items=", ".join(t[:most]))) for g, t in by_group.items()])


_WHAT = {"CAGE": N_("a CAGE peak"), "RAMPAGE": N_("RAMPAGE reads"), "DNase-seq": N_("a DNase peak")}


def activity_by_cell(ledger: Ledger, gene: str, cells: list[str]) -> list[dict]:
    """Per covered cell line: the first evidence of activity (CAGE, else RAMPAGE, else DNase), its level, keys."""
    out = []
    seen: list[str] = []
    for kind in ("cage", "rampage", "dnase"):
        for ev in _context(ledger, kind, cells):
            cell = ev.records[0]["cell"]
            if cell not in seen:
                seen.append(cell)
    for cell in seen:
        row = {"cell": cell, "level": "none", "by": None, "keys": [], "ccre": None, "ccre_key": None}
        for kind, raw in (("cage", "cage:"), ("rampage", "rampage:"), ("dnase", "peaks:")):
            ctx = _one(_context(ledger, kind, [cell]), cell)
            if ctx is None:
                continue
            rec = _rec(ctx)
            row[kind] = rec
            raw_ev = (_cell_keyed(ledger, raw, cell) if kind != "dnase"
                      else ledger.get(f"peaks:{rec.get('accession')}:{gene}"))
            row[f"{kind}_keys"] = [k for k in (raw_ev.key if raw_ev else None, ctx.key) if k]
            if row["by"] is None and rec["level"] != "none":
                row.update(level=rec["level"], by=kind, keys=row[f"{kind}_keys"])
        if row["by"] is None:
            row["keys"] = [k for kind in ("cage", "rampage", "dnase") for k in row.get(f"{kind}_keys", [])]
        ccre = _cell_keyed(ledger, "ccre:", cell)
        if ccre is not None:
            row["ccre"] = [r["accession"] for r in ccre.records if r.get("at_promoter")]
            row["ccre_key"] = ccre.key
        out.append(row)
    return out


def _activity_sentence(gene: str, rows: list[dict]) -> tuple[str, list[str]] | None:
    active = [r for r in rows if r["by"] in ("cage", "rampage")]
    open_ = [r for r in rows if r["by"] == "dnase"]
    silent = [r for r in rows if r["by"] is None and ("cage" in r or "rampage" in r)]
    closed = [r for r in rows if r["by"] is None and "cage" not in r and "rampage" not in r and "dnase" in r]
    if not (active or open_ or silent or closed):
        return None
    order = {"strong": 0, "moderate": 1, "weak": 2}
    parts, keys = [], []
    if active:
        active.sort(key=lambda r: (order[r["level"]], -r[r["by"]]["percentile"]))
        no_cage = _("; no CAGE peak")
        states = [tr(_ACTIVE[r["level"]], cell=r["cell"], measure=_measure(r[r["by"]], _WHAT[r[r["by"]]["assay"]])
                     + (no_cage if r["by"] == "rampage" else "")) for r in active]
        parts.append(tr("is {states}", states=_join(states)))
    if silent:
        parts.append(tr("shows no transcription start in {cells} (no CAGE peak >= 1 TPM and no RAMPAGE reads at it)",
                        cells=_join([r["cell"] for r in silent], "or")))
    if open_:
        places = [tr("{cell} ({level}: {measure})", cell=r["cell"], level=_(_LEVEL.get(r["level"], r["level"])),
                     measure=_measure(r["dnase"], _WHAT["DNase-seq"])) for r in open_]
        parts.append(tr("is open chromatin in {places}", places=_join(places)))
    if closed:
        parts.append(tr("has no DNase peak in {cells}", cells=_join([r["cell"] for r in closed], "or")))
    for r in active + open_ + silent + closed:
        keys += r["keys"]
    clauses = parts[0] if parts else ""
    for part in parts[1:]:
        clauses = tr("{first}; it {second}", first=clauses, second=part)
    ccre = ""
    marked = [r for r in rows if r["ccre"]]
    unmarked = [r for r in rows if r["ccre"] is not None and not r["ccre"]]
    if marked or unmarked:
        if marked:
            accessions = list(dict.fromkeys(a for r in marked for a in r["ccre"]))
            named = ", ".join(accessions[:2]) if len(accessions) <= 2 else \
                tr("{items} and {count} more", items=", ".join(accessions[:2]), count=len(accessions) - 2)
            values = {"ccres": named, "cells": _join([r["cell"] for r in marked]),
                      "others": _join([r["cell"] for r in unmarked], "or")}
            ccre = (tr("; ENCODE SCREEN classes it as a promoter-like cCRE ({ccres}) in {cells} but not in {others}",
                       **values) if unmarked else
                    tr("; ENCODE SCREEN classes it as a promoter-like cCRE ({ccres}) in {cells}", **values))
        else:
            ccre = tr("; ENCODE SCREEN has no promoter-like cCRE at it in {cells}",
                      cells=_join([r["cell"] for r in unmarked], "or"))
        keys += [r["ccre_key"] for r in marked + unmarked]
    return tr("In short: {gene}'s promoter {clauses}{ccre}.", gene=gene, clauses=clauses, ccre=ccre), keys


def _factor_sentence(ledger: Ledger, gene: str, cells: list[str]) -> tuple[str, list[str]] | None:
    evs = _context_all(ledger, "factors", cells)
    if not evs:
        return None
    counts = [(say.cell_of(ev), len(ev.records)) for ev in evs]
    keys = [ev.key for ev in evs]
    keys += [chip.key for ev in evs if (chip := ledger.get(f"chip2015:{ev.key.split(':')[2]}:{gene}")) is not None]
    if not any(n for _c, n in counts):
        where = _join([c for c, _n in counts], "or")
        return tr("No factor of the ENCODE TF ChIP-seq 2015 gene sets is listed at {gene}'s promoter in {cells}.",
                  gene=gene, cells=where), keys
    own, lineage, elevated, machinery = [], {}, {}, {}
    for ev in evs:
        cell = say.cell_of(ev)
        for r in ev.records:
            roles = r.get("roles") or []
            if "own product" in roles:
                own.append(cell)
            if "lineage" in roles:
                tissues = tuple(ev.params.get("lineage_tissues") or ())
                lineage.setdefault(r["tf"], [[], _groups(r.get("elevated") or [], tissues)])[0].append(cell)
            if "tissue-elevated" in roles:
                elevated.setdefault(r["tf"], [[], _groups(r.get("elevated") or [])])[0].append(cell)
            if "general machinery" in roles:
                machinery.setdefault(r["tf"], [[], r.get("machinery")])[0].append(cell)
    clauses = []
    if own:
        clauses.append(tr("{gene}'s own product binds its promoter in {cells}", gene=gene, cells=_join(own)))
    if lineage:
        named = _join([f"{tf} ({', '.join(c)}; HPA {t})" for tf, (c, t) in lineage.items()])
        clauses.append(tr("{factors} is a lineage TF (elevated in the tissue its cell line comes from)", factors=named)
                       if len(lineage) == 1 else
                       tr("{factors} are lineage TFs (elevated in the tissue their cell line comes from)", factors=named))
    if elevated:
        names = list(elevated.items())
        shown = [f"{tf} ({', '.join(c)}; {e})" for tf, (c, e) in names[:5]]
        listed = _join(shown) if len(names) <= 5 else \
            tr("{items} and {count} more", items=", ".join(shown), count=len(names) - 5)
        clauses.append(tr("{factors} is tissue-elevated elsewhere by HPA", factors=listed) if len(names) == 1 else
                       tr("{factors} are tissue-elevated elsewhere by HPA", factors=listed))
    if machinery:
        named = _join([f"{tf} ({', '.join(c)})" for tf, (c, _k) in machinery.items()])
        kinds = ", ".join(sorted({_(k) for _tf, (_c, k) in machinery.items() if k}))
        clauses.append(tr("{factors} is general machinery ({kinds})", factors=named, kinds=kinds)
                       if len(machinery) == 1 else
                       tr("{factors} are general machinery ({kinds})", factors=named, kinds=kinds))
    counts_text = ", ".join(tr("{count} in {cell}", count=n, cell=c) for c, n in counts)
    if not clauses:
        return (tr("Of the factors ENCODE ChIP-seq (2015 gene sets) places near the promoter ({counts}), none is the "
                   "gene's own product, a lineage or tissue-elevated TF by HPA, or general machinery.",
                   counts=counts_text), keys)
    return tr("Of the factors ENCODE ChIP-seq (2015 gene sets) places near the promoter ({counts}), {clauses}.",
              counts=counts_text, clauses=_semi(clauses)), keys


def _context_all(ledger: Ledger, kind: str, cells: list[str]) -> list[Evidence]:
    """Context Evidence of one kind, including those with no records (a cell line with no factor listed)."""
    evs = say.evidence(ledger, f"context:{kind}:")
    return [ev for ev in evs if not cells or any(say.same_cell(say.cell_of(ev), c) for c in cells)]


def _expression_sentence(ledger: Ledger, gene: str) -> tuple[str, list[str]] | None:
    hpa = ledger.get(f"context:hpa:{gene}")
    if hpa is None or not hpa.records:
        return None
    summary, top = hpa.records[0], hpa.records[1]
    groups = [r for ev in say.evidence(ledger, f"hpa-group:{gene}") for r in ev.records]
    keys = [hpa.key] + [k for k in (f"hpa:{gene}", f"hpa-group:{gene}") if k in ledger]
    n, detected = summary["tissues"], summary["tissues_detected"]
    fold = (tr("{fold}x its median of {median} TPM across tissues", fold=say.num(top["fold_over_median"]),
               median=say.num(summary["median_tpm"]))
            if top.get("fold_over_median") is not None else _("median across tissues 0 TPM"))
    elevated = [g for g in groups if g["Group"] in ELEVATED]
    gtex_text = ""
    gtex = ledger.get(f"context:gtex:{gene}")
    if gtex is not None and len(gtex.records) > 1 and gtex.records[1]["tpm"] > 0:
        g_top, g_sum = gtex.records[1], gtex.records[0]
        g_fold = (tr(", {fold}x its GTEx median of {median} TPM", fold=say.num(g_top["fold_over_median"]),
                     median=say.num(g_sum["median_tpm"])) if g_top.get("fold_over_median") is not None else "")
        gtex_text = tr("; GTEx's highest is {tissue} ({tpm} TPM{fold})", tissue=g_top["tissue"],
                       tpm=say.num(g_top["tpm"]), fold=g_fold)
    values = {"gene": gene, "n": n, "detected": detected, "tissue": top["tissue"], "tpm": say.num(top["tpm"]),
              "fold": fold, "gtex": gtex_text}
    if detected == 0:
        text = tr("{gene} is not detected (>= 1 TPM) in any of the {n} HPA v18 tissues (highest {tissue}, {tpm} TPM)"
                  "{gtex}.", **values)
    elif elevated:
        by_group: dict[str, list[str]] = {}
        for g in elevated:
            by_group.setdefault(g["Group"], []).append(g["Tissue"])
        text = tr("{gene} is {groups} by HPA v18: highest in {tissue} at {tpm} TPM (rank 1 of {n} tissues; {fold}), "
                  "detected (>= 1 TPM) in {detected} of {n} tissues{gtex}.",
                  groups=_semi([tr("{group} in {tissues}", group=grp, tissues=_join(t)) for grp, t in by_group.items()]),
                  **values)
    else:
        label = next((g["Group"] for g in groups if g.get("Group")), None)
        label = tr(" (HPA: {label})", label=label) if label else ""
        text = (tr("{gene} is detected (>= 1 TPM) in all {n} HPA v18 tissues{label}, highest in {tissue} at {tpm} TPM, "
                   "{fold}{gtex}.", label=label, **values) if detected == n else
                tr("{gene} is detected (>= 1 TPM) in {detected} of {n} HPA v18 tissues{label}, highest in {tissue} at "
                   "{tpm} TPM, {fold}{gtex}.", label=label, **values))
    if gtex_text:
        keys += [gtex.key] + ([f"gtex:{gene}"] if f"gtex:{gene}" in ledger else [])
    return text, keys


def _disagreement_sentence(ledger: Ledger, gene: str, rows: list[dict],
                           cells: list[str]) -> tuple[str, list[str]] | None:
    clauses, keys = [], []
    for r in rows:
        # Transcription starting there: any CAGE peak (TPM >= 1), or RAMPAGE at least moderate (a few stray reads
        # at the bottom of the distribution are not called a disagreement with SCREEN).
        transcribed = _rec_level(r, "cage") != "none" or _rec_level(r, "rampage") in ("strong", "moderate")
        if r["ccre"] is not None and ("cage" in r or "rampage" in r):
            if transcribed and not r["ccre"]:
                what = ["cage"] * (_rec_level(r, "cage") != "none") \
                    + ["rampage"] * (_rec_level(r, "rampage") in ("strong", "moderate"))
                clauses.append(tr("in {cell}, {assay} shows transcription starting at the promoter, but ENCODE SCREEN "
                                  "has no promoter-like cCRE within its window", cell=r["cell"], assay=what[0].upper())
                               if len(what) == 1 else
                               tr("in {cell}, {assays} show transcription starting at the promoter, but ENCODE SCREEN "
                                  "has no promoter-like cCRE within its window", cell=r["cell"],
                                  assays=_join([a.upper() for a in what])))
                keys += [r["ccre_key"], *(k for a in what for k in r.get(f"{a}_keys", []))]
            elif r["ccre"] and not transcribed:
                clauses.append(tr("in {cell}, ENCODE SCREEN classes the promoter as promoter-like ({ccres}), but "
                                  "neither CAGE (no peak >= 1 TPM) nor RAMPAGE (no reads) shows transcription starting "
                                  "there", cell=r["cell"], ccres=", ".join(r["ccre"])))
                keys += [r["ccre_key"], *r.get("cage_keys", []), *r.get("rampage_keys", [])]
    groups = [(g["Group"], g["Tissue"]) for ev in say.evidence(ledger, f"hpa-group:{gene}") for g in ev.records
              if g.get("Group") in ELEVATED]
    for ev in _context_all(ledger, "factors", cells):
        lineage = ev.params.get("lineage_tissues") or []
        cell = say.cell_of(ev)
        row = next((r for r in rows if say.same_cell(r["cell"], cell)), None)
        matched = [(grp, t) for grp, t in groups if t in lineage]
        if row is None or not matched or row["by"] is not None:
            continue
        names = [a for a, k in (("CAGE", "cage"), ("RAMPAGE", "rampage"), ("DNase", "dnase")) if k in row]
        assays = names[0] if names else ""
        for name in names[1:]:
            assays = tr(N_("{items} or {last}"), items=assays, last=name)
        grp, tissue = matched[0]
        clauses.append(tr("HPA calls {gene} {group} in {tissue}, the tissue {cell} comes from, yet the bundled {cell} "
                          "{assays} data show no signal at its promoter", gene=gene, group=grp, tissue=tissue,
                          cell=cell, assays=assays))
        keys += [f"hpa-group:{gene}", ev.key, *row["keys"]]
    if not clauses:
        return None
    return tr("Sources disagree: {clauses}.", clauses=_semi(clauses)), keys


def _rec_level(row: dict, kind: str) -> str:
    return (row.get(kind) or {}).get("level", "none")


def say_in_short(s: Synthesis, ledger: Ledger, gene: str, cells: list[str]) -> bool:
    """The "In short" paragraph (2-4 sentences, each cited, part="in_short") and the note stating the cut-offs."""
    tss = ledger.get(f"tss:{gene}")
    # No GENCODE v24 TSS: there is no promoter window, so nothing to say about its activity.
    rows = activity_by_cell(ledger, gene, cells) if tss is not None and tss.records else []
    activity = _activity_sentence(gene, rows)
    made = [x for x in (activity, _factor_sentence(ledger, gene, cells),
                        _expression_sentence(ledger, gene), _disagreement_sentence(ledger, gene, rows, cells)) if x]
    if len(made) < 2:
        return False
    first = made[0][0]
    if made[0] is not activity:  # no activity sentence: the paragraph opens with the next one
        if current() == "en" and not first.startswith(gene):
            first = first[0].lower() + first[1:]
        made[0] = (tr("In short: {text}", text=first), made[0][1])
    for text, keys in made:
        s.sentences.append(Sentence(text, [k for k in dict.fromkeys(keys) if k and k in ledger], part=IN_SHORT))
    if rows:
        s.note(_(LEVELS_NOTE))
    return True


def say_in_context(s: Synthesis, ledger: Ledger, gene: str, cells: list[str]) -> None:
    """Each CAGE/RAMPAGE/DNase value at the promoter against its cell line's promoters with signal, with cut-offs."""
    for row in activity_by_cell(ledger, gene, cells):
        parts, keys = [], []
        for kind in ("cage", "rampage", "dnase"):
            rec = row.get(kind)
            if not rec:
                continue
            unit = rec["unit"]
            cut = tr("cut-offs: moderate from {moderate}, strong from {strong} {unit}; median {median} {unit}",
                     moderate=say.num(rec["moderate_from"]), strong=say.num(rec["strong_from"]), median=say.num(rec["median"]),
                     unit=unit)
            if rec["level"] == "none":
                parts.append(tr("no {assay} signal at the promoter, where {count} {cell} promoters have some ({cutoffs})",
                                assay=rec["assay"].replace("-seq", ""), count=f"{rec['promoters_with_signal']:,}",
                                cell=row["cell"], cutoffs=cut))
            else:
                parts.append(tr("{measure}: {level} ({cutoffs})", measure=_measure(rec, _WHAT[rec["assay"]]),
                                level=_(_LEVEL.get(rec["level"], rec["level"])), cutoffs=cut))
            keys += row.get(f"{kind}_keys", [])
        if parts:
            s.say(tr("In context, in {cell}: {parts}.", cell=row["cell"], parts=_semi(parts)), *dict.fromkeys(keys))


def cell_table(ledger: Ledger, gene: str) -> list[dict]:
    """One row per covered cell line: promoter-like cCRE, CAGE/RAMPAGE/DNase with percentile and level, factors."""
    rows = activity_by_cell(ledger, gene, [])
    factors = {say.cell_of(ev): len(ev.records) for ev in say.evidence(ledger, "context:factors:")}
    cells = [r["cell"] for r in rows] + [c for c in factors if not any(say.same_cell(c, r["cell"]) for r in rows)]
    out = []
    for cell in cells:
        row = next((r for r in rows if r["cell"] == cell), {"cell": cell, "ccre": None, "by": None, "level": "none"})

        def value(kind: str, row: dict = row) -> str:
            rec = row.get(kind)
            if not rec:
                return _("not bundled")
            if rec["level"] == "none":
                return _("none")
            return tr("{value} ({ordinal} percentile, {level})", value=say.num(rec["value"]),
                      ordinal=say.ordinal(rec["percentile"]), level=_(_LEVEL.get(rec["level"], rec["level"])))

        count = next((n for c, n in factors.items() if say.same_cell(c, cell)), None)
        activity = tr("{level} ({assay})", level=_(_LEVEL.get(row["level"], row["level"])),
                      assay=row["by"].upper() if row["by"] != "dnase" else "DNase") if row["by"] else \
            _("none") if any(row.get(k) for k in ("cage", "rampage", "dnase")) else _("not bundled")
        # The column names are the rows' keys (an API: a.table); the rendered table translates them (TABLE_COLUMNS).
        out.append({
            "cell line": cell,
            "promoter-like cCRE": (", ".join(row["ccre"]) or _("none")) if row.get("ccre") is not None
            else _("not bundled"),
            "CAGE TPM": value("cage"),
            "RAMPAGE RPM": value("rampage"),
            "DNase signal": value("dnase"),
            "activity": activity,
            "bound factors (2015 sets)": str(count) if count is not None else _("not profiled"),
        })
    return out


TABLE_COLUMNS = (N_("cell line"), N_("promoter-like cCRE"), N_("CAGE TPM"), N_("RAMPAGE RPM"), N_("DNase signal"),
                 N_("activity"), N_("bound factors (2015 sets)"))
