"""genelm.regulation against the real bundled files: TSSs, promoter cCREs, CAGE/RAMPAGE, factors,
expression by tissue, the Evidence built from them, the locus figure, and the regulation suite's gold."""
from __future__ import annotations

import gzip
import json

import pytest

from genelm import regulation as reg
from genelm.connectors.errors import InputError
from genelm.evidence import sha256_hex
from genelm.regulation import tables
from tests.conftest import shared_or_skip
from tests.regulation_gold import SUITE, recompute


@pytest.fixture(autouse=True, scope="module")
def _private_table_cache(tmp_path_factory):
    """Parsed-table pickles go to a temporary folder, not the user's cache."""
    folder = tmp_path_factory.mktemp("regulation-cache")
    original = tables.cache_dir
    tables.cache_dir = lambda: folder
    yield folder
    tables.cache_dir = original


def raw_line(key: str, row: int) -> list[str]:
    """Line ``row`` (1-based) of a bundled file, split on tabs: what a record's ``row`` points at."""
    with gzip.open(tables.SOURCES[key].path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if number == row:
                return line.rstrip("\n").split("\t")
    raise AssertionError(f"{key} has no line {row}")


def test_tp53_tsss_are_the_gencode_minus_strand_starts():
    sites = reg.gene_tss("TP53")
    assert set(sites["strand"]) == {"-"} and set(sites["chrom"]) == {"chr17"}
    assert sorted(set(sites["pos"])) == [7675493, 7676594, 7687481, 7687487, 7687538, 7687550]
    canonical = sites[sites["transcript_id"] == "ENST00000269305.8"]
    assert canonical["pos"].tolist() == [7687538]  # = Ensembl's 1-based end of the minus-strand gene
    ev = reg.regulation_evidence("TP53", cells=["K562"])[0]
    assert ev.key == "tss:TP53" and "ENSG00000141510" in ev.accessions and "ENST00000269305" in ev.accessions
    rec = next(r for r in ev.records if r["transcript_id"] == "ENST00000269305.8")
    assert (rec["window_start"], rec["window_end"]) == (7687038, 7688038)
    assert raw_line("tss", rec["row"])[3] == "ENST00000269305.8"


def test_promoter_ccre_rule_is_within_500_bp_of_any_tss():
    assert reg.promoter_ccres("SNRPB", "K562")["accession"].tolist() == ["EH38E2092827"]
    # LRP2BP's second PLS starts 492 bp from a TSS: in; ORAI2's 985 bp away: only "around".
    assert set(reg.promoter_ccres("LRP2BP", "K562")["accession"]) == {"EH38E2349684", "EH38E2349686"}
    around = reg.ccres_near("ORAI2", "GM12878").set_index("accession")
    assert around.loc["EH38E2577281", "at_promoter"] and not around.loc["EH38E2577284", "at_promoter"]
    with pytest.raises(InputError, match="K562, GM12878"):
        reg.promoter_ccres("SNRPB", "HepG2")


def test_cage_tpm_is_column_11_and_only_same_strand_peaks_count():
    peak = reg.cage_at("TP53", "K562").iloc[0]
    assert (peak["start"], peak["end"], peak["tpm"]) == (7687479, 7687497, 7.9)
    assert float(raw_line("cage:K562", int(peak["row"]))[10]) == peak["tpm"]
    # BRCA1 shares a bidirectional promoter with NBR2: the plus-strand (NBR2) peaks are not BRCA1's.
    brca1 = reg.cage_at("BRCA1", "K562")
    assert len(brca1) >= 1 and set(brca1["strand"]) == {"-"}


def test_rampage_joins_the_cell_lines_rpm_to_the_rpeak():
    hit = reg.rampage_at("TP53", "GM12878").iloc[0]
    assert hit["rpeak_id"].startswith("ZH38T") and hit["rpm"] > 0
    assert raw_line("rampage:GM12878", int(hit["quant_row"]))[0] == hit["rpeak_id"]
    assert float(raw_line("rampage:GM12878", int(hit["quant_row"]))[2]) == hit["rpm"]


@pytest.mark.parametrize("gene", ["TP53", "BRCA1", "SNRPB", "MYC"])
def test_genome_wide_activity_uses_the_per_gene_rule(gene):
    from genelm.regulation.activity import activity_by_gene

    ensg = reg.resolve_gene(gene).ensembl_ids[0]
    for assay, one, value in (("CAGE", reg.cage_at(gene, "K562"), "tpm"),
                              ("RAMPAGE", reg.rampage_at(gene, "K562"), "rpm")):
        row = activity_by_gene("K562", assay).set_index("ensg").loc[ensg]
        assert (row["peaks"], row["max_value"], row["min_distance"]) == \
            (len(one), one[value].max(), one["distance"].min())


def test_factors_bound_near_snx10_in_k562_from_the_2015_gene_sets():
    assert sorted(reg.factors_binding("SNX10", "K562")["tf"]) == ["CTCF", "MAFK", "MAX", "MYC", "NRF1"]
    ev = next(e for e in reg.regulation_evidence("SNX10", cells=["K562"]) if e.key == "chip2015:K562:SNX10")
    assert "hg19" in ev.title and "2015" in ev.params["caveat"]
    assert {r["gene_set"] for r in ev.records} >= {"CTCF_K562_HG19", "NRF1_K562_HG19"}
    assert sorted(reg.factors_binding("DDAH2", "HepG2")["tf"]) == ["HNF4A", "JUN", "MAX"]  # portal spelling works
    with pytest.raises(InputError, match="GM12878"):
        reg.factors_binding("SNX10", "Jurkat")


def test_myc_peak_at_the_tp53_promoter_reads_the_narrowpeak_signal():
    peak = reg.peaks_at("TP53", "ENCFF605WXD").iloc[0]
    assert (peak["start"], peak["end"], peak["distance"]) == (7687438, 7687621, 0)
    assert float(raw_line("ENCFF605WXD", int(peak["row"]))[6]) == peak["signal_value"]


def test_liver_elevated_tfs_name_their_hpa_group():
    tfs = reg.elevated_tfs("liver").set_index("symbol")
    for tf in ("HNF4A", "FOXA3", "ONECUT1", "NR1H4", "NR1I2", "NR1I3", "CREB3L3", "MLXIPL"):
        assert tf in tfs.index
    assert set(tfs["Group"]) <= set(reg.ELEVATED_GROUPS)
    ev = reg.tissue_elevated_tfs("肝脏")
    assert ev.key == "hpa-specific:liver" and ev.params["tissue"] == "Liver"
    assert {r["symbol"] for r in ev.records} == set(tfs.index)


@pytest.mark.parametrize("text, hpa", [
    ("liver", "Liver"), ("Liver", "Liver"), ("heart muscle", "Heart Muscle"), ("bone marrow", "Bone Marrow"),
    ("肝脏", "Liver"), ("肝", "Liver"), ("肾脏", "Kidney"), ("肾", "Kidney"), ("骨髓", "Bone Marrow"),
    ("心脏", "Heart Muscle"), ("脑", "Cerebral Cortex"), ("肺", "Lung"), ("胃", "Stomach"),
    ("肾上腺", "Adrenal Gland"), ("胰腺", "Pancreas"), ("脾", "Spleen"), ("皮肤", "Skin"), ("睾丸", "Testis"),
    ("卵巢", "Ovary"), ("Cervix, uterine", "Cervix, uterine"), ("Heart.Muscle", "Heart Muscle"),
])
def test_tissue_names_normalise_to_hpa(text, hpa):
    assert reg.normalise_tissue(text) == hpa
    assert hpa in reg.tissue_names()


def test_tissue_names_per_source_and_in_questions():
    assert reg.normalise_tissue("heart muscle", "gtex") == "Heart" and reg.normalise_tissue("脑", "gtex") == "Brain"
    assert reg.find_tissue("哪些转录因子在人类肾上腺中表达上调？") == "Adrenal Gland"  # not 肾, kidney
    assert reg.find_tissue("TFs with Cervix, uterine-enriched expression") == "Cervix, uterine"
    assert reg.find_tissue("Which TFs act in HepG2?") is None
    with pytest.raises(InputError, match="GTEx calls it 'Uterus'"):
        reg.normalise_tissue("uterus")
    with pytest.raises(InputError, match="Bone Marrow"):
        reg.normalise_tissue("banana")


def test_top_tissues_report_ties_at_the_cutoff():
    top = reg.top_tissues("IZUMO2", 3)
    assert top["tissue"].tolist() == ["Testis", "Prostate", "Skin"]  # file column order breaks the 0.2 TPM tie
    assert top["tied_beyond"].iloc[-1] == ["Thyroid Gland"]
    assert "tied with the last: Thyroid Gland" in next(
        e for e in reg.regulation_evidence("IZUMO2", cells=["K562"]) if e.key == "hpa:IZUMO2").title


def test_factor_biosamples_from_the_2019_report():
    assert reg.biosamples_profiled("HNF4A") == ["HepG2", "liver"]
    ev = reg.factor_biosamples("HNF4A")
    assert ev.key == "encode-chip2019:HNF4A" and any(a.startswith("ENCSR") for a in ev.accessions)
    assert "2019-10-04" in ev.params["export"]


def test_unknown_gene_is_an_input_error_and_a_gene_without_data_an_empty_evidence():
    with pytest.raises(InputError, match="unknown gene 'NOTAGENE1'"):
        reg.regulation_evidence("NOTAGENE1")
    assert reg.resolve_gene("p53").symbol == "TP53"  # NCBI alias
    tss = reg.regulation_evidence("AC023491.2", cells=["K562"])[0]  # in HPA v18, no GENCODE v24 basic TSS
    assert tss.records == [] and "no basic transcript TSS" in tss.title
    with pytest.raises(InputError, match="cell lines covered"):
        reg.regulation_evidence("TP53", cells=["Jurkat"])


def test_dossier_evidence_is_unique_citable_and_pinned_to_its_files():
    evidence = reg.regulation_evidence("TP53", tissue="liver")
    keys = [e.key for e in evidence]
    assert len(keys) == len(set(keys))
    assert {"tss:TP53", "ccre:K562:TP53", "cage:GM12878:TP53", "rampage:K562:TP53", "chip2015:HEPG2:TP53",
            "peaks:ENCFF209DJG:TP53", "hpa:TP53", "hpa-group:TP53", "gtex:TP53", "hpa-specific:liver"} <= set(keys)
    for e in evidence:
        assert e.origin == "bundled" and e.url.startswith("https://") and e.license
        assert e.sha256 == sha256_hex(json.dumps(e.records, sort_keys=True))
        for f in e.params["files"]:
            key = next(k for k, s in tables.SOURCES.items() if s.file == f["file"])
            assert f["sha256"] == tables.file_sha256(key)
        json.dumps(e.model_dump(mode="json"))  # records are plain JSON
        assert all(a in e.text_blob() for a in e.accessions if not a.startswith("ENCFF"))
    ccre = evidence[keys.index("ccre:K562:TP53")]
    assert "EH38E1844598" in ccre.title and ccre.params["flank_bp"] == 500


def test_locus_figure_is_written_with_labelled_tracks(tmp_path):
    import numpy as np

    evidence = reg.regulation_evidence("TP53", cells=["K562", "GM12878", "HepG2"])
    bins = np.array([[7686000 + 128 * i, 7686127 + 128 * i] for i in range(20)])
    predicted = {"H3K27ac K562": (bins, np.linspace(0, 1, 20))}
    path = reg.save_locus_figure(evidence, tmp_path / "tp53.png", predicted=predicted)
    assert path.stat().st_size > 10_000 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    fig = reg.draw_locus(evidence, predicted=predicted)
    labels = reg.track_labels(fig)
    for track in ("TSS", "cCRE K562", "CAGE K562", "RAMPAGE GM12878", "TF ChIP-seq", "DNase", "Predicted: H3K27ac"):
        assert any(label.startswith(track) for label in labels), (track, labels)
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert "EH38E1844598" in texts  # the promoter cCRE is named on its track


def test_the_regulation_suite_gold_is_recomputed_from_the_api():
    results = recompute(shared_or_skip(SUITE))
    matched = sum(r["match"] for r in results)
    print(f"regulation_dev: {matched}/{len(results)} gold answers recomputed exactly")
    assert len(results) == 85 and matched / len(results) >= 0.95, [r for r in results if not r["match"]]


def test_parsed_tables_are_cached_on_disk_under_the_files_sha256(_private_table_cache):
    tables.narrowpeaks.cache_clear()
    first = tables.narrowpeaks("ENCFF618VMC")
    copies = list(_private_table_cache.glob("ENCFF618VMC.bed.gz.*.pkl"))
    assert len(copies) == 1 and tables.file_sha256("ENCFF618VMC")[:16] in copies[0].name
    copies[0].write_bytes(b"not a pickle")  # a damaged copy is parsed again and replaced, never trusted
    tables.narrowpeaks.cache_clear()
    again = tables.narrowpeaks("ENCFF618VMC")
    assert again.equals(first) and copies[0].read_bytes()[:1] == b"\x80"
