"""The offline ceiling: a failure can rise only when a recorded (non-search) response names its subject."""
from __future__ import annotations

from genelm.evals.ceiling import ceilings


def test_a_failure_without_a_record_is_capped_at_its_score_and_one_with_a_record_can_reach_the_task_cap():
    results = [
        {"task": "Gene location", "question": "Which chromosome is RP11-17A4.3 gene located on human genome?",
         "score": 0.0},
        {"task": "Gene location", "question": "Which chromosome is TP53 gene located on human genome?", "score": 0.0},
        {"task": "Human genome DNA aligment", "question": "Align the DNA sequence to the human genome:"
         "ACGTACGTACGTACGTACGTACGTACGTACGTACGT", "score": 0.0},
    ]
    recordings = [
        {"endpoint": "esearch.fcgi", "response": "RP11-17A4.3 RP11[All Fields]"},  # a search names it: not enough
        {"endpoint": "efetch.fcgi", "response": "1. TP53 Official Symbol: TP53 ... Chromosome: 17"},
        {"endpoint": "Blast.cgi", "response": "Query 1 ACGTACGTACGTACGTACGTACGTACGTACGT 32"},
    ]
    table = ceilings(results, recordings, {"Human genome DNA aligment": 0.5})
    assert table["Gene location"] == (0.0, 0.5)
    assert table["Human genome DNA aligment"] == (0.0, 0.5)
