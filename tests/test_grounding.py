"""Grounding edge cases."""
from __future__ import annotations

import pytest

from genelm.agent.grounding import ground, parse_region
from genelm.connectors.errors import InputError


def kinds(question):
    return {(e.kind, e.value) for e in ground(question)}


def test_alias_resolves_to_its_only_gene():
    (ent,) = [e for e in ground("What is the official gene symbol of SNAT6?") if e.kind.startswith("gene")]
    assert (ent.kind, ent.value, ent.candidates) == ("gene", "SLC38A6", ["SLC38A6"])


def test_alias_shared_by_several_genes_is_read_by_the_stated_rule_and_reported():
    (ent,) = [e for e in ground("What is the official gene symbol of hCAP?") if e.kind.startswith("gene")]
    assert ent.kind == "gene" and ent.attrs["ambiguous"] and ent.value == ent.candidates[0]
    assert {"DCD", "RNGTT", "SMC3"} <= set(ent.candidates)
    assert ent.attrs["reading"].startswith(f"hCAP is read as {ent.value}") and "also a name of" in ent.attrs["reading"]


def test_lower_case_symbol_is_linked_but_english_words_are_not():
    found = kinds("what does tp53 do and was it studied")
    assert ("gene", "TP53") in found
    assert not any(v in ("WAS", "IT") for _, v in found)


def test_commas_in_coordinates_and_assembly_names():
    region = parse_region("chr17:7,661,779-7,687,538 on hg19")
    assert (region.chromosome, region.start, region.end, region.assembly, region.assembly_stated) == ("chr17", 7661779, 7687538, "GRCh37", True)
    default = parse_region("chrX:100-200")
    assert default.assembly == "GRCh38" and default.assembly_stated is False
    assert parse_region("17:1..5 GRCh38").assembly == "GRCh38"


@pytest.mark.parametrize("text", ["chr1:500-100", "chr1:0-10", "no region here", "0:,-0"])
def test_malformed_regions_are_clear_errors(text):
    with pytest.raises(InputError):
        parse_region(text)


def test_hg19_and_hg38_are_distinguished():
    assert ("assembly", "GRCh37") in kinds("Which ENCODE experiments target ARID3A in HepG2 on hg19?")
    assert ("assembly", "GRCh38") in kinds("peaks on hg38 please")


def test_rna_letters_become_dna_and_are_flagged():
    (seq,) = [e for e in ground("Align ACGUACGUUUAGGCAUCGAUU to the genome") if e.kind == "sequence"]
    assert seq.value == "ACGTACGTTTAGGCATCGATT" and seq.attrs["rna"] is True


def test_ids_accessions_biosamples_and_targets():
    found = kinds("Convert ENSG00000205403; see ENCSR000EDP, GSE93374, rs4988235 and H3K27ac ChIP-seq in K-562")
    assert {("ensembl", "ENSG00000205403"), ("encode_accession", "ENCSR000EDP"), ("geo_accession", "GSE93374"),
            ("rsid", "rs4988235"), ("target", "H3K27ac"), ("biosample", "K562"), ("assay", "ChIP-seq")} <= found


def test_unknown_symbol_shaped_words_are_kept_for_an_ncbi_search():
    assert ("unknown_gene", "LOC124907753") in kinds("Is LOC124907753 a protein-coding gene?")


def test_disease_phrase():
    assert ("disease", "Distal renal tubular acidosis") in kinds("What are genes related to Distal renal tubular acidosis?")


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_empty_question_is_a_clear_error(bad):
    with pytest.raises(InputError, match="empty"):
        ground(bad)


def test_comma_only_coordinates_are_not_a_region():
    # Found by the fuzz test: "0:,-0" used to crash int("").
    assert not [e for e in ground("look at 0:,-0 please") if e.kind == "region"]
