"""ENCODE portal: experiment search and lookups by accession, returning Evidence.

Search uses the portal's real field names (``/search/?type=Experiment``):
``assay_title``, ``target.label``, ``biosample_ontology.term_name``,
``replicates.library.biosample.donor.organism.scientific_name``, ``assembly``,
``status``.  Only the filters a question names are sent, so equal questions
produce equal URLs (and replay).

What the portal documents (encodeproject.org/help/rest-api/) and this module relies on:
a search returns 25 hits and ``total`` unless ``limit=`` is sent, so every search sends
``limit`` (at most ENCODE.page_cap, genelm.connectors.limits) with ``field=`` projections
onto the properties parsed here, and an answer that still holds fewer hits than ``total``
says "showing N of TOTAL"; a search with no hits is HTTP 404 whose body is the usual
search document with an empty ``@graph`` (an answer: "no such experiments", not a failure).
"""
from __future__ import annotations

import re
from typing import Any

from genelm.connectors.base import SourceClient
from genelm.connectors.errors import InputError, SourceError
from genelm.connectors.http import HttpClient
from genelm.connectors.limits import ENCODE as ENCODE_LIMITS
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
}
# field= projections: each hit carries only what parse_experiment reads (a 1000-hit answer stays small).
SEARCH_PROJECTION = ("accession", "assay_title", "assay_term_name", "target.label", "biosample_ontology.term_name",
                     "biosample_summary", "description", "status", "assembly", "lab.title", "date_released", "files")
_PATH_ACCESSION = re.compile(r"/(ENC[A-Z]{2}\d{3}[A-Z]{3}|TSTFF\d+)/?$")
ACCESSION_RE = re.compile(r"^ENC(SR|FF|BS|DO|AB|LB|GM)\d{3}[A-Z]{3}$")


def _label(value: Any, key: str = "label") -> str | None:
    """Embedded objects carry a label; un-embedded frames carry a path like /targets/ARID3A-human/."""
    if isinstance(value, dict):
        return value.get(key) or value.get("term_name") or value.get("name")
    if isinstance(value, str) and value.startswith("/"):
        return value.strip("/").split("/")[-1].removesuffix("-human").removesuffix("-mouse")
    return value


def parse_file(obj: dict | str) -> dict[str, Any]:
    """A file as embedded in an experiment, or as a search hit carries it: only its ``@id`` (or a bare path)."""
    if isinstance(obj, str):
        obj = {"@id": obj}
    href = obj.get("href")
    path = obj.get("@id")
    from_path = _PATH_ACCESSION.search(path) if isinstance(path, str) else None
    return {
        "accession": obj.get("accession") or obj.get("title") or (from_path.group(1) if from_path else None),
        "output_type": obj.get("output_type"),
        "assembly": obj.get("assembly"),
        "file_format": obj.get("file_format"),
        "file_type": obj.get("file_type"),
        "status": obj.get("status"),
        "url": PORTAL + href if isinstance(href, str) and href.startswith("/") else href,
    }


def parse_experiment(obj: dict) -> dict[str, Any]:
    files = [parse_file(f) for f in obj.get("files", []) if isinstance(f, (dict, str))]
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

    def _get(self, path: str, params: dict | None = None,
             answer_statuses: frozenset[int] = frozenset()) -> tuple[dict, Any]:
        result = self.http.request(self.portal + path, {"format": "json", **(params or {})}, source=self.source,
                                   answer_statuses=answer_statuses)
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
        """Released experiments matching the filters: all of them up to ``limit`` (default and maximum:
        ENCODE.page_cap); the Evidence's params carry ``total`` (the portal's count) and ``shown``."""
        cap = ENCODE_LIMITS.page_cap
        if limit is not None and not 1 <= limit <= cap:
            raise InputError(f"ask ENCODE for 1 to {cap} experiments at a time, not {limit}")
        asked = {"status": status, "biosample": biosample, "assembly": assembly, "target": target, "assay": assay,
                 "organism": organism}
        filters = {SEARCH_FIELDS[name]: value for name, value in asked.items() if value}
        params: dict[str, Any] = {"type": "Experiment", **filters, "limit": limit or cap,
                                  "field": list(SEARCH_PROJECTION)}
        doc, result = self._get("/search/", params, answer_statuses=frozenset({404}))
        if not isinstance(doc.get("@graph"), list):
            if result.status == 404:
                raise SourceError(self.source, "HTTP 404 without a search answer", url=result.url)
            raise SourceError(self.source, "search response has no '@graph' (schema changed?)", url=result.url)
        experiments = [parse_experiment(item) for item in doc["@graph"] if isinstance(item, dict)]
        total = doc.get("total") if isinstance(doc.get("total"), int) else len(experiments)
        described = ", ".join(f"{k}={v}" for k, v in filters.items())
        if not experiments:
            # The portal's 404 with an empty @graph: it lists no such experiments.
            title = f"ENCODE experiment search ({described}): the portal lists no experiments for these filters"
        elif len(experiments) < total:
            title = f"ENCODE experiment search ({described}): showing {len(experiments)} of {total}"
        else:
            title = f"ENCODE experiment search ({described}): {total} found"
        return self.evidence(
            key=f"encode:search:{sha256_hex(result.url)[:10]}",
            title=title,
            result=result,
            params={**{k: v for k, v in params.items() if k != "field"}, "total": total, "shown": len(experiments)},
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
