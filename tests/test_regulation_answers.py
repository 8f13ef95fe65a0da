"""Regulation answers offline (issue #17): every sentence cited, the kinds of evidence an expert reads."""
from __future__ import annotations

import genelm


def _text(answer) -> str:
    return " ".join(s.text for s in answer.sentences)


def test_tp53_regulation_cites_four_kinds_of_evidence():
    answer = genelm.ask("Describe how TP53 is regulated", offline=True)
    cited = {k.split(":")[0] for s in answer.sentences for k in s.citations}
    assert {"tss", "ccre", "chip2015", "hpa"} <= cited and ({"cage", "rampage"} & cited)
    assert all(s.citations for s in answer.sentences if s.factual)
    assert "EH38E1844598" in _text(answer)  # the promoter-like cCRE at TP53's TSS (K562 and GM12878 PLS files)
    assert "not queried: offline" in _text(answer)  # the online sources are named, not silently skipped


def test_liver_tfs_are_listed_with_their_hpa_groups():
    answer = genelm.ask("Which TFs are upregulated in human liver?", offline=True)
    listed = set(answer.short_answer.split(", "))
    assert {"HNF4A", "FOXA3", "ONECUT1", "NR1H4", "NR1I2", "NR1I3", "CREB3L3", "MLXIPL"} <= listed
    assert "Tissue-Enriched" in _text(answer)


def test_a_named_cell_line_focuses_the_answer():
    answer = genelm.ask("What TFs have ENCODE ChIP-seq peaks at the SNX10 promoter in K562?", offline=True)
    assert set(answer.short_answer.split(", ")) >= {"CTCF", "MAFK", "MAX", "MYC", "NRF1"}
    assert "GM12878" not in _text(answer)


def test_promoter_activity_yes_no_names_the_marking_ccre():
    answer = genelm.ask("Is the promoter of SNRPB active in K562?", offline=True)
    assert answer.short_answer == "yes"
    assert "EH38E2092827" in _text(answer)


def test_factor_enrichment_question_scopes_what_the_bundled_data_cannot_say():
    answer = genelm.ask("Which cell types show POLR2A enrichment near the TP53 promoter?", offline=True)
    text = _text(answer)
    assert "no POLR2A set" in text  # the 2015 gene sets hold no POLR2A: said, not hidden
    assert "K562" in text and "2019-10-04" in text  # where ENCODE profiled it, from the 2019 report


def test_the_locus_figure_is_written_for_a_regulation_answer_only(tmp_path):
    from PIL import Image

    answer = genelm.ask("How is MYC regulated in K562?", offline=True)
    written = answer.locus_figure(tmp_path / "myc.png")
    assert written is not None and written.stat().st_size > 10_000
    with Image.open(written) as image:
        assert image.width > 600 and image.height > 300
    lookup = genelm.ask("What is the official gene symbol of SNAT6?", offline=True)
    assert lookup.locus_figure(tmp_path / "none.png") is None and not (tmp_path / "none.png").exists()


def test_tissue_tfs_joined_with_where_encode_profiled_them():
    """The cross-source question the knowledge graph answers by one join, answered offline from the same files."""
    answer = genelm.ask("Which liver-elevated TFs have ChIP-seq in HepG2?", offline=True)
    assert answer.short_answer == "FOXA3, HNF4A"
    joined = next(s for s in answer.sentences if "have ENCODE TF ChIP-seq in HepG2" in s.text)
    assert set(joined.citations) == {"encode-chip2019:FOXA3", "encode-chip2019:HNF4A"}


def test_promoter_activity_is_never_a_no_by_omission():
    """HepG2 has no bundled cCRE/CAGE file: its DNase peak answers; MCF-7 has neither: genelm does not say no."""
    hepg2 = genelm.ask("Is the ALB promoter active in HepG2?", offline=True)
    assert hepg2.short_answer == "yes" and "peaks:ENCFF209DJG:ALB" in {k for s in hepg2.sentences for k in s.citations}
    mcf7 = genelm.ask("Is the BRCA1 promoter active in MCF-7?", offline=True)
    assert mcf7.short_answer == "cannot tell" and "cannot say whether the promoter is active" in _text(mcf7)


def test_an_encode_cell_name_reaches_the_2015_gene_sets_spelling():
    answer = genelm.ask("Which TFs bind near GAPDH in HeLa-S3?", offline=True)
    assert "ELK4" in answer.short_answer.split(", ")
    h1 = genelm.ask("which factors bind the POU5F1 promoter in H1?", offline=True)
    assert any(k == "chip2015:H1HESC:POU5F1" for s in h1.sentences for k in s.citations)


def test_top_n_tissues_and_gtex_groups_when_asked():
    five = genelm.ask("What are the top 5 tissues for MYOD1 expression?", offline=True)
    assert five.short_answer.split(", ")[:2] == ["Skeletal Muscle", "Prostate"] and len(five.short_answer.split(", ")) == 5
    gtex = genelm.ask("Which TFs are enriched in liver according to GTEx?", offline=True)
    assert gtex.evidence[0].key == "gtex-specific:liver" and "by GTEx" in _text(gtex)


def test_a_cell_line_no_file_covers_is_said_so_and_the_held_cell_lines_answer():
    answer = genelm.ask("How is FOXP3 regulated in Jurkat?", offline=True)
    assert answer.trace["frame"]["constraints"]["biosample"] == ["Jurkat clone E6-1"]
    text = _text(answer)
    assert "No bundled cCRE, CAGE/RAMPAGE, ChIP-seq gene-set or peak file covers Jurkat clone E6-1" in text
    assert "In K562" in text and any("Jurkat" in g for g in answer.gaps)
