"""Words genelm grounds before it tries gene symbols: assays, tissues, organisms, and Chinese and Korean terms.

Order matters in grounding: 'CAGE' is an assay before it is an alias of DDX53, 'liver'
is a tissue, and a question word ('which', 'find') is never a search term.  Chinese
and Korean questions are read through glossaries (``lexicon/``) that put the English cue
words a term stands for in its place (启动子 -> promoter, 프로모터 -> promoter), so one set
of rules understands all three languages.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

# Assay names as people write them -> the ENCODE assay title (or the assay's usual name).
ASSAYS: dict[str, str] = {
    "chip-seq": "ChIP-seq", "chipseq": "ChIP-seq", "chip seq": "ChIP-seq", "chip": "ChIP-seq",
    "tf chip-seq": "TF ChIP-seq", "tf chip": "TF ChIP-seq", "histone chip-seq": "Histone ChIP-seq",
    "dnase-seq": "DNase-seq", "dnase": "DNase-seq", "dnase i": "DNase-seq", "dnase-i": "DNase-seq",
    "dnasei": "DNase-seq", "dhs": "DNase-seq", "dnase hypersensitivity": "DNase-seq",
    "atac-seq": "ATAC-seq", "atac": "ATAC-seq", "atacseq": "ATAC-seq",
    "rna-seq": "RNA-seq", "rnaseq": "RNA-seq", "rna seq": "RNA-seq", "total rna-seq": "total RNA-seq",
    "polya plus rna-seq": "polyA plus RNA-seq", "polya rna-seq": "polyA plus RNA-seq",
    "mint-chip-seq": "Mint-ChIP-seq", "mint-chip": "Mint-ChIP-seq", "mintchip": "Mint-ChIP-seq",
    "cage": "CAGE", "rampage": "RAMPAGE", "hi-c": "Hi-C", "hic": "Hi-C", "wgbs": "WGBS", "eclip": "eCLIP",
    "pro-cap": "PRO-cap", "micro-rna-seq": "microRNA-seq", "microrna-seq": "microRNA-seq",
    "cut&run": "CUT&RUN", "cut&tag": "CUT&Tag", "chia-pet": "ChIA-PET", "starr-seq": "STARR-seq",
    "dna methylation": "WGBS", "rrbs": "RRBS", "scrna-seq": "scRNA-seq", "snatac-seq": "snATAC-seq",
}
# Assay words that are also English words or gene aliases: grounded as assays only in these spellings.
CASED_ASSAYS = {"CAGE", "RAMPAGE", "Hi-C", "HiC"}

# Tissue and organ names -> the canonical lower-case name (HPA/GTEx vocabulary where they have one).
TISSUES: dict[str, str] = {
    "adipose tissue": "adipose tissue", "adipose": "adipose tissue",
    "adrenal gland": "adrenal gland", "adrenal glands": "adrenal gland", "adrenal": "adrenal gland",
    "appendix": "appendix", "bone marrow": "bone marrow", "breast": "breast", "mammary gland": "breast",
    "cerebral cortex": "cerebral cortex", "cortex": "cerebral cortex", "cervix": "cervix",
    "uterine cervix": "cervix", "colon": "colon", "duodenum": "duodenum", "endometrium": "endometrium",
    "esophagus": "esophagus", "oesophagus": "esophagus", "fallopian tube": "fallopian tube",
    "gallbladder": "gallbladder", "gall bladder": "gallbladder", "heart muscle": "heart muscle",
    "heart": "heart", "cardiac muscle": "heart muscle", "kidney": "kidney", "kidneys": "kidney",
    "liver": "liver", "lung": "lung", "lungs": "lung", "lymph node": "lymph node", "lymph nodes": "lymph node",
    "ovary": "ovary", "ovaries": "ovary", "pancreas": "pancreas", "placenta": "placenta", "prostate": "prostate",
    "rectum": "rectum", "salivary gland": "salivary gland", "seminal vesicle": "seminal vesicle",
    "skeletal muscle": "skeletal muscle", "skin": "skin", "small intestine": "small intestine",
    "smooth muscle": "smooth muscle", "spleen": "spleen", "stomach": "stomach", "testis": "testis",
    "testes": "testis", "thyroid gland": "thyroid gland", "thyroid": "thyroid gland", "tonsil": "tonsil",
    "urinary bladder": "urinary bladder", "bladder": "urinary bladder", "brain": "brain", "blood": "blood",
    "whole blood": "blood", "muscle": "muscle", "nerve": "nerve", "pituitary": "pituitary gland",
    "pituitary gland": "pituitary gland", "parathyroid gland": "parathyroid gland", "parathyroid": "parathyroid gland",
    "thymus": "thymus", "uterus": "uterus", "vagina": "vagina", "artery": "artery", "aorta": "aorta",
    "retina": "retina", "intestine": "small intestine", "cerebellum": "cerebellum", "hippocampus": "hippocampus",
}
# Words after a tissue that only say it is a tissue: 'liver tissue', 'lung samples'.
TISSUE_SUFFIX = r"(?:\s+(?:tissues?|samples?))?"
# 'breast cancer cells' and 'liver cancer' name a disease or cell line, not a tissue.
NOT_TISSUE_AFTER = r"(?!\s*(?:cancer|carcinoma|tumou?r|adenocarcinoma|cell line))"

ORGANISMS: dict[str, str] = {
    "human": "Homo sapiens", "humans": "Homo sapiens", "homo sapiens": "Homo sapiens", "mouse": "Mus musculus",
    "mice": "Mus musculus", "murine": "Mus musculus", "mus musculus": "Mus musculus", "rat": "Rattus norvegicus",
    "zebrafish": "Danio rerio", "fly": "Drosophila melanogaster", "drosophila": "Drosophila melanogaster",
    "worm": "Caenorhabditis elegans", "c. elegans": "Caenorhabditis elegans", "yeast": "Saccharomyces cerevisiae",
    "chicken": "Gallus gallus",
}

# Chinese and Korean terms -> English words the understanding rules already read.  The glossaries are
# data (``lexicon/zh.tsv``, ``lexicon/ko.tsv``; the format is in ``lexicon/README.md``): tissues and
# organisms are glossed to their English names and grounded like English ones.
LEXICON_DIR = Path(__file__).with_name("lexicon")


def read_lexicon(name: str) -> dict[str, str]:
    """term -> gloss from ``lexicon/<name>.tsv`` (tab-separated: term, gloss, note; '#' lines are comments)."""
    entries: dict[str, str] = {}
    lines = (LEXICON_DIR / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.startswith("term\t"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not fields[0].strip():
            raise ValueError(f"lexicon/{name}.tsv line {number}: expected 'term<TAB>gloss<TAB>note', got {line!r}")
        term, gloss = fields[0].strip(), fields[1].strip()
        if term in entries:
            raise ValueError(f"lexicon/{name}.tsv line {number}: '{term}' is listed twice")
        entries[term] = gloss
    return entries


CHINESE: dict[str, str] = read_lexicon("zh")
KOREAN: dict[str, str] = read_lexicon("ko")
_CHINESE_RE = re.compile("|".join(sorted(map(re.escape, CHINESE), key=len, reverse=True)))
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


def _korean_pattern(term: str) -> str:
    """A Korean term as a regex: a space in it may be absent or repeated, and a term of three or more
    syllables also matches with spaces between its syllables ('전사인자' = '전사 인자')."""
    syllables = [c for c in term if not c.isspace()]
    if len(syllables) >= 3:
        return r"\s*".join(map(re.escape, syllables))
    return r"\s*".join(map(re.escape, term.split()))


_KOREAN_TERMS = sorted(KOREAN, key=lambda t: len(t.replace(" ", "")), reverse=True)
_KOREAN_RE = re.compile("|".join(f"(?P<k{i}>{_korean_pattern(t)})" for i, t in enumerate(_KOREAN_TERMS)))
# A Korean question with none of these words and one of these endings asks yes or no ('… 결합하나요?').
_WH_FRONT = {"which", "what", "where"}  # glosses moved to the front, as English asks
_KO_WH = re.compile(r"어떤|어느|무엇|무슨|뭐|어디|몇|어떻게|왜|누구|언제|얼마")
_KO_YES_NO_END = re.compile(r"(?:나요|습니까|ㅂ니까|니까|인가요|가요|있어요|있나|했나|하나|는지|니|냐|까)\s*[?？]?\s*$")


def has_chinese(text: str) -> bool:
    return _HAN_RE.search(text) is not None


def has_korean(text: str) -> bool:
    return _HANGUL_RE.search(text) is not None


def question_language(text: str) -> str:
    """'ko', 'zh' or 'en': the language a question is written in (Hangul first: Korean text may hold Hanja)."""
    if has_korean(text):
        return "ko"
    return "zh" if has_chinese(text) else "en"


def read_in(question: str) -> str | None:
    """What a frame says of a question read through a glossary: 'read in Chinese', 'read in Korean' (English: None)."""
    return {"zh": "read in Chinese", "ko": "read in Korean"}.get(question_language(question))


@lru_cache(maxsize=1)
def _converter():
    import opencc  # Traditional -> Simplified (OpenCC's own tables): 調控 reads as 调控

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional Chinese characters as Simplified ones (other text unchanged)."""
    return _converter().convert(text)


def _punctuation(text: str) -> str:
    text = text.replace("？", "?").replace("，", ",").replace("。", ".").replace("（", "(").replace("）", ")")
    text = text.replace("：", ":").replace("、", ",")
    return re.sub(r"[ \t]+", " ", text).strip()


def gloss_korean(text: str) -> str:
    """A Korean question with each glossary term replaced by its English words, its question word first.

    Particles and endings attached to a word (TP53의, 간에서, 유전자는, 조절되나요) are covered by no
    term and read as spaces, so 'TP53의' grounds TP53 and '간에서' reads 'liver'.  A question that
    ends as a yes/no question and has no question word is read with a leading 'is'.
    """
    if not has_korean(text):
        return text
    fronted: list[str] = []

    def gloss(m: re.Match) -> str:
        words = KOREAN[_KOREAN_TERMS[int(m.lastgroup[1:])]]
        if words in _WH_FRONT and not fronted:  # Korean puts its question word late: 'X는 무엇인가요' = 'what is X'
            fronted.append(words)
            return " "
        return f" {words} "

    glossed = _HANGUL_RE.sub(" ", _KOREAN_RE.sub(gloss, text))
    if fronted:
        glossed = f"{fronted[0]} {glossed}"
    elif _KO_YES_NO_END.search(text) and not _KO_WH.search(text):
        glossed = "is " + glossed
    return _punctuation(glossed)


def gloss_chinese(text: str) -> str:
    """The question with each known Chinese (or Korean) term replaced by its English words (spaced apart).

    Latin-letter parts (gene symbols, cell lines, coordinates) are kept as they are, so
    the same grounding and rules read a Chinese or Korean question.  Unknown Chinese characters
    become spaces: they separate tokens and ground nothing.  An English question is returned as it is.
    """
    if has_korean(text):
        return gloss_korean(text)
    if not has_chinese(text):
        return text
    text = simplified(text)
    glossed = _CHINESE_RE.sub(lambda m: f" {CHINESE[m.group(0)]} ", text)
    glossed = _HAN_RE.sub(" ", glossed)
    return _punctuation(glossed)


gloss_question = gloss_chinese  # the name for what it does: any question -> the text the rules read
