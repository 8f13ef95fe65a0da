"""Question -> Cypher without an LLM: schema-grounded templates filled from grounded entities.

Each template is a fixed read-only query over schema_config.yaml's labels whose
values come in as parameters, so an entity name can never change the query's
shape (injection through a biosample or gene name has nowhere to go).  The slots
are filled from genelm's grounder (biosamples, targets, assays, genes, ENCODE
accessions); a question no template fits gets None, and the caller says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from genelm.agent.grounding import ground


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    cypher: str
    slots: tuple[str, ...]

    def describe(self, parameters: dict) -> str:
        return f"{self.description} ({', '.join(f'{k}={v}' for k, v in sorted(parameters.items()))})"


@dataclass
class GraphPlan:
    template: Template
    parameters: dict = field(default_factory=dict)

    @property
    def cypher(self) -> str:
        return self.template.cypher


_EXPERIMENT_FILTER = (
    "MATCH (e:EncodeExperiment)-[:IN_BIOSAMPLE]->(b:Biosample), (e)-[:USES_ASSAY]->(a:Assay) "
    "WHERE toLower(b.name) = toLower($biosample) AND toLower(a.name) CONTAINS toLower($assay) "
)
T = {t.name: t for t in [
    Template("tfs_profiled_in", "transcription factors profiled by an assay in a biosample",
             _EXPERIMENT_FILTER +
             "MATCH (e)-[:TARGETS]->(t:EncodeTarget {category: 'transcription factor'}) "
             "RETURN t.name AS target, collect(DISTINCT e.accession) AS experiments ORDER BY target",
             ("biosample", "assay")),
    Template("histone_marks_in", "histone marks profiled in a biosample",
             "MATCH (e:EncodeExperiment)-[:IN_BIOSAMPLE]->(b:Biosample), "
             "(e)-[:TARGETS]->(t:EncodeTarget {category: 'histone mark'}) WHERE toLower(b.name) = toLower($biosample) "
             "RETURN t.name AS target, collect(DISTINCT e.accession) AS experiments ORDER BY target",
             ("biosample",)),
    Template("count_experiments", "how many experiments of an assay in a biosample",
             _EXPERIMENT_FILTER + "RETURN count(DISTINCT e) AS experiments",
             ("biosample", "assay")),
    Template("assays_in", "assays used on a biosample",
             "MATCH (e:EncodeExperiment)-[:IN_BIOSAMPLE]->(b:Biosample), (e)-[:USES_ASSAY]->(a:Assay) "
             "WHERE toLower(b.name) = toLower($biosample) "
             "RETURN a.name AS assay, count(DISTINCT e) AS experiments ORDER BY assay",
             ("biosample",)),
    Template("biosamples_for_target", "biosamples in which a target was profiled",
             "MATCH (e:EncodeExperiment)-[:TARGETS]->(t:EncodeTarget), (e)-[:IN_BIOSAMPLE]->(b:Biosample) "
             "WHERE toLower(t.name) IN [toLower($target), toLower('eGFP-' + $target), toLower('3xFLAG-' + $target)] "
             "RETURN b.name AS biosample, collect(DISTINCT e.accession) AS experiments ORDER BY biosample",
             ("target",)),
    Template("experiments_for_target_in", "experiments profiling a target in a biosample",
             "MATCH (e:EncodeExperiment)-[:TARGETS]->(t:EncodeTarget), (e)-[:IN_BIOSAMPLE]->(b:Biosample), "
             "(e)-[:USES_ASSAY]->(a:Assay) "
             "WHERE (toLower(t.name) IN [toLower($target), toLower('eGFP-' + $target), toLower('3xFLAG-' + $target)]) "
             "AND toLower(b.name) = toLower($biosample) "
             "RETURN e.accession AS experiment, a.name AS assay ORDER BY experiment",
             ("target", "biosample")),
    Template("experiment_overview", "what an ENCODE experiment profiles",
             "MATCH (e:EncodeExperiment {id: $accession}) "
             "OPTIONAL MATCH (e)-[:TARGETS]->(t:EncodeTarget) OPTIONAL MATCH (e)-[:IN_BIOSAMPLE]->(b:Biosample) "
             "OPTIONAL MATCH (e)-[:USES_ASSAY]->(a:Assay) "
             "RETURN e.accession AS experiment, t.name AS target, b.name AS biosample, a.name AS assay",
             ("accession",)),
    Template("files_of_experiment", "the files of an ENCODE experiment",
             "MATCH (f:EncodeFile)-[:FILE_OF]->(e:EncodeExperiment {id: $accession}) "
             "RETURN f.accession AS file, f.output_type AS output_type, f.file_format AS file_format, "
             "f.assembly AS assembly ORDER BY file",
             ("accession",)),
    Template("enformer_tracks_for_experiment", "Enformer tracks trained on an ENCODE experiment",
             "MATCH (k:EnformerTrack)-[:PREDICTS]->(e:EncodeExperiment {id: $accession}) "
             "RETURN k.index AS track, k.description AS description ORDER BY track",
             ("accession",)),
    Template("enformer_tracks_for", "Enformer tracks for a target (ChIP) or assay in a biosample",
             "MATCH (k:EnformerTrack) WHERE toLower(k.target) = toLower($target) "
             "AND toLower(k.biosample) STARTS WITH toLower($biosample) "
             "OPTIONAL MATCH (k)-[:PREDICTS]->(e:EncodeExperiment) "
             "RETURN k.index AS track, k.description AS description, e.accession AS experiment ORDER BY track",
             ("target", "biosample")),
    Template("enformer_assay_tracks_for", "Enformer DNase/ATAC/CAGE tracks in a biosample",
             "MATCH (k:EnformerTrack) WHERE k.assay = $enformer_assay "
             "AND toLower(k.biosample) STARTS WITH toLower($biosample) "
             "OPTIONAL MATCH (k)-[:PREDICTS]->(e:EncodeExperiment) "
             "RETURN k.index AS track, k.description AS description, e.accession AS experiment ORDER BY track",
             ("enformer_assay", "biosample")),
    Template("ccres_near_gene", "promoter-like cCREs whose nearest gene is a gene",
             "MATCH (c:Ccre)-[n:NEAR_GENE]->(g:Gene {symbol: $symbol}) "
             "OPTIONAL MATCH (c)-[:PROMOTER_LIKE_IN]->(b:Biosample) "
             "RETURN c.accession AS ccre, c.chrom AS chrom, c.start AS start, c.end AS end, n.distance AS distance, "
             "collect(b.name) AS promoter_like_in ORDER BY ccre",
             ("symbol",)),
    Template("ccre_count_in", "how many promoter-like cCREs in a biosample",
             "MATCH (c:Ccre)-[:PROMOTER_LIKE_IN]->(b:Biosample) WHERE toLower(b.name) = toLower($biosample) "
             "RETURN count(c) AS ccres",
             ("biosample",)),
    Template("tf_gene", "the gene encoding a transcription factor",
             "MATCH (f:TranscriptionFactor {symbol: $symbol})-[:ENCODED_BY]->(g:Gene) "
             "RETURN f.symbol AS tf, g.gene_id AS gene_id, g.chromosome AS chromosome, g.map_location AS map_location",
             ("symbol",)),
]}

_ENFORMER_ASSAYS = {"DNase-seq": "DNASE", "ATAC-seq": "ATAC", "CAGE": "CAGE"}


def _has(text: str, *words: str) -> bool:
    return any(re.search(rf"\b{w}", text) for w in words)


def plan_query(question: str, entities=None) -> GraphPlan | None:
    """The template and parameters for a question, or None when no template fits."""
    entities = entities if entities is not None else ground(question)
    text = question.lower()

    def first(kind: str):
        return next((e for e in entities if e.kind == kind), None)

    biosample, assay, target = first("biosample"), first("assay"), first("target")
    gene = next((e for e in entities if e.kind == "gene"), None)
    accession = next((e for e in entities if e.kind == "encode_accession" and e.value.startswith("ENCSR")), None)
    target_name = target.value if target else (gene.value if gene and gene.attrs.get("is_target") else None)

    if accession:
        if _has(text, "enformer", "track"):
            return GraphPlan(T["enformer_tracks_for_experiment"], {"accession": accession.value})
        if _has(text, "file"):
            return GraphPlan(T["files_of_experiment"], {"accession": accession.value})
        return GraphPlan(T["experiment_overview"], {"accession": accession.value})
    if _has(text, "enformer") and biosample:
        if target_name:
            return GraphPlan(T["enformer_tracks_for"], {"target": target_name, "biosample": biosample.value})
        if assay and assay.value in _ENFORMER_ASSAYS:
            return GraphPlan(T["enformer_assay_tracks_for"],
                             {"enformer_assay": _ENFORMER_ASSAYS[assay.value], "biosample": biosample.value})
    if _has(text, "ccre", "candidate cis", "regulatory element"):
        if gene and _has(text, "near", "nearest", "close", "around", "next to"):
            return GraphPlan(T["ccres_near_gene"], {"symbol": gene.value})
        if biosample and _has(text, "how many", "number of", "count"):
            return GraphPlan(T["ccre_count_in"], {"biosample": biosample.value})
    if biosample and _has(text, "transcription factors", "tfs\\b"):
        assay_name = "TF ChIP-seq" if not assay or assay.value in ("ChIP-seq", "TF ChIP-seq") else assay.value
        return GraphPlan(T["tfs_profiled_in"], {"biosample": biosample.value, "assay": assay_name})
    if biosample and _has(text, "histone mark", "histone modification"):
        return GraphPlan(T["histone_marks_in"], {"biosample": biosample.value})
    if biosample and assay and not target_name and _has(text, "how many", "number of", "count"):
        return GraphPlan(T["count_experiments"], {"biosample": biosample.value, "assay": assay.value})
    if biosample and _has(text, "which assays", "what assays", "assays were", "assays have"):
        return GraphPlan(T["assays_in"], {"biosample": biosample.value})
    if target_name and biosample and _has(text, "experiment"):
        return GraphPlan(T["experiments_for_target_in"], {"target": target_name, "biosample": biosample.value})
    if target_name and _has(text, "biosample", "cell line", "cell type", "which cells"):
        return GraphPlan(T["biosamples_for_target"], {"target": target_name})
    if gene and _has(text, "gene encod", "encoded by", "encodes the transcription factor"):
        return GraphPlan(T["tf_gene"], {"symbol": gene.value})
    return None
