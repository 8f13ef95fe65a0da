"""Named scoring rules a suite line can ask for with its ``score`` field.

- ``frame``: exact match of the question's frame (ask, form, about, constraints; case-insensitive,
  human by default) against the gold frame.  Only understanding runs, no calls: this scores
  whether genelm understood the question, not whether the data answer it.
- ``symbol_f1``: F1 between the gold symbols and the symbols of the line's ``vocab`` that the
  answer names, leaving out the symbol the question itself names (``tf``: the bundled Lambert TF
  list; ``chip_targets``: the factors of the ENCODE TF ChIP-seq 2015 gene sets).
- ``recall``: the share of gold strings present in the answer, case-insensitive.
- ``narrative``: the mean of cCRE recall, factor F1 (as symbol_f1), whether the gold top tissue
  is named, and whether the answer opens with a cited "In short" paragraph (``in_short_ok``).
- ``contract``: whether the answer answers the question as asked: the mean of form, constraint coverage
  (each constraint applied in cited evidence or named as not applied) and the short answer's type
  (``score_contract``; the line's gold is the whole line).

Each rule reads the text a user reads: the short answer and the sentences, not the sources list.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_SYMBOL_RE = re.compile(r"(?<![A-Za-z0-9-])[A-Z][A-Z0-9-]{1,15}(?![A-Za-z0-9-])")


def user_text(answer: Any) -> str:
    """The short answer and the sentences: what a person reads (no source titles)."""
    return " ".join([answer.short_answer or "", *(s.text for s in answer.sentences)])


@lru_cache(maxsize=4)
def vocabulary(name: str) -> frozenset[str]:
    if name == "tf":
        from genelm.data import transcription_factors

        return frozenset(transcription_factors())
    if name == "chip_targets":
        from genelm.regulation import chip_targets

        return frozenset(chip_targets())
    raise ValueError(f"unknown vocab '{name}'; use tf or chip_targets")


def named_symbols(text: str, vocab: frozenset[str], question: str) -> set[str]:
    asked = set(_SYMBOL_RE.findall(question))
    return {s for s in _SYMBOL_RE.findall(text) if s in vocab and s not in asked}


def f1(gold: set[str], predicted: set[str]) -> float:
    if not gold and not predicted:
        return 1.0
    hits = len(gold & predicted)
    if not hits:
        return 0.0
    precision, recall = hits / len(predicted), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


def recall(gold: list[str], text: str) -> float:
    lowered = text.lower()
    return sum(str(g).lower() in lowered for g in gold) / len(gold) if gold else 0.0


def in_short_ok(answer: Any) -> bool:
    """The first factual sentence opens the "In short" paragraph (text "In short: …", part "in_short"), the
    paragraph has 2-4 sentences, and each cites evidence the answer holds."""
    factual = [s for s in answer.sentences if s.factual]
    short = [s for s in factual if getattr(s, "part", None) == "in_short"]
    keys = {e.key for e in getattr(answer, "evidence", [])}
    return (bool(factual) and factual[0].text.startswith("In short:") and factual[0] in short
            and 2 <= len(short) <= 4 and all(s.citations and set(s.citations) <= keys for s in short))


def score_rule(item: Any, answer: Any) -> float:
    text = user_text(answer)
    if item.rule == "recall":
        return recall(item.answer, text)
    if item.rule == "symbol_f1":
        return f1(set(item.answer), named_symbols(text, vocabulary(item.vocab), item.question))
    if item.rule == "narrative":
        gold = item.answer
        parts = [recall(gold["ccres"], text),
                 f1(set(gold["tfs"]), named_symbols(text, vocabulary(item.vocab), item.question)),
                 float(gold["tissue"].lower() in text.lower()),
                 float(in_short_ok(answer))]
        return sum(parts) / len(parts)
    if item.rule == "contract":
        return score_contract(item.answer, answer)["score"]
    raise ValueError(f"unknown scoring rule '{item.rule}'")


def score_frame(item: Any) -> dict:
    """Understand the question (no calls) and compare its frame with the gold frame."""
    from genelm.agent.core.frame import frames_match
    from genelm.agent.grounding import ground
    from genelm.agent.grounding.frames import understand

    frame = understand(item.question, ground(item.question)).model_dump(exclude={"understood"})
    return {"suite": item.suite, "task": item.task, "question": item.question, "gold": item.answer,
            "prediction": frame, "score": float(frames_match(item.answer, frame)), "citations_ok": True,
            "answered": frame["ask"] != "unknown", "citations": [], "error": None, "planned_by": "understanding"}


# ---------------------------------------------------------------------------------------------------------------
# contract: did the answer answer the question AS ASKED (issue 23)?
#
# A contract line's gold is the whole suite line: {"frame": {ask, about, constraints, form}, "short": {"type",
# "expect"?}} or, for several questions in one message, {"form": "multi", "parts": [{"frame", "short"}, …]}.
# The score is the mean of three parts, each 0..1, read off the answer a user gets (short answer, sentences,
# cited evidence, the frame in the trace):
#   form         the answer's frame form is the gold form (multi: one answer part per question,
#                ``answer.trace["parts"]``, each scored against the gold part in the same position);
#   constraints  the share of gold constraint values that the answer's frame holds AND that are either among
#                the params of some cited evidence or named in a sentence (or gap) saying they were not applied;
#   short        the short answer has the type asked for (and contains an expected value, where given).
# This module imports no genelm code at import time, so it can be loaded by file path against another checkout.
# ---------------------------------------------------------------------------------------------------------------

NOT_APPLIED_CUES = ("not applied", "not filter", "cannot", "does not cover", "no bundled", "stands in",
                    "not answer", "human only",
                    # the same notes as genelm writes them in Chinese and Korean (genelm/locale)
                    "未被应用", "未加以应用", "无法", "没有内置", "代替", "적용되지 않", "수 없", "대신", "다루는 내장")
# A user reads organisms by their common names; a note may say "mouse" rather than "Mus musculus".
ORGANISM_NAMES = {
    "homo sapiens": ("homo sapiens", "human"),
    "mus musculus": ("mus musculus", "mouse", "mice"),
    "rattus norvegicus": ("rattus norvegicus", "rat"),
    "danio rerio": ("danio rerio", "zebrafish"),
    "drosophila melanogaster": ("drosophila melanogaster", "drosophila", "fruit fly", "fly"),
}
ASSEMBLY_NAMES = {"grch38": ("grch38", "hg38"), "grch37": ("grch37", "hg19")}  # UCSC and GRC names of one assembly
PLACE_KEYS = ("biosample", "tissue")  # a place may be framed as either (ENCODE names tissues as biosamples)
CONTRACT_TYPES = ("yes_no", "number", "band", "coordinate", "list", "symbol", "text", "table")
CONTRACT_FORMS = ("factoid", "list", "count", "yes_no", "comparison", "narrative")
# A cell-type table to read instead of genelm.data.cell_types (scoring an older checkout that lacks it).
CELL_TYPES_TSV: str | None = None

_YES_NO_RE = re.compile(r"^(yes|no|cannot tell|是|否|不是|无法判断|不能确定|예|아니요|아니오|판단할 수 없음)(?![a-z])", re.I)
_NUMBER_RE = re.compile(r"^[~≈]?-?\d[\d,]*(\.\d+)?(\s*[A-Za-z%/]+)?$")
_BAND_RE = re.compile(r"^[0-9XY]{1,2}[pq][0-9.]+")
_COORD_RE = re.compile(r"chr[0-9XYM]{1,2}:\d[\d,]*", re.I)
_GENE_SYMBOL_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,19}(\.\d+)?")


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """A field of a pydantic model, a plain object or a dict."""
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


@lru_cache(maxsize=1)
def _cell_rows() -> tuple[tuple[frozenset[str], str, str], ...]:
    """(names, ENCODE term, proxy) per row of the cell-type table (lower case)."""
    if CELL_TYPES_TSV is not None:
        return _read_cell_table(CELL_TYPES_TSV)
    try:
        from genelm.data.cell_types import cell_types

        by_cell: dict[tuple[str, str], set[str]] = {}
        for name, c in cell_types().items():
            by_cell.setdefault((c.encode_term.lower(), (c.proxy or "").lower()), set()).add(name.lower())
        return tuple((frozenset(names), term, proxy) for (term, proxy), names in by_cell.items())
    except ImportError:
        return ()


def _read_cell_table(path: str) -> tuple[tuple[frozenset[str], str, str], ...]:
    import csv

    with open(path, encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return tuple((frozenset(n.strip().lower() for n in row["names"].split("|") if n.strip()),
                      row["encode_term"].lower(), (row["proxy"] or "").lower()) for row in rows)


def value_names(key: str, value: str) -> list[str]:
    """The lower-case names that stand for a gold constraint value: a cell type also by its ENCODE term and proxy
    (``data/cell_types.tsv``), an organism also by its common name, an assembly also by its UCSC name."""
    v = str(value).strip().lower()
    names = [v]
    if key in PLACE_KEYS:
        for row_names, term, proxy in _cell_rows():
            if v in row_names or v == term:
                names += sorted(row_names) + [term] + ([proxy] if proxy else [])
                break
    if key == "organism":
        names += list(ORGANISM_NAMES.get(v, ()))
    if key == "assembly":
        names += list(ASSEMBLY_NAMES.get(v, ()))
    if key == "assay" and v == "chip-seq":  # a plain 'ChIP-seq' is held by the kind the target makes it
        names += ["tf chip-seq", "histone chip-seq"]
    return list(dict.fromkeys(n for n in names if n))


def _frame_holds(frame: dict, key: str, value: str) -> bool:
    cons = {k: [str(x).strip().lower() for x in (v if isinstance(v, list) else [v])]
            for k, v in (_get(frame, "constraints") or {}).items()}
    if key == "organism" and str(value).strip().lower() == "homo sapiens" and not cons.get("organism"):
        return True  # human by default
    keys = PLACE_KEYS if key in PLACE_KEYS else (key,)
    held = {x for k in keys for x in cons.get(k, [])}
    return any(name in held for name in value_names(key, value))


def _flat_strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _flat_strings(v)]
    if isinstance(value, (list, tuple, set)):
        return [s for v in value for s in _flat_strings(v)]
    return [str(value).lower()]


def _applied(names: list[str], cited: list[Any]) -> bool:
    """Some cited evidence has the value among its params (case-insensitive substring of a param value; hyphens and
    spaces aside, so the 2015 gene sets' 'MCF7' is MCF-7)."""
    squeeze = [re.sub(r"[^a-z0-9]", "", n) for n in names]
    return any(name in s or (sq and sq in re.sub(r"[^a-z0-9]", "", s))
               for ev in cited for s in _flat_strings(list((_get(ev, "params") or {}).values()))
               for name, sq in zip(names, squeeze))


def _named_not_applied(names: list[str], notes: list[str]) -> bool:
    """A sentence names the value and says it was not applied (or that a proxy stands in for it)."""
    for text in notes:
        low = text.lower()
        if any(cue in low for cue in NOT_APPLIED_CUES) and any(name in low for name in names):
            return True
    return False


def _short_ok(spec: dict, short: str | None, sentences: list[Any], form: str | None, answer: Any) -> tuple[float, str]:
    """1.0 when the short answer has the type asked for (and an expected value), else 0.0 with the reason."""
    kind = spec.get("type")
    s = (short or "").strip().strip("*").strip()
    texts = [_get(x, "text") or "" for x in sentences]
    if kind == "yes_no":
        ok, why = bool(_YES_NO_RE.match(s)), "not yes/no/cannot tell"
    elif kind == "number":
        ok, why = bool(_NUMBER_RE.match(s)), "not a number"
    elif kind == "band":
        ok, why = bool(_BAND_RE.match(s)), "not a cytogenetic band"
    elif kind == "coordinate":
        ok, why = bool(_COORD_RE.search(s)), "no chrN:position"
    elif kind == "list":
        ok, why = bool(s) and not re.fullmatch(r"(yes|no|cannot tell)[.!]?", s, re.I), "empty or a bare yes/no"
    elif kind == "symbol":
        ok, why = bool(_GENE_SYMBOL_RE.fullmatch(s)), "not a gene symbol"
    elif kind == "table":
        ok, why = bool(_get(answer, "table")) or bool(s), "no table"
    elif kind == "text":
        ok, why = bool(s) or (form == "narrative" and bool(texts)), "empty"
    else:
        raise ValueError(f"unknown short-answer type '{kind}'; use one of {', '.join(CONTRACT_TYPES)}")
    if not ok:
        return 0.0, f"short {kind}: {why} ({short!r})"
    expect = [str(e) for e in spec.get("expect") or []]
    if expect:
        first = [t for t in texts[:1]] + [_get(x, "text") or "" for x in sentences if _get(x, "factual", True)][:1]
        hay = [s, *first]
        if not any(re.search(rf"(?<![A-Za-z0-9]){re.escape(e)}(?![A-Za-z0-9])", h, re.I) for e in expect for h in hay):
            return 0.0, f"short {kind}: none of {expect} in {short!r} or the first sentence"
    return 1.0, ""


def contract_part(gold_frame: dict, spec: dict, frame: dict | None, short: str | None, sentences: list[Any],
                  evidence: list[Any], gaps: list[str] = (), answer: Any = None) -> dict:
    """Score one question (a gold frame and short spec) against one answer (or one part of it)."""
    frame = frame or {}
    detail: list[str] = []
    got_form = _get(frame, "form")
    form = float(got_form == gold_frame.get("form"))
    if not form:
        detail.append(f"form: {got_form} (gold {gold_frame.get('form')})")
    cited_keys = {k for x in sentences for k in (_get(x, "citations") or [])}
    cited = [ev for ev in evidence if _get(ev, "key") in cited_keys]
    notes = [_get(x, "text") or "" for x in sentences] + list(gaps or [])
    values = [(k, str(v)) for k, vs in (gold_frame.get("constraints") or {}).items()
              for v in (vs if isinstance(vs, list) else [vs])]
    counted = 0
    for key, value in values:
        names = value_names(key, value)
        if not _frame_holds(frame, key, value):
            detail.append(f"constraint {key}={value}: not in the answer's frame")
        elif not (_applied(names, cited) or _named_not_applied(names, notes)):
            detail.append(f"constraint {key}={value}: neither in cited evidence params nor named as not applied")
        else:
            counted += 1
    constraints = counted / len(values) if values else 1.0
    short_score, why = _short_ok(spec, short, sentences, got_form, answer)
    if why:
        detail.append(why)
    return {"form": form, "constraints": constraints, "short": short_score,
            "score": (form + constraints + short_score) / 3, "detail": detail}


def score_contract(gold: dict, answer: Any) -> dict:
    """Score an answer against a contract line (its whole dict): {"score", "form", "constraints", "short",
    "detail": [what failed], "parts": [per question, for a multi line]}."""
    sentences = list(_get(answer, "sentences") or [])
    evidence = list(_get(answer, "evidence") or [])
    gaps = list(_get(answer, "gaps") or [])
    trace = _get(answer, "trace") or {}
    if gold.get("form") != "multi":
        out = contract_part(gold["frame"], gold["short"], trace.get("frame"), _get(answer, "short_answer"),
                            sentences, evidence, gaps, answer)
        return out | {"parts": None}
    gold_parts = gold["parts"]
    got_parts = trace.get("parts")
    if not isinstance(got_parts, list) or not got_parts:
        zero = {"form": 0.0, "constraints": 0.0, "short": 0.0, "score": 0.0}
        return zero | {"detail": [f"form: one answer for {len(gold_parts)} questions (no trace parts)"], "parts": None}
    scored = []
    for i, g in enumerate(gold_parts):
        if i >= len(got_parts):
            scored.append({"form": 0.0, "constraints": 0.0, "short": 0.0, "score": 0.0,
                           "detail": [f"part {i + 1}: not answered"]})
            continue
        p = got_parts[i]
        p_sentences = _get(p, "sentences")
        one = contract_part(g["frame"], g["short"], _get(p, "frame"), _get(p, "short_answer"),
                            list(p_sentences) if p_sentences is not None else sentences, evidence,
                            list(_get(p, "gaps") or gaps), answer)
        one["detail"] = [f"part {i + 1}: {d}" for d in one["detail"]]
        scored.append(one)
    out = {k: sum(s[k] for s in scored) / len(scored) for k in ("form", "constraints", "short")}
    detail = [d for s in scored for d in s["detail"]]
    if len(got_parts) > len(gold_parts):
        out["form"] *= len(gold_parts) / len(got_parts)
        detail.append(f"form: {len(got_parts)} answer parts for {len(gold_parts)} questions")
    out["score"] = (out["form"] + out["constraints"] + out["short"]) / 3
    return out | {"detail": detail, "parts": [{k: s[k] for k in ("form", "constraints", "short", "score")}
                                             for s in scored]}


def frame_holds(frame: Any, key: str, value: str) -> bool:
    """The frame holds a constraint value (case-insensitive; human by default; a cell type by its ENCODE term or
    proxy; biosample and tissue interchangeable)."""
    return _frame_holds(frame if isinstance(frame, dict) else frame.model_dump(), key, value)


def said_not_recognised(frame: Any, value: str) -> bool:
    """``frame.understood`` says a place of the question was not recognised, and that place is this value (a word
    of it in common, so a typo such as 'bone marow' for 'bone marrow' is the same place)."""
    words = set(re.findall(r"[a-z0-9]{3,}", str(value).lower()))
    for note in _get(frame, "understood") or []:
        low = str(note).lower()
        if low.startswith("not recognised") and (str(value).lower() in low or words & set(re.findall(r"[a-z0-9]{3,}", low))):
            return True
    return False


def uncovered_constraints(frame: Any, sentences: list[Any], evidence: list[Any], gaps: list[str] = ()) -> list[str]:
    """The constraint values of a frame that are neither among the params of evidence a sentence cites nor named in
    a sentence (or gap) saying they were not applied: the invariant every answer keeps (issue 23)."""
    cited_keys = {k for x in sentences for k in (_get(x, "citations") or [])}
    cited = [ev for ev in evidence if _get(ev, "key") in cited_keys]
    notes = [_get(x, "text") or "" for x in sentences] + list(gaps or [])
    out = []
    for key, values in (_get(frame, "constraints") or {}).items():
        for value in values if isinstance(values, list) else [values]:
            names = value_names(key, str(value))
            if not (_applied(names, cited) or _named_not_applied(names, notes)):
                out.append(f"{key}={value}")
    return out
