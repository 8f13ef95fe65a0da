"""Suite files: JSONL lines {"suite", "task", "question", "answer"}, or {…, "cypher"} for graph suites.

A graph item carries a gold Cypher query instead of an answer; it is scored by
executing both queries (evals/graph_scoring.py).  A ``frame`` item's gold is its "frame"; a ``contract``
item's gold is the whole line ("frame" and "short", or "form": "multi" with "parts"; evals/rules.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genelm.connectors.errors import InputError


@dataclass
class Item:
    suite: str
    task: str
    question: str
    answer: Any
    line: int
    cypher: str | None = None
    rule: str | None = None  # a named scoring rule (evals/rules.py): frame, symbol_f1, recall, narrative, contract
    vocab: str | None = None  # symbol_f1/narrative: the symbol list scored against (tf, chip_targets)


def load_suite(path: Path) -> list[Item]:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"suite file {path} does not exist")
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            cypher = obj.get("cypher")
            rule = obj.get("score")
            # A frame item's gold is its frame (what the question asks), not an answer; a contract item's gold is
            # the whole line (its frame and short-answer type, or its parts).
            if rule == "contract" and not (("frame" in obj and "short" in obj) or isinstance(obj.get("parts"), list)):
                raise KeyError("frame and short (or parts)")
            answer = (obj["frame"] if rule == "frame" else obj if rule == "contract"
                      else obj["answer"] if cypher is None else obj.get("answer"))
            items.append(Item(str(obj.get("suite", path.stem)), str(obj["task"]), str(obj["question"]), answer, number,
                              str(cypher) if cypher is not None else None, rule, obj.get("vocab")))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(
                f"{path} line {number} is not a suite item ({type(exc).__name__}: {exc}); each line needs "
                '{"task": …, "question": …, "answer": …} (or "cypher": a gold query)'
            ) from None
    if not items:
        raise InputError(f"suite file {path} has no items")
    return items
