"""A question's frame: what is asked, about what, under which constraints, in which form.

The frame is the contract between understanding and planning.  Understanding
(``genelm.agent.understanding``) turns a question and its grounded entities into
one Frame; the planner maps ``frame.ask`` to the capability that answers it, and
``frame.form`` decides how the answer is shaped (a count of any list, a table for a
comparison, yes/no with its evidence, a narrative).  A question whose ask is
``unknown`` is said to be not understood, never answered as a different question.

Frames are plain data (JSON-able) so evaluation suites can hold gold frames and
score understanding on its own (``score: "frame"``).
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# What a question can ask for.  Each ask names a relation or attribute of its subjects
# (``about``); the descriptions are what a person writing a gold frame reads.
ASKS: dict[str, str] = {
    # genes
    "official_symbol": "the official gene symbol of an alias, an old name or an Ensembl/NCBI ID",
    "aliases": "the other names (aliases, synonyms) of a gene",
    "gene_location": "where a gene is: chromosome, cytoband or coordinates (of a gene, or of a disease's genes)",
    "gene_function": "what a gene does (of a gene, or of the gene an rsID falls in)",
    "gene_type": "whether a gene is protein-coding (its gene type)",
    "gene_overview": "a general description of a gene: 'tell me about BRCA1', 'describe TP53'",
    "disease_genes": "the genes associated with a disease",
    # SNPs and variants
    "snp_location": "where an rsID is: chromosome and position",
    "snp_genes": "the gene(s) an rsID is in or associated with",
    "regulatory_evidence": "what is known at a variant or position: RegulomeDB rank, peaks, cCREs, nearby genes",
    "splice_effect": "whether a variant affects splicing (SpliceAI scores)",
    "variant_effect": "a model's predicted effect of a variant on a track (Enformer)",
    "glm_score": "a genomic language model's score (log-likelihood ratio) of a variant",
    # sequences
    "sequence_organism": "which organism a DNA sequence comes from",
    "sequence_gene": "which gene a DNA sequence belongs to (or that gene's aliases)",
    "sequence_alignment": "where a DNA sequence maps in a genome (BLAST, BLAT)",
    "region_sequence": "the DNA sequence of a region",
    "translation": "the amino-acid sequence a DNA/RNA sequence encodes (translate it)",
    # regions
    "region_contents": "the genes and regulatory elements in (or near) a region or a gene's span",
    "ccres": "candidate cis-regulatory elements (cCREs: promoter-like, enhancer-like) at or near a gene or region",
    "conservation": "conservation scores (phyloP/phastCons) over a region or a gene",
    # ENCODE and GEO
    "experiments": "ENCODE experiments matching a target, biosample, assay and/or assembly",
    "experiment_details": "what one ENCODE record (ENCSR/ENCFF/…) is",
    "profiled_biosamples": "the biosamples (cell lines, tissues) in which a factor or assay was profiled",
    "profiled_targets": "the targets (TFs, histone marks) profiled in a biosample",
    "profiled_assays": "the assays run on a biosample",
    "geo_datasets": "GEO series or datasets about a topic or by accession",
    # regulation
    "regulation": "how a gene is regulated: its promoter, the factors that bind it, where it is active and expressed",
    "bound_factors": "the transcription factors that bind a gene (its promoter, near it)",
    "factor_binding_biosamples": "the cells in which a factor binds (is enriched) at a gene or its promoter",
    "factor_targets": "the genes a transcription factor binds or regulates",
    "promoter_activity": "whether, or in which cells, a gene's promoter is active",
    "expression": "where (in which tissues) a gene is expressed, and how much",
    "tissue_tfs": "the transcription factors elevated (enriched, upregulated) in a tissue",
    # sequence models
    "enformer_tracks": "which Enformer output tracks measure an assay or target in a biosample",
    "predicted_signal": "a model's predicted signal (Enformer) around a gene or region",
    "predicted_vs_measured": "how well a predicted track matches the measured signal",
    # gene knowledge
    "genes_by_function": "the genes involved in a process or function (search by meaning)",
    "similar_genes": "the genes most similar to a named gene",
    # not understood
    "unknown": "genelm could not tell what is asked",
}
Ask = Literal[tuple(ASKS)]  # type: ignore[valid-type]

FORMS: dict[str, str] = {
    "factoid": "one value: a symbol, a location, a type, a short phrase",
    "list": "several items: which/what … (plural), list, show all",
    "count": "how many",
    "yes_no": "is / are / does / do / can …?",
    "comparison": "compare / versus / difference between two or more things",
    "narrative": "describe / explain / how is … regulated / what is known / tell me about",
}
Form = Literal[tuple(FORMS)]  # type: ignore[valid-type]

# Constraint keys.  Values are lists (a comparison names several biosamples or targets).
CONSTRAINTS: dict[str, str] = {
    "biosample": "a cell line or cell type, by its ENCODE term name (K562, HepG2, GM12878, MCF-7, …)",
    "tissue": "a tissue or organ, lower case, as HPA/GTEx name it (liver, bone marrow, adrenal gland, heart muscle, …)",
    "assay": "an assay (ChIP-seq, TF ChIP-seq, Histone ChIP-seq, DNase-seq, ATAC-seq, RNA-seq, CAGE, RAMPAGE, …)",
    "target": "an assayed target: a histone mark (H3K27ac) or a factor used as a filter (POLR2A ChIP-seq)",
    "organism": "the organism (scientific name); human (Homo sapiens) unless the question names another",
    "assembly": "the genome assembly, only when the question names one (GRCh37, GRCh38)",
    "window": "a distance in base pairs, when the question names one (within 10 kb -> 10000)",
}
DEFAULT_ORGANISM = "Homo sapiens"


class Frame(BaseModel):
    """What a question asks (one ask), about which subjects, under which constraints, in which form."""

    ask: Ask = "unknown"
    about: list[str] = Field(default_factory=list,
                             description="subjects: official gene symbols, rsIDs, variants, regions, accessions, "
                                         "sequences, disease or function phrases")
    constraints: dict[str, list[str]] = Field(default_factory=dict)
    form: Form = "factoid"
    understood: list[str] = Field(default_factory=list,
                                  description="what was recognised, for a question whose ask is unknown")

    def constraint(self, key: str) -> str | None:
        """The first value of a constraint, or None."""
        values = self.constraints.get(key) or []
        return values[0] if values else None

    def values(self, key: str) -> list[str]:
        return list(self.constraints.get(key) or [])

    @property
    def organism(self) -> str:
        return self.constraint("organism") or DEFAULT_ORGANISM

    def brief(self) -> str:
        """One line a person can read: 'expression of TP53 (tissue=liver) as a list'."""
        about = ", ".join(self.about) or "—"
        cons = "; ".join(f"{k}={', '.join(v)}" for k, v in self.constraints.items() if v)
        return f"{self.ask} of {about}" + (f" ({cons})" if cons else "") + f" as a {self.form}"


def normalise_frame(data: dict) -> tuple:
    """A comparable form of a frame (gold or predicted): case-insensitive sets, human by default."""
    about = frozenset(str(a).strip().lower() for a in data.get("about") or [])
    cons: dict[str, frozenset] = {}
    for key, value in (data.get("constraints") or {}).items():
        values = value if isinstance(value, list) else [value]
        norm = frozenset(str(v).strip().lower() for v in values if str(v).strip())
        if norm:
            cons[key] = norm
    cons.setdefault("organism", frozenset({DEFAULT_ORGANISM.lower()}))
    return data.get("ask"), data.get("form"), about, tuple(sorted(cons.items()))


def frames_match(gold: dict, predicted: dict | None) -> bool:
    return predicted is not None and normalise_frame(gold) == normalise_frame(predicted)
