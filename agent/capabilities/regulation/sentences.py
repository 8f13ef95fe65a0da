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

CHIP2015_NOTE = ("The factor lists come from the ENCODE TF ChIP-seq 2015 gene sets (Enrichr/ChEA3 library; peaks called "
                 "on hg19, genes with a peak near their promoter): newer ENCODE experiments are not in them.")


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
            s.say(f"GENCODE v24 (basic) lists no transcript TSS for {gene}.", ev.key)
            continue
        positions = sorted({r["pos"] for r in ev.records})
        chrom, strand = ev.records[0]["chrom"], ev.records[0]["strand"]
        main = max(positions) if strand == "-" else min(positions)
        s.say(f"{gene} has {_n(len(ev.records), 'GENCODE v24 basic transcript TSS')} at "
              f"{_n(len(positions), 'position')} on "
              f"{chrom} ({strand} strand; outermost at {chrom}:{main:,}, GRCh38); the promoter window used here is "
              f"each TSS +/- {ev.records[0]['pos'] - ev.records[0]['window_start']} bp.", ev.key)


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
            s.say(f"In {cell}, {gene}'s promoter is marked by the promoter-like cCRE{'s' if len(here) > 1 else ''} "
                  f"{names} (ENCODE SCREEN).", ev.key)
            at_promoter += [r["accession"] for r in here]
        else:
            s.say(f"In {cell}, no promoter-like cCRE of ENCODE SCREEN lies within the promoter window of {gene} "
                  "(the bundled file holds promoter-like cCREs only).", ev.key)
        if near:
            s.say(f"Within {ev.params.get('around_bp', 5000):,} bp in {cell} there "
                  f"{'are' if len(near) > 1 else 'is'} {len(near)}{' more' if here else ''} promoter-like "
                  f"cCRE{'s' if len(near) > 1 else ''}: "
                  + ", ".join(r["accession"] for r in near[:6]) + ".", ev.key)
    return list(dict.fromkeys(at_promoter))


def say_activity(s: Synthesis, ledger: Ledger, gene: str, cells: list[str]) -> None:
    for ev in in_cells(evidence(ledger, "cage:"), cells):
        if ev.records:
            top = max(ev.records, key=lambda r: r["tpm"])
            s.say(f"CAGE shows transcription starting at {gene}'s promoter in {cell_of(ev)}: {len(ev.records)} "
                  f"peak{'s' if len(ev.records) > 1 else ''} within the window, the strongest {top['tpm']} TPM at "
                  f"{top['chrom']}:{top['summit']:,}.", ev.key)
        else:
            s.say(f"No CAGE peak (TPM >= 1) lies within {gene}'s promoter window in {cell_of(ev)}.", ev.key)
    cage_cells = {cell_of(ev) for ev in evidence(ledger, "cage:") if ev.records}
    for ev in in_cells(evidence(ledger, "rampage:"), cells):
        if ev.records:
            top = max(ev.records, key=lambda r: r.get("rpm") or 0)
            if not top.get("rpm"):
                s.say(f"RAMPAGE's rPeak {top['rpeak_id']} at {gene}'s promoter has no reads in {cell_of(ev)} "
                      f"({top['rpm']} RPM).", ev.key)
            elif cell_of(ev) in cage_cells:
                s.say(f"RAMPAGE confirms it in {cell_of(ev)}: rPeak {top['rpeak_id']} at {top['rpm']} RPM.", ev.key)
            else:
                s.say(f"RAMPAGE shows transcription starting at {gene}'s promoter in {cell_of(ev)}: rPeak "
                      f"{top['rpeak_id']} at {top['rpm']} RPM.", ev.key)
        else:
            s.say(f"No RAMPAGE rPeak at {gene}'s promoter is quantified in {cell_of(ev)}.", ev.key)


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
            s.say(f"ENCODE ChIP-seq places {len(tfs)} factor{'s' if len(tfs) > 1 else ''} near {gene}'s promoter in "
                  f"{cell}: {', '.join(tfs)}.", ev.key)
            named += tfs
        else:
            s.say(f"No factor profiled in {cell} lists {gene} in the ENCODE TF ChIP-seq 2015 gene sets.", ev.key)
    for ev in evidence(ledger, "peaks:"):
        rec = ev.records[0] if ev.records else None
        biosample = str(ev.params.get("biosample") or "")
        if cells and not any(same_cell(biosample, c) for c in cells):
            continue
        what = ev.title.split(" peaks")[0].replace("ENCODE ", "")
        if rec:
            s.say(f"The {what} peaks of {rec['accession']} in {rec['biosample']} overlap the promoter (signal "
                  f"{rec['signal_value']}; BED {rec['chrom']}:{rec['start']}-{rec['end']}).", ev.key)
            if rec.get("target"):
                named.append(rec["target"])
        else:
            s.say(f"No {what} peak in {biosample} (bundled file {ev.key.split(':')[1]}) lies within {gene}'s promoter "
                  "window.", ev.key)
    return list(dict.fromkeys(named))


def say_expression(s: Synthesis, ledger: Ledger, gene: str, top: int = 3) -> list[str]:
    """Top tissues (HPA, then GTEx) and HPA's specificity group; returns the HPA top tissues."""
    tops: list[str] = []
    for prefix, label in ((f"hpa:{gene}", "the Human Protein Atlas (v18)"), (f"gtex:{gene}", "GTEx")):
        for ev in evidence(ledger, prefix):
            ranked = sorted(ev.records, key=lambda r: r["rank"])[:top]
            detected = [r for r in ranked if r["tpm"] > 0]
            if not ranked:
                s.say(f"The bundled {label} table has no expression values for {gene}.", ev.key)
                continue
            if not detected:
                s.say(f"By {label}, {gene} is not detected in any tissue (0 TPM everywhere).", ev.key)
                continue
            listed = ", ".join(f"{r['tissue']} ({r['tpm']} TPM)" for r in detected)
            rest = [r["tissue"] for r in ranked if r["tpm"] <= 0]
            s.say(f"By {label}, {gene} is most highly expressed in {listed}"
                  + (f"; it is not detected (0 TPM) elsewhere, e.g. {', '.join(rest)}" if rest else "") + ".", ev.key)
            if prefix.startswith("hpa:"):
                tops = [r["tissue"] for r in detected]
    for ev in evidence(ledger, f"hpa-group:{gene}"):
        groups = [r for r in ev.records if r.get("Group")]
        if groups:
            s.say(f"HPA classes {gene} as " + "; ".join(f"{r['Group']} ({r['Tissue']})" for r in groups) + ".", ev.key)
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
            s.say(f"UCSC's ENCODE cCRE track (all classes) lists {len(items)} cCREs over {gene}'s promoter"
                  + (f": {', '.join(names[:8])}" if names else "")
                  + (f" (classes {', '.join(classes[:6])})" if classes else "") + ".", ev.key)
        if ev.source == "ucsc" and track == "encRegTfbsClustered":
            names = sorted({str(r.get("name")) for r in ev.records if r.get("name")})
            s.say(f"UCSC's ENCODE TF ChIP-seq clusters over {gene}'s promoter name {len(names)} factors"
                  + (f": {', '.join(names[:30])}" if names else "") + ".", ev.key)
        if ev.source == "regulomedb" and ev.params.get("regions") and ":" in str(ev.params["regions"]):
            rec = ev.records[0] if ev.records else {}
            peaks = rec.get("peaks", [])
            chip = rec.get("chip_targets", [])
            s.say(f"RegulomeDB finds {len(peaks)} ENCODE peaks over {gene}'s promoter"
                  + (f", ChIP-seq of {', '.join(chip[:30])}" if chip else "") + ".", ev.key)


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
