"""Questions as users write them, from the held-out suites' first sight (evals/suites/holdout_users_*.jsonl):
paper names inside lookups, the value asked for (a band, a span, a TPM, the top tissue), lists that say
'none' or 'no data' instead of nothing, one question per place for 'each', and never a traceback."""
from __future__ import annotations

import pytest

import genelm
from genelm.agent.core.several import questions_in
from genelm.agent.grounding.extract import ground
from genelm.agent.grounding.frames import understand


def _ask(question: str):
    return genelm.ask(question, offline=True)


def _frame(question: str):
    return understand(question, ground(question))


def _texts(answer) -> str:
    return " ".join(s.text for s in answer.sentences)


# --- names ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["which cell lines have NF-κB p65 ChIP-seq",
                                      "NF-κB p65가 K562에서 결합하는 유전자들은?"])
def test_a_family_named_with_its_member_is_that_member_and_never_a_traceback(question):
    answer = _ask(question)
    frame = answer.trace["frame"]
    assert "RELA" in frame["about"] + frame["constraints"].get("target", [])
    assert answer.evidence and all("RELA" in e.key for e in answer.evidence)  # RELA's own records, no crash


def test_a_family_where_one_gene_is_needed_is_listed_with_its_members():
    answer = _ask("which cell lines have NF-κB ChIP-seq")
    assert answer.intent == "gene_family" and "RELA" in _texts(answer)


def test_a_value_a_call_refuses_is_a_gap_naming_it(monkeypatch):
    """The safety net under every intent: a call's schema refusing a value is said, not raised."""
    from genelm.agent.capabilities.regulation.calls import FactorChipBiosamples
    from genelm.agent.capabilities.regulation.intents import FactorBiosamples

    monkeypatch.setattr(FactorBiosamples, "steps", lambda self, q, ledger, step:
                        [FactorChipBiosamples(factor="NF-κB")] if step == 0 else [])
    answer = _ask("In which biosamples has ENCODE profiled HNRNPH1 by ChIP-seq?")
    assert any("'NF-κB'" in gap and "factor" in gap for gap in answer.gaps)


@pytest.mark.parametrize("written, symbol", [("hTERT", "TERT"), ("hMLH1", "MLH1")])
def test_a_lower_case_h_marks_the_human_gene(written, symbol):
    assert _frame(f"is the {written} promoter active in K562").about == [symbol]


@pytest.mark.parametrize("question, short", [
    ("Ki-67 chromosomal band?", "10q26.2"),
    ("p16基因位于哪个染色体带？", "9p21.3"),
    ("BCL11A는 어느 밴드에 있나요?", "2p16.1"),
    ("TGF-β1은 몇 번 염색체에 있나요?", "chr19"),
])
def test_a_paper_name_is_looked_up_as_the_gene_it_was_read_as_and_answers_what_was_asked(question, short):
    assert _ask(question).short_answer == short


def test_coordinates_are_the_grch38_span_and_another_assembly_is_named_as_not_applied():
    assert _ask("hg38 coordinates of HNF1A").short_answer == "chr12:120978543-121002512 (GRCh38)"
    hg19 = _ask("hg19 coordinates of HNF1A")
    assert "(GRCh38)" in hg19.short_answer and "GRCh37 was not applied" in _texts(hg19)


def test_an_official_symbol_never_claims_the_record_lists_a_name_it_does_not():
    answer = _ask("official symbol for Bcl-xL")
    assert answer.short_answer == "BCL2L1"
    assert "among its aliases" not in _texts(answer) and "not among this record's aliases" in _texts(answer)
    assert "among its aliases" in _texts(_ask("whats the approved symbol for IL-8"))  # IL8 is listed


def test_what_kind_of_gene_is_answered_with_its_type():
    assert _ask("what kind of gene is KCNQ1OT1").short_answer == "ncRNA"


# --- expression ---------------------------------------------------------------------------------------------------

def test_expression_in_a_tissue_answers_yes_no_first_citing_that_tissues_row():
    answer = _ask("is C/EBPα expressed in bone marrow")
    first = answer.sentences[0]
    assert answer.short_answer == "yes" and "Bone Marrow" in first.text and "1 TPM" in first.text
    (key,) = first.citations
    evidence = next(e for e in answer.evidence if e.key == key)
    assert evidence.params["tissue"] == "bone marrow" and evidence.records[0]["tissue"] == "Bone Marrow"
    assert _ask("GFAP expressed in liver at all?").short_answer == "no"


@pytest.mark.parametrize("question, short", [
    ("PRSS1在胰腺里的TPM是多少？", "81683.0 TPM"),
    ("what's the TPM of ALB in liver", "105947.0 TPM"),
    ("MYOD1在哪个组织里表达最高？", "Skeletal Muscle (9.0 TPM, HPA v18)"),
    ("in which tissue is MYOD1 highest", "Skeletal Muscle (9.0 TPM, HPA v18)"),
    ("MYH7은 어느 조직에서 가장 많이 발현돼요?", "Skeletal Muscle"),
    ("Show ALB expression levels with TPM in liver, kidney and lung",
     "Liver: 105947.0 TPM (HPA v18); Kidney: 482.5 TPM (HPA v18); Lung: 0.2 TPM (HPA v18)"),
])
def test_one_value_asked_is_one_value(question, short):
    answer = _ask(question)
    assert answer.trace["frame"]["form"] == "factoid" and answer.short_answer.startswith(short)


@pytest.mark.parametrize("question, form", [("UMOD是不是在腎臟表現的？", "yes_no"),
                                            ("CYP3A4在哪些组织里表达比较高？", "list"),
                                            ("红细胞里HBB的表达是怎么调控的？", "narrative"),
                                            ("N-Myc promoter - any CAGE signal in SK-N-SH?", "yes_no")])
def test_the_form_is_the_one_asked(question, form):
    assert _frame(question).form == form


# --- regulation lists -----------------------------------------------------------------------------------------

def test_promoter_activity_is_listed_and_counted_by_cell_line():
    assert _ask("In which cell lines is the GATA1 promoter active?").short_answer == "K562"
    assert _ask("where is the CD3E promoter active").short_answer == "none of K562, GM12878, HepG2"
    # the list, the count and the yes/no read the same evidence (a cCRE at the promoter, CAGE, DNase beyond them)
    assert _ask("where is the ALB promoter active").short_answer == "HepG2"
    assert _ask("Is the ALB promoter active in HepG2?").short_answer == "yes"
    assert _ask("in how many cell lines is the APOA1 promoter active").short_answer == "1"
    assert _ask("Is the APOA1 promoter active in K562?").short_answer == "no"
    count = _ask("in how many cell lines is the FOXA1 promoter active")
    assert count.short_answer.isdigit() and "Counted over the cell lines" in _texts(count)
    assert _ask("What cCREs are near GATA1?").short_answer.startswith("EH38E")


def test_a_list_over_cells_genelm_does_not_hold_says_so_instead_of_other_cells_answers():
    answer = _ask("what binds the MITF promoter in melanocytes")
    assert answer.short_answer == "no bundled data for foreskin melanocyte"
    assert _ask("how many TFs bind the CD4 promoter in T cells").short_answer is None  # no count without the data


def test_a_list_that_found_nothing_says_none_found():
    assert _ask("p16INK4a promoter - which TFs bind it in K562?").short_answer == \
        "none found in the bundled ChIP-seq files"
    assert _ask("how many TFs bind the CDKN2A promoter in K562").short_answer == "0"


@pytest.mark.parametrize("question, target, about", [
    ("VEGF promoter bound by HIF-1α in HepG2?", "HIF1A", "VEGFA"),
    ("does EBF1 sit on the CD19 promoter in GM12878", "EBF1", "CD19"),
])
def test_the_factor_is_told_from_the_gene_in_passive_and_colloquial_binding(question, target, about):
    frame = _frame(question)
    assert frame.ask == "bound_factors" and frame.about == [about] and frame.constraints["target"] == [target]


@pytest.mark.parametrize("question, cell", [("红细胞里HBB的表达是怎么调控的？", "erythroblast"),
                                            ("적혈구에서 TAL1은 어떻게 조절되나요?", "erythroblast"),
                                            ("what regulates SNAP25 in neurons?", "neural cell"),
                                            ("is ALB expressed in liver cells", "hepatocyte")])
def test_a_cell_type_is_a_place_before_a_tissue_word_inside_it(question, cell):
    frame = _frame(question)
    assert frame.constraints.get("biosample") == [cell] and "tissue" not in frame.constraints


# --- several questions ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("message, places", [
    ("HepG2和K562各有多少个POLR2A ChIP-seq实验？", ["HepG2", "K562"]),
    ("GM12878과 K562에서 각각 EP300 ChIP-seq 실험이 몇 개씩 있나요?", ["GM12878", "K562"]),
    ("how many CTCF experiments are there in HepG2 and K562 respectively?", ["HepG2", "K562"]),
])
def test_each_and_respectively_ask_once_per_place(message, places):
    parts = questions_in(message)
    assert len(parts) == 2
    for part, place in zip(parts, places):
        assert _frame(part).constraints["biosample"] == [place]


def test_places_without_each_stay_one_question():
    assert questions_in("is ALB expressed in liver and kidney?") == ["is ALB expressed in liver and kidney?"]


@pytest.mark.parametrize("message", ["BCL11A는 어느 밴드에 있나요? 그리고 K562에서 그 프로모터가 활성인가요?",
                                     "OCT4의 공식 심볼은 뭐고, 몇 번 염색체에 있나요?"])
def test_two_korean_questions_in_one_message_are_answered_apart(message):
    answer = _ask(message)
    assert len(answer.trace["parts"]) == 2


def test_where_a_factor_binds_a_gene_reads_every_line_the_library_profiles_it_in():
    answer = _ask("In which cell lines does CTCF bind the H19 promoter?")
    assert answer.short_answer.split(", ") == ["A549", "ECC-1", "MCF-7", "T47D"]
    assert answer.sentences[0].citations == ["chip2015-genes:CTCF:all"]
    assert _ask("in how many cell lines does CTCF bind the H19 promoter").short_answer == "4"
    # the library's cell codes as ENCODE writes them; the cells asked filter the lines; 'not listed' is hedged
    gapdh = _ask("in which cell lines does CTCF bind the GAPDH promoter").short_answer
    assert "CD14-positive monocyte" in gapdh and "CD14POSITIVEMONOCYTE" not in gapdh
    asked = _ask("Which of K562, HepG2 and GM12878 have CTCF bound at the H19 promoter?")
    assert asked.short_answer == "none of the 3 cell lines profiled" and "not proof" in asked.sentences[0].text
    assert _ask("EBF1在哪些细胞里结合CD79B的启动子？").short_answer == "所检测的 1 个细胞系中均无"


@pytest.mark.parametrize("question, ask", [("expresion level of SFTPC in lung, in TPM pls", "expression"),
                                           ("is the GATA1 promotor active in K562", "promoter_activity"),
                                           ("how many PLS in K562 near GATA1", "ccres")])
def test_misspelled_cue_words_read_as_meant_and_please_is_not_a_ccre_class(question, ask):
    assert _frame(question).ask == ask


@pytest.mark.parametrize("question, short", [("INS TPM in pancreas?", "1850.7 TPM"),
                                             ("Where is HIF-1α expressed most highly?", "Bone Marrow")])
def test_more_ways_of_asking_for_one_expression_value(question, short):
    assert _ask(question).short_answer.startswith(short)


@pytest.mark.parametrize("question, form", [("rs4988235的RegulomeDB等级是多少？", "factoid"),
                                            ("rs356168 변이가 조절 측면에서 무슨 역할을 하는지 알려줘", "narrative"),
                                            ("what does rs1421085 do? the FTO obesity snp", "narrative")])
def test_variant_questions_take_the_form_asked(question, form):
    frame = _frame(question)
    assert frame.ask == "regulatory_evidence" and frame.form == form


def test_a_korean_follow_up_without_its_subject_stays_a_yes_no_question():
    answer = _ask("ELANE는 어떤 조직에서 발현되나요? 그리고 단백질 코딩 유전자인가요?")
    second = answer.trace["parts"][1]
    assert second["frame"]["form"] == "yes_no" and second["short_answer"] == "예"


def test_gap_lines_are_in_the_answers_language_and_the_trace_keeps_english():
    answer = genelm.ask("rs429358은 어느 유전자에 있나요?", offline=True)
    assert any("응답하지 않았습니다" in gap for gap in answer.gaps)
    assert answer.trace["calls"][0]["error"].startswith("ncbi did not answer for")


def test_a_cell_type_without_per_cell_data_gets_its_tissues_value_said_as_the_tissues():
    answer = _ask("is KRT14 expressed in keratinocytes")
    assert answer.short_answer == "cannot tell"  # the tissue's value is context, not the cell type's verdict
    nearest = next(s for s in answer.sentences if "nearest" in s.text)
    assert "Skin" in nearest.text and "not the cell type's own" in nearest.text
    assert nearest.citations == ["hpa-tissue:KRT14:skin"]
    covered = _ask("Is CD19 expressed in B cells?")  # GM12878 stands in: no tissue stand-in is added
    assert covered.short_answer == "yes" and not any("nearest" in s.text for s in covered.sentences)


def test_a_factor_the_library_has_no_set_of_is_a_cited_negative():
    answer = _ask("nrf2 - what does it target in a549")
    assert answer.short_answer == "no bundled data for NFE2L2 in A549" and not answer.gaps
    assert any(s.citations == ["chip2015-genes:NFE2L2:all"] for s in answer.sentences)


def test_which_targets_were_profiled_lists_targets_not_accessions():
    short = _ask("which targets were profiled in K562?").short_answer.split(", ")
    assert "CTCF" in short and not any(x.startswith("ENCSR") for x in short)


@pytest.mark.parametrize("question, short", [("where's FOXP3 located", "Xp11.23"), ("HAND2 염색체 위치", "4q34.1"),
                                             ("what chr is NKX2-5 on", "chr5"), ("MEF2C 在哪条染色体上？", "chr5"),
                                             ("FAM46C - what's it called now", "TENT5C"),
                                             ("HOTAIR 是什么类型的基因", "ncRNA"),
                                             ("top tissue for SLC17A7 expression", "Cerebral Cortex")])
def test_the_location_asked_and_other_one_value_answers(question, short):
    assert _ask(question).short_answer.split(" (")[0] == short


@pytest.mark.parametrize("question, ask, form", [
    ("every factor w/ a peak at the HBE1 promoter in k562", "bound_factors", "list"),
    ("how tissue specific is PNLIP really", "expression", "narrative"),
    ("TH 基因的組織表達特異性如何？", "expression", "narrative"),
    ("rampage at the CD74 promoter, k562 vs gm12878", "promoter_activity", "comparison"),
    ("K562에서 프로파일된 타겟 전체 목록 주세요", "profiled_targets", "list"),
    ("NR2F2 ChIP-seq 한 세포주 모두 알려줘", "profiled_biosamples", "list"),
    ("PD-L1은 어느 조직에서 많이 나와?", "expression", "list"),
])
def test_more_asks_read_as_users_write_them(question, ask, form):
    frame = _frame(question)
    assert (frame.ask, frame.form) == (ask, form)


@pytest.mark.parametrize("message", ["tfs at the MYOD1 promoter + which tissues express it",
                                     "MEF2C 在哪条染色体上？在 heart muscle 里表达高不高",
                                     "ChAT은 몇 번 염색체에 있고, 어느 조직에서 발현돼?"])
def test_more_ways_of_putting_two_questions_in_one_message(message):
    assert len(questions_in(message)) == 2


def test_expression_in_several_tissues_reads_every_tissue_and_both_atlases():
    both = _ask("Is GFAP expressed in liver and brain?")
    assert both.short_answer == "no" and both.sentences[0].text.startswith("Expressed in brain, not in liver.")
    disagree = _ask("Is CYP26B1 expressed in liver?")  # HPA 0.3 TPM, GTEx 49 TPM: said, and counted
    assert disagree.short_answer == "yes" and "disagree" in disagree.sentences[0].text


@pytest.mark.parametrize("message", ["Which TFs bind the MYC promoter in both K562 and HepG2, with the signal in each?",
                                     "Compare ALB expression in liver and kidney, with the TPM of each"])
def test_each_inside_a_set_or_comparison_question_keeps_it_one_question(message):
    assert questions_in(message) == [message]


def test_a_korean_contrast_clause_is_a_difference_not_two_questions():
    answer = _ask("K562에서 MYC 프로모터에 결합되어 있고, HepG2에서는 결합되지 않는 인자는 무엇인가요?")
    assert "parts" not in answer.trace or not answer.trace["parts"]
    in_hepg2 = set(_ask("HepG2에서 MYC 프로모터에 결합하는 인자는?").short_answer.split(", "))
    assert set(answer.short_answer.split(", ")).isdisjoint(in_hepg2)


@pytest.mark.parametrize("question", ["TP53은 DNA 복구에 관여하나요?", "TP53是否参与DNA修复？"])
def test_a_routine_offline_gap_is_hidden_in_every_language(question):
    assert not any("no recording for" in gap for gap in _ask(question).gaps)


@pytest.mark.parametrize("question, ask", [("Which TFs are regulated by TP53?", "regulation"),
                                           ("List POLR2A experiments in K562, any lab", "experiments"),
                                           ("How many PLS are there near GATA1?", "ccres"),
                                           ("BRCA1突变有哪些临床表现？", "gene_overview")])
def test_ordinary_wordings_the_new_rules_must_not_misread(question, ask):
    frame = _frame(question)
    assert frame.ask == ask and frame.form != "yes_no"


def test_words_near_the_new_rules_keep_their_meaning():
    assert "MSC" not in _frame("Is RUNX2 expressed in hMSC?").about  # a human stem cell, not musculin
    assert "stomach" not in str(_frame("위와 같은 조건에서 ALB 발현량은?").constraints)  # 'as above'
    assert _frame("TP53是否参与DNA修复？").ask == "gene_function"  # 参与 is not swallowed as 'and'
    parts = questions_in("Is MYC expressed in K562? Is GATA1 active at its promoter in K562?")
    assert "GATA1" in parts[1] and "MYC promoter" not in parts[1]


def test_which_tfs_regulate_says_binding_is_not_regulation():
    answer = _ask("which transcription factors regulate CD79A in B cells?")
    assert answer.short_answer and "binding shows where a factor sits" in _texts(answer)


@pytest.mark.parametrize("question, form, short", [
    ("請問KRT5在哪些組織中表現量較高？", "list", "Skin, Esophagus, Tonsil"),  # 哪些: several tissues
    ("TG의 갑상선 TPM 값이 얼마인가요?", "factoid", "15620.0 TPM"),  # one tissue, though the atlases name it apart
])
def test_one_value_or_several_as_the_question_asks(question, form, short):
    answer = _ask(question)
    assert answer.trace["frame"]["form"] == form and answer.short_answer == short


@pytest.mark.parametrize("question, short", [("TERT在哪个染色体带上", "5p15.33"), ("TP53 在哪条染色体上？", "chr17")])
def test_a_band_and_a_chromosome_in_chinese_are_told_apart(question, short):
    assert _ask(question).short_answer == short
