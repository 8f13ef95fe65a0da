"""Korean questions are read as Chinese ones are: through a glossary (agent/grounding/lexicon/ko.tsv).

Each Korean question below must get the frame of its English twin (written here, next to it), whatever
its particles (TP53의, 간에서, 유전자는), spacing (none at all, spaces before particles), politeness
(…나요?, …입니까?, …줘) or mix of Korean and English words.  The three questions of issue 24 must also
get the same answers as their English twins, offline.
"""
from __future__ import annotations

import pytest

import genelm
from genelm.agent.core.frame import frames_match
from genelm.agent.grounding import ground
from genelm.agent.grounding.frames import understand
from genelm.agent.grounding.vocab import KOREAN, gloss_chinese, gloss_korean, has_korean, question_language

TWINS = [
    ('TP53 유전자의 프로모터에 결합하는 전사인자는?', 'Which TFs bind the TP53 promoter?'),
    ('KRAS 유전자는 어떻게 조절되나요?', 'How is KRAS regulated?'),
    ('간에서 특이적으로 발현되는 전사인자는?', 'Which TFs are specifically expressed in liver?'),
    ('TP53유전자의프로모터에결합하는전사인자는?', 'Which TFs bind the TP53 promoter?'),
    ('KRAS 유전자 는 어떻게 조절 되나요 ?', 'How is KRAS regulated?'),
    ('SNAT6의 공식 유전자 기호는 무엇입니까?', 'What is the official gene symbol of SNAT6?'),
    ('SNAT6의 공식 기호가 뭐야?', 'What is the official symbol of SNAT6?'),
    ('K562에서 MYC 프로모터에 결합하는 전사 인자는 무엇인가요?', 'Which TFs bind the MYC promoter in K562?'),
    ('K562 세포주에서 MYC promoter에 결합하는 TF는?', 'Which TFs bind the MYC promoter in K562?'),
    ('BRCA1 프로모터는 K562에서 활성인가요?', 'Is the BRCA1 promoter active in K562?'),
    ('BRCA1 프로모터가 K562에서 활성화되어 있니?', 'Is the BRCA1 promoter active in K562?'),
    ('HNF4A에 대한 ENCODE 실험은 몇 개입니까?', 'How many ENCODE experiments are there for HNF4A?'),
    ('HNF4A ENCODE 실험 몇개야?', 'How many ENCODE experiments are there for HNF4A?'),
    ('HepG2와 K562에서 H3K4me3 실험을 비교해 주세요', 'Compare H3K4me3 experiments in HepG2 and K562'),
    ('ALB는 어디에서 발현되나요?', 'Where is ALB expressed?'),
    ('ALB 유전자는 어느 조직에서 발현돼?', 'In which tissues is ALB expressed?'),
    ('TP53의 별칭은 무엇인가요?', 'What are the aliases of TP53?'),
    ('TP53의 다른 이름을 알려 주세요', 'What are the other names of TP53?'),
    ('인간 간에서 상향 조절되는 전사인자는 어떤 것들이 있나요?', 'Which transcription factors are upregulated in human liver?'),
    ('사람 신장에서 상향조절된 전사인자는?', 'Which transcription factors are upregulated in human kidney?'),
    ('심장에서 특이적으로 발현되는 전사인자는 무엇입니까?', 'Which TFs are specifically expressed in heart?'),
    ('뇌에서 높게 발현되는 전사인자는?', 'Which transcription factors are highly expressed in brain?'),
    ('폐에서 발현이 높은 전사 인자는 어떤 것이 있습니까?', 'Which transcription factors are highly expressed in lung?'),
    ('혈액 특이적 전사인자는?', 'Which transcription factors are specific to blood?'),
    ('골수에서 특이적으로 발현되는 전사인자는?', 'Which TFs are specifically expressed in bone marrow?'),
    ('비장에서 특이적으로 발현되는 전사인자는?', 'Which TFs are specifically expressed in spleen?'),
    ('췌장에서 상향 조절된 전사인자는 무엇인가요?', 'Which transcription factors are upregulated in pancreas?'),
    ('피부에서 특이적으로 발현되는 전사인자를 알려줘', 'Which TFs are specifically expressed in skin?'),
    ('골격근에서 특이적으로 발현되는 전사인자는?', 'Which TFs are specifically expressed in skeletal muscle?'),
    ('TP53은 어떻게 조절됩니까?', 'How is TP53 regulated?'),
    ('K562에서 MYC는 어떻게 조절되나요?', 'How is MYC regulated in K562?'),
    ('MYC의 조절에 대해 설명해 주세요', 'Describe the regulation of MYC'),
    ('BRCA1 유전자의 기능은 무엇인가요?', 'What is the function of BRCA1?'),
    ('BRCA1은 몇 번 염색체에 있나요?', 'Which chromosome is BRCA1 on?'),
    ('BRCA1의 위치는 어디입니까?', 'Where is BRCA1 located?'),
    ('rs229784에 대한 조절 증거는 무엇인가요?', 'What regulatory evidence is there at rs229784?'),
    ('HepG2에서 ARID3A를 표적으로 하는 ENCODE 실험은 무엇인가요?', 'Which ENCODE experiments target ARID3A in HepG2?'),
    ('GM12878에서 POLR2A를 측정한 ENCODE 실험은?', 'Which ENCODE experiments profile POLR2A in GM12878?'),
    ('HepG2에서 ChIP-seq으로 측정된 전사인자는 어떤 것이 있나요?', 'Which transcription factors were profiled by ChIP-seq in HepG2?'),
    ('어떤 세포 유형에서 POLR2A가 TP53 프로모터 근처에 농축되어 있나요?', 'Which cell types show POLR2A enrichment near the TP53 promoter?'),
    ('K562에서 MYC가 결합하는 유전자는?', 'Which genes does MYC bind in K562?'),
    ('ALB의 발현 수준은 간에서 얼마나 되나요?', 'What is the expression level of ALB in liver?'),
    ('TP53 프로모터에 결합하는 전사인자는 몇 개인가요?', 'How many TFs bind the TP53 promoter?'),
    ('K562에서 GATA1 프로모터에 결합하는 전사 인자 수는?', 'How many TFs bind the GATA1 promoter in K562?'),
    ('마우스 간에서 발현되는 전사인자는?', 'Which transcription factors are expressed in mouse liver?'),
    ('LINC01270의 기능은?', 'What is the function of LINC01270?'),
    ('CTCF는 TP53 프로모터에 결합합니까?', 'Does CTCF bind the TP53 promoter?'),
    ('chr17:43,000,000-43,200,000 영역에 있는 유전자와 cCRE는?', 'What genes and cCREs are in chr17:43,000,000-43,200,000?'),
    ('BRCA1과 유사한 유전자는?', 'Which genes are similar to BRCA1?'),
    ('chr17:43,000,000-43,200,000 구간에는 어떤 유전자가 있나요?', 'What genes are in chr17:43,000,000-43,200,000?'),
    ('TP53 프로모터 근처의 cCRE는?', 'Which promoter-like cCREs are near TP53?'),
    ('KRAS 유전자가 어떻게 조절되는지 설명해줘', 'Describe how KRAS is regulated'),
    ('GATA1의 조절 방식은?', 'How is GATA1 regulated?'),
    ('TP53 변이와 관련된 질병은?', 'Which diseases are associated with TP53?'),
]


def frame_of(question: str):
    return understand(question, ground(question))


def test_there_are_enough_varied_korean_questions():
    assert len(TWINS) >= 40
    assert all(has_korean(ko) and not has_korean(en) for ko, en in TWINS)


@pytest.mark.parametrize("korean, english", TWINS)
def test_a_korean_question_gets_the_frame_of_its_english_twin(korean, english):
    ko, en = frame_of(korean), frame_of(english)
    assert frames_match(en.model_dump(), ko.model_dump()), f"{gloss_korean(korean)!r}: {ko.brief()} != {en.brief()}"
    assert "read in Korean" in ko.understood and "read in Chinese" not in ko.understood


def test_particles_are_stripped_and_symbols_ground_as_in_english():
    entities = {(e.kind, e.value) for e in ground("TP53의 프로모터와 K562에서 ENCSR000BLF는?")}
    assert {("gene", "TP53"), ("biosample", "K562"), ("encode_accession", "ENCSR000BLF")} <= entities
    assert ("tissue", "liver") in {(e.kind, e.value) for e in ground("간에서 발현되는 유전자")}
    # 인간 (human), 시간 (time) and 간암 (liver cancer) contain 간 but are not liver tissue
    for text in ("인간 유전자", "시간", "간암 유전자"):
        assert "liver" not in {e.value for e in ground(text) if e.kind == "tissue"}, text


def test_spacing_variants_read_alike():
    spaced = gloss_korean("TP53 유전자의 프로모터에 결합하는 전사 인자는?")
    assert gloss_korean("TP53유전자의프로모터에결합하는전사인자는?") == spaced
    assert gloss_korean("TP53 유전자 의 프로모터 에 결합 하는 전사인자 는 ?") == spaced
    assert gloss_korean("상향조절") == gloss_korean("상향 조절") == "upregulated"


def test_yes_no_and_question_words():
    assert gloss_korean("BRCA1 프로모터는 K562에서 활성인가요?").startswith("is ")
    assert gloss_korean("TP53의 별칭은 무엇인가요?").startswith("what ")
    assert not gloss_korean("KRAS 유전자는 어떻게 조절되나요?").startswith("is ")


def test_language_detection_and_english_untouched():
    assert question_language("간에서 발현되는 전사인자는?") == "ko"
    assert question_language("哪些转录因子在人类肝脏中表达上调？") == "zh"
    assert question_language("How is KRAS regulated?") == "en"
    assert gloss_chinese("How is KRAS regulated?") == "How is KRAS regulated?"
    assert {"조절", "발현", "프로모터", "전사인자", "결합", "인핸서", "증강자", "세포주", "조직", "간", "신장", "심장",
            "뇌", "폐", "혈액", "골수", "비장", "췌장", "피부", "근육", "상향 조절", "하향 조절", "몇 개", "어떤",
            "무엇", "어디", "비교", "공식 유전자 기호", "별칭", "염색체", "위치", "기능", "실험", "변이", "유전자",
            "인간", "생쥐", "마우스"} <= set(KOREAN)


@pytest.mark.parametrize("korean, english", TWINS[:3])
def test_the_issue_questions_are_answered_as_their_english_twins(korean, english):
    ko = genelm.ask(korean, offline=True)
    en = genelm.ask(english, offline=True)
    assert (ko.trace["frame"]["ask"], ko.trace["frame"]["about"]) == (en.trace["frame"]["ask"], en.trace["frame"]["about"])
    assert ko.short_answer == en.short_answer
    assert [e.key for e in ko.evidence] == [e.key for e in en.evidence]
    assert [s.citations for s in ko.sentences] == [s.citations for s in en.sentences]
    assert "read in Korean" in ko.trace["frame"]["understood"]
    assert ko.trace["language"] == "ko" and en.trace["language"] == "en"


# Classes fixed for issue 24's suites, in other wordings than the suites': question words Korean puts late or
# leaves out, yes/no endings of plain speech, distances and genes that come after what they qualify, the
# GeneTuring phrasings (protein-coding, organism of a sequence, SNP chromosome, genes of a disease), factor vs
# promoter gene, singular 유전자, and common protein names read as their gene symbols.
NEW_TWINS = [
    # a question ending in a noun and its topic particle asks for the things named ('… 세포주는?' = 'which cell lines …?')
    ('CTCF ChIP-seq이 수행된 세포주는?', 'Which cell lines have CTCF ChIP-seq?'),
    ('HepG2에서 측정된 히스톤 마크들', 'Which histone marks were profiled in HepG2?'),
    ('MYC 프로모터에 결합한 인자들을 전부 보여줘', 'Which factors bind the MYC promoter?'),
    ('H3K4me3 데이터가 있는 바이오샘플은 몇 개야?', 'How many biosamples have H3K4me3 data?'),
    # plain-form yes/no endings
    ('GATA1 프로모터 K562에서 active해?', 'Is the GATA1 promoter active in K562?'),
    ('ALB가 간에서 발현되나?', 'Is ALB expressed in liver?'),
    ('INS가 췌장에서 발현되는지 궁금해요', 'Is INS expressed in pancreas?'),
    # a distance before its 'within'; the genes of a disease or process after it
    ('rs7412 50 kb 이내의 유전자를 보여줘', 'Which genes are within 50 kb of rs7412?'),
    ('TAL1 주변 5 kb 안에 결합하는 전사인자는?', 'Which TFs bind within 5 kb around TAL1?'),
    ('Marfan syndrome과 연관된 유전자를 알려 주세요', 'What are genes related to Marfan syndrome?'),
    ('낭포성 섬유증 관련 유전자는?', 'What are genes related to cystic fibrosis?'),
    ('apoptosis에 참여하는 유전자는 몇 개인가요?', 'How many genes are involved in apoptosis?'),
    # GeneTuring phrasings in other words
    ('BRCA2는 단백질을 암호화하는 유전자인가요?', 'Is BRCA2 a protein-coding gene?'),
    ('MALAT1은 단백질 암호화 유전자야?', 'Is MALAT1 a protein-coding gene?'),
    ('이 서열은 어떤 생물에서 유래했나요: ATGGCGGCGCTGAGCGGTGGCGGTGGC', 'Which organism does the DNA sequence come from: ATGGCGGCGCTGAGCGGTGGCGGTGGC'),
    ('PAX6은 어떤 종류의 유전자입니까?', 'What kind of gene is PAX6?'),
    ('NANOG은 무슨 일을 하는 유전자야?', 'What does NANOG do?'),
    ('SOX2의 별명은?', 'What are the aliases of SOX2?'),
    ('rs429358는 어떤 유전자에 속하나요?', 'Which gene is rs429358 in?'),
    ('rs429358와 연관된 유전자들은 무엇입니까?', 'Which genes are associated with rs429358?'),
    # factor and promoter: the gene before 프로모터 is the promoter's, the other the factor
    ('ACTB 프로모터에서 CTCF가 결합하는 세포주는?', 'Which cell lines show CTCF binding at the ACTB promoter?'),
    ('STAT3가 조절하는 유전자 목록', 'What are the target genes of STAT3?'),
    # protein names glossed to their gene symbols
    ('인슐린의 기능은 무엇인가요?', 'What is the function of INS?'),
    ('렙틴 유전자는 몇 번 염색체에 있나요?', 'Which chromosome is LEP on?'),
    ('알부민은 어디에서 발현되나요?', 'Where is ALB expressed?'),
    ('안드로겐 수용체의 별칭은?', 'What are the aliases of AR?'),
]

ZH_TWINS = [
    ('TP63 是否为编码蛋白质的基因？', 'Is TP63 a protein-coding gene?'),
    ('XIST 是蛋白质编码基因吗？', 'Is XIST a protein-coding gene?'),
    ('SNP rs7412 在人类基因组的哪条染色体上？', 'Which chromosome is SNP rs7412 on in the human genome?'),
    ('这段 DNA 序列出自什么物种：ATGGCGGCGCTGAGCGGTGGCGGTGGC', 'Which organism does the DNA sequence come from: ATGGCGGCGCTGAGCGGTGGCGGTGGC'),
    ('哪些基因与 Marfan syndrome 有关？', 'What are genes related to Marfan syndrome?'),
    ('与囊性纤维化相关的基因有哪些？', 'What are genes related to cystic fibrosis?'),
    ('请列出与亨廷顿病相关的基因的染色体定位。', 'List chromosome locations of the genes related to Huntington disease.'),
    ('胰岛素受体的官方基因符号是什么？', 'What is the official gene symbol of INSR?'),
    ('β-连环蛋白在哪些组织中表达？', 'In which tissues is CTNNB1 expressed?'),
    ('瘦素的功能是什么？', 'What is the function of LEP?'),
]


@pytest.mark.parametrize("korean, english", NEW_TWINS)
def test_korean_wordings_of_the_fixed_classes(korean, english):
    ko, en = frame_of(korean), frame_of(english)
    assert frames_match(en.model_dump(), ko.model_dump()), f"{gloss_korean(korean)!r}: {ko.brief()} != {en.brief()}"


@pytest.mark.parametrize("chinese, english", ZH_TWINS)
def test_chinese_wordings_of_the_fixed_classes(chinese, english):
    zh, en = frame_of(chinese), frame_of(english)
    assert frames_match(en.model_dump(), zh.model_dump()), f"{gloss_chinese(chinese)!r}: {zh.brief()} != {en.brief()}"


def test_words_that_contain_a_shorter_term_are_not_read_as_it():
    # 암호화 'encode' holds 암 'cancer'; 基因组 'genome' holds 基因 'gene'; 간암 is liver cancer, not liver
    assert "cancer" not in gloss_korean("NODAL은 단백질을 암호화하는 유전자입니까?")
    assert "genome" in gloss_chinese("SNP rs7412 位于人类基因组的哪条染色体上？")
    assert "genes" not in gloss_chinese("人类基因组")
    assert "liver" not in {e.value for e in ground("간암 관련 유전자는?") if e.kind == "tissue"}


def test_a_disease_named_in_chinese_or_korean_is_searched_by_its_english_name():
    for question in ("与远端肾小管酸中毒相关的基因有哪些？", "원위 신세뇨관 산증과 관련된 유전자는?",
                     "列出与远端肾小管酸中毒相关的基因的染色体位置。"):
        assert [e.value for e in ground(question) if e.kind == "disease"] == ["Distal renal tubular acidosis"], question
    # a variant's or a gene's related genes are not a disease
    assert not [e for e in ground("rs1421085와 연관된 유전자들은?") if e.kind == "disease"]


def test_protein_names_are_glossaries_of_official_symbols():
    import gzip
    from pathlib import Path

    from genelm.agent.grounding.vocab import read_lexicon

    gene_info = Path(__file__).resolve().parents[1] / "data/genes/NCBI_Homo_sapiens.gene_info.2020-04.gz"
    with gzip.open(gene_info, "rt") as f:
        symbols = {line.split("\t")[2] for line in f if not line.startswith("#")}
    for name in ("genes_zh", "genes_ko"):
        glossary = read_lexicon(name)
        assert len(set(glossary.values())) >= 60, name
        assert set(glossary.values()) <= symbols, set(glossary.values()) - symbols
    for question, symbol in (("胰岛素的功能是什么？", "INS"), ("E-钙黏蛋白在哪些组织中表达？", "CDH1"),
                             ("에리스로포이에틴의 기능은?", "EPO"), ("인슐린 수용체의 별칭은?", "INSR")):
        assert frame_of(question).about == [symbol], question
