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

IN_SHORT = "in_short"
ELEVATED = ("Tissue-Enriched", "Group-Enriched", "Tissue-Enhanced")
ADVERB = {"strong": "strongly", "moderate": "moderately", "weak": "weakly"}
LEVELS_NOTE = ("Levels: CAGE, RAMPAGE and DNase values are placed among all promoters with signal in the same cell "
               "line (one value per gene: its strongest peak within 500 bp of a GENCODE v24 basic TSS); strong = at or "
               "above the 75th percentile, moderate = 25th-74th, weak = below the 25th, none = no peak (CAGE: no peak "
               ">= 1 TPM; RAMPAGE: no reads). None of these files defines 'high' itself; ENCODE SCREEN does for its "
               "cCREs, and its promoter-like call means DNase and H3K4me3 Z-scores above 1.64 in that cell line.")


def _join(items: list[str], last: str = "and") -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} {items[-1]}" if items else ""


def _num(value: float) -> str:
    """A value as its record holds it (so the citation check finds it): 7.9, 279, 105947, 7.1309."""
    return str(int(value)) if float(value).is_integer() else str(value)


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
    value = (f"DNase signal {_num(rec['value'])}" if rec["assay"] == "DNase-seq"
             else f"{rec['assay']} {_num(rec['value'])} {rec['unit']}")
    return (f"{value}, {_ord(rec['percentile'])} percentile of the {rec['promoters_with_signal']:,} {rec['cell']} "
            f"promoters with {what}")


def _groups(elevated: list[dict], only: tuple[str, ...] | list[str] | None = None, most: int = 3) -> str:
    """HPA groups of a factor: 'Tissue-Enriched in Testis'; 'Tissue-Enhanced in Stomach, Lung and Prostate'."""
    by_group: dict[str, list[str]] = {}
    for e in elevated:
        if only is None or e["tissue"] in only:
            by_group.setdefault(e["group"], []).append(e["tissue"])
    return "; ".join(f"{g} in {_join(t[:most]) if len(t) <= most else ', '.join(t[:most]) + ' and more'}"
                     for g, t in by_group.items())


_WHAT = {"CAGE": "a CAGE peak", "RAMPAGE": "RAMPAGE reads", "DNase-seq": "a DNase peak"}


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
        parts.append("is " + _join([f"{ADVERB[r['level']]} active in {r['cell']} ("
                                    + _measure(r[r["by"]], _WHAT[r[r["by"]]["assay"]])
                                    + ("; no CAGE peak" if r["by"] == "rampage" else "") + ")" for r in active]))
    if silent:
        parts.append(f"shows no transcription start in {_join([r['cell'] for r in silent], 'or')} (no CAGE peak "
                     ">= 1 TPM and no RAMPAGE reads at it)")
    if open_:
        parts.append("is open chromatin in " + _join([f"{r['cell']} ({r['level']}: "
                                                      + _measure(r["dnase"], "a DNase peak") + ")" for r in open_]))
    if closed:
        parts.append(f"has no DNase peak in {_join([r['cell'] for r in closed], 'or')}")
    for r in active + open_ + silent + closed:
        keys += r["keys"]
    text = f"In short: {gene}'s promoter " + "; it ".join(parts)
    marked = [r for r in rows if r["ccre"]]
    unmarked = [r for r in rows if r["ccre"] is not None and not r["ccre"]]
    if marked or unmarked:
        if marked:
            accessions = list(dict.fromkeys(a for r in marked for a in r["ccre"]))
            named = ", ".join(accessions[:2]) + (f" and {len(accessions) - 2} more" if len(accessions) > 2 else "")
            text += (f"; ENCODE SCREEN classes it as a promoter-like cCRE ({named}) in "
                     f"{_join([r['cell'] for r in marked])}")
            if unmarked:
                text += f" but not in {_join([r['cell'] for r in unmarked], 'or')}"
        else:
            text += f"; ENCODE SCREEN has no promoter-like cCRE at it in {_join([r['cell'] for r in unmarked], 'or')}"
        keys += [r["ccre_key"] for r in marked + unmarked]
    return text + ".", keys


def _factor_sentence(ledger: Ledger, gene: str, cells: list[str]) -> tuple[str, list[str]] | None:
    evs = _context_all(ledger, "factors", cells)
    if not evs:
        return None
    counts = [(say.cell_of(ev), len(ev.records)) for ev in evs]
    keys = [ev.key for ev in evs]
    keys += [chip.key for ev in evs if (chip := ledger.get(f"chip2015:{ev.key.split(':')[2]}:{gene}")) is not None]
    if not any(n for _, n in counts):
        where = _join([c for c, _ in counts], "or")
        return f"No factor of the ENCODE TF ChIP-seq 2015 gene sets is listed at {gene}'s promoter in {where}.", keys
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
        clauses.append(f"{gene}'s own product binds its promoter in {_join(own)}")
    if lineage:
        named = [f"{tf} ({', '.join(c)}; HPA {t})" for tf, (c, t) in lineage.items()]
        clauses.append(f"{_join(named)} {'is a lineage TF' if len(named) == 1 else 'are lineage TFs'} (elevated in "
                       f"the tissue {'its' if len(named) == 1 else 'their'} cell line comes from)")
    if elevated:
        names = list(elevated.items())
        shown = [f"{tf} ({', '.join(c)}; {e})" for tf, (c, e) in names[:5]]
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        clauses.append(f"{_join(shown) if not more else ', '.join(shown) + more} "
                       f"{'is' if len(names) == 1 else 'are'} tissue-elevated elsewhere by HPA")
    if machinery:
        named = [f"{tf} ({', '.join(c)})" for tf, (c, _) in machinery.items()]
        kinds = sorted({k for _, (_, k) in machinery.items() if k})
        clauses.append(f"{_join(named)} {'is' if len(named) == 1 else 'are'} general machinery ({', '.join(kinds)})")
    head = ("Of the factors ENCODE ChIP-seq (2015 gene sets) places near the promoter ("
            + ", ".join(f"{n} in {c}" for c, n in counts) + ")")
    if not clauses:
        return (head + ", none is the gene's own product, a lineage or tissue-elevated TF by HPA, or general "
                "machinery.", keys)
    return head + ", " + "; ".join(clauses) + ".", keys


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
    fold = (f"{_num(top['fold_over_median'])}x its median of {_num(summary['median_tpm'])} TPM across tissues"
            if top.get("fold_over_median") is not None else "median across tissues 0 TPM")
    elevated = [g for g in groups if g["Group"] in ELEVATED]
    if detected == 0:
        text = f"{gene} is not detected (>= 1 TPM) in any of the {n} HPA v18 tissues (highest {top['tissue']}, " \
               f"{_num(top['tpm'])} TPM)"
    elif elevated:
        by_group: dict[str, list[str]] = {}
        for g in elevated:
            by_group.setdefault(g["Group"], []).append(g["Tissue"])
        text = (f"{gene} is " + "; ".join(f"{grp} in {_join(t)}" for grp, t in by_group.items())
                + f" by HPA v18: highest in {top['tissue']} at {_num(top['tpm'])} TPM (rank 1 of {n} tissues; {fold}), "
                f"detected (>= 1 TPM) in {detected} of {n} tissues")
    else:
        label = next((g["Group"] for g in groups if g.get("Group")), None)
        share = f"all {n}" if detected == n else f"{detected} of {n}"
        text = (f"{gene} is detected (>= 1 TPM) in {share} HPA v18 tissues" + (f" (HPA: {label})" if label else "")
                + f", highest in {top['tissue']} at {_num(top['tpm'])} TPM, {fold}")
    gtex = ledger.get(f"context:gtex:{gene}")
    if gtex is not None and len(gtex.records) > 1 and gtex.records[1]["tpm"] > 0:
        g_top, g_sum = gtex.records[1], gtex.records[0]
        g_fold = (f", {_num(g_top['fold_over_median'])}x its GTEx median of {_num(g_sum['median_tpm'])} TPM"
                  if g_top.get("fold_over_median") is not None else "")
        text += f"; GTEx's highest is {g_top['tissue']} ({_num(g_top['tpm'])} TPM{g_fold})"
        keys += [gtex.key] + ([f"gtex:{gene}"] if f"gtex:{gene}" in ledger else [])
    return text + ".", keys


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
                verb = "shows" if len(what) == 1 else "show"
                clauses.append(f"in {r['cell']}, {' and '.join(a.upper() for a in what)} {verb} transcription starting "
                               "at the promoter, but ENCODE SCREEN has no promoter-like cCRE within its window")
                keys += [r["ccre_key"], *(k for a in what for k in r.get(f"{a}_keys", []))]
            elif r["ccre"] and not transcribed:
                clauses.append(f"in {r['cell']}, ENCODE SCREEN classes the promoter as promoter-like ("
                               f"{', '.join(r['ccre'])}), but neither CAGE (no peak >= 1 TPM) nor RAMPAGE (no reads) "
                               "shows transcription starting there")
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
        assays = " or ".join(a for a, k in (("CAGE", "cage"), ("RAMPAGE", "rampage"), ("DNase", "dnase")) if k in row)
        grp, tissue = matched[0]
        clauses.append(f"HPA calls {gene} {grp} in {tissue}, the tissue {cell} comes from, yet the bundled {cell} "
                       f"{assays} data show no signal at its promoter")
        keys += [f"hpa-group:{gene}", ev.key, *row["keys"]]
    if not clauses:
        return None
    return "Sources disagree: " + "; ".join(clauses) + ".", keys


def _rec_level(row: dict, kind: str) -> str:
    return (row.get(kind) or {}).get("level", "none")


def say_in_short(s: Synthesis, ledger: Ledger, gene: str, cells: list[str]) -> bool:
    """The "In short" paragraph (2-4 sentences, each cited, part="in_short") and the note stating the cut-offs."""
    tss = ledger.get(f"tss:{gene}")
    # No GENCODE v24 TSS: there is no promoter window, so nothing to say about its activity.
    rows = activity_by_cell(ledger, gene, cells) if tss is not None and tss.records else []
    made = [x for x in (_activity_sentence(gene, rows), _factor_sentence(ledger, gene, cells),
                        _expression_sentence(ledger, gene), _disagreement_sentence(ledger, gene, rows, cells)) if x]
    if len(made) < 2:
        return False
    first = made[0][0]
    if not first.startswith("In short: "):  # no activity sentence: the paragraph opens with the next one
        made[0] = ("In short: " + (first if first.startswith(gene) else first[0].lower() + first[1:]), made[0][1])
    for text, keys in made:
        s.sentences.append(Sentence(text, [k for k in dict.fromkeys(keys) if k and k in ledger], part=IN_SHORT))
    if rows:
        s.note(LEVELS_NOTE)
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
            cut = (f"cut-offs: moderate from {_num(rec['moderate_from'])}, strong from {_num(rec['strong_from'])} "
                   f"{unit}; median {_num(rec['median'])} {unit}")
            if rec["level"] == "none":
                parts.append(f"no {rec['assay'].replace('-seq', '')} signal at the promoter, where "
                             f"{rec['promoters_with_signal']:,} {row['cell']} promoters have some ({cut})")
            else:
                parts.append(f"{_measure(rec, _WHAT[rec['assay']])}: {rec['level']} ({cut})")
            keys += row.get(f"{kind}_keys", [])
        if parts:
            s.say(f"In context, in {row['cell']}: " + "; ".join(parts) + ".", *dict.fromkeys(keys))


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
                return "not bundled"
            if rec["level"] == "none":
                return "none"
            return f"{_num(rec['value'])} ({_ord(rec['percentile'])} percentile, {rec['level']})"

        count = next((n for c, n in factors.items() if say.same_cell(c, cell)), None)
        out.append({
            "cell line": cell,
            "promoter-like cCRE": (", ".join(row["ccre"]) or "none") if row.get("ccre") is not None else "not bundled",
            "CAGE TPM": value("cage"),
            "RAMPAGE RPM": value("rampage"),
            "DNase signal": value("dnase"),
            "activity": f"{row['level']} ({row['by'].upper() if row['by'] != 'dnase' else 'DNase'})" if row["by"]
            else ("none" if any(row.get(k) for k in ("cage", "rampage", "dnase")) else "not bundled"),
            "bound factors (2015 sets)": str(count) if count is not None else "not profiled",
        })
    return out
