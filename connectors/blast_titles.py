"""Read organism, chromosome and assembly out of BLAST subject titles (nt deflines)."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Scientific name -> the common name GeneTuring (and most people) use.
COMMON_NAMES = {
    "homo sapiens": "human",
    "mus musculus": "mouse",
    "rattus norvegicus": "rat",
    "gallus gallus": "chicken",
    "danio rerio": "zebrafish",
    "caenorhabditis elegans": "worm",
    "saccharomyces cerevisiae": "yeast",
    "drosophila melanogaster": "fly",
    "xenopus laevis": "frog",
    "xenopus tropicalis": "frog",
    "pan troglodytes": "chimpanzee",
    "macaca mulatta": "rhesus macaque",
    "bos taurus": "cow",
    "sus scrofa": "pig",
    "canis lupus": "dog",
    "arabidopsis thaliana": "arabidopsis",
}
# Titles that name no organism worth reporting (synthetic constructs, vectors).
NON_ORGANISM = re.compile(r"synthetic construct|cloning vector|unidentified", re.I)
_CHROM_RE = re.compile(
    r"(?:chromosome|chr\.?)[:\s]+([0-9]{1,2}|[XYW]|Z|MT|[IVX]+)\b|\bfrom ([0-9]{1,2}|X|Y)(?=[pq][0-9]|[,\s])|on chromosome ([0-9]{1,2}|X|Y)",
    re.I,
)


@dataclass
class Subject:
    organism: str | None
    species: str | None  # common name when known
    chromosome: str | None
    assembly: str | None


def describe_subject(title: str) -> Subject:
    text = re.sub(r"^PREDICTED:\s*", "", title.strip())
    organism = None
    if NON_ORGANISM.search(text):
        organism = None
    elif text.lower().startswith("human "):
        organism = "Homo sapiens"
    else:
        words = text.split()
        if len(words) >= 2 and words[0][:1].isupper() and words[1].islower():
            organism = f"{words[0]} {words[1]}"
    species = None
    if organism:
        species = COMMON_NAMES.get(organism.lower(), organism)
    chrom = None
    m = _CHROM_RE.search(text)
    if m:
        chrom = next(g for g in m.groups() if g).upper()
    assembly = None
    if re.search(r"GRCh38", text):
        assembly = "GRCh38"
    elif "CHM13" in text or "T2T" in text:
        assembly = "T2T-CHM13"
    elif re.search(r"GRCh37", text):
        assembly = "GRCh37"
    return Subject(organism, species, chrom, assembly)
