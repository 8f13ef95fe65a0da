"""Eval runner, scoring rules and run diffs."""
from __future__ import annotations

import json

import pytest

from genelm.connectors.errors import InputError
from genelm.evals.runner import diff_runs, run_eval
from genelm.evals.scoring import score
from genelm.evals.suite import load_suite


@pytest.mark.parametrize("task, gold, pred, expected", [
    ("Gene alias", "SLC38A6", "slc38a6", 1.0),
    ("Gene alias", "SLC38A6", "SLC38A7", 0.0),
    ("Human genome DNA aligment", "chr15:91950805-91950932", "chr15:91950805-91950932", 1.0),
    ("Human genome DNA aligment", "chr15:91950805-91950932", "chr15", 0.5),
    ("Human genome DNA aligment", "chr15:91950805-91950932", "chr1", 0.0),
    ("Gene disease association", "SLC4A1, ATP6V0A4", "SLC4A1, ATP6V1B1", 0.5),
    ("Multi-species DNA aligment", "worm", "Caenorhabditis elegans", 1.0),
    ("Disease gene location", ["17q21.31", "7q34"], "17q21.31, 7q34, 2p13.3", 1.0),
    ("Protein-coding genes", "NA", None, 0.0),
])
def test_geneturing_scoring(task, gold, pred, expected):
    assert score(task, gold, pred) == expected


def test_eval_run_writes_manifest_results_report_and_diff(tmp_path):
    suite = tmp_path / "suite.jsonl"
    suite.write_text("\n".join(json.dumps(x) for x in [
        {"suite": "t", "task": "Gene alias", "question": "What is the official gene symbol of SNAT6?", "answer": "SLC38A6"},
        {"suite": "t", "task": "Gene alias", "question": "What is the official gene symbol of TP53?", "answer": "TP53"},
    ]) + "\n")
    rows, manifest = run_eval([suite], tmp_path / "run1", offline=True)
    assert manifest["network_mode"] == "replay" and manifest["snapshot_hash"] and manifest["finished"]
    assert rows[0]["score"] == 1.0 and rows[0]["citations_ok"] == 1.0
    results = [json.loads(line) for line in (tmp_path / "run1" / "results.jsonl").read_text().splitlines()]
    assert {r["prediction"] for r in results} == {"SLC38A6", "TP53"}
    assert all(set(r) >= {"question", "task", "gold", "prediction", "score", "citations_ok", "seconds"} for r in results)
    assert "| t | Gene alias | 2 | 1.000 |" in (tmp_path / "run1" / "report.md").read_text()
    assert json.loads((tmp_path / "run1" / "manifest.json").read_text())["mean_over_tasks"] == 1.0
    # a changed run shows up in the diff
    (tmp_path / "run2").mkdir()
    changed = [dict(r, prediction="XYZ", score=0.0) if r["gold"] == "TP53" else r for r in results]
    (tmp_path / "run2" / "results.jsonl").write_text("\n".join(json.dumps(r) for r in changed) + "\n")
    (diff,) = diff_runs(tmp_path / "run1", tmp_path / "run2")
    assert diff["b"] == ("XYZ", 0.0)


def test_bad_suite_lines_are_named(tmp_path):
    suite = tmp_path / "bad.jsonl"
    suite.write_text('{"task": "x", "question": "q", "answer": "a"}\n{"question": "no task"}\n')
    with pytest.raises(InputError, match="line 2"):
        load_suite(suite)
