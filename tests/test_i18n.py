"""Answers in the asker's language: the gettext catalogues (genelm/locale) and how answers use them.

Every msgid of the template (extracted from the code with Babel) must have a Chinese and a Korean
entry that keeps its placeholders; the shipped .mo files must be the compiled .po files; a missing
translation falls back to English; data (symbols, accessions, numbers, citation keys) is never
translated, and the verifier checks a translated sentence as it checks an English one.
"""
from __future__ import annotations

import io
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import genelm
from genelm import i18n
from genelm.agent.core.frame import ASKS
from genelm.agent.core.synthesis import Sentence
from genelm.agent.core.verify import check_sentence
from genelm.evidence import Evidence

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "tr": (1,), "ngettext": (1, 2)}


def catalogue(language: str):
    with i18n.po_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=i18n.DOMAIN)


def extracted_msgids() -> set:
    """The msgids in the code now (what `pybabel extract -F genelm/locale/babel.cfg -k tr -k N_` finds)."""
    method_map = [("agent/**.py", "python"), ("genelm/**.py", "python"), ("ui/**.py", "python"),
                  ("data/**.py", "python")]
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, keywords={**KEYWORDS}):
        if not message:
            continue
        found.add(message[0] if isinstance(message, tuple) and len(message) == 2 else message)
    return {m for m in found if m}


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


@pytest.mark.parametrize("language", ["zh", "ko"])
def test_every_template_in_the_code_has_a_translation_that_keeps_its_placeholders(language):
    cat = catalogue(language)
    entries = {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in cat if m.id}
    missing = sorted(m for m in extracted_msgids() if m not in entries or not entries[m].string
                     or (isinstance(entries[m].string, tuple) and not all(entries[m].string)))
    assert not missing, f"{len(missing)} msgids lack a {language} entry (run pybabel update; see " \
                        f"genelm/locale/README.md): {missing[:5]}"
    for key, message in entries.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for translated in strings:
            assert placeholders(translated) == placeholders(key), (language, key, translated)


@pytest.mark.parametrize("language", ["zh", "ko"])
def test_the_shipped_mo_is_the_compiled_po(language):
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language), use_fuzzy=False)
    assert i18n.po_path(language).with_suffix(".mo").read_bytes() == compiled.getvalue(), \
        "the .mo is stale: run .venv/bin/pybabel compile -d genelm/locale -D genelm"


def test_ask_descriptions_are_all_marked_for_translation():
    from genelm import i18n_terms

    assert set(ASKS.values()) == set(i18n_terms.ASK_DESCRIPTIONS)


def test_the_language_follows_the_context_and_a_missing_entry_is_english():
    assert i18n.current() == "en" and i18n._("Sources") == "Sources"
    with i18n.using("zh"):
        assert i18n._("Sources") == "来源"
        assert i18n._("a sentence no catalogue holds") == "a sentence no catalogue holds"
        assert i18n.tr("The aliases of {symbol} are {aliases}.", symbol="TP53", aliases="P53, LFS1") == \
            "TP53 的别名为 P53, LFS1。"
        with i18n.using("ko"):
            assert i18n.yes_no(True) == "예"
        assert i18n.yes_no(False) == "否"
    assert i18n._("Sources") == "Sources"
    assert i18n.resolve("auto", "간에서 발현되는 전사인자는?") == "ko"
    assert i18n.resolve(None, "哪些转录因子在人类肝脏中表达上调？") == "zh"
    assert i18n.resolve("auto", "How is KRAS regulated?") == "en"
    assert i18n.resolve("en", "간에서 발현되는 전사인자는?") == "en"
    with pytest.raises(ValueError):
        i18n.resolve("fr", "")


def test_a_translation_that_loses_a_placeholder_falls_back_to_english(monkeypatch):
    class Broken:
        def gettext(self, message):
            return "{nope}"

    monkeypatch.setattr(i18n, "translations", lambda language: Broken())
    with i18n.using("ko"):
        assert i18n.tr("The record of {symbol} states no chromosome.", symbol="TP53") == \
            "The record of TP53 states no chromosome."


def test_the_verifier_checks_a_translated_sentence_as_an_english_one():
    ev = Evidence(key="k", source="test", title="t", url=None, records=[{"n": 14, "acc": "ENCSR000BLF"}],
                  params={}, origin="bundled", sha256="0" * 64)
    ledger = {"k": ev}
    for text in ("ENCSR999ZZZ은(는) 실험입니다.", "包括ENCSR999ZZZ的实验", "전사인자 915개", "共915个"):
        assert check_sentence(Sentence(text, ["k"]), ledger) is not None, text
    for text in ("ENCSR000BLF은(는) 실험입니다.", "전사인자 14개"):
        assert check_sentence(Sentence(text, ["k"]), ledger) is None, text


@pytest.mark.parametrize("question, language, words", [
    ("哪些转录因子在人类肝脏中表达上调？", "zh", "转录因子"),
    ("간에서 특이적으로 발현되는 전사인자는?", "ko", "전사인자"),
])
def test_an_answer_is_in_the_question_language_and_in_english_on_request(question, language, words):
    native = genelm.ask(question, offline=True)
    english = genelm.ask(question, offline=True, lang="en")
    assert native.trace["language"] == language and english.trace["language"] == "en"
    assert native.short_answer == english.short_answer and native.short_answer
    assert [s.citations for s in native.sentences] == [s.citations for s in english.sentences]
    assert all(s.citations for s in native.sentences if s.factual) and not native.warnings
    assert words in native.text and words not in english.text
    assert english.text.startswith("**Answer:**") and not native.text.startswith("**Answer:**")
    # data is carried through unchanged: every symbol of the short answer is in the translated sentence
    assert set(native.short_answer.split(", ")) <= set(re.findall(r"[A-Z0-9]{3,}", native.text))


def test_an_english_question_can_be_answered_in_korean():
    answer = genelm.ask("What is the official gene symbol of SNAT6?", offline=True, lang="ko")
    assert answer.short_answer == "SLC38A6" and "공식 기호" in answer.text and "[ncbi:gene-search:SNAT6]" in answer.text


def test_the_cli_takes_lang():
    run = subprocess.run([sys.executable, "-m", "genelm.cli", "ask", "간에서 특이적으로 발현되는 전사인자는?", "--offline",
                          "--lang", "en"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "**Answer:**" in run.stdout and "transcription factors" in run.stdout
