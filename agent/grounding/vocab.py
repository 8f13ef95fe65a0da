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
    # embryonic tissues ENCODE profiles in mouse
    "forebrain": "forebrain", "midbrain": "midbrain", "hindbrain": "hindbrain", "neural tube": "neural tube",
    "limb": "limb", "embryonic facial prominence": "embryonic facial prominence",
}
# Words after a tissue that only say it is a tissue: 'liver tissue', 'lung samples'.
TISSUE_SUFFIX = r"(?:\s+(?:tissues?|samples?))?"
# 'breast cancer cells' and 'liver cancer' name a disease or cell line, not a tissue.
NOT_TISSUE_AFTER = r"(?!\s*(?:cancer|carcinoma|tumou?r|adenocarcinoma|cell line))"

ORGANISMS: dict[str, str] = {
    "human": "Homo sapiens", "humans": "Homo sapiens", "homo sapiens": "Homo sapiens", "mouse": "Mus musculus",
    "mice": "Mus musculus", "murine": "Mus musculus", "mesc": "Mus musculus", "mescs": "Mus musculus",
    "mus musculus": "Mus musculus", "rat": "Rattus norvegicus",
    "zebrafish": "Danio rerio", "fly": "Drosophila melanogaster", "drosophila": "Drosophila melanogaster",
    "worm": "Caenorhabditis elegans", "c. elegans": "Caenorhabditis elegans", "yeast": "Saccharomyces cerevisiae",
    "chicken": "Gallus gallus",
}

# Chinese and Korean terms -> English words the understanding rules already read.  The glossaries are
# data (``lexicon/zh.tsv``, ``lexicon/ko.tsv``; the format is in ``lexicon/README.md``): tissues and
# organisms are glossed to their English names and grounded like English ones.
LEXICON_DIR = Path(__file__).with_name("lexicon")


def read_lexicon(*names: str) -> dict[str, str]:
    """term -> gloss from ``lexicon/<name>.tsv`` (tab-separated: term, gloss, note; '#' lines are comments).

    Several files are read as one glossary (``read_lexicon("zh", "genes_zh")``): a term listed twice, in one
    file or in two, stops genelm at import with the file and line number.
    """
    entries: dict[str, str] = {}
    for name in names:
        _read_one(name, entries)
    return entries


def _read_one(name: str, entries: dict[str, str]) -> None:
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


# The domain glossaries, then the common names of well-known proteins and diseases, glossed to the gene
# symbol (胰岛素 -> INS, 인슐린 -> INS) or the English disease name (亨廷顿病 -> huntington disease).
CHINESE: dict[str, str] = read_lexicon("zh", "genes_zh", "diseases_zh")
KOREAN: dict[str, str] = read_lexicon("ko", "genes_ko", "diseases_ko")
_DISEASE_TERMS = {"zh": read_lexicon("diseases_zh"), "ko": read_lexicon("diseases_ko")}
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
_WH_FRONT = {"which", "what", "where", "how many"}  # glosses moved to the front, as English asks
# A Korean question with none of these words and one of these endings asks yes or no ('… 결합하나요?',
# 'GRCh37에 … 실험 있어?', '… 발현되는지 알고 싶다').
_KO_WH = re.compile(r"어떤|어느|무엇|무슨|뭐|어디|몇|어떻게|왜|누구|언제|얼마")
_KO_YES_NO_END = re.compile(r"(?:나요|습니까|ㅂ니까|니까|인가요|가요|있어요|있나|했나|하나|는지|니|냐|까)\s*[?？]?\s*$|"
                            r"(?:해|돼|되나|나|어|야|지|죠)요?\s*[?？]\s*$|"
                            r"(?:는지|ㄴ지|인지)\s*(?:알고 싶|궁금|확인|알려|말해)")
# '… 세포주는?' (a noun with its topic particle, then '?'), '… 인자들을 보여줘' and '… 히스톤 마크들' ask for
# the things named: read with a leading 'what' or 'which', as English asks.
_KO_TOPIC_END = re.compile(r"[가-힣A-Za-z0-9)]\s*(?:은|는)\s*[?？]\s*$")
_KO_PLURAL_LIST = re.compile(r"들(?:을|를|은|는|만)?\s*(?:모두\s*|전부\s*|다\s*)?(?:알려|보여|나열|말해)|들\s*[?？.]?\s*$")
# 'rs12913832 100 kb 이내의 유전자': the distance comes before its 'within' in Korean.
_KO_WITHIN = re.compile(r"(\d[\d,.]*\s*(?:kb|kbp|mb|bp)\b)\s*(?:이내|안|내)(?:의|에 있는|에서|에)?(\s*유전자)?", re.I)
# 'X와 관련된 유전자', 'X 관련 유전자들', 'X에 관여하는 유전자': the genes come after their disease or process in
# Korean; read as 'genes related to X' / 'genes involved in X' at the end of the sentence, as English asks.
_KO_RELATED_GENES = re.compile(
    r"(?P<x>(?<![\w.\-])[A-Za-z][A-Za-z0-9 ,'’/()\-]*?[A-Za-z0-9)]|{diseases})\s*(?:와|과|에|이랑|랑)?\s*"
    r"(?P<how>관련|연관|관여|참여)\s*(?:된|되는|하는|이 있는|성이 있는|돼 있는)?\s*유전자(?:들)?(?:의|은|는|이|가|을|를|에는|에)?"
    .replace("{diseases}", "|".join(sorted(map(re.escape, _DISEASE_TERMS["ko"]), key=len, reverse=True)) or "(?!)"))
# '与X相关的基因', '哪些基因与X相关', '参与X的基因' (Simplified): read as 'genes related to X' / 'genes involved in X'.
_ZH_X = r"(?P<x>[^与和，,。？?；;：:]+?)"
_ZH_RELATED_GENES = (
    re.compile(r"[与和]\s*" + _ZH_X + r"\s*(?P<how>相关|有关|关联)的?\s*(?:各个|所有|各|哪些)?\s*基因"),
    re.compile(r"基因\s*(?:都|分别)?\s*[与和]\s*" + _ZH_X + r"\s*(?P<how>相关|有关|关联)"),
    re.compile(r"(?P<how>参与)\s*" + _ZH_X + r"\s*的\s*(?:各个|所有|各|哪些)?\s*基因"),
)
# 'HBA1和HBA2', 'CD79A와 CD79B': two names joined by a CJK 'and' are a pair ('HBA1 and HBA2'), as English writes it
_LATIN_AND = re.compile(r"([A-Za-z0-9][A-Za-z0-9.\-]*)\s*(?:以及|和|与|及|跟|와|과|및|이랑|랑|하고)\s*(?=[A-Za-z0-9])")
_KO_GENE_PROMOTER = re.compile(r"(?<![\w.\-])(?<!\bthe )(?<!\band )([A-Za-z][A-Za-z0-9.\-]*[0-9A-Z][A-Za-z0-9.\-]*)\s+(?:genes?\s+)?promoter\b")
_RSID_OR_SYMBOL = re.compile(r"^(?:rs\d+|chr\S+|[A-Z0-9][A-Z0-9\-.]*)$")


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


def _related_genes_last(text: str, pattern: re.Pattern, genes: str, gloss_of) -> str:
    """Each sentence holding 'X와 관련된 유전자' / '与X相关的基因' with that phrase moved to its end as
    'genes related to X' ('genes involved in X'), the order English writes and the rules read."""
    def one(sentence: str) -> str:
        m = pattern.search(sentence)
        if m is None or _RSID_OR_SYMBOL.match(m.group("x").strip()):
            return sentence  # 'rs1421085와 연관된 유전자', 'TP53 관련 유전자': a variant's or a gene's genes
        body, end = sentence[:m.start()] + " " + sentence[m.end():], ""
        if (stop := re.search(r"[.?!。？！]\s*$", body)) is not None:
            body, end = body[:stop.start()], body[stop.start():]
        # 'are': 'which are genes related to X' asks for X's genes, not for genes named 'which genes' in a region
        return f"{body} are {genes} {gloss_of(m.group('how'))} {m.group('x').strip()}{end}"

    return "".join(one(part) for part in re.split(r"(?<=[。？！])|(?<=[.?!])(?=\s)", text))


def gloss_korean(text: str) -> str:
    """A Korean question with each glossary term replaced by its English words, its question word first.

    Particles and endings attached to a word (TP53의, 간에서, 유전자는, 조절되나요) are covered by no
    term and read as spaces, so 'TP53의' grounds TP53 and '간에서' reads 'liver'.  A question that
    ends as a yes/no question and has no question word is read with a leading 'is'; one that ends with
    a noun and its topic particle ('… 전사인자는?') or lists a plural ('… 인자들을 보여줘') with a leading
    'what' or 'which'.  A distance comes before its 'within' ('100 kb 이내' reads 'within 100 kb') and
    'X와 관련된 유전자' reads 'genes related to X', at the end of its sentence.
    """
    if not has_korean(text):
        return text
    raw = text
    text = _LATIN_AND.sub(r"\1 and ", text)
    text = _KO_WITHIN.sub(lambda m: f" {'유전자 ' if m.group(2) else ''}within {m.group(1)} ", text)
    text = _related_genes_last(text, _KO_RELATED_GENES, "유전자",
                               lambda how: "involved in" if how in ("관여", "참여") else "related to")
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
    elif _KO_YES_NO_END.search(raw) and not _KO_WH.search(raw):
        glossed = "is " + glossed
    elif _KO_PLURAL_LIST.search(raw):
        glossed = "which " + glossed
    elif _KO_TOPIC_END.search(raw):
        glossed = "what " + glossed
    # 'GAPDH 프로모터에서 POLR2A가 …': Korean has no preposition before a gene's promoter; English writes one
    # ('POLR2A … at the GAPDH promoter'), and the rules tell the factor from the promoter's gene by it.
    glossed = _KO_GENE_PROMOTER.sub(r"at the \1 promoter", glossed)
    return _punctuation(glossed)


# Misspellings of the cue words the rules read, as people type them ('expresion level of SFTPC', 'promotor'):
# read as the word meant.  Gene symbols and other names are never touched (only these whole words are).
_TYPOS = {"expresion": "expression", "expresssion": "expression", "exprssion": "expression", "experssion": "expression",
          "expresed": "expressed", "expessed": "expressed", "exprssed": "expressed", "promotor": "promoter",
          "promotors": "promoters", "promter": "promoter", "regualted": "regulated", "regulted": "regulated",
          "reguated": "regulated", "transcritpion": "transcription", "trancription": "transcription",
          "tissus": "tissues", "chromosme": "chromosome", "chromsome": "chromosome"}
_TYPO_RE = re.compile(r"\b(" + "|".join(map(re.escape, _TYPOS)) + r")\b", re.I)


def _typos_fixed(text: str) -> str:
    return _TYPO_RE.sub(lambda m: _TYPOS[m.group(1).lower()], text)


def gloss_chinese(text: str) -> str:
    """The question with each known Chinese (or Korean) term replaced by its English words (spaced apart).

    Latin-letter parts (gene symbols, cell lines, coordinates) are kept as they are, so
    the same grounding and rules read a Chinese or Korean question.  Unknown Chinese characters
    become spaces: they separate tokens and ground nothing.  An English question is returned as it is.
    """
    text = _typos_fixed(text)
    if has_korean(text):
        return gloss_korean(text)
    if not has_chinese(text):
        return text
    text = simplified(text)
    text = _LATIN_AND.sub(r"\1 and ", text)
    for pattern in _ZH_RELATED_GENES:
        text = _related_genes_last(text, pattern, "基因", lambda how: "involved in" if how == "参与" else "related to")
    glossed = _CHINESE_RE.sub(lambda m: f" {CHINESE[m.group(0)]} ", text)
    glossed = _HAN_RE.sub(" ", glossed)
    return _punctuation(glossed)


gloss_question = gloss_chinese  # the name for what it does: any question -> the text the rules read
