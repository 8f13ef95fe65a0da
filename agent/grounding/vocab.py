"""Words genelm grounds before it tries gene symbols: assays, tissues, organisms, and Chinese terms.

Order matters in grounding: 'CAGE' is an assay before it is an alias of DDX53, 'liver'
is a tissue, and a question word ('which', 'find') is never a search term.  Chinese
questions are read through a glossary that adds the English cue words a term stands
for (启动子 -> promoter), so one set of rules understands both languages.
"""
from __future__ import annotations

import re
from functools import lru_cache

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

# Chinese terms -> English words the understanding rules already read.  Tissues and
# organisms are mapped to their English names (grounded like English ones).
CHINESE: dict[str, str] = {
    # regulation
    "调控": "regulated", "调节": "regulated", "如何被调控": "how is regulated", "怎样调控": "how is regulated",
    "启动子": "promoter", "转录因子": "transcription factors", "增强子": "enhancer", "表达": "expression expressed",
    "上调": "upregulated", "下调": "downregulated", "富集": "enriched", "结合": "bind", "结合位点": "binding sites",
    "转录起始": "transcription start", "活性": "active", "活跃": "active", "激活": "active", "顺式调控元件": "ccres",
    "调控元件": "regulatory elements", "靶基因": "target genes", "特异": "specific", "高表达": "highly expressed",
    "组织特异": "tissue specific", "组织": "tissues", "细胞系": "cell lines", "细胞类型": "cell types",
    "细胞": "cells", "哪种": "which", "哪些": "which", "什么": "what", "哪里": "where", "在哪": "where",
    "多少": "how many", "几个": "how many", "数量": "how many", "是否": "is", "吗": "is", "比较": "compare",
    "描述": "describe", "介绍": "describe", "概述": "describe", "解释": "explain", "功能": "function",
    "作用": "function", "别名": "aliases", "官方": "official", "符号": "symbol", "基因名": "symbol",
    "位置": "location", "位于": "located", "染色体": "chromosome", "序列": "sequence", "实验": "experiments",
    "数据集": "datasets", "附近": "near", "周围": "around", "峰": "peaks", "保守": "conservation",
    "剪接": "splicing", "变异": "variant", "突变": "variant", "预测": "predict", "疾病": "disease",
    "相关": "associated", "蛋白编码": "protein-coding", "相似": "similar", "通路": "pathway",
    "参与": "involved in", "最高": "highest", "检测": "profiled", "测序": "sequencing",
    "在哪些": " in which ", "差别": "compare", "区别": "compare", "差异": "compare", "翻译成": "translate to", "翻译": "translate", "氨基酸": "amino acids", "果蝇": "drosophila", "数据": "data",
    "测了": "profiled", "测过": "profiled", "检测了": "profiled",
    "基因": "genes", "哪个基因": "which gene", "检测过": "profiled", "做过": "profiled", "相关的": "associated", "其他名称": "other names", "别称": "other names", "坐标": "coordinates",
    "物种": "species", "属于": "belongs to", "轨道": "tracks", "区域": "region", "生物样本": "biosamples",
    "样本": "samples", "靶标": "targets", "实验类型": "assays", "增强子样": "enhancer-like", "打分": "score",
    "评分": "score", "语言模型": "language model", "实测": "measured", "相符": "match", "与": " with ",
    "总结": "summarize", "调控证据": "regulatory evidence", "表达量": "expression level",
    "表达水平": "expression level", "类型的实验": "types of experiments", "哪些类型": "which types", "有哪些": "which",
    "上游": "upstream", "以内": "within", "内": "within", "中": " in ", "在": " in ",
    # tissues
    "肝脏": "liver", "肝": "liver", "肾脏": "kidney", "肾上腺": "adrenal gland", "肾": "kidney",
    "骨髓": "bone marrow", "心脏": "heart", "心肌": "heart muscle", "大脑皮层": "cerebral cortex",
    "大脑": "brain", "脑": "brain", "肺": "lung", "胃": "stomach", "胰腺": "pancreas", "脾脏": "spleen",
    "脾": "spleen", "皮肤": "skin", "睾丸": "testis", "卵巢": "ovary", "甲状腺": "thyroid gland",
    "前列腺": "prostate", "结肠": "colon", "小肠": "small intestine", "骨骼肌": "skeletal muscle",
    "平滑肌": "smooth muscle", "脂肪": "adipose tissue", "胎盘": "placenta", "乳腺": "breast",
    "淋巴结": "lymph node", "扁桃体": "tonsil", "膀胱": "urinary bladder", "食管": "esophagus",
    "甲状旁腺": "parathyroid gland", "胸腺": "thymus", "视网膜": "retina", "垂体": "pituitary gland",
    "子宫内膜": "endometrium", "子宫": "uterus", "宫颈": "cervix", "胆囊": "gallbladder", "阑尾": "appendix",
    "直肠": "rectum", "唾液腺": "salivary gland", "血液": "blood", "十二指肠": "duodenum",
    # organisms
    "人类": "human", "人": "human", "小鼠": "mouse", "大鼠": "rat", "斑马鱼": "zebrafish", "酵母": "yeast",
}
_CHINESE_RE = re.compile("|".join(sorted(map(re.escape, CHINESE), key=len, reverse=True)))
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


def has_chinese(text: str) -> bool:
    return _HAN_RE.search(text) is not None


@lru_cache(maxsize=1)
def _converter():
    import opencc  # Traditional -> Simplified (OpenCC's own tables): 調控 reads as 调控

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional Chinese characters as Simplified ones (other text unchanged)."""
    return _converter().convert(text)


def gloss_chinese(text: str) -> str:
    """The question with each known Chinese term replaced by its English words (spaced apart).

    Latin-letter parts (gene symbols, cell lines, coordinates) are kept as they are, so
    the same grounding and rules read a Chinese question.  Unknown Chinese characters
    become spaces: they separate tokens and ground nothing.
    """
    if not has_chinese(text):
        return text
    text = simplified(text)
    glossed = _CHINESE_RE.sub(lambda m: f" {CHINESE[m.group(0)]} ", text)
    glossed = _HAN_RE.sub(" ", glossed)
    glossed = glossed.replace("？", "?").replace("，", ",").replace("。", ".").replace("（", "(").replace("）", ")")
    glossed = glossed.replace("：", ":").replace("、", ",")
    return re.sub(r"[ \t]+", " ", glossed).strip()
