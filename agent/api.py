"""genelm.ask: the Python entry point."""
from __future__ import annotations

import contextvars
import queue
import threading
import time
from pathlib import Path
from typing import Any, Iterator

from genelm import i18n
from genelm.agent.answer import Answer, SentenceOut, render_markdown
from genelm.agent.core.call import ToolContext
from genelm.agent.core.events import Emit, _no_events
from genelm.agent.core.loop import MAX_STEPS, build_graph, run_direct
from genelm.agent.core.several import merge, questions_in
from genelm.agent.llm.select import select_llm
from genelm.connectors.errors import InputError
from genelm.connectors.http import HttpClient, RequestTrace
from genelm.settings import NetworkMode, Settings, use_settings


def make_settings(offline: bool = False, recordings: list[str | Path] | None = None,
                  settings: Settings | None = None, **overrides: Any) -> Settings:
    base = settings or Settings()
    extra: dict[str, Any] = dict(overrides)
    if offline:
        extra["mode"] = NetworkMode.replay
    if recordings:
        extra["recordings"] = [*base.recordings, *[Path(r) for r in recordings]]
    return base.with_overrides(**extra) if extra else base


def ask(question: str, offline: bool = False, recordings: list[str | Path] | None = None,
        settings: Settings | None = None, on_event: Emit | None = None, llm: Any = None,
        thread_id: str | None = None, **overrides: Any) -> Answer:
    """Answer a question; every factual sentence cites evidence from this run.

    ``offline=True`` means replay: recordings and the bundled snapshot only, no network.
    ``on_event`` receives progress events (genelm.agent.core.events) while the answer is built.
    ``llm`` is a spec (``openai:gpt-4.1-mini``, ``smollm2``, ``grounded``, ``auto``; default: settings.llm)
    or a LangChain chat model object.  ``thread_id`` keeps a conversation (on disk) so follow-ups
    such as "and in K562?" resolve against its earlier turns.
    Keyword overrides are Settings fields (e.g. ``mode="live"``, ``timeout_s=5``); ``lang="auto"`` (the
    default) writes the answer in the question's language (English, Chinese, Korean), ``"en"``/``"zh"``/``"ko"`` in that one.
    """
    if not isinstance(question, str) or not question.strip():
        raise InputError("the question is empty; ask something like 'What is the official gene symbol of SNAT6?'")
    if len(question) > 20_000:
        raise InputError(f"the question is {len(question)} characters long; keep it under 20,000")
    if thread_id is not None and not (isinstance(thread_id, str) and 0 < len(thread_id) <= 200):
        raise InputError("thread_id must be a non-empty string of at most 200 characters")
    cfg = make_settings(offline, recordings, settings, **overrides)
    language = i18n.resolve(cfg.lang, question)  # lang= 'auto' (the question's), 'en', 'zh' or 'ko'
    return contextvars.copy_context().run(_ask, question, cfg, language, on_event, llm, thread_id)


def _ask(question: str, cfg: Settings, language: str, on_event: Emit | None, llm: Any,
         thread_id: str | None) -> Answer:
    i18n.set_language(language)  # this call's own context: template sentences and labels in this language
    use_settings(cfg)  # and these settings, for what decides by them (is the graph built under this cache dir?)
    choice = select_llm(llm, cfg)
    trace = RequestTrace()
    http = HttpClient(cfg, trace)
    ctx = ToolContext(http)
    started = time.perf_counter()
    try:
        several = questions_in(question) if choice.model is None and thread_id is None else [question]
        if len(several) > 1:  # each question of the message answered in turn
            state = merge(question, [{**run_direct(ctx, q, cfg.max_workers, on_event or _no_events), "question": q}
                                     for q in several])
        elif choice.model is None and thread_id is None:
            state = run_direct(ctx, question, cfg.max_workers, on_event or _no_events)
        else:
            from genelm.agent.core.memory import checkpointer

            graph = build_graph(ctx, cfg.max_workers, on_event or _no_events, model=choice.model,
                                max_steps=cfg.llm_max_steps if choice.model is not None else MAX_STEPS,
                                checkpointer=checkpointer(cfg) if thread_id else None)
            run_config = {"configurable": {"thread_id": thread_id}} if thread_id else None
            state = graph.invoke({"question": question}, run_config)
    finally:
        ctx.close()
    seconds = time.perf_counter() - started
    ledger = state["ledger"]
    kept = state["kept"]
    cited = {k for s in kept for k in s.keys}
    evidence = [ev for key, ev in ledger.items() if key in cited]
    sentences = [SentenceOut(text=s.text, citations=s.keys, factual=s.factual, part=getattr(s, "part", None))
                 for s in kept]
    warnings = [f"dropped a sentence that {why}: {s.text[:120]!r}" for s, why in state["dropped"]] + trace.warnings
    synthesis = state["synthesis"]
    gaps = shown_gaps(state["gaps"], evidence, offline=cfg.mode.value == "replay")
    short = synthesis.short_answer if any(s.factual for s in kept) or synthesis.short_answer == "NA" \
        or synthesis.verdict == "cannot tell" or state.get("parts") else None
    answer = Answer(
        question=question,
        short_answer=short,
        sentences=sentences,
        evidence=evidence,
        mode=choice.mode,
        intent=state.get("intent"),
        warnings=warnings,
        gaps=gaps,
        trace={
            "seconds": round(seconds, 4),
            "network_mode": cfg.mode.value,
            "language": language,
            "entities": [e.model_dump() for e in state["entities"]],
            "frame": state.get("frame"),
            **({"gaps_not_shown": [g for g in state["gaps"] if g not in gaps]} if len(gaps) < len(state["gaps"])
               else {}),
            **({"parts": state["parts"]} if state.get("parts") else {}),
            "calls": state["calls"],
            "requests": [vars(e) for e in trace.events],
            "evidence_retrieved": len(ledger),
            "llm": {"spec": choice.spec, "reason": choice.reason, "log": state.get("llm_log") or []},
            **({"thread_id": thread_id, "resolved_question": state["resolved"]} if thread_id else {}),
        },
    )
    answer.table = list(synthesis.table or []) if any(s.factual for s in kept) else []
    answer.text = render_markdown(question, short, sentences, evidence, gaps, answer.table)
    return answer


# A live search and the bundled table that answers the same thing: offline, the search's gap is noise once the
# table answered (the gap stays in the trace).  Any other gap may change the answer, so it is shown.
_COVERED_BY = {"ncbi_gene(": ("gene-table", "refseq-summary"), "ncbi_gene_summary(": ("refseq-summary", "gene-table"),
               "encode_search(": ("encode-index",)}


def shown_gaps(gaps: list[str], evidence: list, offline: bool) -> list[str]:
    """The gaps a reader needs: offline, a live search the bundled tables stood in for ('no recording' for
    ncbi_gene under a gene-table answer) is left to the trace; a source that failed or was needed is shown."""
    if not offline:
        return list(gaps)
    sources = {ev.source for ev in evidence}
    shown = []
    for gap in gaps:
        # The call as written ('ncbi_gene(term=…)') and the upstream's reason are never translated: matched in any
        # language the gap line is framed in.
        covered = next((by for call, by in _COVERED_BY.items() if call in gap), None)
        if covered and "no recording for" in gap and sources & set(covered):
            continue
        shown.append(gap)
    return shown


def ask_stream(question: str, **kwargs: Any) -> Iterator[dict]:
    """Progress events as ``ask`` works, then ``{"event": "answer", "answer": Answer}``.

    Errors ``ask`` would raise (e.g. InputError) are raised here, after the events before them.
    """
    events: queue.Queue = queue.Queue()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["answer"] = ask(question, on_event=events.put, **kwargs)
        except BaseException as exc:  # handed to the consumer's thread below
            outcome["error"] = exc
        finally:
            events.put(None)

    threading.Thread(target=run, name="genelm-ask", daemon=True).start()
    while (event := events.get()) is not None:
        yield event
    if "error" in outcome:
        raise outcome["error"]
    yield {"event": "answer", "answer": outcome["answer"]}
