"""The citation check: every factual sentence must rest on evidence that says what it says.

A factual sentence survives only if (1) it cites at least one key, (2) every key
resolves to evidence in this run's ledger, and (3) every accession and every
number of three or more digits in it appears in the cited evidence.  Anything
else is dropped and counted (PaperQA2's rule).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from genelm.agent.core.synthesis import Sentence
from genelm.evidence import ACCESSION_RE, Evidence

# ASCII bounds: a number is checked in a Chinese or Korean sentence too ('14개', '共148个'), where \w would hide it.
_NUMBER_RE = re.compile(r"(?<![A-Za-z0-9_.])(\d{1,3}(?:,\d{3})+|\d{3,})(?![A-Za-z0-9_])")


@dataclass
class Verdict:
    kept: list[Sentence] = field(default_factory=list)
    dropped: list[tuple[Sentence, str]] = field(default_factory=list)


def check_sentence(sentence: Sentence, ledger: dict[str, Evidence]) -> str | None:
    """Why this sentence may not be shown, or None."""
    if not sentence.factual:
        return None
    if not sentence.keys:
        return "cites no evidence"
    missing = [k for k in sentence.keys if k not in ledger]
    if missing:
        return f"cites unknown evidence {', '.join(missing)}"
    blob = " ".join(ledger[k].text_blob() for k in sentence.keys)
    blob_digits = blob.replace(",", "")
    for acc in set(ACCESSION_RE.findall(sentence.text)):
        if acc not in blob:
            return f"names {acc}, which its cited evidence does not contain"
    # A count of the cited records is derived from them, not invented: 'that is 148 experiments'.
    counts = {str(len(ledger[k].records)) for k in sentence.keys} | {str(sum(len(ledger[k].records) for k in sentence.keys))}
    for number in set(_NUMBER_RE.findall(sentence.text)):
        if number.replace(",", "") not in blob_digits and number.replace(",", "") not in counts:
            return f"states {number}, which its cited evidence does not contain"
    return None


def verify(sentences: list[Sentence], ledger: dict[str, Evidence]) -> Verdict:
    verdict = Verdict()
    for sentence in sentences:
        problem = check_sentence(sentence, ledger)
        if problem is None:
            verdict.kept.append(sentence)
        else:
            verdict.dropped.append((sentence, problem))
    return verdict
