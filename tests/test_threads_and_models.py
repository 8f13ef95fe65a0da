"""Multi-turn threads (SQLite checkpointer), model selection, and an OpenAI-compatible server end to end."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from langchain_core.messages import AIMessage, HumanMessage

import genelm
from genelm.agent.core.follow_up import resolve_follow_up
from genelm.agent.grounding import ground
from genelm.agent.llm.select import select_llm
from genelm.connectors.errors import InputError
from genelm.settings import Settings
from scripted_llm import ScriptedChatModel, call, calls
from conftest import ok_json


ALIASES_PROSE = AIMessage(content="SLC38A6 is the official symbol; SNAT6 is among its aliases. [gene-table:145389]\n"
                                  "Short answer: SLC38A6")


def _turn(question: str) -> dict:
    return {"question": question, "resolved": question, "entities": [e.model_dump() for e in ground(question)]}


@pytest.mark.parametrize("previous, follow_up, resolved", [
    ("Which ENCODE experiments profile POLR2A in GM12878?", "and in K562?",
     "Which ENCODE experiments profile POLR2A in K562?"),
    ("Which ENCODE experiments profile POLR2A in GM12878?", "What about CTCF?",
     "Which ENCODE experiments profile CTCF in GM12878?"),
    ("What is the official gene symbol of SNAT6?", "what about its aliases?", "What are the aliases of SLC38A6?"),
    ("What is the official gene symbol of SNAT6?", "Where is it located?", "Where is SLC38A6 located?"),
])
def test_follow_ups_resolve_against_the_previous_turn(previous, follow_up, resolved):
    assert resolve_follow_up(follow_up, [_turn(previous)]) == resolved


def test_a_new_question_in_a_thread_stands_as_asked():
    history = [_turn("Which ENCODE experiments profile POLR2A in GM12878?")]
    assert resolve_follow_up("What is the official gene symbol of LMP10?", history) is None
    assert resolve_follow_up("and in K562?", []) is None


def test_a_thread_persists_on_disk_across_processes(tmp_path):
    first = genelm.ask("Which ENCODE experiments profile POLR2A in GM12878?", offline=True, thread_id="t1",
                       cache_dir=tmp_path)
    assert "ENCSR000BGD" in first.short_answer
    assert (tmp_path / "threads.sqlite").exists()
    # A second process (the CLI) continues the same thread from the file.
    env = {**os.environ, "GENELM_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "genelm.cli", "ask", "and in K562?", "--offline", "--thread", "t1",
                          "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["trace"]["resolved_question"] == "Which ENCODE experiments profile POLR2A in K562?"
    assert "ENCSR000EHL" in answer["short_answer"] and "ENCSR000BGD" not in answer["short_answer"]
    assert all(s["citations"] for s in answer["sentences"] if s["factual"])
    # Another thread id knows nothing of this conversation.
    other = genelm.ask("and in K562?", offline=True, thread_id="t2", cache_dir=tmp_path)
    assert other.trace["resolved_question"] == "and in K562?"


def test_pronoun_follow_up_answers_about_the_previous_gene(tmp_path):
    genelm.ask("What is the official gene symbol of SNAT6?", offline=True, thread_id="g", cache_dir=tmp_path)
    answer = genelm.ask("what about its aliases?", offline=True, thread_id="g", cache_dir=tmp_path)
    assert answer.trace["resolved_question"] == "What are the aliases of SLC38A6?"
    assert "SNAT6" in answer.text and answer.citations_ok


def test_the_llm_sees_the_threads_earlier_turns(tmp_path):
    genelm.ask("What is the official gene symbol of SNAT6?", offline=True, thread_id="m", cache_dir=tmp_path)
    model = ScriptedChatModel(script=[calls(call("gene_table", term="SLC38A6")), AIMessage(content="DONE"), ALIASES_PROSE])
    answer = genelm.ask("what about its aliases?", offline=True, thread_id="m", cache_dir=tmp_path, llm=model)
    opening = [m.content for m in model.seen[0] if isinstance(m, HumanMessage)][0]
    assert "Earlier in this conversation" in opening and "SNAT6" in opening and "SLC38A6" in opening
    # SLC38A6 is grounded by the resolved question, so the call ran.
    assert [c["call"] for c in answer.trace["calls"]] == ["gene_table(term='SLC38A6')"]


def test_thread_ids_are_checked():
    with pytest.raises(InputError, match="thread_id"):
        genelm.ask("What is the official gene symbol of SNAT6?", offline=True, thread_id="")


# ---------------------------------------------------------------------------- model selection
def test_auto_without_a_configured_model_is_grounded_and_says_why():
    choice = select_llm("auto", Settings(), env={})
    assert choice.model is None and choice.mode == "grounded"
    assert "no LLM is configured" in choice.reason and "OPENAI_API_KEY" in choice.reason


def test_auto_picks_a_configured_openai_compatible_server():
    choice = select_llm("auto", Settings(llm_base_url="http://127.0.0.1:9/v1"), env={"OPENAI_BASE_URL": "x"})
    assert choice.mode.startswith("llm:openai:") and "OPENAI" in choice.reason


def test_grounded_asked_for_explicitly():
    assert select_llm("grounded", Settings()).model is None


def _completion(message: dict) -> tuple:
    return ok_json({"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "test-model",
                    "choices": [{"index": 0, "message": message,
                                 "finish_reason": "tool_calls" if message.get("tool_calls") else "stop"}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})


def _stream(text: str) -> tuple:
    def chunk(delta: dict, finish=None) -> str:
        return "data: " + json.dumps({"id": "chatcmpl-2", "object": "chat.completion.chunk", "created": 0,
                                      "model": "test-model",
                                      "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}) + "\n\n"
    words = text.split(" ")
    body = chunk({"role": "assistant", "content": ""}) + "".join(
        chunk({"content": w + ("" if i == len(words) - 1 else " ")}) for i, w in enumerate(words))
    body += chunk({}, "stop") + "data: [DONE]\n\n"
    return (200, {"Content-Type": "text/event-stream"}, body.encode())


def test_openai_spec_against_an_openai_compatible_server(tmp_path, fault_server):
    """The real langchain-openai client, talking to a local server that speaks the OpenAI chat-completions
    format as its API reference documents it (tool_calls with JSON-string arguments; SSE chunks when streaming)."""
    pytest.importorskip("langchain_openai")
    fault_server.script(
        "/v1/chat/completions",
        _completion({"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "gene_table", "arguments": '{"term": "SNAT6"}'}}]}),
        _completion({"role": "assistant", "content": "DONE"}),
        _stream("SNAT6 is an alias of SLC38A6. [gene-table:145389]\nShort answer: SLC38A6"),
    )
    answer = genelm.ask("What is the official gene symbol of SNAT6?", offline=True, cache_dir=tmp_path,
                        llm="openai:test-model", llm_base_url=fault_server.url("/v1"))
    assert answer.mode == "llm:openai:test-model"
    assert [c["call"] for c in answer.trace["calls"]] == ["gene_table(term='SNAT6')"]
    assert answer.short_answer == "SLC38A6" and answer.citations_ok
    posted = [h for h, _ in fault_server.hits if h.startswith("/v1/chat/completions")]
    assert len(posted) == 3


@pytest.mark.parametrize("spec, class_name, env", [
    ("anthropic:claude-sonnet-4-5", "ChatAnthropic", {"ANTHROPIC_API_KEY": "sk-test-not-real"}),
    ("ollama:llama3.1", "ChatOllama", {}),
    ("openai:gpt-4.1-mini", "ChatOpenAI", {"OPENAI_API_KEY": "sk-test-not-real"}),
])
def test_provider_specs_build_their_langchain_models(monkeypatch, spec, class_name, env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    choice = select_llm(spec, Settings())
    assert type(choice.model).__name__ == class_name and choice.mode == f"llm:{spec}"


def test_a_provider_without_its_key_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(InputError, match="anthropic:claude-x needs an API key: set ANTHROPIC_API_KEY"):
        select_llm("anthropic:claude-x", Settings())
