"""Execution scoring for text-to-Cypher (as Neo4j's text2cypher benchmark does): compare result rows, not query text.

The gold query and genelm's query both run against the same graph.  A prediction
scores 1 when its rows cover the gold rows one to one: the same number of rows,
and each gold row's values found in a distinct predicted row (a predicted query
may return more columns than the gold one, e.g. the experiments behind each TF,
and column names and order do not matter).  Otherwise it scores the fraction of
gold rows covered, minus nothing for extra rows, capped by the row-count ratio.
"""
from __future__ import annotations

import json
import time
from collections import Counter


def _canon(value) -> str:
    if isinstance(value, (list, tuple)):
        return json.dumps(sorted(_canon(v) for v in value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, default=str)


def _values(row: dict) -> Counter:
    return Counter(_canon(v) for v in row.values())


def execution_score(gold: list[dict], predicted: list[dict]) -> float:
    if not gold and not predicted:
        return 1.0
    if not gold or not predicted:
        return 0.0
    remaining = [_values(r) for r in predicted]
    covered = 0
    for row in gold:
        need = _values(row)
        for i, have in enumerate(remaining):
            if not need - have:  # every gold value is in this predicted row
                covered += 1
                del remaining[i]
                break
    coverage = covered / len(gold)
    return coverage * min(1.0, len(gold) / len(predicted))


def run_graph_item(item, conn) -> dict:
    """Plan the question, run the plan and the gold query, and score by execution."""
    from genelm.connectors.errors import GenelmError
    from genelm.graph.text2cypher import plan_query

    started = time.perf_counter()
    error = None
    gold = conn.read(item.cypher).rows
    plan = plan_query(item.question)
    predicted: list[dict] = []
    if plan is not None:
        try:
            predicted = conn.read(plan.cypher, plan.parameters).rows
        except GenelmError as exc:
            error = str(exc)
    return {
        "suite": item.suite, "task": item.task, "question": item.question, "gold": item.cypher,
        "prediction": None if plan is None else {"template": plan.template.name, "parameters": plan.parameters,
                                                 "cypher": plan.cypher},
        "gold_rows": len(gold), "predicted_rows": len(predicted),
        "score": execution_score(gold, predicted) if plan is not None else 0.0,
        "citations_ok": True, "answered": plan is not None and error is None, "citations": [], "error": error,
        "seconds": round(time.perf_counter() - started, 4),
    }
