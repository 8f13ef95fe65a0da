"""Parsers for the real E-utilities response formats (no I/O here)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

_RECORD_SPLIT = re.compile(r"^\d+\. ", re.M)
_HEADER_RE = re.compile(r"^(?:(Official|Interim) Symbol: (\S+) and )?Name: (.*?) \[(.+)\]$")
_PLAIN_HEADER_RE = re.compile(r"^(.*) \[(.+)\]$")
_ANNOT_RE = re.compile(r"(?:Chromosome (\S+) )?\s*(N[CTGW]_\d+\.\d+) \((\d+)\.\.(\d+)(, complement)?\)")


def organism_common(organism: str) -> str:
    """'Homo sapiens (human)' -> 'Homo sapiens'."""
    return organism.split(" (", 1)[0].strip()


def parse_gene_text(text: str) -> list[dict[str, Any]]:
    """Parse efetch db=gene plain-text summaries.

    NCBI answers ``efetch.fcgi?db=gene`` with this numbered text summary whatever
    ``retmode`` says; it is the format the recorded responses hold.
    """
    records = []
    for chunk in _RECORD_SPLIT.split("\n" + text.strip())[1:]:
        lines = [ln.rstrip() for ln in chunk.strip().splitlines()]
        if not lines:
            continue
        rec: dict[str, Any] = {"symbol": lines[0].strip(), "status": "live", "aliases": [], "official": False}
        for line in lines[1:]:
            header = _HEADER_RE.match(line)
            if header:
                rec["official"] = header.group(1) == "Official"
                if header.group(2):
                    rec["symbol"] = header.group(2)
                rec["name"], rec["organism"] = header.group(3), header.group(4)
                continue
            key, sep, value = line.partition(": ")
            if key == "Other Aliases":
                rec["aliases"] = [a.strip() for a in value.split(",") if a.strip()]
            elif key == "Other Designations":
                rec["designations"] = value
            elif key == "Chromosome":
                chrom, _, loc = value.partition("; Location: ")
                rec["chromosome"] = chrom.strip()
                if loc:
                    rec["map_location"] = loc.strip()
            elif key == "Annotation":
                m = _ANNOT_RE.search(value)
                if m:
                    rec["sequence_accession"] = m.group(2)
                    rec["start"], rec["end"] = int(m.group(3)), int(m.group(4))
                    rec["strand"] = "-" if m.group(5) else "+"
            elif key == "MIM":
                rec["mim"] = value.strip()
            elif key == "ID":
                rec["gene_id"] = value.strip()
            elif key == "This record was replaced with GeneID":
                rec["status"] = "replaced"
                rec["replaced_by"] = value.strip()
            elif line.startswith("This record was discontinued"):
                rec["status"] = "discontinued"
            elif not sep and "organism" not in rec:
                plain = _PLAIN_HEADER_RE.match(line)
                if plain:
                    rec["name"], rec["organism"] = plain.group(1), plain.group(2)
        if "organism" in rec:
            rec["species"] = organism_common(rec["organism"])
        records.append(rec)
    return records


def parse_snp_xml(text: str) -> list[dict[str, Any]]:
    """Parse efetch/esummary db=snp DocumentSummary XML."""
    root = ET.fromstring(text)
    docs = [root] if root.tag == "DocumentSummary" else root.iter("DocumentSummary")
    out = []
    for doc in docs:
        genes = [
            {"symbol": g.findtext("NAME", ""), "gene_id": g.findtext("GENE_ID", "")} for g in doc.iter("GENE_E")
        ]
        chrpos = doc.findtext("CHRPOS", "") or ""
        chrom, _, pos = chrpos.partition(":")
        out.append(
            {
                "rsid": f"rs{doc.findtext('SNP_ID', doc.get('uid', ''))}",
                "chromosome": chrom or doc.findtext("CHR", ""),
                "position": int(pos) if pos.isdigit() else None,
                "assembly": "GRCh38",  # dbSNP CHRPOS is on the current assembly; CHRPOS_PREV_ASSM is GRCh37
                "position_grch37": doc.findtext("CHRPOS_PREV_ASSM", "") or None,
                "genes": genes,
                "spdi": doc.findtext("SPDI", ""),
                "function_class": doc.findtext("FXN_CLASS", ""),
                "snp_class": doc.findtext("SNP_CLASS", ""),
                "clinical_significance": doc.findtext("CLINICAL_SIGNIFICANCE", ""),
            }
        )
    return out


def parse_snp_esummary(doc: dict) -> list[dict[str, Any]]:
    result = doc.get("result", {})
    out = []
    for uid in result.get("uids", []):
        item = result.get(uid, {})
        chrom, _, pos = (item.get("chrpos") or "").partition(":")
        out.append(
            {
                "rsid": f"rs{uid}",
                "chromosome": chrom or item.get("chr", ""),
                "position": int(pos) if pos.isdigit() else None,
                "assembly": "GRCh38",
                "position_grch37": item.get("chrpos_prev_assm") or None,
                "genes": [{"symbol": g.get("name", ""), "gene_id": g.get("gene_id", "")} for g in item.get("genes", [])],
                "spdi": item.get("spdi", ""),
                "function_class": item.get("fxn_class", ""),
                "snp_class": item.get("snp_class", ""),
                "clinical_significance": item.get("clinical_significance", ""),
            }
        )
    return out


def parse_esearch(doc: dict) -> tuple[list[str], int]:
    result = doc.get("esearchresult")
    if not isinstance(result, dict):
        raise ValueError("no 'esearchresult' in the E-utilities response")
    if "ERROR" in result:
        raise ValueError(str(result["ERROR"]))
    return [str(i) for i in result.get("idlist", [])], int(result.get("count", 0))


def esummary_items(doc: dict) -> list[dict[str, Any]]:
    result = doc.get("result")
    if not isinstance(result, dict):
        raise ValueError("no 'result' in the E-utilities esummary response")
    return [result[uid] for uid in result.get("uids", []) if isinstance(result.get(uid), dict)]


def parse_omim_esummary(doc: dict) -> list[dict[str, Any]]:
    out = []
    for item in esummary_items(doc):
        oid = (item.get("oid") or "").strip()
        out.append(
            {
                "mim": item.get("uid"),
                # OMIM prefixes: '#' phenotype with known molecular basis, '*' gene, '+' both, '%' unknown basis.
                "prefix": oid[:1] if oid and not oid[0].isdigit() else "",
                "title": item.get("title", ""),
                "alt_titles": item.get("alttitles", ""),
                "locus": item.get("locus", ""),
            }
        )
    return out


def parse_gds_esummary(doc: dict) -> list[dict[str, Any]]:
    out = []
    for item in esummary_items(doc):
        samples = item.get("samples") or []
        out.append(
            {
                "accession": item.get("accession", ""),
                "uid": item.get("uid", ""),
                "entry_type": item.get("entrytype", ""),
                "title": item.get("title", ""),
                "summary": item.get("summary", ""),
                "taxon": item.get("taxon", ""),
                "gds_type": item.get("gdstype", ""),
                "platform": ("GPL" + str(item["gpl"]).split(";")[0]) if item.get("gpl") else "",
                "n_samples": int(item.get("n_samples") or len(samples) or 0),
                "samples": [s.get("accession") for s in samples if isinstance(s, dict)],
                "pubmed_ids": [str(p) for p in item.get("pubmedids", [])],
                "ftp": item.get("ftplink", ""),
            }
        )
    return out
