"""Keep API keys and emails out of every log line, including those of libraries (urllib3 logs full URLs).

A process-wide LogRecord factory, installed once, rewrites any record whose text contains a
registered secret.  It is global on purpose: a secret must not reach any handler, whoever logs it.
"""
from __future__ import annotations

import logging
import threading

from genelm.connectors.urls import redact

_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False


def register_secrets(secrets: list[str]) -> None:
    global _installed
    with _lock:
        _secrets.update(s for s in secrets if s)
        if _installed or not _secrets:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args, **kwargs) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            known = list(_secrets)
            try:
                text = record.getMessage()
            except Exception:  # a malformed log call is logging's business, not ours
                return record
            if any(s in text for s in known):
                record.msg, record.args = redact(text, known), None
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
