"""Expression by tissue: HPA v18 and GTEx TPM, top tissues, tissue-specificity groups, and tissue names.

Tissue names differ between the two sources (HPA "Heart Muscle", GTEx "Heart";
HPA "Cerebral Cortex", GTEx "Brain"), and people write them many ways ("liver",
"heart", 肝脏, 心肌).  ``normalise_tissue`` maps any of those to the name a source
uses, or raises InputError naming the tissues it has; ``find_tissue`` finds the
longest tissue mention inside a question.

Specificity groups are HPA's (as packaged by TissueEnrich): Tissue-Enriched,
Group-Enriched and Tissue-Enhanced together are the "tissue-elevated" genes.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from genelm.connectors.errors import InputError
from genelm.data import transcription_factors
from genelm.regulation import tables
from genelm.regulation.tss import Gene, resolve_gene

SOURCE_NAMES = {"hpa": "HPA v18", "gtex": "GTEx"}
ELEVATED_GROUPS = ("Tissue-Enriched", "Group-Enriched", "Tissue-Enhanced")

# (HPA name, GTEx name, other ways to say it).  None: that source has no such tissue.
# Bare "muscle" means skeletal muscle, as GTEx's "Muscle" does.  No one-character
# Chinese name that commonly occurs inside other words (心 in 中心) is listed.
_TISSUES: list[tuple[str | None, str | None, tuple[str, ...]]] = [
    ("Adipose Tissue", "Adipose Tissue", ("adipose", "fat", "脂肪", "脂肪组织")),
    ("Adrenal Gland", "Adrenal Gland", ("adrenal", "adrenal glands", "肾上腺")),
    ("Appendix", None, ("阑尾",)),
    ("Bone Marrow", None, ("marrow", "骨髓")),
    ("Breast", "Breast", ("mammary gland", "乳腺", "乳房")),
    ("Cerebral Cortex", "Brain", ("brain", "cortex", "脑", "大脑", "大脑皮层", "脑组织")),
    ("Cervix, uterine", "Cervix Uteri", ("cervix", "uterine cervix", "宫颈", "子宫颈")),
    ("Colon", "Colon", ("结肠",)),
    ("Duodenum", None, ("十二指肠",)),
    ("Endometrium", None, ("子宫内膜",)),
    ("Esophagus", "Esophagus", ("oesophagus", "食管", "食道")),
    ("Fallopian Tube", "Fallopian Tube", ("输卵管",)),
    ("Gallbladder", None, ("gall bladder", "胆囊")),
    ("Heart Muscle", "Heart", ("cardiac muscle", "myocardium", "心脏", "心肌")),
    ("Kidney", "Kidney", ("kidneys", "renal", "肾脏", "肾")),
    ("Liver", "Liver", ("hepatic", "肝脏", "肝")),
    ("Lung", "Lung", ("lungs", "肺", "肺脏")),
    ("Lymph Node", None, ("lymph nodes", "淋巴结")),
    ("Ovary", "Ovary", ("ovaries", "卵巢")),
    ("Pancreas", "Pancreas", ("胰腺", "胰")),
    ("Placenta", None, ("胎盘",)),
    ("Prostate", "Prostate", ("prostate gland", "前列腺")),
    ("Rectum", None, ("直肠",)),
    ("Salivary Gland", "Salivary Gland", ("salivary glands", "唾液腺", "涎腺")),
    ("Seminal Vesicle", None, ("seminal vesicles", "精囊")),
    ("Skeletal Muscle", "Muscle", ("muscle", "骨骼肌", "肌肉")),
    ("Skin", "Skin", ("皮肤",)),
    ("Small Intestine", "Small Intestine", ("小肠",)),
    ("Smooth Muscle", None, ("平滑肌",)),
    ("Spleen", "Spleen", ("脾", "脾脏")),
    ("Stomach", "Stomach", ("gastric", "胃")),
    ("Testis", "Testis", ("testes", "睾丸")),
    ("Thyroid Gland", "Thyroid", ("甲状腺",)),
    ("Tonsil", None, ("tonsils", "扁桃体")),
    ("Urinary Bladder", "Bladder", ("膀胱",)),
    (None, "Artery", ("arteries", "动脉")),
    (None, "Nerve", ("tibial nerve", "神经")),
    (None, "Pituitary", ("pituitary gland", "垂体")),
    (None, "Uterus", ("子宫",)),
    (None, "Vagina", ("阴道",)),
]


def _fold(text: str) -> str:
    return re.sub(r"[\s.,_\-]+", " ", text.strip().lower()).strip()


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, tuple[str | None, str | None]]:
    """Every way of naming a tissue (folded) -> (HPA name, GTEx name)."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for hpa, gtex, others in _TISSUES:
        for name in (hpa, gtex, *others):
            if name:
                out.setdefault(_fold(name), (hpa, gtex))
    return out


def _check_source(source: str) -> int:
    if source not in SOURCE_NAMES:
        raise InputError(f"expression source must be one of {', '.join(SOURCE_NAMES)}, not '{source}'")
    return 0 if source == "hpa" else 1


def tissue_names(source: str = "hpa") -> list[str]:
    """The tissues of one source, as it names them (HPA v18: 35; GTEx: 29)."""
    _check_source(source)
    return list(tables.tissues(source)["TissueName"])


def normalise_tissue(text: str, source: str = "hpa") -> str:
    """'liver', 'Liver', 'heart muscle', 'bone marrow', 肝脏, 心肌 … -> the source's tissue name.

    InputError when the text names no tissue, or one the source lacks (the message
    says which source has it).
    """
    col = _check_source(source)
    hit = _vocabulary().get(_fold(text))
    if hit is None:
        raise InputError(f"unknown tissue '{text}'; {SOURCE_NAMES[source]} tissues: {', '.join(tissue_names(source))}")
    if hit[col] is None:
        other = "gtex" if source == "hpa" else "hpa"
        raise InputError(f"{SOURCE_NAMES[source]} has no '{text}' tissue; {SOURCE_NAMES[other]} calls it "
                         f"'{hit[1 - col]}' (use source='{other}')")
    return hit[col]


def find_tissue(text: str, source: str = "hpa") -> str | None:
    """The longest tissue named anywhere in ``text`` (a question), normalised; None if none is named."""
    col = _check_source(source)
    folded = _fold(text)
    for name in sorted(_vocabulary(), key=len, reverse=True):
        ascii_name = name.isascii()
        pattern = rf"\b{re.escape(name)}\b" if ascii_name else re.escape(name)
        if _vocabulary()[name][col] and re.search(pattern, folded):
            return _vocabulary()[name][col]
    return None


def _ensg(gene: str | Gene, table: pd.DataFrame) -> str | None:
    g = gene if isinstance(gene, Gene) else resolve_gene(gene)
    return next((e for e in g.ensembl_ids if e in table.index), None)


def tissue_tpm(gene: str | Gene, source: str = "hpa") -> pd.DataFrame:
    """TPM in every tissue of the source, highest first: tissue, tpm, rank, ensg, row.

    Ties keep the file's column order (as pandas' stable sort and ``nlargest`` do).
    Empty when the source has no row for the gene (a scoped negative).
    """
    _check_source(source)
    table = tables.tpm(source)
    ensg = _ensg(gene, table)
    if ensg is None:
        return pd.DataFrame(columns=["tissue", "tpm", "rank", "ensg", "row"])
    row = table.loc[ensg]
    values = row.drop("row").astype(float).sort_values(ascending=False, kind="stable")
    return pd.DataFrame({"tissue": values.index, "tpm": values.to_numpy(), "rank": range(1, len(values) + 1),
                         "ensg": ensg, "row": int(row["row"])})


def top_tissues(gene: str | Gene, n: int = 3, source: str = "hpa") -> pd.DataFrame:
    """The n highest-TPM tissues; ``tied_beyond`` lists tissues outside the top n with the n-th TPM."""
    full = tissue_tpm(gene, source)
    top = full.head(n).copy()
    if len(full) > n:
        cutoff = top["tpm"].iloc[-1]
        tied = full.iloc[n:][full["tpm"].iloc[n:] == cutoff]["tissue"].tolist()
        top["tied_beyond"] = [tied if t == cutoff else [] for t in top["tpm"]]
    return top


def gene_specificity(gene: str | Gene, source: str = "hpa") -> pd.DataFrame:
    """The gene's specificity rows: Tissue ('All' for tissue-wide groups), Group, row."""
    _check_source(source)
    g = gene if isinstance(gene, Gene) else resolve_gene(gene)
    df = tables.specificity(source)
    return df[df["Gene"].isin(g.ensembl_ids)][["Gene", "symbol", "Tissue", "Group", "row"]]


def elevated_genes(tissue: str, source: str = "hpa") -> pd.DataFrame:
    """Genes in a tissue-elevated group (Tissue-Enriched, Group-Enriched, Tissue-Enhanced) for the tissue."""
    name = normalise_tissue(tissue, source)
    df = tables.specificity(source)
    hits = df[(df["Tissue"] == name) & df["Group"].isin(ELEVATED_GROUPS)]
    return hits[["Gene", "symbol", "Tissue", "Group", "row"]].sort_values("symbol", kind="stable")


def elevated_tfs(tissue: str, source: str = "hpa") -> pd.DataFrame:
    """Tissue-elevated genes that are in the bundled Lambert 2018 TF list, each with its group."""
    genes = elevated_genes(tissue, source)
    tfs = transcription_factors()
    return genes[genes["symbol"].map(lambda s: isinstance(s, str) and s.upper() in tfs)]
