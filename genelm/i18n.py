"""Answers in the asker's language: a gettext message catalogue bound to a context variable.

Template sentences, notes and the chat's labels are written in English as msgids with named
placeholders: ``_("The official symbol of {alias} is {symbol}").format(alias=..., symbol=...)``.
Data values (gene symbols, accessions, numbers, units, citation keys) go in through the
placeholders and are never translated, so the verifier checks a translated sentence exactly as
an English one.  ``_`` looks the msgid up in the catalogue of the language bound to this context
(``using("ko")``, set by ``genelm.ask`` from ``lang=``); a msgid without a translation is the
English sentence.

Catalogues: ``genelm/locale/<lang>/LC_MESSAGES/genelm.po`` (extracted with ``pybabel extract``,
see ``genelm/locale/README.md``), compiled with Babel to the ``.mo`` next to it.  A ``.mo`` that is
missing or older than its ``.po`` is compiled when first needed.
"""
from __future__ import annotations

import gettext
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Iterator

LANGUAGES = ("en", "zh", "ko")
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "ko": "Korean"}
CHOICES = ("auto", *LANGUAGES)
DOMAIN = "genelm"
LOCALE_DIR = Path(__file__).with_name("locale")

_language: ContextVar[str] = ContextVar("genelm_language", default="en")


def current() -> str:
    """The language answers are written in, in this context."""
    return _language.get()


def resolve(setting: str | None, question: str = "") -> str:
    """The answer language for a setting ('auto', 'en', 'zh', 'ko'; None = auto) and a question."""
    setting = (setting or "auto").strip().lower()
    if setting in ("zh-cn", "zh-hans", "zh-tw", "zh-hant", "cn", "chinese"):
        setting = "zh"
    elif setting in ("kr", "ko-kr", "korean"):
        setting = "ko"
    elif setting in ("english", "en-us", "en-gb"):
        setting = "en"
    if setting == "auto":
        from genelm.agent.grounding.vocab import question_language

        return question_language(question or "")
    if setting not in LANGUAGES:
        raise ValueError(f"unknown answer language '{setting}'; use one of {', '.join(CHOICES)}")
    return setting


@contextmanager
def using(language: str) -> Iterator[str]:
    """Write answers in ``language`` inside this block (and in what it calls, in this context)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown answer language '{language}'; use one of {', '.join(LANGUAGES)}")
    token = _language.set(language)
    try:
        yield language
    finally:
        _language.reset(token)


def set_language(language: str) -> None:
    """Bind the language for the rest of this context (a worker thread, the chat's handler)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown answer language '{language}'")
    _language.set(language)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalogue(language: str) -> Path:
    """Compile ``<lang>/LC_MESSAGES/genelm.po`` to its ``.mo`` with Babel; returns the ``.mo`` path."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = po_path(language)
    mo = po.with_suffix(".mo")
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    with mo.open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)
    return mo


@lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language (English and a language without a catalogue: the msgids)."""
    if language == "en":
        return gettext.NullTranslations()
    po = po_path(language)
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        try:
            compile_catalogue(language)
        except (OSError, ImportError):  # a read-only install: use the shipped .mo as it is
            pass
    if not mo.exists():
        return gettext.NullTranslations()
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def _(message: str) -> str:
    """The message in the current language (the English msgid where the catalogue has no entry)."""
    return translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for ``n`` in the current language."""
    return translations(_language.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for extraction without translating it here (it is translated where it is shown)."""
    return message


def tr(message: str, **values: object) -> str:
    """``_(message).format(**values)``: a template in the current language with its data filled in.

    A translation that drops or renames a placeholder falls back to the English template, so a
    value (a symbol, an accession, a number) is never lost in translation.
    """
    translated = _(message)
    if translated is not message:
        try:
            return translated.format(**values)
        except (KeyError, IndexError, ValueError):
            pass
    return message.format(**values)


def yes_no(value: bool) -> str:
    """A yes/no short answer in the current language."""
    return _("Yes") if value else _("No")
