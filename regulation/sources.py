"""Where each bundled regulation file came from: its upstream URL, release and licence.

Titles of Evidence use ``label``; ``url`` is the upstream page (ENCODE file pages for
ENCFF accessions) or the repository file SOURCES.md names, at the commit given there.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from genelm.data import DATA_DIR

_GH = "https://github.com"
_CCRE_REPO = f"{_GH}/weng-lab/ENCODE-cCREs/blob/0c58e58a6ff1/Version-2/cCRE-Pipeline/Input-Data/hg38"
_TSS_REPO = f"{_GH}/ENCODE-AWG/tss-annotation/blob/6eb3aa425d2d/Annotations/Transcription-Datasets"
_TISSUEENRICH = f"{_GH}/Tuteja-Lab/TissueEnrich/blob/c54f900fd5db/inst/extdata/combine-expression.rda"
ENCODE_LICENCE = "ENCODE data: free use with citation of the ENCODE Consortium"
HPA_LICENCE = "Human Protein Atlas: CC BY-SA 3.0 (via TissueEnrich, MIT)"
GTEX_LICENCE = "GTEx expression summaries: open access (via TissueEnrich, MIT)"


@dataclass(frozen=True)
class Source:
    """One bundled file: what to call it in a title, its upstream URL, release and licence."""

    file: str
    label: str
    url: str
    release: str
    licence: str
    folder: str = "regulation"  # under genelm/data

    @property
    def path(self) -> Path:
        return DATA_DIR / self.folder / self.file


def _encode_file(accession: str, what: str) -> Source:
    return Source(f"{accession}.bed.gz", what, f"https://www.encodeproject.org/files/{accession}/",
                  "ENCODE (kundajelab/atlas_resources @ 89bcde11921a)", ENCODE_LICENCE)


SOURCES: dict[str, Source] = {
    "tss": Source("GENCODE24_TSS.Basic.GRCh38.bed.gz", "GENCODE v24 basic transcript TSSs (GRCh38)",
                  f"{_CCRE_REPO}/GENCODE24/TSS.Basic.bed.gz", "GENCODE v24",
                  "GENCODE: free use, no restrictions"),
    "cage:K562": Source("K562-CAGE-Peaks.TPM-1.bed.gz", "ENCODE/FANTOM CAGE peaks (TPM >= 1), K562, GRCh38",
                        f"{_TSS_REPO}/CAGE/hg38/K562/K562-CAGE-Peaks.TPM-1.bed.gz", "ENCODE TSS annotation",
                        ENCODE_LICENCE),
    "cage:GM12878": Source("GM12878-CAGE-Peaks.TPM-1.bed.gz", "ENCODE/FANTOM CAGE peaks (TPM >= 1), GM12878, GRCh38",
                           f"{_TSS_REPO}/CAGE/hg38/GM12878/GM12878-CAGE-Peaks.TPM-1.bed.gz", "ENCODE TSS annotation",
                           ENCODE_LICENCE),
    "rampage": Source("All-Biosamples-RAMPAGE-rPeaks.bed.gz",
                      "ENCODE RAMPAGE rPeaks (representative TSS peaks merged over all ENCODE RAMPAGE biosamples), "
                      "GRCh38", f"{_TSS_REPO}/RAMPAGE/hg38/All-Biosamples-RAMPAGE-rPeaks.bed.gz",
                      "ENCODE TSS annotation", ENCODE_LICENCE),
    "rampage:K562": Source("K562-RAMPAGE-rPeak-Quantifications.txt.gz", "ENCODE RAMPAGE rPeak quantification, K562",
                           f"{_TSS_REPO}/RAMPAGE/hg38/K562/K562-RAMPAGE-rPeak-Quantifications.txt.gz",
                           "ENCODE TSS annotation", ENCODE_LICENCE),
    "rampage:GM12878": Source("GM12878-RAMPAGE-rPeak-Quantifications.txt.gz",
                              "ENCODE RAMPAGE rPeak quantification, GM12878",
                              f"{_TSS_REPO}/RAMPAGE/hg38/GM12878/GM12878-RAMPAGE-rPeak-Quantifications.txt.gz",
                              "ENCODE TSS annotation", ENCODE_LICENCE),
    "ENCFF605WXD": _encode_file("ENCFF605WXD", "ENCODE MYC TF ChIP-seq IDR thresholded peaks, K562 (ENCFF605WXD)"),
    "ENCFF618VMC": _encode_file("ENCFF618VMC", "ENCODE MAX TF ChIP-seq IDR thresholded peaks, K562 (ENCFF618VMC)"),
    "ENCFF073ORT": _encode_file("ENCFF073ORT", "ENCODE DNase-seq peaks, GM12878 (ENCFF073ORT)"),
    "ENCFF209DJG": _encode_file("ENCFF209DJG", "ENCODE DNase-seq peaks, HepG2 (ENCFF209DJG)"),
    "chip2015": Source("chea3_ENCODE_TF_ChIP-seq_2015.tsv.gz",
                       "ENCODE TF ChIP-seq 2015 gene sets (Enrichr/ChEA3 library, hg19-era peaks)",
                       f"{_GH}/MaayanLab/chea3/blob/74dae97b6a4a/data/ENCODE.rda", "ENCODE_TF_ChIP-seq_2015",
                       "none stated by MaayanLab/chea3; underlying ENCODE data free to use with citation"),
    "chip2019": Source("encode_tf_chip_experiments_report_2019-10-04.tsv.gz",
                       "ENCODE TF ChIP-seq experiment report (portal export of 2019-10-04, GRCh38)",
                       f"{_GH}/kundajelab/neural_motif_discovery/blob/0a47ae77038/supporting_info/"
                       "encode_tf_chip_experiments.tsv", "ENCODE portal 2019-10-04", ENCODE_LICENCE,
                       folder="encode_metadata"),  # one copy, shared with the ENCODE index
    "hpa": Source("tissueenrich_hpa_v18_tpm.tsv.gz", "Human Protein Atlas v18 RNA tissue expression (TPM)",
                  _TISSUEENRICH, "HPA v18", HPA_LICENCE),
    "hpa-tissues": Source("tissueenrich_hpa_v18_tissues.tsv", "Human Protein Atlas v18 tissues", _TISSUEENRICH,
                          "HPA v18", HPA_LICENCE),
    "hpa-specific": Source("tissueenrich_hpa_v18_tissue_specific_genes.tsv.gz",
                           "Human Protein Atlas v18 tissue-specificity groups", _TISSUEENRICH, "HPA v18", HPA_LICENCE),
    "gtex": Source("tissueenrich_gtex_combined_tpm.tsv.gz", "GTEx tissue expression (TPM, TissueEnrich GTEx-Combine)",
                   _TISSUEENRICH, "GTEx (TissueEnrich 2018)", GTEX_LICENCE),
    "gtex-tissues": Source("tissueenrich_gtex_combined_tissues.tsv", "GTEx tissues (TissueEnrich GTEx-Combine)",
                           _TISSUEENRICH, "GTEx (TissueEnrich 2018)", GTEX_LICENCE),
    "gtex-specific": Source("tissueenrich_gtex_combined_tissue_specific_genes.tsv.gz",
                            "GTEx tissue-specificity groups (TissueEnrich GTEx-Combine)", _TISSUEENRICH,
                            "GTEx (TissueEnrich 2018)", GTEX_LICENCE),
    **{f"ccre:{cell}": Source(f"{cell}-PLS-Overlap-Groups.GRCh38.bed.gz",
                              f"ENCODE SCREEN promoter-like cCREs (PLS) classified in {cell}, GRCh38",
                              f"{_GH}/ENCODE-AWG/tss-annotation", "ENCODE cCREs (SCREEN registry V2)", ENCODE_LICENCE,
                              folder="ccre") for cell in ("K562", "GM12878")},
    "gene-names": Source("tissueenrich_human_gene_mapping.tsv.gz", "TissueEnrich Ensembl gene id -> gene name",
                         _TISSUEENRICH, "TissueEnrich 2018", "MIT (TissueEnrich)"),
}
