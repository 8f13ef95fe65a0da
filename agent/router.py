"""Which intent answers a question: the first in INTENTS that matches.

Ordered from the most to the least specific: a sequence question is about the
sequence even if it names a gene; a dossier question ("regulatory evidence at
rs…") outranks the plain SNP look-ups; a question naming only a gene ends at
the gene overview.
"""
from __future__ import annotations

from genelm.agent.dossiers import RegionDossier, VariantDossier
from genelm.agent.graph_intent import GraphIntent
from genelm.agent.knowledge_intents import FunctionSearchIntent, SimilarGenesIntent
from genelm.agent.model_intents import (EnformerIntent, EnformerOverlayIntent, EnformerVariantIntent, GlmIntent,
                                        SpliceIntent)
from genelm.agent.intents import (
    DiseaseGenes, EncodeExperimentDetails, EncodeSearchIntent, EnsemblToSymbol, GeneAlias, GeneFunctionIntent,
    GeneLocation, GeneOverview, GeoIntent, Intent, ProteinCoding, Question, SequenceGeneAliases, SequenceLocus,
    SequenceSpecies, SnpGene, SnpGeneFunction, SnpLocation,
)

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


def choose_intent(q: Question) -> Intent | None:
    return next((i for i in INTENTS if i.matches(q)), None)


def intent_by_name(name: str) -> Intent | None:
    return next((i for i in INTENTS if i.name == name), None)
