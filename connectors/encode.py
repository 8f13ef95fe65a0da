"""ENCODE portal: experiment search and lookups by accession, returning Evidence.

Search uses the portal's real field names (``/search/?type=Experiment``):
``assay_title``, ``target.label``, ``biosample_ontology.term_name``,
``replicates.library.biosample.donor.organism.scientific_name``, ``assembly``,
``status``.  Only the filters a question names are sent, so equal questions
produce equal URLs (and replay).
"""
from __future__ import annotations

import re
from typing import Any

from genelm.connectors.base import SourceClient
from genelm.connectors.errors import SourceError
from genelm.connectors.http import HttpClient
from genelm.evidence import Evidence, sha256_hex

PORTAL = "https://www.encodeproject.org"
ENCODE_LICENSE = "ENCODE data: free use; cite the ENCODE Consortium (encodeproject.org/help/citing-encode)"
# Our argument -> the portal's search field.
SEARCH_FIELDS = {
    "status": "status",
    "biosample": "biosample_ontology.term_name",
    "assembly": "assembly",
    "target": "target.label",
    "assay": "assay_title",
    "organism": "replicates.library.biosample.donor.organism.scientific_name",
    "limit": "limit",
}
ACCESSION_RE = re.compile(r"^ENC(SR|FF|BS|DO|AB|LB|GM)\d{3}[A-Z]{3}$")


def _label(value: Any, key: str = "label") -> str | None:
    """Embedded objects carry a label; un-embedded frames carry a path like /targets/ARID3A-human/."""
    if isinstance(value, dict):
        return value.get(key) or value.get("term_name") or value.get("name")
    if isinstance(value, str) and value.startswith("/"):
        return value.strip("/").split("/")[-1].removesuffix("-human").removesuffix("-mouse")
    return value


def parse_file(obj: dict) -> dict[str, Any]:
    href = obj.get("href")
    return {
        "accession": obj.get("accession") or obj.get("title"),
        "output_type": obj.get("output_type"),
        "assembly": obj.get("assembly"),
        "file_format": obj.get("file_format"),
        "file_type": obj.get("file_type"),
        "status": obj.get("status"),
        "url": PORTAL + href if isinstance(href, str) and href.startswith("/") else href,
    }


def parse_experiment(obj: dict) -> dict[str, Any]:
    files = [parse_file(f) for f in obj.get("files", []) if isinstance(f, dict)]
    target = _label(obj.get("target"))
    biosample = _label(obj.get("biosample_ontology"), "term_name") or obj.get("biosample_term_name")
    assemblies = obj.get("assembly") or sorted({f["assembly"] for f in files if f.get("assembly")})
    return {
        "accession": obj.get("accession"),
        "assay": obj.get("assay_title") or obj.get("assay_term_name"),
        "assay_term_name": obj.get("assay_term_name"),
        "target": target,
        "biosample": biosample,
        "biosample_summary": obj.get("biosample_summary"),
        "description": obj.get("description"),
        "status": obj.get("status"),
        "assemblies": assemblies if isinstance(assemblies, list) else [assemblies],
        "lab": _label(obj.get("lab"), "title"),
        "date_released": obj.get("date_released"),
        "files": files,
        "url": f"{PORTAL}/experiments/{obj.get('accession')}/",
    }


class EncodeClient(SourceClient):
    source = "encode"
    license = ENCODE_LICENSE

    def __init__(self, http: HttpClient, portal: str = PORTAL):
        self.http = http
        self.portal = portal.rstrip("/")  # a mirror or a local server; record links still name the real portal

    def _get(self, path: str, params: dict | None = None) -> tuple[dict, Any]:
        result = self.http.request(self.portal + path, {"format": "json", **(params or {})}, source=self.source)
        try:
            doc = result.json()
        except ValueError as exc:
            raise SourceError(self.source, f"unreadable JSON: {exc}", url=result.url) from None
        if not isinstance(doc, dict):
            raise SourceError(self.source, "expected a JSON object", url=result.url)
        return doc, result

    def search_experiments(
        self,
        *,
        target: str | None = None,
        biosample: str | None = None,
        assay: str | None = None,
        organism: str | None = None,
        assembly: str | None = None,
        status: str | None = "released",
        limit: int | None = None,
    ) -> Evidence:
        asked = {"status": status, "biosample": biosample, "assembly": assembly, "target": target, "assay": assay,
                 "organism": organism, "limit": limit}
        params: dict[str, Any] = {"type": "Experiment"}
        params.update({SEARCH_FIELDS[name]: value for name, value in asked.items() if value})
        doc, result = self._get("/search/", params)
        if "@graph" not in doc:
            raise SourceError(self.source, "search response has no '@graph' (schema changed?)", url=result.url)
        experiments = [parse_experiment(item) for item in doc["@graph"] if isinstance(item, dict)]
        filters = ", ".join(f"{k}={v}" for k, v in params.items() if k != "type")
        return self.evidence(
            key=f"encode:search:{sha256_hex(result.url)[:10]}",
            title=f"ENCODE experiment search ({filters}): {doc.get('total', len(experiments))} found",
            result=result,
            params=params,
            accessions=[e["accession"] for e in experiments if e.get("accession")],
            records=experiments,
        )

    def experiment(self, accession: str) -> Evidence:
        self._check(accession, "SR")
        doc, result = self._get(f"/experiments/{accession}/")
        exp = parse_experiment(doc)
        if exp["accession"] != accession:
            raise SourceError(self.source, f"asked for {accession}, portal answered {exp['accession']}", url=result.url)
        return self.evidence(
            key=f"encode:{accession}",
            title=f"ENCODE experiment {accession}: {exp['assay']} of {exp['target'] or 'no target'} in {exp['biosample']}",
            result=result,
            params={"accession": accession},
            accessions=[accession] + [f["accession"] for f in exp["files"] if f.get("accession")],
            records=[exp],
        )

    def lookup(self, accession: str) -> Evidence:
        """Any object by accession (file, biosample, donor, ...), parsed generically."""
        kind = {"SR": "experiments", "FF": "files", "BS": "biosamples", "DO": "donors", "AB": "antibodies"}
        self._check(accession, None)
        if accession[3:5] == "SR":
            return self.experiment(accession)
        doc, result = self._get(f"/{kind.get(accession[3:5], 'search')}/{accession}/")
        record = {
            k: (_label(v) if isinstance(v, (dict, str)) else v)
            for k, v in doc.items()
            if not k.startswith("@") and isinstance(v, (str, int, float, dict)) and k not in ("audit", "documents")
        }
        return self.evidence(
            key=f"encode:{accession}",
            title=f"ENCODE {doc.get('@type', ['object'])[0]} {accession}",
            result=result,
            params={"accession": accession},
            accessions=[accession],
            records=[record],
        )

    def target(self, label: str, organism: str = "human") -> Evidence:
        doc, result = self._get(f"/targets/{label}-{organism}/")
        genes = [_label(g, "symbol") for g in doc.get("genes", [])]
        return self.evidence(
            key=f"encode:target:{label}",
            title=f"ENCODE target {label} ({organism})",
            result=result,
            params={"label": label, "organism": organism},
            records=[{"label": doc.get("label", label), "genes": genes, "investigated_as": doc.get("investigated_as", [])}],
        )

    @staticmethod
    def _check(accession: str, kind: str | None) -> None:
        if not ACCESSION_RE.match(accession) or (kind and accession[3:5] != kind):
            want = f"ENC{kind}" if kind else "ENCSR/ENCFF/ENCBS/ENCDO/ENCAB"
            raise SourceError("encode", f"'{accession}' is not an ENCODE accession (expected {want} + 3 digits + 3 letters)")
