"""Grounding: typed entities (genes, variants, regions, biosamples, assays, …) linked against the bundled tables."""
from genelm.agent.grounding.entities import Entity, Region, Variant
from genelm.agent.grounding.extract import ground, parse_region, parse_variant

__all__ = ["Entity", "Region", "Variant", "ground", "parse_region", "parse_variant"]
