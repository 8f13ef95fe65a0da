"""Variant and region dossiers end to end, offline: sources joined, assemblies kept apart, conflicts stated."""
from __future__ import annotations

import json
import re

import pytest

import genelm
from genelm.agent.grounding import ground, parse_variant
from genelm.connectors.errors import InputError
from genelm.data.intervals import ccre_index, gene_index
from tests.conftest import RECORDINGS, shared_or_skip

COORD_RE = re.compile(r"\bchr[0-9XYM]+:\d")
ASSEMBLY_WORDS = ("GRCh37", "GRCh38", "hg19", "hg38")


def _real_dbsnp_xml() -> str:
    """A real efetch db=snp DocumentSummary (rs1481036795) from the recorded NCBI responses."""
    path = shared_or_skip(RECORDINGS / "ncbi" / "genegpt_2023_dev.jsonl")
    for line in path.read_text().splitlines():
        obj = json.loads(line)
        if "efetch.fcgi?db=snp" in obj["url"] and "1481036795" in obj["url"]:
            return obj["response"]
    pytest.skip("the rs1481036795 dbSNP recording is not in ../shared")


def _assert_coordinates_labelled(answer):
    for sentence in answer.sentences:
        if COORD_RE.search(sentence.text):
            assert any(w in sentence.text for w in ASSEMBLY_WORDS), f"unlabelled coordinate: {sentence.text}"


def test_rs229784_on_grch37_answers_rank_and_encode_accessions_from_the_real_recording():
    shared_or_skip(RECORDINGS / "regulomedb")
    answer = genelm.ask("What regulatory evidence is there at rs229784 on GRCh37?", offline=True)
    assert answer.short_answer == "RegulomeDB rank 7 (GRCh37)" and answer.intent == "variant_dossier"
    assert answer.citations_ok
    rank = next(s for s in answer.sentences if "rank 7" in s.text)
    assert "0.18412" in rank.text and "chr14:83844095 (GRCh37)" in rank.text
    assert rank.citations == ["regulomedb:rs229784:GRCh37"]
    datasets = next(s for s in answer.sentences if "ENCODE datasets" in s.text)
    assert "ENCSR426USY" in datasets.text and datasets.citations == ["regulomedb:rs229784:GRCh37"]
    states = next(s for s in answer.sentences if "chromatin-state" in s.text)
    assert "125 call it 15_Quies" in states.text and "2 call it 9_Het" in states.text
    # dbSNP is not in the snapshot: a stated gap, and the GRCh38-only tables are not touched.
    assert any("ncbi" in g and "rs229784" in g for g in answer.gaps)
    assert {e.source for e in answer.evidence} == {"regulomedb"}
    assert any("not consulted" in s.text and not s.factual for s in answer.sentences)
    _assert_coordinates_labelled(answer)


def test_hg19_position_never_reaches_grch38_tables_and_every_coordinate_is_labelled():
    answer = genelm.ask("What regulatory evidence is there at chr14:83844095 on hg19?", offline=True)
    assert [c["tool"] for c in answer.trace["calls"]] == ["regulomedb_search"]
    assert all(e.records[0].get("assembly") == "GRCh37" for e in answer.evidence)
    _assert_coordinates_labelled(answer)
    region = genelm.ask("Which genes are in chr17:43000000-43100000 on hg19?", offline=True)
    calls = region.trace["calls"]
    assert [(c["tool"], "GRCh37" in c["call"]) for c in calls] == [("ucsc_track", True)]
    assert not any(e.source in ("ccre", "gene-table") for e in region.evidence)
    assert any("ucsc" in g for g in region.gaps)  # UCSC is not reachable offline: said, not hidden


def test_a_real_dbsnp_record_joins_the_bundled_grch38_tables_and_agreement_is_stated(tmp_path):
    answer = genelm.ask("What regulatory evidence is there at rs1481036795?", offline=True)
    assert answer.citations_ok
    texts = [s.text for s in answer.sentences]
    assert "No assembly was named, so GRCh38 was assumed." in texts
    assert any("dbSNP places rs1481036795 at chr4:76988079 (GRCh38)" in t for t in texts)
    inside = next(s for s in answer.sentences if "in the Ensembl 110 gene table" in s.text)
    assert "SEPTIN11" in inside.text and "ncbi:snp:rs1481036795" in inside.citations  # the position's source is cited
    agree = next(s for s in answer.sentences if "agree that it lies in SEPTIN11" in s.text)
    assert set(agree.citations) == {"ncbi:snp:rs1481036795", "genes-near:chr4:76988079-76988079:50000"}
    assert any(g.startswith("regulomedb did not answer") for g in answer.gaps)
    _assert_coordinates_labelled(answer)


def _dbsnp_recording(tmp_path, grch38: str, grch37: str, gene: str) -> str:
    """A dbSNP record for rs229784 made from the real rs1481036795 DocumentSummary with its
    identifiers and positions replaced: a test input for the conflict logic, not a recording of rs229784."""
    xml = _real_dbsnp_xml()
    xml = xml.replace("1481036795", "229784").replace("<CHR>4</CHR>", f"<CHR>{grch38.split(':')[0]}</CHR>")
    xml = re.sub(r"<CHRPOS>[^<]*</CHRPOS>", f"<CHRPOS>{grch38}</CHRPOS>", xml)
    xml = re.sub(r"<CHRPOS_PREV_ASSM>[^<]*</CHRPOS_PREV_ASSM>", f"<CHRPOS_PREV_ASSM>{grch37}</CHRPOS_PREV_ASSM>", xml)
    xml = xml.replace("<NAME>SEPTIN11</NAME>", f"<NAME>{gene}</NAME>")
    path = tmp_path / "dbsnp.jsonl"
    url = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi?db=snp&id=229784&retmax=5&retmode=json"
    path.write_text(json.dumps({"url": url, "response": xml}) + "\n")
    return str(path)


def test_conflicts_between_sources_are_stated_with_both_citations(tmp_path):
    shared_or_skip(RECORDINGS / "regulomedb")
    # GRCh38 position inside K562 promoter-like cCRE EH38E1700878 (chr14:20305809-20306152);
    # a GRCh37 position 95 bp from RegulomeDB's; a gene that does not span the GRCh38 position.
    recordings = _dbsnp_recording(tmp_path, "14:20306000", "14:83844000", "SEPTIN11")
    answer = genelm.ask("What regulatory evidence is there at rs229784 on GRCh37?", offline=True,
                        recordings=[recordings])
    assert answer.citations_ok and not answer.gaps
    texts = [s.text for s in answer.sentences if s.text.startswith("Conflict")]
    assert any("dbSNP puts rs229784 at chr14:83844000 but RegulomeDB at chr14:83844095" in t for t in texts)
    assert any("dbSNP assigns it to SEPTIN11" in t for t in texts)
    assert any("rank 7" in t and "EH38E1700878" in t for t in texts)
    for sentence in answer.sentences:
        if sentence.text.startswith("Conflict"):
            assert len(sentence.citations) >= 2, sentence.text  # both sides of a conflict are cited
    _assert_coordinates_labelled(answer)


def test_agreement_on_the_grch37_position_is_stated(tmp_path):
    shared_or_skip(RECORDINGS / "regulomedb")
    recordings = _dbsnp_recording(tmp_path, "14:20306000", "14:83844095", "SEPTIN11")
    answer = genelm.ask("What regulatory evidence is there at rs229784 on GRCh37?", offline=True,
                        recordings=[recordings])
    agree = next(s for s in answer.sentences if "agree on the GRCh37 position" in s.text)
    assert set(agree.citations) == {"ncbi:snp:rs229784", "regulomedb:rs229784:GRCh37"}


def test_region_dossier_lists_genes_and_ccres_on_grch38_with_citations():
    answer = genelm.ask("What genes and cCREs are in chr17:43,000,000-43,200,000?", offline=True)
    assert answer.intent == "region_dossier" and answer.citations_ok
    genes = next(s for s in answer.sentences if "Ensembl 110 genes overlap" in s.text)
    assert "BRCA1 (ENSG00000012048)" in genes.text and "NBR2" in genes.text
    k562 = next(s for s in answer.sentences if "cCREs of K562" in s.text)
    assert "EH38E1864119" in k562.text and k562.citations == ["ccre:K562:chr17:43000000-43200000:0"]
    _assert_coordinates_labelled(answer)


def test_gene_region_with_a_biosample_adds_encode_experiments_and_names_the_missing_track():
    answer = genelm.ask("Show conservation around BRCA1 in K562", offline=True)
    assert answer.intent == "region_dossier"
    assert any("BRCA1 spans chr17:43044295-43170245 (GRCh38)" in s.text for s in answer.sentences)
    assert any(s.citations and s.citations[0].startswith("encode-index:") for s in answer.sentences)
    assert any("phyloP100way" in g for g in answer.gaps)


def test_variant_grounding_and_malformed_variants():
    (variant,) = [e for e in ground("Is chr17:43,045,712 g>a damaging?") if e.kind == "variant"]
    assert variant.attrs == {"chromosome": "chr17", "position": 43045712, "ref": "G", "alt": "A",
                             "assembly": "GRCh38", "assembly_stated": False}
    with pytest.raises(InputError, match="REF and ALT are both G"):
        parse_variant("chr1:100 G>G")
    with pytest.raises(InputError, match="positions start at 1"):
        ground("What regulatory evidence is there at chr1:0 A>T?")
    with pytest.raises(InputError, match="start must be"):
        genelm.ask("Which genes are in chr17:43100000-43000000?", offline=True)


def test_variant_with_ref_asks_ucsc_for_the_reference_base():
    answer = genelm.ask("Is chr17:43045712 G>A on hg38 in a promoter?", offline=True)
    tools = {c["tool"] for c in answer.trace["calls"]}
    assert {"regulomedb_search", "ucsc_sequence", "ccre_overlap", "nearby_genes"} <= tools
    assert any("REF G could not be checked" in s.text for s in answer.sentences)


def test_interval_indexes_are_grch38_only_and_find_overlaps():
    genes = gene_index()
    assert [iv.name for iv in genes.overlapping("chr17", 43044295, 43044295, "GRCh38")] == ["BRCA1"]
    brca1 = next(iv for iv in genes.overlapping("chr17", 43100000, 43100000, "GRCh38") if iv.name == "BRCA1")
    assert (brca1.start, brca1.end) == (43044295, 43170245)  # Ensembl 110 BRCA1, 1-based inclusive
    with pytest.raises(InputError, match="GRCh37 position must be converted"):
        genes.overlapping("chr17", 1, 2, "GRCh37")
    k562 = ccre_index("K562")
    assert len(k562) == 17868
    (hit,) = k562.overlapping("chr14", 20305809, 20305809, "GRCh38")  # BED start 20305808 -> 1-based 20305809
    assert hit.name == "EH38E1700878" and hit.attrs[0] == "PLS,CTCF-bound"
    assert k562.overlapping("chr14", 20305808, 20305808, "GRCh38") == []
    # 20305808 falls in the 2 bp gap between EH38E1700877 (ends 20305806) and EH38E1700878 (starts 20305809).
    near = k562.near("chr14", 20305808, 20305808, "GRCh38", 200)
    assert [(iv.name, d) for iv, d in near] == [("EH38E1700878", 1), ("EH38E1700877", 2)]
