"""Graph query results as Evidence: the query text, its parameters, the rows and the ids in them."""
from __future__ import annotations

import json

from genelm.evidence import ACCESSION_RE, Evidence, sha256_hex
from genelm.graph.connection import QueryResult

GRAPH_LICENSE = ("built from bundled data: ENCODE (free use, cite the ENCODE Consortium), NCBI Gene (public domain), "
                 "SCREEN cCREs, Lambert et al. 2018 TFs, Enformer targets (Apache-2.0)")


def graph_evidence(result: QueryResult, *, uri: str, database: str | None, title: str, name: str,
                   built_at: float | None = None) -> Evidence:
    body = json.dumps({"query": result.query, "parameters": result.parameters, "rows": result.rows},
                      sort_keys=True, default=str)
    digest = sha256_hex(body)
    accessions = sorted(set(ACCESSION_RE.findall(json.dumps(result.rows, default=str))))
    return Evidence(
        key=f"graph:{name}:{digest[:10]}",
        source="graph",
        title=f"Knowledge graph: {title} ({len(result.rows)} rows)",
        url=f"{uri}/{database}" if database else uri,
        params={"query": result.query, "parameters": result.parameters, "columns": result.columns,
                "graph_built_at": built_at},
        sha256=digest,
        accessions=accessions,
        records=result.rows,
        license=GRAPH_LICENSE,
        origin="bundled",
    )
