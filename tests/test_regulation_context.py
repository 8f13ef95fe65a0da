"""Issue 25 (parts 1-3): numbers in context, the "In short" paragraph, and the across-cell-lines table.

Every number of the "In short" paragraph is recomputed here from the bundled files, read
directly (gzip + csv, no genelm.regulation code): the promoter distributions of CAGE,
RAMPAGE and DNase per cell line, percentiles, HPA/GTEx ranks and medians, factor counts.
The claims are checked for a dozen genes against the same files.
"""
from __future__ import annotations

import bisect
import csv
import gzip
import hashlib
import math
import re
import statistics
from functools import lru_cache

import pytest

import genelm
from genelm.data import DATA_DIR

REG = DATA_DIR / "regulation"
FLANK = 500
# The test's own lists, fixed here: what may be called general machinery, and the tissue each cell line comes from.
GENERAL = {"POLR2A", "POLR2APHOSPHOS2", "POLR2APHOSPHOS5", "POLR2B", "POLR2G", "POLR2H", "POLR3A", "POLR3G", "TBP",
           "TAF1", "TAF7", "TAF9B", "TAF15", "GTF2A2", "GTF2B", "GTF2E2", "GTF2F1", "GTF3C2", "BRF1", "BRF2", "BDP1",
           "CTCF", "RAD21", "SMC3", "STAG1", "STAG2"}
LINEAGE = {"K562": {"Bone Marrow"}, "GM12878": {"Lymph Node", "Tonsil", "Spleen"}, "HepG2": {"Liver"}}
CODES = {"K562": "K562", "GM12878": "GM12878", "HepG2": "HEPG2"}
ELEVATED = {"Tissue-Enriched", "Group-Enriched", "Tissue-Enhanced"}
GENES = ["TP53", "GATA1", "HNF1A", "MYC", "GAPDH", "EBF1", "CD19", "FMO3", "MPO", "TAL1", "NFE2", "ALB", "SPI1"]
QUESTIONS = ["Describe how TP53 is regulated", "How is GATA1 regulated in K562?", "What regulates HNF1A?"]


def _rows(name: str, folder=REG):
    path = folder / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from csv.reader(handle, delimiter="\t")


@lru_cache(maxsize=1)
def ensg_of() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for ensg, name in list(_rows("tissueenrich_human_gene_mapping.tsv.gz"))[1:]:
        out.setdefault(name, set()).add(ensg)
    return out


@lru_cache(maxsize=1)
def tss_index() -> dict[tuple[str, str], tuple[list[int], list[str]]]:
    """(chrom, strand) -> sorted 1-based TSS positions and their unversioned ENSGs."""
    sites: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for chrom, start, _end, _tx, _dot, strand, gene in _rows("GENCODE24_TSS.Basic.GRCh38.bed.gz"):
        sites.setdefault((chrom, strand), []).append((int(start), gene.split(".")[0]))
    return {k: ([p for p, _ in sorted(v)], [g for _, g in sorted(v)]) for k, v in sites.items()}


def per_gene(peaks, stranded: bool) -> dict[str, float]:
    """Each gene's strongest peak within FLANK bp of one of its TSSs (peak bases start+1..end); values > 0 only."""
    best: dict[str, float] = {}
    index = tss_index()
    for chrom, start, end, strand, value in peaks:
        if value is None or math.isnan(value):
            continue
        for key in [(chrom, strand)] if stranded else [(chrom, "+"), (chrom, "-")]:
            pos, genes = index.get(key, ([], []))
            i, j = bisect.bisect_left(pos, start + 1 - FLANK), bisect.bisect_right(pos, end + FLANK)
            for gene in set(genes[i:j]):
                best[gene] = max(best.get(gene, 0.0), value)
    return {g: v for g, v in best.items() if v > 0}


@lru_cache(maxsize=None)
def distribution(assay: str, cell: str) -> dict[str, float]:
    if assay == "CAGE":
        peaks = [(r[0], int(r[1]), int(r[2]), r[5], float(r[10])) for r in _rows(f"{cell}-CAGE-Peaks.TPM-1.bed.gz")]
        return per_gene(peaks, stranded=True)
    if assay == "RAMPAGE":
        rpm = {r[0]: float(r[2]) for r in list(_rows(f"{cell}-RAMPAGE-rPeak-Quantifications.txt.gz"))[1:]}
        rpeaks = _rows("All-Biosamples-RAMPAGE-rPeaks.bed.gz")
        peaks = [(r[0], int(r[1]), int(r[2]), r[5], rpm.get(r[3])) for r in rpeaks]
        return per_gene(peaks, stranded=True)
    accession = {"GM12878": "ENCFF073ORT", "HepG2": "ENCFF209DJG"}[cell]
    peaks = [(r[0], int(r[1]), int(r[2]), ".", float(r[6])) for r in _rows(f"{accession}.bed.gz")]
    return per_gene(peaks, stranded=False)


def percentile_of(assay: str, cell: str, value: float) -> tuple[int, int]:
    values = sorted(distribution(assay, cell).values())
    return math.floor(100 * sum(v <= value for v in values) / len(values)), len(values)


def gene_value(assay: str, cell: str, gene: str) -> float | None:
    found = [distribution(assay, cell)[e] for e in ensg_of()[gene] if e in distribution(assay, cell)]
    return max(found) if found else None


@lru_cache(maxsize=None)
def plsccres_at(cell: str, gene: str) -> set[str]:
    """PLS cCREs of the cell line within FLANK bp of any TSS of the gene (unstranded)."""
    ids = ensg_of()[gene]
    sites = [(c, p) for (c, _s), (pos, genes) in tss_index().items() for p, g in zip(pos, genes) if g in ids]
    out = set()
    for r in _rows(f"{cell}-PLS-Overlap-Groups.GRCh38.bed.gz", DATA_DIR / "ccre"):
        start, end = int(r[1]), int(r[2])
        if any(c == r[0] and start + 1 - FLANK <= p <= end + FLANK for c, p in sites):
            out.add(r[3])
    return out


@lru_cache(maxsize=None)
def tpm_table(source: str) -> tuple[dict[str, str], dict[str, list[float]], list[str]]:
    prefix = "tissueenrich_hpa_v18" if source == "hpa" else "tissueenrich_gtex_combined"
    header, *body = list(_rows(f"{prefix}_tissues.tsv"))  # column order differs between the two files
    names = {r[header.index("RName")]: r[header.index("TissueName")] for r in body}
    rows = list(_rows(f"{prefix}_tpm.tsv.gz"))
    tissues = [names[c] for c in rows[0][1:]]
    return names, {r[0]: [float(x) for x in r[1:]] for r in rows[1:]}, tissues


def expression(source: str, gene: str) -> dict:
    _, table, tissues = tpm_table(source)
    ensg = next(e for e in sorted(ensg_of()[gene]) if e in table)
    values = table[ensg]
    top = max(range(len(values)), key=lambda i: (values[i], -i))  # ties: the file's first column
    median = round(statistics.median(values), 3)
    fold = values[top] / median if median > 0 else None
    return {"tissue": tissues[top], "tpm": values[top], "n": len(values), "median": median,
            "detected": sum(v >= 1 for v in values),
            "fold": None if fold is None else round(fold, 1) if fold < 10 else round(fold)}


@lru_cache(maxsize=1)
def hpa_groups() -> dict[str, list[tuple[str, str]]]:
    names = {r[2]: r[0] for r in list(_rows("tissueenrich_hpa_v18_tissues.tsv"))[1:]}
    symbol = {e: n for n, es in ensg_of().items() for e in es}
    out: dict[str, list[tuple[str, str]]] = {}
    for gene, tissue, group in list(_rows("tissueenrich_hpa_v18_tissue_specific_genes.tsv.gz"))[1:]:
        out.setdefault(symbol.get(gene, gene), []).append((names.get(tissue, tissue), group))
    return out


@lru_cache(maxsize=1)
def chip_sets() -> dict[str, dict[str, set[str]]]:
    """biosample code -> gene -> the factors whose 2015 (HG19) set lists it."""
    out: dict[str, dict[str, set[str]]] = {}
    for gene_set, tf, biosample, assembly, _n, genes in list(_rows("chea3_ENCODE_TF_ChIP-seq_2015.tsv.gz"))[1:]:
        if assembly == "HG19":
            for g in genes.split(","):
                out.setdefault(biosample, {}).setdefault(g, set()).add(tf)
    return out


@lru_cache(maxsize=1)
def lambert() -> set[str]:
    return {line.strip().upper() for line in (DATA_DIR / "tf" / "Lambert2018_TF_names_v_1.01.txt").read_text().split()}


@lru_cache(maxsize=None)
def ask(question: str):
    return genelm.ask(question, offline=True)


def in_short(answer) -> list:
    return [s for s in answer.sentences if s.part == "in_short"]


ACTIVE = re.compile(r"(strongly|moderately|weakly) active in (\S+) \((CAGE|RAMPAGE) ([\d.]+) (TPM|RPM), "
                    r"(\d+)(?:st|nd|rd|th) percentile of the ([\d,]+) (\S+) promoters with")
OPEN = re.compile(r"(\S+) \((strong|moderate|weak): DNase signal ([\d.]+), (\d+)(?:st|nd|rd|th) percentile of the "
                  r"([\d,]+) (\S+) promoters with a DNase peak")
SILENT = re.compile(r"shows no transcription start in (.+?) \(no CAGE")
CLOSED = re.compile(r"has no DNase peak in (.+?)[;.]")
COUNTS = re.compile(r"places near the promoter \(([^)]*)\)")
EXPR = re.compile(r"highest in (.+?) at ([\d.]+) TPM(?: \(rank 1 of (\d+) tissues;|,) ([\d.]+)x its median of "
                  r"([\d.]+) TPM across tissues")
DETECTED = re.compile(r"detected \(>= 1 TPM\) in (?:all (\d+)|(\d+) of (\d+))")
GTEX = re.compile(r"GTEx's highest is (.+?) \(([\d.]+) TPM(?:, ([\d.]+)x its GTEx median of ([\d.]+) TPM)?\)")
LEVEL = {"strongly": "strong", "moderately": "moderate", "weakly": "weak"}


def _cells(text: str) -> list[str]:
    return [c for c in re.split(r", | or | and ", text) if c]


def _level(pct: int) -> str:
    return "strong" if pct >= 75 else "moderate" if pct >= 25 else "weak"


def check_in_short(gene: str, answer) -> set[str]:
    """Check every claim of the In short paragraph against the files; returns the numbers it verified."""
    paragraph = in_short(answer)
    text = " ".join(s.text for s in paragraph)
    seen: set[str] = set()
    # 1. Activity: value, percentile, number of promoters, level word.
    for adverb, cell, assay, value, _unit, pct, n, cell2 in ACTIVE.findall(text):
        assert cell == cell2
        assert gene_value(assay, cell, gene) == float(value), (gene, cell, assay)
        expected, total = percentile_of(assay, cell, float(value))
        assert (int(pct), int(n.replace(",", ""))) == (expected, total), (gene, cell, assay)
        assert LEVEL[adverb] == _level(int(pct))
        if assay == "RAMPAGE":  # RAMPAGE is said only where CAGE has no peak
            assert gene_value("CAGE", cell, gene) is None
        seen |= {value, pct, n}
    for cell, level, value, pct, n, cell2 in OPEN.findall(text):
        assert cell == cell2 and gene_value("DNase", cell, gene) == float(value)
        assert (int(pct), int(n.replace(",", ""))) == percentile_of("DNase", cell, float(value))
        assert level == _level(int(pct))
        seen |= {value, pct, n}
    for cells in SILENT.findall(text):
        for cell in _cells(cells):
            assert gene_value("CAGE", cell, gene) is None and gene_value("RAMPAGE", cell, gene) is None, (gene, cell)
    for cells in CLOSED.findall(text):
        for cell in _cells(cells):
            assert gene_value("DNase", cell, gene) is None, (gene, cell)
    for accession in re.findall(r"EH38E\d+", paragraph[0].text):
        assert any(accession in plsccres_at(c, gene) for c in ("K562", "GM12878")), accession
    more = r"promoter-like cCRE \((EH38E\d+), (EH38E\d+) and (\d+) more\) in (.+?)(?: but not|[;.])"
    if (m := re.search(more, text)):
        union = set().union(*(plsccres_at(c, gene) for c in _cells(m.group(4))))
        assert len(union) == 2 + int(m.group(3))
        seen.add(m.group(3))
    if "ENCODE SCREEN has no promoter-like cCRE at it in" in text:
        cells = re.search(r"no promoter-like cCRE at it in (.+?)[;.]", text).group(1)
        assert all(not plsccres_at(c, gene) for c in _cells(cells))
    # 2. Factors: counts per cell line, own product, lineage, tissue-elevated, general machinery.
    factor = next((s.text for s in paragraph if "ENCODE ChIP-seq (2015 gene sets)" in s.text), "")
    if (m := COUNTS.search(factor)):
        for n, cell in re.findall(r"(\d+) in (\S+?)(?:,|$)", m.group(1)):
            assert int(n) == len(chip_sets()[CODES[cell]].get(gene, set())), (gene, cell)
            seen.add(n)
    own = re.search(rf"{gene}'s own product binds its promoter in (.+?);", factor + ";")
    own_cells = {c for c in CODES if gene in chip_sets()[CODES[c]].get(gene, set())}
    in_scope = {c for c in CODES if re.search(rf"\d+ in {c}\b", factor)}
    if own:
        assert gene.upper() in lambert() and set(_cells(own.group(1))) == own_cells & in_scope
    else:
        assert not (own_cells & in_scope), gene  # the own product binding is never left out
    for tf, cells, group, tissues in re.findall(r"(\w[\w-]*) \(([^;()]+); HPA ([\w-]+) in ([^)]+)\)", factor):
        for cell in cells.split(", "):
            assert tf in chip_sets()[CODES[cell]][gene]
            assert any(t in LINEAGE[cell] and g in ELEVATED for t, g in hpa_groups()[tf]), (tf, cell)
        assert (tissues.split(" and ")[0].split(", ")[0], group) in hpa_groups()[tf]
    if "tissue-elevated elsewhere" in factor:
        clause = factor.split("tissue-elevated elsewhere")[0].split("; ")[-1]
        for tf, cells, group, tissues in re.findall(r"(\w[\w-]*) \(([^;()]+); ([\w-]+) in ([^)]+)\)", clause):
            for cell in cells.split(", "):
                assert tf in chip_sets()[CODES[cell]][gene]
                assert not any(t in LINEAGE[cell] for t, g in hpa_groups()[tf] if g in ELEVATED)
            assert (tissues.split(" and ")[0].split(", ")[0], group) in hpa_groups()[tf]
    if "general machinery" in factor:
        clause = re.sub(r"^Of the factors .*?\), ", "", factor.split(" general machinery")[0].split("; ")[-1])
        named = re.findall(r"(\w[\w-]*) \(([^)]+)\)", clause)
        assert named
        for tf, cells in named:
            assert tf in GENERAL  # only a fixed list is called general machinery
            assert all(tf in chip_sets()[CODES[c]][gene] for c in cells.split(", "))
    # 3. Expression: top tissue, rank, median, fold, detected count; GTEx likewise.
    hpa = expression("hpa", gene)
    if (m := EXPR.search(text)):
        tissue, tpm, n, fold, median = m.groups()
        assert (tissue, float(tpm), float(fold), float(median)) == (hpa["tissue"], hpa["tpm"], hpa["fold"],
                                                                     hpa["median"]), gene
        assert n is None or int(n) == hpa["n"]
        seen |= {tpm, fold, median} | ({n} if n else set())
    if (m := DETECTED.search(text)):
        detected = int(m.group(1) or m.group(2))
        assert detected == hpa["detected"] and int(m.group(1) or m.group(3)) == hpa["n"]
        seen |= {g for g in m.groups() if g}
    if (m := GTEX.search(text)):
        gtex = expression("gtex", gene)
        assert (m.group(1), float(m.group(2))) == (gtex["tissue"], gtex["tpm"])
        if m.group(3):
            assert (float(m.group(3)), float(m.group(4))) == (gtex["fold"], gtex["median"])
        seen |= {g for g in m.groups()[1:] if g}
    elevated = [(t, g) for t, g in hpa_groups().get(gene, []) if g in ELEVATED]
    for group, tissues in re.findall(r"is ([\w-]+) in (.+?) by HPA v18", text):
        assert {(t, group) for t in _cells(tissues)} <= set(elevated)
    # 4. Disagreements.
    for cell in re.findall(r"in (\w+), (?:CAGE|RAMPAGE)[^;]*? but ENCODE SCREEN has no promoter-like cCRE", text):
        assert not plsccres_at(cell, gene) and (gene_value("CAGE", cell, gene) or gene_value("RAMPAGE", cell, gene))
    for group, tissue, cell in re.findall(r"HPA calls \w+ ([\w-]+) in (.+?), the tissue (\w+) comes from", text):
        assert (tissue, group) in elevated and tissue in LINEAGE[cell]
        assert all(gene_value(a, cell, gene) is None for a in ("CAGE", "RAMPAGE") if cell != "HepG2")
        if cell in ("GM12878", "HepG2"):
            assert cell == "GM12878" or gene_value("DNase", cell, gene) is None
    return seen


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_answer_opens_with_a_cited_in_short_paragraph(question):
    answer = ask(question)
    factual = [s for s in answer.sentences if s.factual]
    paragraph = in_short(answer)
    assert factual[0].text.startswith("In short:") and factual[0].part == "in_short"
    assert 2 <= len(paragraph) <= 4 and factual[:len(paragraph)] == paragraph  # first, together, then the detail
    keys = {e.key for e in answer.evidence}
    assert all(s.citations and set(s.citations) <= keys for s in paragraph)
    assert answer.citations_ok and not answer.warnings  # no sentence dropped by the citation check
    assert answer.text.startswith("In short:")
    assert len(factual) > len(paragraph) + 3  # the detailed sentences still follow


def unverified_numbers(gene: str, answer) -> set[str]:
    """The numbers of the In short paragraph that ``check_in_short`` did not recompute (empty: all were)."""
    verified = check_in_short(gene, answer)
    text = " ".join(s.text for s in in_short(answer))
    text = re.sub(r"EH38E\d+|2015 gene sets|>= 1 TPM|rank 1 of", " ", text)
    tokens = [t.strip("(),;.:") for t in text.split()]  # whole words: 'GM12878' and 'TP53' are names, not numbers
    numbers = {m.group(1) for t in tokens if (m := re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)(?:x|st|nd|rd|th)?", t))}
    assert numbers
    return numbers - verified


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_number_in_the_in_short_paragraph_is_recomputed_from_the_files(question):
    gene = re.search(r"TP53|GATA1|HNF1A", question).group(0)
    assert not unverified_numbers(gene, ask(question))


def test_the_three_readings_say_what_the_files_hold():
    tp53 = " ".join(s.text for s in in_short(ask(QUESTIONS[0])))
    assert "strongly active in GM12878" in tp53 and "active in K562" in tp53 and "open chromatin in HepG2" in tp53
    assert "CTCF (K562, HepG2) is general machinery" in tp53
    gata1 = " ".join(s.text for s in in_short(ask(QUESTIONS[1])))
    assert "GATA1's own product binds its promoter in K562" in gata1
    assert "GATA1 (K562; HPA Tissue-Enriched in Bone Marrow)" in gata1 and "TBP (K562) is general machinery" in gata1
    assert "GM12878" not in gata1 and "HepG2" not in gata1  # the named cell line focuses the reading
    hnf1a = " ".join(s.text for s in in_short(ask(QUESTIONS[2])))
    assert "no transcription start in K562 or GM12878" in hnf1a and "open chromatin in HepG2" in hnf1a
    assert "HNF4A (HepG2; HPA Group-Enriched in Liver) is a lineage TF" in hnf1a


@pytest.mark.parametrize("gene", GENES)
def test_in_short_claims_hold_for_a_dozen_genes(gene):
    answer = ask(f"Describe how {gene} is regulated")
    assert in_short(answer) and answer.citations_ok and not answer.warnings
    assert not unverified_numbers(gene, answer)  # every claim checked, every number recomputed


def test_disagreements_are_said_plainly():
    fmo3 = " ".join(s.text for s in in_short(ask("Describe how FMO3 is regulated")))
    assert "Sources disagree: HPA calls FMO3 Tissue-Enriched in Liver, the tissue HepG2 comes from" in fmo3
    ebf1 = " ".join(s.text for s in in_short(ask("Describe how EBF1 is regulated")))
    assert "in GM12878, CAGE and RAMPAGE show transcription starting at the promoter, but ENCODE SCREEN has no " \
           "promoter-like cCRE" in ebf1
    tp53 = " ".join(s.text for s in in_short(ask(QUESTIONS[0])))
    assert "disagree" not in tp53


def test_a_question_naming_no_cell_line_shows_the_cell_lines_side_by_side():
    table = ask(QUESTIONS[0]).table
    assert [r["cell line"] for r in table] == ["K562", "GM12878", "HepG2"]
    for row in table:
        assert row["bound factors (2015 sets)"] == str(len(chip_sets()[CODES[row["cell line"]]]["TP53"]))
    k562, gm, hepg2 = table
    expected, _ = percentile_of("CAGE", "K562", 7.9)
    assert k562["CAGE TPM"].startswith(f"7.9 ({expected}") and k562["promoter-like cCRE"] == "EH38E1844598"
    assert hepg2["CAGE TPM"] == "not bundled" and hepg2["DNase signal"].startswith("663 (")
    assert gm["activity"] == "strong (CAGE)"
    assert "| cell line |" in ask(QUESTIONS[0]).text
    assert ask(QUESTIONS[1]).table == []  # a named cell line: no table


def test_context_evidence_cites_file_rows_and_sha256():
    answer = ask(QUESTIONS[1])
    ev = next(e for e in answer.evidence if e.key == "context:cage:K562:GATA1")
    rec = ev.records[0]
    cage = list(_rows("K562-CAGE-Peaks.TPM-1.bed.gz"))
    assert float(cage[rec["peak_row"] - 1][10]) == rec["value"] == 279.0  # the row named holds the value
    files = {f["file"]: f["sha256"] for f in ev.params["files"]}
    for name in ("K562-CAGE-Peaks.TPM-1.bed.gz", "GENCODE24_TSS.Basic.GRCh38.bed.gz"):
        assert files[name] == hashlib.sha256((REG / name).read_bytes()).hexdigest()
    assert ev.origin == "bundled" and ev.sha256 and rec["level"] == "strong" and rec["percentile"] == 97


def test_distributions_are_built_once_and_cached():
    from genelm.regulation import context

    first = context.promoter_signal("cage", "K562")
    assert context.promoter_signal("cage", "K562") is first  # in memory
    assert first["n"] == len(distribution("CAGE", "K562"))
    assert context.level(None) == "none" and context.level(75) == "strong" and context.level(24) == "weak"


def test_the_narrative_rule_checks_the_in_short_paragraph():
    from evals.rules import in_short_ok

    answer = ask(QUESTIONS[1])
    assert in_short_ok(answer)
    stripped = answer.model_copy(update={"sentences": [s for s in answer.sentences if s.part != "in_short"]})
    assert not in_short_ok(stripped)
