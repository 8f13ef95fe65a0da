"""The graph schema (read from BioCypher's schema_config.yaml) and BioCypher translation.

BioCypher does what it is for: it checks adapter output against the schema, keeps
only the declared properties, maps input labels to schema classes and relationship
types, and deduplicates by id.  It cannot write over Bolt to ArcadeDB (its online
driver needs Neo4j-only procedures), so translation goes through its in-memory pandas
KG and genelm's loader writes the tables with plain ``UNWIND … CREATE``.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

SCHEMA_CONFIG = Path(__file__).with_name("schema_config.yaml")
BIOCYPHER_CONFIG = Path(__file__).with_name("biocypher_config.yaml")


def pascal(name: str) -> str:
    """'encode experiment' -> 'EncodeExperiment' (BioCypher's label convention)."""
    return "".join(word[:1].upper() + word[1:] for word in name.split())


_CASTS = {"int": int, "float": float, "str": str}


@dataclass(frozen=True)
class NodeType:
    schema_class: str
    label: str
    types: dict[str, str]  # property -> 'str' | 'int' | 'float', as declared in the schema

    @property
    def properties(self) -> tuple[str, ...]:
        return tuple(self.types)


@dataclass(frozen=True)
class EdgeType:
    schema_class: str
    rel_type: str
    source: str  # node label
    target: str
    types: dict[str, str]

    @property
    def properties(self) -> tuple[str, ...]:
        return tuple(self.types)


@dataclass(frozen=True)
class GraphSchema:
    nodes: dict[str, NodeType]  # by label
    edges: dict[str, EdgeType]  # by relationship type

    def describe(self) -> str:
        """The schema as a person (or an LLM writing Cypher) reads it."""
        lines = ["Node labels (every node has an `id` property):"]
        lines += [f"  (:{n.label} {{id, {', '.join(n.properties)}}})" for n in self.nodes.values()]
        lines.append("Relationships:")
        lines += [f"  (:{e.source})-[:{e.rel_type}{' {' + ', '.join(e.properties) + '}' if e.properties else ''}]->"
                  f"(:{e.target})" for e in self.edges.values()]
        return "\n".join(lines)


@lru_cache(maxsize=1)
def load_schema(path: Path = SCHEMA_CONFIG) -> GraphSchema:
    raw = yaml.safe_load(path.read_text())
    nodes = {
        pascal(name): NodeType(name, pascal(name), dict(spec.get("properties") or {}))
        for name, spec in raw.items() if spec.get("represented_as") == "node"
    }
    by_class = {n.schema_class: n.label for n in nodes.values()}
    edges = {
        spec["label_as_edge"]: EdgeType(name, spec["label_as_edge"], by_class[spec["source"]],
                                        by_class[spec["target"]], dict(spec.get("properties") or {}))
        for name, spec in raw.items() if spec.get("represented_as") == "edge"
    }
    return GraphSchema(nodes, edges)


@dataclass
class Translated:
    nodes: dict[str, list[dict]]  # label -> rows, each with "id" and the schema's properties
    edges: dict[str, list[dict]]  # rel type -> rows {"s", "t", "p": {properties}}
    unknown_labels: dict[str, int]  # input labels the schema does not know, with counts


def _biocypher(schema_path: Path):
    # BioCypher configures its logger at import, with a log file in the current
    # directory; a handler set beforehand makes it skip that (and its stdout chatter).
    logging.getLogger("biocypher").addHandler(logging.NullHandler())
    logging.getLogger("biocypher").propagate = False
    from biocypher import BioCypher

    return BioCypher(biocypher_config_path=str(BIOCYPHER_CONFIG), schema_config_path=str(schema_path))


def _clean(value, declared: str):
    """Cast to the schema's declared type (the Bolt packer needs plain Python values)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar -> Python
        value = value.item()
    cast = _CASTS.get(declared, str)
    return value if type(value) is cast else cast(value)


class SchemaTranslator:
    """BioCypher's translator, built once (ontology and schema) and fed chunk after chunk.

    BioCypher maps input labels to schema classes, keeps only declared properties (adding
    the missing ones as None) and deduplicates by id; genelm then writes the
    ``BioCypherNode``/``BioCypherEdge`` stream over Bolt itself, the role BioCypher's own
    online driver plays for Neo4j.  Streaming the translator's output, rather than
    round-tripping it through BioCypher's pandas in-memory KG, is what keeps a
    registry-size build translation-cheap: the DataFrame round trip cost more than the
    translation itself.
    """

    def __init__(self, schema_path: Path = SCHEMA_CONFIG):
        self.schema = load_schema(schema_path)
        self._bc = _biocypher(schema_path)
        self._translator = self._bc._get_translator()
        self._node_labels = {n.schema_class: n.label for n in self.schema.nodes.values()}

    def __call__(self, nodes, edges) -> Translated:
        from biocypher._deduplicate import Deduplicator

        seen = Deduplicator()  # per call, as BioCypher's in-memory KG does per batch
        out = Translated({}, {}, {})
        for node in self._translator.translate_nodes(nodes):
            if seen.node_seen(node):
                continue
            label = self._node_labels[node.get_label()]
            props = node.get_properties()
            out.nodes.setdefault(label, []).append(
                {"id": node.get_id(), **{k: _clean(props.get(k), t) for k, t in self.schema.nodes[label].types.items()}})
        edges = list(edges)
        for edge in self._translator.translate_edges(edges) if edges else ():
            if seen.edge_seen(edge):
                continue
            rel_type = edge.get_label()
            props = edge.get_properties()
            out.edges.setdefault(rel_type, []).append(
                {"s": edge.get_source_id(), "t": edge.get_target_id(),
                 "p": {k: _clean(props.get(k), t) for k, t in self.schema.edges[rel_type].types.items()}})
        out.unknown_labels = dict(self._translator.get_missing_biolink_types() or {})
        return out


def translate(nodes, edges, schema_path: Path = SCHEMA_CONFIG) -> Translated:
    """Run adapter tuples through BioCypher; return per-label rows ready for the loader."""
    return SchemaTranslator(schema_path)(nodes, edges)
