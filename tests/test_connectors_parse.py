"""Connector parsers on the real recorded responses in ../shared/recordings (concrete values)."""
from __future__ import annotations

import json

import pytest

from genelm.connectors import ncbi_parse
from genelm.connectors.blast_report import matches_query, parse_report
from genelm.connectors.blast_titles import describe_subject
from genelm.connectors.encode import parse_experiment
from tests.conftest import RECORDINGS, shared_or_skip


def _ncbi_lines():
    path = shared_or_skip(RECORDINGS / "ncbi" / "genegpt_2023_dev.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()]


def _ncbi(url_part: str) -> dict:
    return next(line for line in _ncbi_lines() if url_part in line["url"])


def _load(rel: str):
    return json.loads(shared_or_skip(RECORDINGS / rel).read_text())


def test_encode_search_recording_parses_to_encsr000edp():
    doc = _load("encode/search_Experiment_HepG2_ARID3A_hg19.json")
    experiments = [parse_experiment(item) for item in doc["@graph"]]
    assert doc["total"] == 1 and len(experiments) == 1
    exp = experiments[0]
    assert (exp["accession"], exp["target"], exp["biosample"], exp["assay"]) == ("ENCSR000EDP", "ARID3A", "HepG2", "TF ChIP-seq")


def test_encode_full_experiment_lists_files_with_assemblies_and_urls():
    exp = parse_experiment(_load("encode/experiment_ENCSR552YGL_full.json"))
    assert exp["accession"] == "ENCSR552YGL"
    assert exp["target"] == "eGFP-NFE2" and exp["biosample"] == "K562"
    assert len(exp["files"]) == 44
    assert set(exp["assemblies"]) == {"GRCh38", "hg19"}
    bam = next(f for f in exp["files"] if f["accession"] == "ENCFF516HQW")
    assert bam["file_format"] == "bam" and bam["assembly"] == "hg19"
    assert bam["url"] == "https://www.encodeproject.org/files/ENCFF516HQW/@@download/ENCFF516HQW.bam"


@pytest.mark.parametrize("rel, accession, files, biosample, target", [
    ("encode/experiment_ENCSR000EDP_a.json", "ENCSR000EDP", 49, "HepG2", "ARID3A"),
    ("encode/ffq/experiment_ENCSR998WNE.json", "ENCSR998WNE", 50, "macrophage", None),
])
def test_encode_experiment_recordings(rel, accession, files, biosample, target):
    exp = parse_experiment(_load(rel))
    assert (exp["accession"], len(exp["files"]), exp["biosample"], exp["target"]) == (accession, files, biosample, target)


def test_gene_text_summary_parses_symbol_aliases_location():
    text = _ncbi("efetch.fcgi?db=gene&retmax=5&retmode=json&id=55714")["response"]
    (gene,) = ncbi_parse.parse_gene_text(text)
    assert gene["symbol"] == "TENM3" and gene["official"] is True
    assert gene["species"] == "Homo sapiens" and gene["gene_id"] == "55714"
    assert gene["chromosome"] == "4" and gene["map_location"] == "4q34.3-q35.1"
    assert "ODZ3" in gene["aliases"] and gene["mim"] == "610083"
    assert (gene["sequence_accession"], gene["start"], gene["end"]) == ("NC_000004.12", 181447613, 182803024)


def test_gene_text_marks_discontinued_and_other_species():
    text = _ncbi("id=15560277,16503939")["response"]
    genes = ncbi_parse.parse_gene_text(text)
    assert genes[0]["symbol"] == "pcpB" and genes[0]["status"] == "discontinued"
    assert genes[0]["species"] == "Pseudomonas protegens CHA0"


def test_snp_docsum_xml_gives_chromosome_position_and_gene():
    (snp,) = ncbi_parse.parse_snp_xml(_ncbi("efetch.fcgi?db=snp&retmax=5&retmode=json&id=1481036795")["response"])
    assert snp["rsid"] == "rs1481036795" and snp["chromosome"] == "4" and snp["position"] == 76988079
    assert snp["genes"] == [{"symbol": "SEPTIN11", "gene_id": "55752"}]
    assert snp["position_grch37"] == "4:77909232" and snp["function_class"] == "intron_variant"


def test_snp_esummary_json_agrees_with_the_xml():
    (snp,) = ncbi_parse.parse_snp_esummary(json.loads(_ncbi("esummary.fcgi?db=snp&retmax=10&retmode=json&id=1481036795")["response"]))
    assert (snp["chromosome"], snp["position"], snp["genes"][0]["symbol"]) == ("4", 76988079, "SEPTIN11")


def test_omim_esummary_titles_prefixes_and_loci():
    doc = json.loads(_ncbi("esummary.fcgi?db=omim&retmax=20&retmode=json&id=611555")["response"])
    entries = {e["mim"]: e for e in ncbi_parse.parse_omim_esummary(doc)}
    assert len(entries) == 20
    assert entries["179800"]["prefix"] == "#" and entries["179800"]["locus"] == "17q21.31"
    assert entries["179800"]["title"].startswith("RENAL TUBULAR ACIDOSIS, DISTAL, 1")
    assert entries["602722"]["locus"] == "7q34"


def test_esearch_counts_and_ids():
    ids, count = ncbi_parse.parse_esearch(json.loads(_ncbi("esearch.fcgi?db=omim&retmax=20&retmode=json&sort=relevance&term=Distal+renal")["response"]))
    assert count == 39 and ids[:3] == ["611555", "179830", "611590"]
    with pytest.raises(ValueError):
        ncbi_parse.parse_esearch({"unexpected": {}})


def test_gds_esummary_series_record():
    doc = _load("geo/ffq/esummary_gds_GSE93374.json")
    (series,) = ncbi_parse.parse_gds_esummary(doc)
    assert series["accession"] == "GSE93374" and series["platform"] == "GPL19057"
    assert series["title"] == "A Molecular Census of Arcuate Hypothalamus and Median Eminence Cell Types"
    assert series["taxon"] == "Mus musculus" and series["n_samples"] == len(series["samples"]) > 0


def test_blast_text_report_hits_and_query_recovery():
    line = next(line for line in _ncbi_lines() if "RID=57U2HF6W013" in line["url"])
    report = parse_report(line["response"])
    assert report.ready and report.program == "blastn" and report.database == "Nucleotide collection (nt)"
    assert report.query_length == 128 and len(report.alignments) == 5
    chm13 = report.alignments[2]
    assert chm13.accession == "CP068263.2" and (chm13.subject_start, chm13.subject_end) == (89712558, 89712685)
    seq = "ATTCTGCCTTTAGTAATTTGATGACAGAGACTTCTTGGGAACCACAGCCAGGGAGCCACCCTTTACTCCACCAACAGGTGGCTTATATCCAATCTGAGAAAGAAAGAAAAAAAAAAAAGTATTTCTCT"
    assert matches_query(report, seq)
    assert not matches_query(report, seq[:-1] + "A")


@pytest.mark.parametrize("title, species, chromosome, assembly", [
    ("Homo sapiens isolate CHM13 chromosome 15", "human", "15", "T2T-CHM13"),
    ("Human DNA sequence from clone RP11-34E5 on chromosome 10, complete sequence", "human", "10", None),
    ("Homo sapiens clone UWGC:djs1 or RP11-16G1 from 7p14-15, complete sequence", "human", "7", None),
    ("Eukaryotic synthetic construct chromosome 15", None, "15", None),
    ("PREDICTED: Sapajus apella potassium voltage-gated channel", "Sapajus apella", None, None),
    ("Caenorhabditis elegans strain CB4856 chromosome X", "worm", "X", None),
    ("Homo sapiens chromosome 1, GRCh38.p14 Primary Assembly", "human", "1", "GRCh38"),
])
def test_blast_subject_titles(title, species, chromosome, assembly):
    subject = describe_subject(title)
    assert (subject.species, subject.chromosome, subject.assembly) == (species, chromosome, assembly)
