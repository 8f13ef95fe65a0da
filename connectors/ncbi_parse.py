"""Parsers for the real E-utilities response formats (no I/O here)."""
from __future__ import annotations

import json
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


def genomic_span(info: dict) -> tuple[int | None, int | None, str | None]:
    """(start, end, strand) of a gene esummary ``genomicinfo`` entry, 1-based inclusive with start <= end.

    NCBI's chrstart/chrstop are 0-based and ordered along the gene, so on the minus strand
    chrstart > chrstop (BRCA1: chrstart 43170244, chrstop 43044294 is chr17:43044295-43170245).
    """
    a, b = info.get("chrstart"), info.get("chrstop")
    if not isinstance(a, int) or not isinstance(b, int) or isinstance(a, bool) or isinstance(b, bool):
        return None, None, None
    return min(a, b) + 1, max(a, b) + 1, "-" if a > b else "+"


def parse_snp_answer(text: str) -> list[dict[str, Any]]:
    """An efetch db=snp answer in whichever documented form it came: DocumentSummary XML, an esummary-style
    JSON document, or RefSNP JSON.  Raises ValueError for anything else (never an empty list by default)."""
    stripped = text.lstrip()
    if stripped.startswith("<"):
        try:
            return parse_snp_xml(stripped)
        except ET.ParseError as exc:
            raise ValueError(f"unreadable XML ({exc})") from None
    try:
        doc = json.loads(stripped)
    except ValueError:
        raise ValueError(f"neither XML nor JSON: {' '.join(stripped[:80].split())!r}") from None
    if isinstance(doc, dict) and isinstance(doc.get("result"), dict):
        return parse_snp_esummary(doc)
    if isinstance(doc, dict) and "refsnp_id" in doc:
        return [parse_refsnp(doc)]
    if isinstance(doc, dict) and isinstance(doc.get("error"), str):
        raise ValueError(f"NCBI says: {doc['error']}")
    raise ValueError("a JSON answer in no dbSNP form genelm knows (esummary result or RefSNP)")


def parse_refsnp(doc: dict) -> dict[str, Any]:
    """A RefSNP JSON report (dbSNP's JSON form): the GRCh38 top-level placement and the genes it falls in."""
    snapshot = doc.get("primary_snapshot_data") or {}
    chrom, position, spdi = "", None, ""
    for placement in snapshot.get("placements_with_allele") or []:
        traits = (placement.get("placement_annot") or {}).get("seq_id_traits_by_assembly") or []
        if not (placement.get("is_ptlp") and any(str(t.get("assembly_name", "")).startswith("GRCh38") for t in traits)):
            continue
        for allele in placement.get("alleles") or []:
            s = (allele.get("allele") or {}).get("spdi") or {}
            if isinstance(s.get("position"), int):
                # SPDI positions are 0-based; CHRPOS (the XML form) is 1-based.
                position = s["position"] + 1
                spdi = f"{s.get('seq_id')}:{s['position']}:{s.get('deleted_sequence')}:{s.get('inserted_sequence')}"
                accession = str(s.get("seq_id", ""))
                match = re.match(r"NC_0*(\d+)\.\d+$", accession)
                chrom = {"23": "X", "24": "Y"}.get(match.group(1), match.group(1)) if match else ""
                if s.get("deleted_sequence") != s.get("inserted_sequence"):
                    break
        break
    genes: dict[str, dict] = {}
    for annotation in snapshot.get("allele_annotations") or []:
        for assembly in annotation.get("assembly_annotation") or []:
            for gene in assembly.get("genes") or []:
                if gene.get("locus"):
                    genes[gene["locus"]] = {"symbol": gene["locus"], "gene_id": str(gene.get("id", ""))}
    return {
        "rsid": f"rs{doc['refsnp_id']}",
        "chromosome": chrom,
        "position": position,
        "assembly": "GRCh38",
        "position_grch37": None,
        "genes": list(genes.values()),
        "spdi": spdi,
        "function_class": "",
        "snp_class": snapshot.get("variant_type", ""),
        "clinical_significance": "",
    }


def parse_snp_xml(text: str) -> list[dict[str, Any]]:
    """Parse efetch/esummary db=snp DocumentSummary XML (one document, a set, or several side by side)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        # efetch for several ids puts DocumentSummary elements side by side, with no common root.
        root = ET.fromstring(f"<DocumentSummarySet>{re.sub(r'^<[?]xml[^>]*>', '', text.strip())}</DocumentSummarySet>")
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


# ------------------------------------------------------------------ one record at a time
# E-utilities answer esummary/efetch for a list of ids with one record per id, so an answer can be
# split into its records and an answer for other ids put together from records fetched earlier.
# Supported: esummary retmode=json (any db: result.uids + result[uid]); efetch db=gene (the numbered
# text summary, each record ending in "ID: n"); efetch db=snp (DocumentSummary XML, uid attribute).
_GENE_ID_LINE = re.compile(r"^ID: (\d+)\s*$", re.M)
_SNP_DOC = re.compile(r"<DocumentSummary\b[^>]*\buid=\"(\d+)\"[^>]*>.*?</DocumentSummary>", re.S)


def split_records(form: tuple[str, ...], body: bytes) -> dict[str, str] | None:
    """{id: that record's text} for an answer of the given form, or None when the form is not supported."""
    endpoint, db, retmode = form[0], form[1], form[2]
    text = body.decode("utf-8", "replace")
    if endpoint == "esummary.fcgi" and retmode == "json":
        try:
            doc = json.loads(text)
            items = {uid: doc["result"][uid] for uid in doc["result"]["uids"]}
        except (ValueError, KeyError, TypeError):
            return None
        # An id NCBI could not find comes back as {"uid": …, "error": …}: not a record to replay.
        return {str(uid): json.dumps(item, ensure_ascii=False) for uid, item in items.items()
                if isinstance(item, dict) and "error" not in item}
    if endpoint == "efetch.fcgi" and db == "gene":
        out = {}
        for chunk in _RECORD_SPLIT.split("\n" + text.strip())[1:]:
            found = _GENE_ID_LINE.search(chunk)
            if found:
                out[found.group(1)] = chunk.strip()
        return out
    if endpoint == "efetch.fcgi" and db == "snp" and text.lstrip().startswith("<"):
        return {m.group(1): m.group(0) for m in _SNP_DOC.finditer(text)}
    return None


def join_records(form: tuple[str, ...], ids: list[str], records: list[str]) -> bytes:
    """The answer NCBI gives for ``ids`` in this form, from each id's record (in the order asked)."""
    endpoint, db = form[0], form[1]
    if endpoint == "esummary.fcgi":
        result: dict[str, Any] = {"uids": ids}
        result.update({uid: json.loads(rec) for uid, rec in zip(ids, records)})
        return json.dumps({"header": {"type": "esummary", "version": "0.3"}, "result": result},
                          ensure_ascii=False).encode("utf-8")
    if db == "gene":
        return ("\n" + "".join(f"{n}. {rec}\n\n" for n, rec in enumerate(records, start=1))).encode("utf-8")
    return ("\n".join(records) + "\n").encode("utf-8")
