"""Conversation threads on disk: a LangGraph SQLite checkpointer under the cache directory.

A thread's state carries its turns (question, the question it resolved to, the
entities, the short answer) so follow-ups resolve against it, in this process or
the next.  The serializer is told exactly which genelm types a checkpoint may
contain: nothing else is ever rebuilt from the file.
"""
from __future__ import annotations

import sqlite3
import threading
import typing
from pathlib import Path

from genelm.settings import Settings

_SAVERS: dict[Path, object] = {}
_LOCK = threading.Lock()


def _allowed_types() -> list[tuple[str, str]]:
    from genelm.agent.core.registry import ToolCall
    from genelm.agent.core.synthesis import Sentence, Synthesis
    from genelm.agent.grounding.entities import Entity
    from genelm.evidence import Evidence

    classes = [Entity, Evidence, Sentence, Synthesis, *typing.get_args(typing.get_args(ToolCall)[0])]
    return [(cls.__module__, cls.__name__) for cls in classes]


def threads_path(settings: Settings) -> Path:
    return Path(settings.cache_dir) / "threads.sqlite"


def checkpointer(settings: Settings):
    """One SqliteSaver per database file per process (it serialises access with its own lock)."""
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = threads_path(settings)
    with _LOCK:
        if path not in _SAVERS:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), check_same_thread=False)
            _SAVERS[path] = SqliteSaver(conn, serde=JsonPlusSerializer(allowed_msgpack_modules=_allowed_types()))
        return _SAVERS[path]
