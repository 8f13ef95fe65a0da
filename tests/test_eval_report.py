"""report.html from an eval run, and `genelm eval diff` showing changed answers side by side."""
from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from genelm.cli import app
from genelm.evals.report_html import report_html
from genelm.evals.runner import per_task, run_eval

MANIFEST = {"mode": "grounded", "network_mode": "replay", "started": "2026-11-30T10:00:00+00:00",
            "git_commit": "abc123", "mean_over_tasks": 0.5, "suites": ["s.jsonl"], "n_items": 4}


def _result(task, question, gold, prediction, score, text=None, **extra):
    return {"suite": "t", "task": task, "question": question, "gold": gold, "prediction": prediction, "score": score,
            "citations_ok": True, "answered": prediction is not None, "citations": [], "error": None, "seconds": 0.1,
            "answer_text": text, **extra}


RESULTS = [
    _result("Gene alias", "What is the official gene symbol of SNAT6?", "SLC38A6", "SLC38A6", 1.0,
            "**Answer:** SLC38A6 [ncbi:gene-search:SNAT6]"),
    _result("Gene alias", "What is the official gene symbol of <script>alert(1)</script>?", "X", "<img src=x>", 0.0),
    _result("Disease gene location", "Where are the genes of disease D?", ["17q21.31", "7q34"], "17q21.31", 0.5),
    _result("regulation", "How is MYC regulated in K562?", {"ask": "regulation", "about": ["MYC"]},
            {"ask": "regulation", "about": ["MYC"]}, 1.0),
]


def test_report_html_is_self_contained_with_a_bar_per_task_and_a_row_per_question():
    page = report_html(RESULTS, per_task(RESULTS), MANIFEST)
    assert page.startswith("<!doctype html>")
    # self-contained: nothing fetched from elsewhere
    assert not re.search(r"<script|<link|@import|src=['\"]?https?:", page, re.IGNORECASE)
    assert "<svg" in page and page.count("<?xml") == 0
    assert sorted(re.findall(r'id="(task-bar-\d+)"', page)) == ["task-bar-0", "task-bar-1", "task-bar-2"]
    assert page.count("class='question-row") == len(RESULTS)
    # API and suite text is escaped, never markup
    assert "<img src=x>" not in page and "&lt;img src=x&gt;" in page and "&lt;script&gt;alert(1)" in page
    # gold and answers of every shape are shown: strings, lists, frames
    assert "17q21.31" in page and "&quot;ask&quot;: &quot;regulation&quot;" in page
    assert "<summary>whole answer</summary><pre>**Answer:** SLC38A6 [ncbi:gene-search:SNAT6]</pre>" in page
    assert "mean over tasks 0.500" in page and "abc123" in page


def test_eval_run_writes_report_html_with_each_answer(tmp_path, monkeypatch):
    monkeypatch.setenv("GENELM_CACHE_DIR", str(tmp_path / "cache"))
    suite = tmp_path / "suite.jsonl"
    suite.write_text("\n".join(json.dumps(x) for x in [
        {"suite": "t", "task": "Gene alias", "question": "What is the official gene symbol of SNAT6?",
         "answer": "SLC38A6"},
        {"suite": "t", "task": "Gene alias", "question": "What is the official gene symbol of TP53?", "answer": "XYZ"},
    ]) + "\n")
    run_eval([suite], tmp_path / "run", offline=True)
    page = (tmp_path / "run" / "report.html").read_text()
    assert page.count("class='question-row") == 2 and 'id="task-bar-0"' in page
    assert "[ncbi:gene-search:SNAT6]" in page  # the whole cited answer, not only the short one
    results = [json.loads(line) for line in (tmp_path / "run" / "results.jsonl").read_text().splitlines()]
    assert all(r["answer_text"] and "**Answer:**" in r["answer_text"] for r in results)


def test_eval_diff_shows_both_answers_side_by_side_for_every_changed_score(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    rows_a = [_result("Gene alias", "Symbol of [bold]SNAT6[/bold]?", "SLC38A6", "SLC38A6", 1.0, "alpha-answer-text"),
              _result("Gene alias", "Symbol of TP53?", "TP53", "TP53", 1.0, "tp53-old"),
              _result("Gene alias", "Unchanged?", "U", "U", 1.0, "same")]
    rows_b = [_result("Gene alias", "Symbol of [bold]SNAT6[/bold]?", "SLC38A6", "XYZ", 0.0, "beta-answer-text"),
              _result("Gene alias", "Symbol of TP53?", "TP53", "tp53", 1.0, "tp53-new"),
              _result("Gene alias", "Unchanged?", "U", "U", 1.0, "same")]
    (a / "results.jsonl").write_text("\n".join(json.dumps(r) for r in rows_a) + "\n")
    (b / "results.jsonl").write_text("\n".join(json.dumps(r) for r in rows_b) + "\n")
    out = CliRunner().invoke(app, ["eval", "diff", str(a), str(b)], env={"COLUMNS": "160"})
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    # side by side: A's and B's answers on the same line, each in its own column
    assert any("alpha-answer-text" in line and "beta-answer-text" in line for line in lines), out.output
    assert any("XYZ" in line and "SLC38A6" in line for line in lines)
    assert "[bold]SNAT6[/bold]" in out.output  # a question is text, not rich markup
    # a prediction that changed without moving the score is listed, without its whole answer
    assert "answer changed, score did not" in out.output and "tp53-new" not in out.output
    assert "Unchanged?" not in out.output
    assert "1 questions changed score, 1 changed only their answer" in out.output
