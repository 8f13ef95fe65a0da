"""What genelm can answer, one module per capability: its typed calls, its question handling and its sentences.

INTENTS is the one ordered list the router consults (most specific first: a sequence
question is about the sequence even if it names a gene; a variant dossier outranks the plain
SNP look-ups; a question naming only a gene ends at the gene overview).  CALLS is every
typed call a planner (grounded or LLM) may make; the registry builds its union from it.
"""
from __future__ import annotations

from genelm.agent.capabilities.diseases import DiseaseGenes, OmimSearch
from genelm.agent.capabilities.encode import EncodeExperiment, EncodeExperimentDetails, EncodeSearch, EncodeSearchIntent
from genelm.agent.capabilities.genes import (
    EnsemblToSymbol,
    GeneAlias,
    GeneFunction,
    GeneFunctionIntent,
    GeneLocation,
    GeneLookup,
    GeneOverview,
    GeneTableLookup,
    ProteinCoding,
)
from genelm.agent.capabilities.geo import GeoIntent, GeoSearch
from genelm.agent.capabilities.knowledge import FunctionSearch, FunctionSearchIntent, SimilarGenes, SimilarGenesIntent
from genelm.agent.capabilities.knowledge_graph import CypherQuery, GraphIntent, GraphQuery
from genelm.agent.capabilities.regions import CcreOverlap, NearbyGenes, RegionDossier, UcscSearch, UcscTrack
from genelm.agent.capabilities.regulation.bundled import RegionPromoters
from genelm.agent.capabilities.regulation.calls import CALLS as REGULATION_CALLS
from genelm.agent.capabilities.regulation.intents import (
    BoundFactors,
    Expression,
    FactorBindingBiosamples,
    FactorBiosamples,
    FactorTargets,
    PromoterActivity,
    RegulationNarrative,
    TissueTfs,
)
from genelm.agent.capabilities.sequence_models.calls import (
    EnformerOverlay,
    EnformerPredict,
    EnformerTracks,
    EnformerVariant,
    GenomicLmScore,
    SpliceScore,
)
from genelm.agent.capabilities.sequence_models.intents import (
    EnformerIntent,
    EnformerOverlayIntent,
    EnformerTracksIntent,
    EnformerVariantIntent,
    GlmIntent,
    SpliceIntent,
)
from genelm.agent.capabilities.sequences import (
    Blast,
    Blat,
    RegionSequence,
    RegionSequenceIntent,
    SequenceGeneAliases,
    SequenceLocus,
    SequenceSpecies,
    UcscSequence,
)
from genelm.agent.capabilities.scope import GUARDS
from genelm.agent.capabilities.snps import SnpGene, SnpGeneFunction, SnpLocation, SnpLookup
from genelm.agent.capabilities.translation import TranslateSequence, TranslationIntent
from genelm.agent.capabilities.variants import RegulomeSearch, VariantDossier
from genelm.agent.core.question import Intent
from genelm.agent.grounding.entities import GENE_KINDS

GENE = GENE_KINDS
ANY = ()  # the intent checks what it needs itself (its ``matches``)

# The one table of capabilities: for each ask of a frame, the intents that answer it, each with the
# entity kinds it needs (any one of them); the first that fits answers.
ASK_TABLE: dict[str, list[tuple[Intent, tuple[str, ...]]]] = {
    "official_symbol": [(EnsemblToSymbol(), ("ensembl",)), (GeneAlias(), GENE)],
    "aliases": [(SequenceGeneAliases(), ("sequence",)), (GeneAlias(), GENE)],
    "gene_location": [(DiseaseGenes(), ("disease",)), (GeneLocation(), GENE)],
    "gene_function": [(SnpGeneFunction(), ("rsid",)), (GeneFunctionIntent(), GENE)],
    "gene_type": [(ProteinCoding(), GENE)],
    "gene_overview": [(GeneOverview(), GENE)],
    "disease_genes": [(DiseaseGenes(), ("disease",))],
    "snp_location": [(SnpLocation(), ("rsid",))],
    "snp_genes": [(SnpGene(), ("rsid",))],
    "regulatory_evidence": [(VariantDossier(), ("variant", "rsid", "region")), (RegionDossier(), ("region",))],
    "splice_effect": [(SpliceIntent(), ANY)],
    "variant_effect": [(EnformerVariantIntent(), ANY)],
    "glm_score": [(GlmIntent(), ANY)],
    "sequence_organism": [(SequenceSpecies(), ("sequence",))],
    "sequence_gene": [(SequenceGeneAliases(), ("sequence",))],
    "sequence_alignment": [(SequenceLocus(), ("sequence",))],
    "region_sequence": [(RegionSequenceIntent(), ("region",))],
    "translation": [(TranslationIntent(), ("sequence",))],
    "region_contents": [(RegionPromoters(), ANY), (RegionDossier(), ("region", "gene")),
                        (VariantDossier(), ("variant", "rsid"))],
    "conservation": [(RegionDossier(), ("region", "gene"))],
    "ccres": [(VariantDossier(), ("variant", "rsid")), (PromoterActivity(), ("gene",)), (GraphIntent(), ANY),
              (RegionDossier(), ("region", "gene"))],
    "experiments": [(GraphIntent(), ANY), (EncodeSearchIntent(), ("biosample", "target", "assay", "gene", "tissue"))],
    "experiment_details": [(GraphIntent(), ANY), (EncodeExperimentDetails(), ("encode_accession",))],
    "profiled_biosamples": [(FactorBiosamples(), ANY), (GraphIntent(), ANY),
                            (EncodeSearchIntent(), ("target", "assay", "gene"))],
    "profiled_targets": [(GraphIntent(), ANY), (EncodeSearchIntent(), ("biosample", "tissue"))],
    "profiled_assays": [(GraphIntent(), ANY), (EncodeSearchIntent(), ("biosample", "tissue"))],
    "geo_datasets": [(GeoIntent(), ANY)],
    "regulation": [(RegulationNarrative(), GENE)],
    "bound_factors": [(BoundFactors(), GENE), (VariantDossier(), ("variant", "rsid", "region"))],
    "promoter_activity": [(RegionPromoters(), ANY), (PromoterActivity(), GENE)],
    "expression": [(Expression(), GENE)],
    "tissue_tfs": [(TissueTfs(), ("tissue",))],
    "factor_binding_biosamples": [(FactorBindingBiosamples(), ANY)],
    "factor_targets": [(FactorTargets(), GENE)],
    "enformer_tracks": [(EnformerTracksIntent(), ANY), (GraphIntent(), ANY)],
    "predicted_signal": [(EnformerIntent(), ANY)],
    "predicted_vs_measured": [(EnformerOverlayIntent(), ANY)],
    "genes_by_function": [(FunctionSearchIntent(), ANY)],
    "similar_genes": [(SimilarGenesIntent(), GENE)],
}
INTENTS: list[Intent] = [*GUARDS, *{id(i): i for rows in ASK_TABLE.values() for i, _ in rows}.values()]

# Every typed call, in the order tools are listed to an LLM and over MCP.
CALLS = (GeneLookup, GeneTableLookup, GeneFunction, SnpLookup, OmimSearch, Blast, EncodeSearch, EncodeExperiment,
         GeoSearch, RegulomeSearch, UcscTrack, UcscSequence, UcscSearch, Blat, CcreOverlap, NearbyGenes,
         GraphQuery, CypherQuery, FunctionSearch, SimilarGenes, SpliceScore, EnformerTracks, EnformerPredict,
         EnformerVariant, EnformerOverlay, GenomicLmScore, RegionSequence, TranslateSequence,
         *REGULATION_CALLS)
