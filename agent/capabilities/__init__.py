"""What genelm can answer, one module per capability: its typed calls, its question handling and its sentences.

INTENTS is the one ordered list the router consults (most specific first: a sequence
question is about the sequence even if it names a gene; a variant dossier outranks the plain
SNP look-ups; a question naming only a gene ends at the gene overview).  CALLS is every
typed call a planner (grounded or LLM) may make; the registry builds its union from it.
"""
from __future__ import annotations

from genelm.agent.capabilities.diseases import DiseaseGenes, OmimSearch
from genelm.agent.capabilities.encode import (
                                              EncodeExperiment,
                                              EncodeExperimentDetails,
                                              EncodeSearch,
                                              EncodeSearchIntent,
)
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
from genelm.agent.capabilities.knowledge import (
                                              FunctionSearch,
                                              FunctionSearchIntent,
                                              SimilarGenes,
                                              SimilarGenesIntent,
)
from genelm.agent.capabilities.knowledge_graph import (
                                              CypherQuery,
                                              GraphIntent,
                                              GraphQuery,
)
from genelm.agent.capabilities.regions import (
                                              CcreOverlap,
                                              NearbyGenes,
                                              RegionDossier,
                                              UcscSearch,
                                              UcscTrack,
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
                                              EnformerVariantIntent,
                                              GlmIntent,
                                              SpliceIntent,
)
from genelm.agent.capabilities.sequences import (
                                              Blast,
                                              Blat,
                                              SequenceGeneAliases,
                                              SequenceLocus,
                                              SequenceSpecies,
                                              UcscSequence,
)
from genelm.agent.capabilities.snps import (
                                              SnpGene,
                                              SnpGeneFunction,
                                              SnpLocation,
                                              SnpLookup,
)
from genelm.agent.capabilities.variants import RegulomeSearch, VariantDossier
from genelm.agent.core.question import Intent

INTENTS: list[Intent] = [
    SequenceSpecies(), SequenceGeneAliases(), SequenceLocus(),
    SpliceIntent(), GlmIntent(), EnformerVariantIntent(), EnformerOverlayIntent(), EnformerIntent(),
    VariantDossier(),
    SnpGeneFunction(), SnpLocation(), SnpGene(),
    GraphIntent(),
    FunctionSearchIntent(), SimilarGenesIntent(),
    EncodeExperimentDetails(), GeoIntent(), EnsemblToSymbol(),
    DiseaseGenes(), ProteinCoding(), GeneAlias(), EncodeSearchIntent(),
    RegionDossier(),
    GeneLocation(), GeneFunctionIntent(), GeneOverview(),
]

# Every typed call, in the order tools are listed to an LLM and over MCP.
CALLS = (GeneLookup, GeneTableLookup, GeneFunction, SnpLookup, OmimSearch, Blast, EncodeSearch, EncodeExperiment,
         GeoSearch, RegulomeSearch, UcscTrack, UcscSequence, UcscSearch, Blat, CcreOverlap, NearbyGenes,
         GraphQuery, CypherQuery, FunctionSearch, SimilarGenes, SpliceScore, EnformerTracks, EnformerPredict,
         EnformerVariant, EnformerOverlay, GenomicLmScore)
