"""The genome browser's tracks (regulation.browser_tracks), its offline igv.js options, and the new charts."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

import genelm
from genelm.regulation import browser_tracks as bt
from genelm.regulation.sources import SOURCES


def test_exons_are_rebuilt_from_splice_junctions():
    # gene 100..1000, introns 201..399 and 601..799 (junction = last exon base, first exon base after)
    assert bt.exons_from_junctions(100, 1000, [200, 600], [400, 800]) == [(100, 200), (400, 600), (800, 1000)]
    assert bt.exons_from_junctions(100, 1000, [], []) == [(100, 1000)]


def test_the_locus_tracks_hold_exactly_the_bundled_rows_over_the_window():
    locus = bt.browser_locus("TP53")
    assert locus.chrom == "chr17" and locus.view[0] < 7_661_779 and locus.view[1] > 7_687_538
    names = [t.name for t in locus.tracks]
    for wanted in ("Genes", "TSSs", "cCREs PLS K562", "cCREs PLS GM12878", "CAGE K562", "RAMPAGE GM12878",
                   "MYC ChIP-seq K562", "MAX ChIP-seq K562", "DNase-seq GM12878", "DNase-seq HepG2"):
        assert any(n.startswith(wanted) for n in names), (wanted, names)
    lo, hi = locus.window
    # Recount the K562 cCREs over the window straight from the gzip file, without the tables module.
    with gzip.open(SOURCES["ccre:K562"].path, "rt") as handle:
        expected = sorted(f[3] for f in (line.split("\t") for line in handle)
                          if f[0] == "chr17" and int(f[1]) < hi and int(f[2]) >= lo)
    track = next(t for t in locus.tracks if t.name.startswith("cCREs PLS K562"))
    assert sorted(line.split("\t")[3] for line in track.text.splitlines()) == expected and expected
    genes = next(t for t in locus.tracks if t.name.startswith("Genes"))
    tp53 = next(line.split("\t") for line in genes.text.splitlines() if line.split("\t")[3] == "TP53")
    assert tp53[5] == "-" and int(tp53[9]) > 5  # minus strand, an exon model (not one block)
    assert "chr17:1-1 @len=83257441" in locus.reference_fasta  # no sequence claimed where none is bundled


def test_igv_options_fetch_nothing_from_outside():
    locus = bt.browser_locus("BRCA1")
    options = bt.igv_options(locus, {t.filename: t.filename for t in locus.tracks}, "reference.fa")
    assert options["loadDefaultGenomes"] is False and options["search"] is False
    assert [t.get("searchable") for t in options["tracks"]].count(True) == 1  # the gene track answers searches
    assert "http" not in json.dumps(options)
    assert locus.reference_fasta.startswith(">chr17:")  # BRCA1: the bundled GRCh38 slice


def test_each_question_gets_the_chart_it_calls_for(tmp_path):
    from genelm.regulation.charts import chart_kind, factor_matrix

    cases = {"Where is ALB expressed?": "expression", "Which TFs bind the MYC promoter?": "factors",
             "Describe how TP53 is regulated": "factors+expression",
             "Compare POLR2A ChIP-seq experiments in HepG2 and K562": "comparison",
             "What is the official gene symbol of SNAT6?": None}
    for question, kind in cases.items():
        answer = genelm.ask(question, offline=True)
        assert chart_kind(answer) == kind, question
        written = answer.chart(tmp_path / "c.png")
        assert (written is None) == (kind is None)
    factors, cells, marks = factor_matrix(genelm.ask("Describe how TP53 is regulated", offline=True))
    assert "K562" in cells and marks[("MAX", "K562")] == "peak"  # a bundled peak, no 2015 set


def test_ccre_labels_are_packed_without_overlap():
    pytest.importorskip("matplotlib")
    from genelm.regulation.figure import pack_labels

    items = [(0, "EH38E0000001"), (100, "EH38E0000002"), (5000, "EH38E0000003")]
    rows = pack_labels(items, bp_per_pt=10, fontsize=6)
    assert rows[0] != rows[1] and rows[2] == 0


def test_a_factoid_question_imports_neither_matplotlib_nor_the_browser():
    code = ("import sys, genelm; genelm.ask('What is the official gene symbol of SNAT6?', offline=True); "
            "print(sorted(m for m in ('matplotlib', 'genelm.ui.genome_browser', 'genelm.regulation.charts') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr[-2000:]
