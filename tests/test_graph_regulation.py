"""The regulation facts in the knowledge graph (real ArcadeDB, as tests/test_graph.py runs it): Cypher
answers agree with genelm.regulation's, and join with the ENCODE experiments already in the graph."""
from __future__ import annotations

import pytest

from genelm import regulation as reg
from genelm.connectors.encode_index import encode_index
from genelm.graph.connection import GraphConnection
from genelm.regulation import tables


@pytest.fixture(scope="module")
def built(bundled_graph):
    # The session's one build from every bundled adapter (tests/conftest.py): the regulation adapters with the
    # genes, factors, ENCODE experiments and cCREs they join, as `genelm graph build` loads them.
    return bundled_graph


@pytest.fixture()
def conn(built):
    with GraphConnection.open(built[0]) as c:
        yield c


def test_every_regulation_source_loads(built):
    per = built[1].per_source
    sets = tables.chip2015()
    listed = sets.loc[sets["assembly"] == "HG19", "n_genes"].sum()
    # every (2015 set, gene) pair whose symbol is an NCBI gene, and nothing else
    assert 0.99 * listed < per["ENCODE TF ChIP-seq 2015 gene sets"]["edges"] <= listed + 10
    assert per["tissue expression (HPA v18, GTEx)"]["nodes"] == 46  # 35 HPA + 29 GTEx names, 18 shared
    assert per["promoter cCREs"]["edges"] > 15_000 and per["TSS activity (CAGE, RAMPAGE)"]["edges"] > 30_000


def test_factors_bound_near_a_gene_per_cell_line_match_the_library(conn):
    rows = conn.read("MATCH (t:EncodeTarget)-[b:BINDS_NEAR {biosample: 'K562'}]->(g:Gene {symbol: 'SNX10'}) "
                     "RETURN t.name AS tf, b.gene_set AS gene_set ORDER BY tf").rows
    assert [r["tf"] for r in rows] == sorted(reg.factors_binding("SNX10", "K562")["tf"]) == \
        ["CTCF", "MAFK", "MAX", "MYC", "NRF1"]
    hepg2 = conn.read("MATCH (t:EncodeTarget)-[:BINDS_NEAR {biosample: 'HepG2'}]->(g:Gene {symbol: 'DDAH2'}) "
                      "RETURN t.name AS tf ORDER BY tf").rows
    assert [r["tf"] for r in hepg2] == ["HNF4A", "JUN", "MAX"]  # the 2015 code HEPG2 under the portal's name


def test_liver_elevated_tfs_with_chip_seq_in_hepg2_join_expression_with_experiments(conn):
    # Written from the tissue outwards: the same pattern written from (tf:TranscriptionFactor) returns the same
    # rows, but ArcadeDB then expands every factor first (about 20 s instead of 0.2 s).
    rows = conn.read(
        "MATCH (:Tissue {name: 'Liver'})<-[x:EXPRESSED_IN {dataset: 'HPA v18'}]-(g:Gene)"
        "<-[:ENCODED_BY]-(tf:TranscriptionFactor) WHERE x.specificity IS NOT NULL "
        "MATCH (g)<-[:PRODUCT_OF]-(:EncodeTarget)<-[:TARGETS]-(e:EncodeExperiment)"
        "-[:IN_BIOSAMPLE]->(:Biosample {name: 'HepG2'}), (e)-[:USES_ASSAY]->(:Assay {name: 'TF ChIP-seq'}) "
        "RETURN DISTINCT g.symbol AS tf, x.specificity AS grp ORDER BY tf").rows
    # The same question from the library and the bundled tables directly:
    liver = reg.elevated_tfs("liver").set_index("symbol")["Group"]
    frame = encode_index().frame
    chip = frame[(frame["biosample"] == "HepG2") & (frame["assay"] == "TF ChIP-seq")]
    in_hepg2 = {t.removeprefix("eGFP-") for t in chip["target"].dropna()}
    in_hepg2 |= {tf for tf in liver.index if "HepG2" in reg.biosamples_profiled(tf)}
    expected = {tf: liver[tf] for tf in liver.index if tf in in_hepg2}
    assert {r["tf"]: r["grp"] for r in rows} == expected
    assert {"HNF4A", "FOXA3"} <= set(expected)


def test_top_tissues_promoter_ccres_and_tss_activity_match_the_library(conn):
    top = conn.read("MATCH (g:Gene {symbol: 'TMEM38A'})-[x:EXPRESSED_IN {dataset: 'HPA v18'}]->(t:Tissue) "
                    "WHERE x.rank IS NOT NULL RETURN t.name AS tissue, x.tpm AS tpm ORDER BY x.rank").rows
    assert [(r["tissue"], r["tpm"]) for r in top] == [tuple(x) for x in
                                                       reg.top_tissues("TMEM38A")[["tissue", "tpm"]].to_numpy()]
    ccres = conn.read("MATCH (c:Ccre)-[p:PROMOTER_OF]->(g:Gene {symbol: 'SNRPB'}), "
                      "(c)-[:PROMOTER_LIKE_IN]->(:Biosample {name: 'K562'}) RETURN c.id AS id").rows
    assert [r["id"] for r in ccres] == ["EH38E2092827"]
    cage = conn.read("MATCH (g:Gene {symbol: 'TP53'})-[a:TSS_ACTIVE_IN {assay: 'CAGE'}]->(b:Biosample) "
                     "RETURN b.name AS cell, a.max_value AS tpm ORDER BY cell").rows
    assert cage == [{"cell": c, "tpm": float(reg.cage_at("TP53", c)["tpm"].max())} for c in ("GM12878", "K562")]
