"""Deterministic entity linking against the bundled tables.

Finds genes (symbols, aliases, Ensembl and NCBI IDs), rsIDs, coordinates with
their assembly, DNA/RNA sequences, ENCODE biosamples/assays/targets, ENCODE and
GEO accessions, organisms and disease phrases.  An alias that names several
genes is reported as ambiguous with every candidate, never silently resolved.
"""
from __future__ import annotations

import re
from functools import lru_cache

from genelm.agent.grounding.entities import Entity, Region, Variant
from genelm.agent.grounding.vocab import (
    ASSAYS,
    CASED_ASSAYS,
    NOT_TISSUE_AFTER,
    ORGANISMS,
    TISSUE_SUFFIX,
    TISSUES,
    gloss_chinese,
)
from genelm.connectors.encode_index import encode_index, norm
from genelm.connectors.errors import InputError
from genelm.data import gene_table, transcription_factors
from genelm.data.cell_types import cell_type_pattern, cell_types
from genelm.data.names import GREEK_CHARS, Resolution, is_common_word, keys, name_hints, resolve
from genelm.i18n import tr

ASSEMBLY_ALIASES = {"hg19": "GRCh37", "grch37": "GRCh37", "hg38": "GRCh38", "grch38": "GRCh38"}
ASSEMBLY_RE = re.compile(r"\b(hg19|hg38|GRCh37|GRCh38)\b", re.I)
RSID_RE = re.compile(r"\brs(\d{1,12})\b", re.I)
ENSEMBL_RE = re.compile(r"\b(ENSG\d{11})(?:\.\d+)?\b", re.I)
GENE_ID_RE = re.compile(r"\b(?:GeneID|Gene ID|NCBI gene)[:\s]+(\d+)\b", re.I)
ENCODE_ACC_RE = re.compile(r"\b(ENC(?:SR|FF|BS|DO|AB)\d{3}[A-Z]{3})\b", re.I)
GEO_ACC_RE = re.compile(r"\b(GSE\d+|GSM\d+|GDS\d+)\b")
REGION_RE = re.compile(
    # Coordinates start with a digit: '1,000' is a position, ',' alone is not.
    r"\b(?:chr)?(\d{1,2}|X|Y|M|MT)\s*:\s*(\d[\d,]*)\s*(?:-|–|\.\.)\s*(\d[\d,]*)\b", re.I
)
# 'chr1:1.2-1.3 Mb' (a span in kb or Mb units).
MB_REGION_RE = re.compile(r"\b(?:chr)?(\d{1,2}|X|Y)\s*:\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*(mb|kb)\b", re.I)
_SCALE = {"mb": 1_000_000, "kb": 1_000}
# 'chr17:43,045,712 G>A' (1-based position, REF>ALT); and a bare 'chr14:83844095' (one base).
VARIANT_RE = re.compile(r"\b(?:chr)?(\d{1,2}|X|Y|M|MT)\s*:\s*(\d[\d,]*)\s*([ACGTacgt]{1,50})\s*>\s*([ACGTacgt]{1,50})\b", re.I)
POSITION_RE = re.compile(r"\bchr(\d{1,2}|X|Y|M|MT)\s*:\s*(\d[\d,]*)\b(?!\s*(?:-|–|\.\.|[\d,]))", re.I)
# A run of nucleotide letters long enough not to be a word: 15+ letters of ACGTUN.
SEQUENCE_RE = re.compile(r"(?<![A-Za-z])([ACGTUNacgtun]{15,})(?![A-Za-z])")
# Greek letters are part of a name as papers write it (HIF-1α, C/EBPβ, NF-κB, IκBα).
_W = "A-Za-z0-9" + GREEK_CHARS
TOKEN_RE = re.compile(rf"[{_W}][{_W}\-\.@/]*[{_W}]|[{_W}]")
DISEASE_RE = re.compile(
    r"(?:genes?\b.{0,25}?\b(?:related|associated|linked|implicated)\s+(?:to|with|in)|(?:cause|causes)\s+of|"
    r"genes\s+(?:for|cause|causing|behind|underlying|that cause)|genes\s+with|^\W*with)\s+(.+?)"
    r"\s*(?:\b(?:located|in omim|in ncbi)\b|\bassociated\b|[.?!]|$)",
    re.I,
)
# Processes and functions ('cholesterol biosynthesis', 'circadian rhythm') are searched by meaning, not as diseases.
PROCESS_RE = re.compile(r"\b(?:biosynthesis|metabolism|rhythm|repair|pathway|signal(?:l)?ing|transport|uptake|"
                        r"recombination|response|cycle|development|differentiation|apoptosis|autophagy|splicing|"
                        r"replication|transcription|translation|homeostasis|adhesion|migration|processing|"
                        r"degradation|biogenesis|assembly|organization|secretion|activity)\b", re.I)

BIOSAMPLE_SYNONYMS = {
    "k-562": "K562", "hep g2": "HepG2", "hep-g2": "HepG2", "hepg2": "HepG2", "gm-12878": "GM12878",
    "h1-hesc": "H1", "h1 hesc": "H1", "hela": "HeLa-S3", "mcf7": "MCF-7", "imr90": "IMR-90", "a-549": "A549",
    "hek-293": "HEK293", "lncap": "LNCaP clone FGC", "cd14+ monocytes": "CD14-positive monocyte",
    "cd14+ monocyte": "CD14-positive monocyte", "caco2": "Caco-2", "jurkat": "Jurkat clone E6-1",
    "huvec": "endothelial cell of umbilical vein", "huvecs": "endothelial cell of umbilical vein", "thp1": "THP-1",
    "thp-1": "THP-1", "pancreatic islets": "islet of Langerhans", "pancreatic islet": "islet of Langerhans",
    "islets": "islet of Langerhans",
    # ENCODE's mouse cell lines (the bundled exports are human, so these name a place genelm then scopes)
    "mel": "MEL", "ch12.lx": "CH12.LX", "ch12": "CH12.LX", "g1e-er4": "G1E-ER4", "g1e": "G1E", "es-e14": "ES-E14",
    "e14": "ES-E14",
}
# Lower-case cell types are biosamples too ('astrocytes', 'keratinocyte'); other lower-case words are not.
CELL_TYPE_END = ("cyte", "cytes", "blast", "blasts", "phage", "phages", "neuron", "neurons")
HISTONE_RE = re.compile(r"\bH[234][AB]?(?:K\d+(?:ac|me[123]?|ub\d?|cr|bu)|\.Z|Z|FZ)\b|\bH2AFZ\b", re.I)
# Words that look like gene symbols but are English in a question.
STOPWORDS = {
    "A", "AN", "THE", "IS", "IN", "ON", "OF", "TO", "AND", "OR", "FOR", "WITH", "WHAT", "WHICH", "WHERE", "GENE",
    "GENES", "DNA", "RNA", "SNP", "SEQUENCE", "HUMAN", "MOUSE", "CHROMOSOME", "ARE", "BY", "AT", "AS", "IT", "ITS",
    "THIS", "THAT", "BE", "DO", "DOES", "HOW", "WHY", "ENCODE", "GEO", "NCBI", "OMIM", "BLAST", "ID", "IDS", "CELL",
    "CELLS", "TYPE", "LINE", "LIST", "SET", "MAP", "CAN", "NOT", "NO", "ALL", "ANY", "ONE", "TWO", "ME", "WE",
    "GENOME", "OFFICIAL", "SYMBOL", "ALIAS", "ALIASES", "CODING", "PROTEIN", "FUNCTION", "ABOUT", "FROM", "US",
    "TF", "TFS", "ASSAY", "EXPERIMENT", "EXPERIMENTS", "PEAK", "PEAKS", "SIGNAL", "FILES", "FILE", "STEP", "LET",
    "SUB", "SOLVE", "THEM", "DECOMPOSE", "QUESTION", "QUESTIONS", "CONVERT", "ALIGN", "ORGANISM", "COME", "LOCATE",
    "LOCATED", "ASSOCIATED", "RELATED", "PROFILE", "PROFILED", "TARGET", "TARGETS", "TARGETED", "REGULATORY",
    "EVIDENCE", "THERE", "WHO", "WAS", "WERE", "HAS", "HAVE", "PREDICT", "AROUND", "NEAR", "SERIES", "DATASET",
    "DATASETS", "SUMMARY", "DESCRIBE", "TELL", "GIVE", "SHOW", "FIND", "ACCESSION", "ACCESSIONS", "LOCATION",
    "LOCATIONS", "SPECIES", "CHR", "TRUE", "FALSE", "NA", "II", "I", "V", "X", "Y", "MT",
    "CCRE", "CCRES", "REGULOME", "REGULOMEDB", "UCSC", "BLAT", "PHYLOP", "PHASTCONS", "CONSERVATION", "DOSSIER",
    "VARIANT", "VARIANTS", "REGION", "REGIONS", "HG19", "HG38", "GRCH37", "GRCH38", "TRACK", "TRACKS", "RANK",
    "SCORE", "PROMOTER", "ENHANCER", "NEARBY", "OVERLAP", "OVERLAPPING", "POSITION",
    "HPA", "GTEX", "TPM", "RPM", "FPKM", "TSS", "TSSS", "CRE", "CRES", "PLS", "ELS", "ENFORMER", "SPLICEAI", "GLM",
    "LLM", "API", "DB", "KB", "MB", "BP", "HG", "CHIP", "SEQ", "NGS", "QTL", "EQTL", "EQTLS", "GWAS", "UTR",
    "CDS", "MRNA", "LNCRNA", "NCRNA", "MIRNA", "TFBS", "PROMOTERS", "ENHANCERS", "CELL", "LINES", "TISSUE",
    "TISSUES", "ORGAN", "ORGANS", "FACTOR", "FACTORS", "BIND", "BINDS", "BINDING", "ACTIVE", "EXPRESSED",
    "EXPRESSION", "REGULATED", "REGULATION", "PLEASE", "COULD", "WOULD", "SHOULD", "WHEN", "THEIR", "THESE",
    "THOSE", "ALSO", "MOST", "MORE", "THAN", "INTO", "OVER", "UNDER", "BETWEEN", "COMPARE", "VERSUS", "VS", "MANY",
    "COUNT", "NUMBER", "TOP", "HIGH", "HIGHEST", "LOW", "LOWEST", "UP", "DOWN", "KNOWN", "TRACK", "SHOW", "GET",
    "HI", "HELLO", "HEY", "THANKS", "THANK", "OK", "OKAY", "PLS", "FYI", "IIRC", "TIA", "HGNC", "VUS", "GWAS", "SNPS",
    "TBE", "PBS", "TAE", "PCR", "QPCR", "RT", "KO", "KD", "WT", "MUT", "CRISPR", "SIRNA", "SHRNA", "ORF", "MRNA", "NGS",
    "MI", "T2D", "T1D", "CAD", "AML", "ALL", "CLL", "CML", "IPSC", "IPSCS", "ESC", "ESCS", "NB", "PS", "Q1", "Q2", "Q3",
    "Q4", "Q5", "HW", "TH1", "TH2", "TH17", "TREG",
}


@lru_cache(maxsize=1)
def _vocab() -> dict[str, dict[str, str]]:
    index = encode_index()
    biosamples = {norm(b): b for b in index.biosamples}
    biosamples.update({norm(k): v for k, v in BIOSAMPLE_SYNONYMS.items()})
    targets = {norm(t): t for t in index.targets if not t.lower().startswith("egfp-")}
    return {"biosample": biosamples, "target": targets}


def parse_region(text: str, assembly: str | None = None) -> Region:
    """'chr17:7,661,779-7,687,538' (+ optional hg19/hg38 words) -> Region.  Raises InputError."""
    m = REGION_RE.search(text)
    if not m:
        raise InputError(f"'{text}' is not a region; write it like chr17:7,661,779-7,687,538")
    start, end = int(m.group(2).replace(",", "")), int(m.group(3).replace(",", ""))
    if start < 1 or end < start:
        raise InputError(f"region {m.group(0)} has start {start} and end {end}; the start must be ≥ 1 and ≤ the end")
    stated = assembly or _assembly_in(text)
    return Region(chromosome=_chromosome(m.group(1)), start=start, end=end, assembly=stated or "GRCh38",
                  assembly_stated=stated is not None)


def _chromosome(text: str) -> str:
    chrom = text.upper()
    return "chrM" if chrom in ("M", "MT") else f"chr{chrom}"


def _position_region(m: re.Match, assembly: str | None) -> Region:
    pos = int(m.group(2).replace(",", ""))
    if pos < 1:
        raise InputError(f"{m.group(0)}: positions start at 1")
    return Region(chromosome=_chromosome(m.group(1)), start=pos, end=pos, assembly=assembly or "GRCh38",
                  assembly_stated=assembly is not None)


def parse_variant(text: str, assembly: str | None = None) -> Variant:
    """'chr17:43,045,712 G>A' -> Variant (1-based position).  Raises InputError."""
    m = VARIANT_RE.search(text)
    if not m:
        raise InputError(f"'{text}' is not a variant; write it like chr17:43045712 G>A (1-based position, REF>ALT)")
    pos = int(m.group(2).replace(",", ""))
    if pos < 1:
        raise InputError(f"{m.group(0)}: positions start at 1")
    ref, alt = m.group(3).upper(), m.group(4).upper()
    if ref == alt:
        raise InputError(f"{m.group(0)}: REF and ALT are both {ref}; a variant changes the base")
    stated = assembly or _assembly_in(text)
    return Variant(chromosome=_chromosome(m.group(1)), position=pos, ref=ref, alt=alt,
                   assembly=stated or "GRCh38", assembly_stated=stated is not None)


def _assembly_in(text: str) -> str | None:
    m = ASSEMBLY_RE.search(text)
    return ASSEMBLY_ALIASES[m.group(1).lower()] if m else None


def ground(question: str) -> list[Entity]:
    """Typed entities in a question (spans refer to ``gloss_chinese(question)``, the text the rules read)."""
    if not isinstance(question, str) or not question.strip():
        raise InputError("the question is empty; ask something like 'What is the official gene symbol of SNAT6?'")
    question = gloss_chinese(question)
    entities: list[Entity] = []
    taken: list[tuple[int, int]] = []

    def add(entity: Entity) -> None:
        entities.append(entity)
        taken.append(entity.span)

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    assembly = _assembly_in(question)
    if (m := ASSEMBLY_RE.search(question)) is not None:
        add(Entity(kind="assembly", text=m.group(0), value=assembly, span=m.span()))
    for m in SEQUENCE_RE.finditer(question):
        seq = m.group(1)
        if len(set(seq.upper()) - {"N"}) < 2:
            continue
        rna = "U" in seq.upper()
        add(Entity(kind="sequence", text=seq, value=seq.upper().replace("U", "T"), span=m.span(1),
                   attrs={"rna": rna, "length": len(seq)}))
    for m in VARIANT_RE.finditer(question):
        if free(m.span()):
            variant = parse_variant(m.group(0), assembly)
            add(Entity(kind="variant", text=m.group(0), value=str(variant), span=m.span(), attrs=variant.model_dump()))
    for m in MB_REGION_RE.finditer(question):
        if free(m.span()):
            start, end = (round(float(x) * _SCALE[m.group(4).lower()]) for x in (m.group(2), m.group(3)))
            region = parse_region(f"chr{m.group(1)}:{start}-{end}", assembly)
            add(Entity(kind="region", text=m.group(0), value=str(region), span=m.span(), attrs=region.model_dump()))
    for m in REGION_RE.finditer(question):
        if free(m.span()):
            region = parse_region(m.group(0), assembly)
            add(Entity(kind="region", text=m.group(0), value=str(region), span=m.span(), attrs=region.model_dump()))
    for m in POSITION_RE.finditer(question):
        if free(m.span()):
            region = _position_region(m, assembly)
            add(Entity(kind="region", text=m.group(0), value=str(region), span=m.span(),
                       attrs=region.model_dump() | {"single_base": True}))
    for regex, kind in ((RSID_RE, "rsid"), (ENCODE_ACC_RE, "encode_accession"), (GEO_ACC_RE, "geo_accession")):
        for m in regex.finditer(question):
            if free(m.span()):
                value = f"rs{m.group(1)}" if kind == "rsid" else m.group(1).upper()
                add(Entity(kind=kind, text=m.group(0), value=value, span=m.span()))
    genes = gene_table()
    for m in ENSEMBL_RE.finditer(question):
        if free(m.span()):
            ensg = m.group(1).upper()
            gene = genes.by_ensembl.get(ensg)
            add(Entity(kind="ensembl", text=m.group(0), value=ensg, span=m.span(),
                       candidates=[gene.symbol] if gene else []))
    for m in GENE_ID_RE.finditer(question):
        gene = genes.by_id.get(m.group(1))
        add(Entity(kind="gene_id", text=m.group(0), value=m.group(1), span=m.span(),
                   candidates=[gene.symbol] if gene else []))
    lowered = question.lower()
    for phrase, organism in ORGANISMS.items():
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", lowered):
            if free(m.span()):
                add(Entity(kind="organism", text=question[m.start():m.end()], value=organism, span=m.span()))
    for phrase in sorted(ASSAYS, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", lowered):
            written = question[m.start():m.end()]
            # 'cage', 'rampage' and 'hic' are English words or gene aliases unless written as the assay is.
            if ASSAYS[phrase] in ("CAGE", "RAMPAGE", "Hi-C") and written not in CASED_ASSAYS and \
                    written.lower() != "hi-c" and not _ASSAY_CONTEXT.search(lowered):
                continue  # 'cage' is a word, unless the question is about experiments ('cage gm12878 how many exps')
            if phrase == "chip" and not re.match(r"(?i)chip\b(?!-)", written):
                continue
            if free(m.span()):
                add(Entity(kind="assay", text=written, value=ASSAYS[phrase], span=m.span()))
    # Protein names of several words before tissues: 'thyroid peroxidase', 'prostate-specific antigen'.
    _ground_phrases(question, add, free)
    # Cell types before tissues: 'red blood cells' and 'liver cells' are cells, not the blood or the liver.
    for m in cell_type_pattern().finditer(lowered):
        if free(m.span()):
            cell = cell_types()[m.group(1)]
            add(Entity(kind="biosample", text=question[m.start():m.end()], value=cell.encode_term, span=m.span(),
                       attrs={"cell_type": cell.name, "proxy": cell.proxy, "caveat": cell.caveat}))
    for phrase in sorted(TISSUES, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w-]){re.escape(phrase)}{TISSUE_SUFFIX}(?!\w){NOT_TISSUE_AFTER}", lowered):
            if free(m.span()):
                add(Entity(kind="tissue", text=question[m.start():m.end()], value=TISSUES[phrase], span=m.span()))
    for m in HISTONE_RE.finditer(question):
        if free(m.span()):
            add(Entity(kind="target", text=m.group(0), value=_histone(m.group(0)), span=m.span(),
                       attrs={"class": "histone mark"}))
    if (m := DISEASE_RE.search(question)) is not None and not PROCESS_RE.search(m.group(1)) and \
            not _NOT_DISEASE.search(m.group(1)):
        phrase = re.sub(r"^(?:the|a|an)\s+", "", m.group(1).strip().rstrip(".?"), flags=re.I)
        # 'the gene related to X is': a sentence to complete, whose last word is not the disease's
        phrase = re.sub(r"\s+(?:is|are|was|were)$", "", phrase, flags=re.I)
        phrase = re.split(r"\.\s+Let's", phrase)[0]
        # A glossed Chinese question can leave only cue words where the disease's own name was ('associated genes').
        if set(re.findall(r"[a-z]+", phrase.lower())) - GLOSS_WORDS:
            add(Entity(kind="disease", text=phrase, value=phrase, span=m.span(1)))
    _ground_tokens(question, add, free)
    entities.sort(key=lambda e: e.span)
    return _other_organism(_drop_noise(entities))


def _other_organism(entities: list[Entity]) -> list[Entity]:
    """In a mouse (rat, fly, …) question a name is that organism's gene as written ('Hbb-bs', 'Trp53'), never a
    human alias the human tables happen to share."""
    if not any(e.kind == "organism" and e.value != "Homo sapiens" for e in entities):
        return entities
    return [e.model_copy(update={"value": e.text, "candidates": [], "attrs": {"as_written": True}})
            if e.kind == "gene" and e.attrs.get("alias") else e for e in entities]


# 'genes with an active promoter in GM12878': a request about regulation, not a disease phrase
_NOT_DISEASE = re.compile(r"\b(?:promoters?|active|express\w*|bind\w*|bound|ccres?|enhancers?|tss)\b|chr\w*:\d", re.I)

_ASSAY_CONTEXT = re.compile(r"\b(?:exps?|experiments?|assays?|tpm|rpm|signal|peaks?|encode|seq|promoters?)\b")

GLOSS_WORDS = {"associated", "genes", "gene", "which", "what", "with", "in", "the", "related", "are", "is"}


def _drop_noise(entities: list[Entity]) -> list[Entity]:
    """A cell type beside a named cell line is context, not the place; symbol-shaped words beside a real gene are
    abbreviations, not genes ('HGNC', 'T2D', 'VUS'); an alias that names a gene the question also names is that
    gene ('TFF1 (pS2)'), and a gene named twice is kept once."""
    entities = _member_of_family(entities)
    lines = [e for e in entities if e.kind == "biosample" and "cell_type" not in e.attrs]
    if lines:  # 'THP-1 monocytes', 'erythroid cells … in K562': the cell line named is the place
        entities = [e for e in entities if not (e.kind == "biosample" and "cell_type" in e.attrs)]
    named = {e.value for e in entities if e.kind in ("gene", "ensembl", "gene_id") and not e.attrs.get("alias")}
    if not named:
        return entities
    kept, seen = [], set()
    for e in entities:
        if e.kind == "unknown_gene":
            continue
        if e.attrs.get("alias") and (e.value in named or named & set(e.candidates[1:])):
            continue  # 'TFF1 (pS2)', 'NFE2L2 (NRF2)': the alias is the gene the question names
        if e.kind == "gene" and e.value in seen and e.attrs.get("alias"):
            continue
        seen.add(e.value)
        kept.append(e)
    return kept


def _member_of_family(entities: list[Entity]) -> list[Entity]:
    """'NF-κB p65', 'AP-1 c-Jun': a family named with one of its members is that member."""
    kept: list[Entity] = []
    for e in entities:
        family = kept[-1] if kept else None
        if family is not None and family.kind == "gene_family" and e.kind == "gene" and \
                e.value in family.candidates and e.span[0] - family.span[1] <= 2:
            written = f"{family.text} {e.text}"
            kept[-1] = e.model_copy(update={"text": written, "span": (family.span[0], e.span[1]), "attrs": e.attrs | {
                "ambiguous": False, "reading": tr("{written} is read as {symbol}, the {family} member of that name.",
                                                  written=written, symbol=e.value, family=family.value)}})
            continue
        kept.append(e)
    return kept


def _histone(text: str) -> str:
    t = text.upper().replace("AC", "ac").replace("ME", "me").replace("UB", "ub")
    return t


def _ground_tokens(question: str, add, free) -> None:
    """Biosamples, TF targets and genes, token by token (and two-token biosample names)."""
    vocab = _vocab()
    genes = gene_table()
    tokens = list(TOKEN_RE.finditer(question))
    # Two-token biosample names first ('Hep G2', 'H1 hESC').
    for first, second in zip(tokens, tokens[1:]):
        span = (first.start(), second.end())
        joined = norm(first.group(0) + second.group(0))
        if joined in vocab["biosample"] and free(span) and len(joined) > 3:
            add(Entity(kind="biosample", text=question[span[0]:span[1]], value=vocab["biosample"][joined], span=span))
    for m in tokens:
        word = m.group(0).rstrip(".")
        span = (m.start(), m.start() + len(word))
        if not free(span) or word.upper() in STOPWORDS or word.isdigit():
            continue
        key = norm(word)
        exact_symbol = genes.symbol(word) is not None and genes.symbol(word).symbol == word
        exact_biosample = vocab["biosample"].get(key) == word
        singular = norm(word[:-1]) if word.lower().endswith("s") else key
        if word.lower().endswith(CELL_TYPE_END) and key not in vocab["biosample"] and singular in vocab["biosample"]:
            key = singular  # 'astrocytes' -> astrocyte
        cell_type = word.lower().endswith(CELL_TYPE_END)
        if key in vocab["biosample"] and (word[0].isupper() or any(c.isdigit() for c in word) or cell_type) and \
                (exact_biosample or not exact_symbol):  # 'ELF1' is the gene; the cell line is written 'ELF-1'

            add(Entity(kind="biosample", text=word, value=vocab["biosample"][key], span=span))
            continue
        official = genes.symbol(word)
        # Lower-case words are genes only when they are not plain English: 'tp53' yes, 'was' no.
        plausible_case = word != word.lower() or any(c.isdigit() for c in word)
        # A three-letter lower-case symbol ('myc', 'hbb') counts only in a question about genes' behaviour.
        short_ok = len(word) == 3 and _GENE_CONTEXT.search(question) is not None
        # 'clock', 'rest', 'impact' in lower case are English words, never CLOCK, REST, IMPACT.
        english = not plausible_case and is_common_word(word)
        if official is not None and (plausible_case or len(word) >= 4 or short_ok) and not english and \
                official.symbol.upper() == word.upper():
            add(Entity(kind="gene", text=word, value=official.symbol, span=span,
                       attrs={"gene_id": official.gene_id, "is_target": _is_target(official.symbol)}))
            continue
        if _greek_only(word):
            continue  # 'β1', 'α7', 'RIα': a subunit's letter, a name only with the word before it ('integrin β1')
        family = keys(word)[0] in name_hints().family_keys
        if family and (plausible_case or not is_common_word(word)) and (entity := _named(word, span)) is not None:
            add(entity)  # 'globin', 'cohesin', 'Akt': a family, however it is cased
            continue
        alias_hits = genes.aliases(word)
        if alias_hits and plausible_case and len({g.symbol for g in alias_hits}) == 1 and len(word) > 2 \
                and not family and \
                genes.symbol(re.sub(r"[-.\s]", "", word)) is None:  # 'HSF-1' is HSF1, not NR5A1's 'hSF-1'
            add(Entity(kind="gene", text=word, value=alias_hits[0].symbol, span=span,
                       candidates=[alias_hits[0].symbol], attrs={"alias": True}))  # one gene: no index needed
            continue
        if (plausible_case or _protein_word(word)) and (entity := _named(word, span)) is not None:
            add(entity)
            continue
        if "/" in word and (entity := _slashed(word, span)) is not None:
            add(entity)  # 'p21/CDKN1A', 'ERK1/2', 'Smad2/3', 'CBP/p300'
            continue
        if key in vocab["target"] and word.upper() == word:
            add(Entity(kind="target", text=word, value=vocab["target"][key], span=span))
            continue
        if (entity := _human_prefixed(word, span)) is not None:
            add(entity)  # 'hTERT', 'hMLH1': papers mark the human gene with a lower-case h
            continue
        if _looks_like_symbol(word):
            add(Entity(kind="unknown_gene", text=word, value=word, span=span))


def _human_prefixed(word: str, span: tuple[int, int]) -> Entity | None:
    """'hTERT' is human TERT: a lower-case h before a name that is itself a gene's symbol or name."""
    if len(word) < 4 or word[0] != "h" or not word[1].isupper() or re.search(r"SCs?$", word):
        return None  # 'hMSC', 'hESCs', 'hNSC': human stem cells, not MSC, ESC…
    reading = resolve(word[1:])
    if reading is None or reading.family is not None:
        return None
    entity = _entity(reading, word, span)
    return entity.model_copy(update={"attrs": entity.attrs | {"alias": True, "reading": tr(
        "{written} is read as human {symbol}.", written=word, symbol=reading.symbol)}})


def _greek_only(word: str) -> bool:
    letters = [c for c in word if c.isalpha() and c not in GREEK_CHARS]
    return any(c in GREEK_CHARS for c in word) and len(letters) <= 1 and gene_table().symbol(word) is None


def _protein_word(word: str) -> bool:
    """A lower-case word that names a protein ('insulin', 'vimentin', 'β-actin') rather than plain English."""
    if any(c in GREEK_CHARS for c in word):
        return True
    pieces = word.lower().split("-")
    if len(pieces) > 1:  # 'e-cadherin', 'c-myc', 'beta-globin', but not 'well-known'
        return len(pieces[0]) <= 2 or pieces[0] in ("alpha", "beta", "gamma", "delta", "kappa") or \
            any(c.isdigit() for c in word)
    return word.lower() in name_hints().protein_words


def _slashed(word: str, span: tuple[int, int]) -> Entity | None:
    """'p21/CDKN1A' (a name and its symbol: the symbol), 'ERK1/2', 'Smad1/5/8', 'Stat5a/b' (several genes)."""
    parts = [p for p in word.split("/") if p]
    if len(parts) < 2:
        return None
    stem = re.match(r"^(.*?)([0-9]+[A-Za-z]?|[A-Za-z])$", parts[0])
    names = [parts[0]] + [p if len(p) > 2 or not stem else stem.group(1) + p for p in parts[1:]]
    readings = [resolve(n) for n in names]
    symbols = [r.symbol for r in readings if r is not None and r.symbol]
    official = [n for n in names if (gene := gene_table().symbol(n)) is not None and gene.symbol == n]
    if official and len(set(symbols) | set(official)) > 1 and any(len(p) > 2 for p in parts[1:]):
        reading = resolve(official[0])  # 'p62/SQSTM1': the paper pairs a name with its official symbol
        return _entity(reading, word, span) if reading else None
    if len(set(symbols)) == 1 and all(r is not None for r in readings):
        return _entity(readings[0], word, span)
    if len(set(symbols)) >= 2 and len(symbols) == len(names):
        members = list(dict.fromkeys(symbols))
        return Entity(kind="gene_family", text=word, value=word, span=span, candidates=members,
                      attrs={"reading": tr("{written} names several genes: {members}; name one for its own answer.",
                                           written=word, members=", ".join(members))})
    return None


def _named(word: str, span: tuple[int, int]) -> Entity | None:
    """The gene or family a name as papers write it means (data/names.py), as an entity saying how it was read."""
    reading = resolve(word)
    if reading is None:
        return None
    return _entity(reading, word, span)


def _entity(reading: Resolution, text: str, span: tuple[int, int]) -> Entity:
    if reading.family is not None:
        return Entity(kind="gene_family", text=text, value=reading.family, span=span,
                      candidates=list(reading.members), attrs={"reading": reading.reading()})
    return Entity(kind="gene", text=text, value=reading.symbol, span=span, candidates=list(reading.candidates),
                  attrs={"alias": reading.via != "symbol", "ambiguous": reading.ambiguous,
                         "is_target": _is_target(reading.symbol), "reading": reading.reading()})


def _is_target(symbol: str) -> bool:
    """A DNA-binding factor (Lambert 2018) or another ENCODE ChIP-seq target: it can be a filter, not only a gene."""
    return symbol.upper() in transcription_factors() or norm(symbol) in _vocab()["target"]


# Words that are names only together: 'cyclin D1', 'estrogen receptor alpha', 'androgen receptor'.
_GENERIC = {"protein", "proteins", "factor", "factors", "receptor", "receptors", "kinase", "cell", "cells", "gene",
            "genes", "binding", "transcription", "transcriptional", "activity", "subunit", "family", "member",
            "domain", "containing", "like", "type", "chain", "complex", "growth", "human", "the", "of", "and", "a",
            "in", "is", "to", "for", "with", "on", "at", "by", "as", "or", "be", "an", "regulator", "regulatory",
            "promoter", "expression", "expressed", "regulated", "bind", "binds", "bound", "near", "which", "what",
            "how", "tissue", "tissues", "line", "lines", "alpha", "beta", "gamma", "delta", "kappa", "1", "2", "3"}


# The question's own words: 'MYC regulated' is MYC and a verb, not 'MYC-regulated DEAD box protein'.
_CUE_WORDS = {"regulated", "regulates", "regulate", "regulation", "regulating", "expressed", "expression", "express",
              "expresses", "bind", "binds", "bound", "binding", "promoter", "promoters", "active", "activity",
              "target", "targets", "targeted", "controlled", "controls", "induced", "repressed", "activated"}
# A short token right after a matched name that makes it a more specific one: 'M2', 'P1', 'α1', 'II', 'A'.
_QUALIFIER = re.compile(rf"^(?:[A-Z]{{1,2}}\d{{1,2}}|[IVX]{{1,4}}|[A-Z]?[{GREEK_CHARS}]\d)$")


_FUNCTION_WORDS = {"of", "the", "and", "in", "a", "an", "to", "for", "with", "on", "at", "by", "or", "is", "are"}


def _ground_phrases(question: str, add, free) -> None:
    """Names of two to four words that the bundled designations hold ('cyclin D1', 'androgen receptor')."""
    tokens = list(TOKEN_RE.finditer(question))
    hints = name_hints()
    for size in (4, 3, 2):
        for i in range(len(tokens) - size + 1):
            window = tokens[i:i + size]
            span = (window[0].start(), window[-1].end())
            words = [t.group(0) for t in window]
            if not free(span) or all(w.lower() in _GENERIC or w.upper() in STOPWORDS for w in words) or \
                    any(w.lower() in _CUE_WORDS for w in words):
                continue
            if keys(words[0])[0] not in hints.first_words or keys(words[-1])[0] not in hints.last_words or \
                    words[0].upper() in STOPWORDS or words[-1].lower() in _FUNCTION_WORDS:
                continue
            if all(w.lower() in hints.plain_words for w in words):
                continue  # 'breast cancer', 'growth hormone': plain English, however a designation reads
            phrase = question[span[0]:span[1]]
            lowered = phrase.lower()
            if lowered in TISSUES or lowered in cell_types() or lowered.rstrip("s") in cell_types():
                continue  # 'skeletal muscle' is the tissue, 'embryonic stem cell' the cell type
            if (reading := resolve(phrase)) is not None and \
                    (reading.family is not None or reading.via in ("name", "paren", "synonym")):
                after = tokens[i + size].group(0) if i + size < len(tokens) else ""
                if _QUALIFIER.match(after):
                    continue  # 'pyruvate kinase M2', 'collagen I α1': a more specific name than the one matched
                add(_entity(reading, phrase, span))


_GENE_CONTEXT = re.compile(r"\b(?:promoters?|bind|binds|bound|express\w*|regulat\w*|tfs?|transcription factors?|"
                           r"cytoband|band|chromosome|located|location|tss|"
                           r"gene|aliases|symbol)\b", re.I)
_DISTANCE_RE = re.compile(r"^\d+(?:\.\d+)?(?:kb|kbp|mb|bp|b|nt|x|l|ml|ul|mm|um|nm|mg|ug|ng|h|min)$", re.I)


def _looks_like_symbol(word: str) -> bool:
    """Gene-symbol-shaped tokens we could not link (new symbols, other species): search NCBI for them."""
    if len(word) < 2 or len(word) > 20 or word.upper() in STOPWORDS or _DISTANCE_RE.match(word):
        return False
    has_digit = any(c.isdigit() for c in word)
    upper_ratio = sum(c.isupper() for c in word) / max(1, sum(c.isalpha() for c in word))
    return (has_digit and any(c.isalpha() for c in word)) or (upper_ratio >= 0.6 and len(word) >= 3)
