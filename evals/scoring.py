"""GeneTuring scoring rules (as published with GeneTuring and used by GeneGPT).

- exact match after normalisation for symbols, chromosomes, TRUE/NA and species;
- 'Human genome DNA aligment': 1 for the exact locus, 0.5 for the right chromosome;
- gene–disease association and list answers: recall of the gold set (|gold ∩ pred| / |gold|);
- species are compared as common names (human, mouse, worm, …).
- GeneHop 'SNP gene function' (free text): 1 when the prediction recalls ≥ 50 % of the
  gold summary's content words (GeneGPT graded these by hand; this is our automatic stand-in).
"""
from __future__ import annotations

import re

from genelm.connectors.blast_titles import COMMON_NAMES

SPECIES_SYNONYMS = {**{k: v for k, v in COMMON_NAMES.items()}, "c. elegans": "worm", "caenorhabditis": "worm",
                    "nematode": "worm", "budding yeast": "yeast", "s. cerevisiae": "yeast", "danio": "zebrafish",
                    "gallus": "chicken", "mus": "mouse", "homo": "human"}
_WORD_RE = re.compile(r"[a-z0-9]+")
_STOP = {"the", "and", "of", "in", "a", "an", "to", "is", "this", "that", "by", "for", "with", "be", "are", "as", "or",
         "which", "its", "it", "on", "has", "have", "been", "gene", "protein", "encoded", "from", "at"}


def _as_list(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def _species(text: str) -> str:
    t = text.strip().lower()
    return SPECIES_SYNONYMS.get(t, t)


def score(task: str, gold, prediction: str | None) -> float:
    if prediction is None or prediction == "":
        return 0.0
    pred = prediction.strip()
    t = task.lower()
    if "protein-coding" in t:
        # genelm answers yes / no / cannot tell; GeneTuring writes TRUE, and NA for 'not protein-coding or unknown'
        pred = _verdicts().get(pred.lower(), pred)
    if "human genome dna" in t:
        gold_s = str(gold).strip()
        if pred == gold_s:
            return 1.0
        return 0.5 if pred.split(":")[0] == gold_s.split(":")[0] else 0.0
    if "multi-species" in t:
        return 1.0 if _species(pred) == _species(str(gold)) else 0.0
    if "disease association" in t or isinstance(gold, list):
        if "function" in t:
            return _text_recall(str(gold), pred)
        gold_set = {g.upper() for g in _as_list(gold)}
        pred_set = {p.upper() for p in _as_list(pred)}
        return len(gold_set & pred_set) / len(gold_set) if gold_set else 0.0
    if "function" in t:
        return _text_recall(str(gold), pred)
    return 1.0 if pred.upper() == str(gold).strip().upper() else 0.0


_VERDICT_AS_GENETURING = {"yes": "TRUE", "no": "NA", "cannot tell": "NA"}


def _verdicts() -> dict[str, str]:
    """yes / no / cannot tell in every answer language -> GeneTuring's TRUE / NA."""
    from genelm import i18n

    out = dict(_VERDICT_AS_GENETURING)
    for language in i18n.LANGUAGES:
        with i18n.using(language):
            out.update({i18n._(word).lower(): value for word, value in _VERDICT_AS_GENETURING.items()})
    return out


def _text_recall(gold: str, pred: str) -> float:
    gold_words = {w for w in _WORD_RE.findall(gold.lower()) if w not in _STOP}
    pred_words = set(_WORD_RE.findall(pred.lower()))
    if not gold_words:
        return 0.0
    return 1.0 if len(gold_words & pred_words) / len(gold_words) >= 0.5 else 0.0
