"""Sentences about a gene's regulation, one kind of evidence at a time, each citing the record it reads.

Every function takes the ledger's regulation Evidence (keys from genelm.regulation:
``tss:``, ``ccre:<cell>:``, ``cage:``, ``rampage:``, ``chip2015:``, ``peaks:``, ``hpa:``,
``hpa-group:``, ``gtex:``) and says what it holds, or, when it holds nothing, a negative
scoped to the file, window and cell line that were searched.
"""
from __future__ import annotations

from genelm.agent.core.question import Ledger
from genelm.agent.core.synthesis import Synthesis
from genelm.evidence import Evidence
from genelm.i18n import N_, _, ngettext, tr

# Translated where it is shown (s.note(_(CHIP2015_NOTE))).
CHIP2015_NOTE = N_("The factor lists come from the ENCODE TF ChIP-seq 2015 gene sets (Enrichr/ChEA3 library; peaks "
                   "called on hg19, genes with a peak near their promoter): newer ENCODE experiments are not in them.")



_ORDINALS = {1: N_("{n}st"), 2: N_("{n}nd"), 3: N_("{n}rd"), 0: N_("{n}th")}


def ordinal(n: int) -> str:
    """'41st' ('第 41', '41번째'): a percentile's ordinal in the answer's language."""
    n = int(n)
    return tr(_ORDINALS[0 if 10 <= n % 100 <= 20 else n % 10 if n % 10 in (1, 2, 3) else 0], n=n)


def num(value) -> str:
    """A value as its record holds it (so the citation check finds it): 7.9, 279, 105947, 7.1309."""
    return str(int(value)) if float(value).is_integer() else str(value)

def same_cell(a: str, b: str) -> bool:
    """genelm.regulation.factors.same_biosample, imported on first use: a question that reads no regulation table
    (a gene symbol, say) never imports genelm.regulation, its tables or pandas."""
    from genelm.regulation.factors import same_biosample

    return same_biosample(a, b)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def evidence(ledger: Ledger, prefix: str) -> list[Evidence]:
    return [ev for key, ev in ledger.items() if key.startswith(prefix)]


def cell_of(ev: Evidence) -> str:
    """The cell line an Evidence is about, as ENCODE names it (the 2015 gene sets write 'HEPG2': shown 'HepG2')."""
    named = ev.params.get("biosample") or ev.params.get("cell")
    parts = ev.key.split(":")
    cell = str(named) if named else parts[1] if len(parts) == 3 else ""
    return ENCODE_SPELLING.get(cell.upper().replace("-", ""), cell)


# The 2015 gene sets spell cell lines in upper case without punctuation; people read ENCODE's names.
ENCODE_SPELLING = {"HEPG2": "HepG2", "HELAS3": "HeLa-S3", "SKNSH": "SK-N-SH", "MCF7": "MCF-7", "IMR90": "IMR-90",
                   "A549": "A549", "K562": "K562", "GM12878": "GM12878", "H1HESC": "H1", "HCT116": "HCT116",
                   "SKNSHRA": "SK-N-SH_RA", "HUVEC": "HUVEC", "PANC1": "Panc1", "PFSK1": "PFSK-1", "SKNMC": "SK-N-MC",
                   "ECC1": "ECC-1", "T47D": "T47D", "GM12891": "GM12891", "GM12892": "GM12892", "NB4": "NB4",
                   "HL60": "HL-60", "HEK293": "HEK293", "U2OS": "U2OS", "MCF10A": "MCF 10A", "LOVO": "LoVo"}


def in_cells(evs: list[Evidence], cells: list[str]) -> list[Evidence]:
    return [ev for ev in evs if not cells or any(same_cell(cell_of(ev), c) for c in cells)]


def say_tss(s: Synthesis, ledger: Ledger, gene: str) -> None:
    for ev in evidence(ledger, f"tss:{gene}"):
        if not ev.records:
            s.say(tr("GENCODE v24 (basic) lists no transcript TSS for {gene}.", gene=gene), ev.key)
            continue
        positions = sorted({r["pos"] for r in ev.records})
        chrom, strand = ev.records[0]["chrom"], ev.records[0]["strand"]
        main = max(positions) if strand == "-" else min(positions)
        s.say(ngettext("{gene} has {count} GENCODE v24 basic transcript TSS at {positions} on {chrom} ({strand} "
                       "strand; outermost at {chrom}:{outermost}, GRCh38); the promoter window used here is each TSS +/- "
                       "{window} bp.",
                       "{gene} has {count} GENCODE v24 basic transcript TSSs at {positions} on {chrom} ({strand} "
                       "strand; outermost at {chrom}:{outermost}, GRCh38); the promoter window used here is each TSS "
                       "+/- {window} bp.", len(ev.records)).format(
            gene=gene, count=len(ev.records), chrom=chrom, strand=strand, outermost=f"{main:,}",
            window=ev.records[0]["pos"] - ev.records[0]["window_start"],
            positions=ngettext("{count} position", "{count} positions", len(positions)).format(count=len(positions))),
            ev.key)


def say_ccres(s: Synthesis, ledger: Ledger, gene: str, cells: list[str]) -> list[str]:
    """Promoter-like cCREs per cell line; returns the accessions at the promoter."""
    at_promoter: list[str] = []
    for ev in in_cells(evidence(ledger, "ccre:"), cells):
        cell = cell_of(ev)
        here = [r for r in ev.records if r.get("at_promoter")]
        near = [r for r in ev.records if not r.get("at_promoter")]
        if here:
            names = ", ".join(f"{r['accession']} ({r['ccre_class']}, TSS support {r.get('tss_support') or 'none'})"
                              for r in here)
            s.say(ngettext("In {cell}, {gene}'s promoter is marked by the promoter-like cCRE {names} (ENCODE SCREEN).",
                           "In {cell}, {gene}'s promoter is marked by the promoter-like cCREs {names} (ENCODE SCREEN).",
                           len(here)).format(cell=cell, gene=gene, names=names), ev.key)
            at_promoter += [r["accession"] for r in here]
        else:
            s.say(tr("In {cell}, no promoter-like cCRE of ENCODE SCREEN lies within the promoter window of {gene} "
                     "(the bundled file holds promoter-like cCREs only).", cell=cell, gene=gene), ev.key)
        if near:
            values = dict(window=f"{ev.params.get('around_bp', 5000):,}", cell=cell, count=len(near),
                          ccres=", ".join(r["accession"] for r in near[:6]))
            if here:
                s.say(ngettext("Within {window} bp in {cell} there is {count} more promoter-like cCRE: {ccres}.",
                               "Within {window} bp in {cell} there are {count} more promoter-like cCREs: {ccres}.",
                               len(near)).format(**values), ev.key)
            else:
                s.say(ngettext("Within {window} bp in {cell} there is {count} promoter-like cCRE: {ccres}.",
                               "Within {window} bp in {cell} there are {count} promoter-like cCREs: {ccres}.",
                               len(near)).format(**values), ev.key)
    return list(dict.fromkeys(at_promoter))


def say_activity(s: Synthesis, ledger: Ledger, gene: str, cells: list[str]) -> None:
    for ev in in_cells(evidence(ledger, "cage:"), cells):
        if ev.records:
            top = max(ev.records, key=lambda r: r["tpm"])
            s.say(ngettext("CAGE shows transcription starting at {gene}'s promoter in {cell}: {count} peak within the "
                           "window, the strongest {tpm} TPM at {chrom}:{summit}.",
                           "CAGE shows transcription starting at {gene}'s promoter in {cell}: {count} peaks within the "
                           "window, the strongest {tpm} TPM at {chrom}:{summit}.", len(ev.records)).format(
                gene=gene, cell=cell_of(ev), count=len(ev.records), tpm=top["tpm"], chrom=top["chrom"],
                summit=f"{top['summit']:,}"), ev.key)
        else:
            s.say(tr("No CAGE peak (TPM >= 1) lies within {gene}'s promoter window in {cell}.", gene=gene,
                     cell=cell_of(ev)), ev.key)
    cage_cells = {cell_of(ev) for ev in evidence(ledger, "cage:") if ev.records}
    for ev in in_cells(evidence(ledger, "rampage:"), cells):
        if ev.records:
            top = max(ev.records, key=lambda r: r.get("rpm") or 0)
            if not top.get("rpm"):
                s.say(tr("RAMPAGE's rPeak {rpeak} at {gene}'s promoter has no reads in {cell} ({rpm} RPM).",
                         rpeak=top["rpeak_id"], gene=gene, cell=cell_of(ev), rpm=top["rpm"]), ev.key)
            elif cell_of(ev) in cage_cells:
                s.say(tr("RAMPAGE confirms it in {cell}: rPeak {rpeak} at {rpm} RPM.", cell=cell_of(ev),
                         rpeak=top["rpeak_id"], rpm=top["rpm"]), ev.key)
            else:
                s.say(tr("RAMPAGE shows transcription starting at {gene}'s promoter in {cell}: rPeak {rpeak} at {rpm} "
                         "RPM.", gene=gene, cell=cell_of(ev), rpeak=top["rpeak_id"], rpm=top["rpm"]), ev.key)
        else:
            s.say(tr("No RAMPAGE rPeak at {gene}'s promoter is quantified in {cell}.", gene=gene, cell=cell_of(ev)),
                  ev.key)


def factors_in(ledger: Ledger, cells: list[str]) -> dict[str, list[str]]:
    """Factors of the 2015 gene sets listing the gene, per cell line."""
    return {cell_of(ev): [r["tf"] for r in ev.records] for ev in in_cells(evidence(ledger, "chip2015:"), cells)}


def say_factors(s: Synthesis, ledger: Ledger, gene: str, cells: list[str]) -> list[str]:
    """Bound factors per cell line (2015 gene sets) and the bundled peak files at the promoter; returns the factors."""
    named: list[str] = []
    for ev in in_cells(evidence(ledger, "chip2015:"), cells):
        cell = cell_of(ev)
        tfs = [r["tf"] for r in ev.records]
        if tfs:
            s.say(ngettext("ENCODE ChIP-seq places {count} factor near {gene}'s promoter in {cell}: {factors}.",
                           "ENCODE ChIP-seq places {count} factors near {gene}'s promoter in {cell}: {factors}.",
                           len(tfs)).format(count=len(tfs), gene=gene, cell=cell, factors=", ".join(tfs)), ev.key)
            named += tfs
        else:
            s.say(tr("No factor profiled in {cell} lists {gene} in the ENCODE TF ChIP-seq 2015 gene sets.", cell=cell,
                     gene=gene), ev.key)
    for ev in evidence(ledger, "peaks:"):
        rec = ev.records[0] if ev.records else None
        biosample = str(ev.params.get("biosample") or "")
        if cells and not any(same_cell(biosample, c) for c in cells):
            continue
        what = ev.title.split(" peaks")[0].replace("ENCODE ", "")
        if rec:
            s.say(tr("The {what} peaks of {accession} in {biosample} overlap the promoter (signal {signal}; BED "
                     "{chrom}:{start}-{end}).", what=what, accession=rec["accession"], biosample=rec["biosample"],
                     signal=rec["signal_value"], chrom=rec["chrom"], start=rec["start"], end=rec["end"]), ev.key)
            if rec.get("target"):
                named.append(rec["target"])
        else:
            s.say(tr("No {what} peak in {biosample} (bundled file {file}) lies within {gene}'s promoter window.",
                     what=what, biosample=biosample, file=ev.key.split(":")[1], gene=gene), ev.key)
    return list(dict.fromkeys(named))


def say_expression(s: Synthesis, ledger: Ledger, gene: str, top: int = 3) -> list[str]:
    """Top tissues (HPA, then GTEx) and HPA's specificity group; returns the HPA top tissues."""
    tops: list[str] = []
    for prefix, label in ((f"hpa:{gene}", _("the Human Protein Atlas (v18)")), (f"gtex:{gene}", "GTEx")):
        for ev in evidence(ledger, prefix):
            ranked = sorted(ev.records, key=lambda r: r["rank"])[:top]
            detected = [r for r in ranked if r["tpm"] > 0]
            if not ranked:
                s.say(tr("The bundled {atlas} table has no expression values for {gene}.", atlas=label, gene=gene),
                      ev.key)
                continue
            if not detected:
                s.say(tr("By {atlas}, {gene} is not detected in any tissue (0 TPM everywhere).", atlas=label,
                         gene=gene), ev.key)
                continue
            listed = ", ".join(f"{r['tissue']} ({r['tpm']} TPM)" for r in detected)
            rest = [r["tissue"] for r in ranked if r["tpm"] <= 0]
            if rest:
                s.say(tr("By {atlas}, {gene} is most highly expressed in {tissues}; it is not detected (0 TPM) "
                         "elsewhere, e.g. {undetected}.", atlas=label, gene=gene, tissues=listed,
                         undetected=", ".join(rest)), ev.key)
            else:
                s.say(tr("By {atlas}, {gene} is most highly expressed in {tissues}.", atlas=label, gene=gene,
                         tissues=listed), ev.key)
            if prefix.startswith("hpa:"):
                tops = [r["tissue"] for r in detected]
    for ev in evidence(ledger, f"hpa-group:{gene}"):
        groups = [r for r in ev.records if r.get("Group")]
        if groups:
            s.say(tr("HPA classes {gene} as {groups}.", gene=gene,
                     groups="; ".join(f"{r['Group']} ({r['Tissue']})" for r in groups)), ev.key)
    return tops


def say_online(s: Synthesis, ledger: Ledger, gene: str) -> None:
    """The UCSC cCRE/TF-cluster tracks and RegulomeDB over the promoter, when they answered."""
    for ev in ledger.values():
        track = ev.params.get("track")
        if ev.source == "ucsc" and track == "encodeCcreCombined":
            classes = sorted({str(r.get("ccre") or r.get("encodeLabel") or r.get("ucscLabel") or "") for r in ev.records}
                             - {""})
            names = [str(r.get("name")) for r in ev.records if r.get("name")]
            # Count the track's items (the evidence may also carry a summary record).
            items = [r for r in ev.records if r.get("chromStart") is not None or r.get("name")]
            listed = (f": {', '.join(names[:8])}" if names else "") + \
                (tr(" (classes {classes})", classes=", ".join(classes[:6])) if classes else "")
            s.say(tr("UCSC's ENCODE cCRE track (all classes) lists {count} cCREs over {gene}'s promoter{listed}.",
                     count=len(items), gene=gene, listed=listed), ev.key)
        if ev.source == "ucsc" and track == "encRegTfbsClustered":
            names = sorted({str(r.get("name")) for r in ev.records if r.get("name")})
            s.say(tr("UCSC's ENCODE TF ChIP-seq clusters over {gene}'s promoter name {count} factors{listed}.",
                     gene=gene, count=len(names), listed=f": {', '.join(names[:30])}" if names else ""), ev.key)
        if ev.source == "regulomedb" and ev.params.get("regions") and ":" in str(ev.params["regions"]):
            rec = ev.records[0] if ev.records else {}
            peaks = rec.get("peaks", [])
            chip = rec.get("chip_targets", [])
            if chip:
                s.say(tr("RegulomeDB finds {count} ENCODE peaks over {gene}'s promoter, ChIP-seq of {factors}.",
                         count=len(peaks), gene=gene, factors=", ".join(chip[:30])), ev.key)
            else:
                s.say(tr("RegulomeDB finds {count} ENCODE peaks over {gene}'s promoter.", count=len(peaks), gene=gene),
                      ev.key)


def regulome_biosamples(ledger: Ledger, factor: str) -> tuple[list[str], list[str]]:
    """Biosamples in which RegulomeDB's ChIP-seq peaks for the factor overlap the region, and the evidence keys."""
    cells: list[str] = []
    keys: list[str] = []
    for ev in ledger.values():
        if ev.source != "regulomedb" or not ev.records:
            continue
        hits = [p["biosample"] for p in ev.records[0].get("peaks", [])
                if p.get("method") == "ChIP-seq" and factor.upper() in {t.upper() for t in p.get("targets", [])}
                and p.get("biosample")]
        if hits:
            cells += hits
            keys.append(ev.key)
    return list(dict.fromkeys(cells)), keys
