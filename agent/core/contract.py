"""The answer contract: an answer answers the question as it was asked, whatever wrote its sentences.

Checked for every answer, grounded or LLM, after the capability (and the form) have spoken:

- *yes/no*: the short answer is yes, no or "cannot tell", and the sentence that says why comes first.
  A capability decides with ``Synthesis.decide``; when none did, the answer says it cannot tell from
  what genelm consulted, and names those sources, instead of leaving a list where a yes/no was asked.
- *count*: the short answer is a number, computed by the capability with the frame's filters; the
  answer names those filters.
- *constraints*: each constraint of the frame (target, biosample, tissue, assay, organism, assembly,
  window) is either among the parameters of evidence the answer cites, or named in a note as not
  applied.  Nothing is dropped silently.
- *names*: a gene name several genes share is read by the resolver's stated ranking, and the answer
  says how it was read ("p21 is read as CDKN1A; it is also a name of …").

Several questions in one message are split here (``split_questions``) and each is answered in turn.
"""
from __future__ import annotations

import re

from genelm.agent.core.frame import DEFAULT_ORGANISM, Frame
from genelm.agent.core.synthesis import Sentence, Synthesis
from genelm.data.cell_types import proxy_for
from genelm.i18n import N_, _, tr

VERDICTS = (N_("yes"), N_("no"), N_("cannot tell"))  # marked: translated where shown, as _(verdict)


def enforce(frame: Frame, s: Synthesis, ledger: dict, entities: list) -> Synthesis:
    """The synthesis with the contract applied (it is changed in place and returned)."""
    _say_readings(s, entities)
    if frame.ask == "unknown":
        return s
    if frame.form == "yes_no":
        _yes_no(s, ledger)
    missing = unapplied_constraints(frame, s, ledger)
    if frame.form == "count":
        _count(frame, s, missing)
    _constraints(s, missing)
    return s


def _yes_no(s: Synthesis, ledger: dict) -> None:
    if s.verdict is None:  # a capability that wrote its yes/no as the short answer
        s.verdict = next((v for v in VERDICTS if s.short_answer in (v, _(v))), None)
    if s.verdict in VERDICTS:
        s.short_answer = _(s.verdict)
        return
    consulted = sorted({ev.source for ev in ledger.values()})
    s.verdict = "cannot tell"
    s.short_answer = _("cannot tell")
    if not consulted:
        return  # nothing was looked up: the notes already say why (an unrecognised place, an unanswered source)
    where = ", ".join(consulted)
    s.sentences.insert(0, Sentence(
        tr("genelm cannot give a yes or no from what it consulted ({sources}); what those sources hold follows.",
           sources=where), [], factual=False))


def _count(frame: Frame, s: Synthesis, missing: dict[str, list[str]]) -> None:
    if s.short_answer is not None and re.fullmatch(r"\d+", s.short_answer.strip()) and not missing:
        filters = _filter_phrase(frame)
        if filters:
            s.note(tr("Counted with every filter the question names: {filters}.", filters=filters))
        return
    if missing and s.short_answer is not None:
        s.note(tr("genelm gives no number: the records it found do not carry {filters}, and a count without them would "
                  "answer another question.",
                  filters="; ".join(f"{_(k)} {', '.join(v)}" for k, v in missing.items())))
    s.short_answer = None  # never a list, a name or a count without the question's filters where a number was asked


def _filter_phrase(frame: Frame) -> str:
    parts = []
    for key, values in frame.constraints.items():
        if key == "organism" and values == [DEFAULT_ORGANISM]:
            continue
        parts.append(f"{_(key)} {', '.join(values)}")
    return "; ".join(parts)


def unapplied_constraints(frame: Frame, s: Synthesis, ledger: dict) -> dict[str, list[str]]:
    """Each constraint value of the frame that the answer did not apply: key -> values."""
    wanted = {k: [v for v in vs if not (k == "organism" and v == DEFAULT_ORGANISM)]
              for k, vs in frame.constraints.items() if k not in s.applied}
    if not any(wanted.values()):
        return {}  # most questions: nothing to look for, so no evidence is read
    cited = {k for sentence in s.sentences for k in sentence.keys} | set(s.verdict_keys)
    blobs = []
    for key in cited:
        ev = ledger.get(key)
        if ev is not None:
            blobs.append(" ".join(str(v) for v in (ev.params or {}).values()).lower() + " " + ev.title.lower())
    text = " ".join(sentence.text for sentence in s.sentences).lower()
    # A sentence that names the value and cites records holding it applied it ('… in K562 …' citing the
    # per-cell gene sets of every cell line, K562's among them).
    said = [(sentence.text.lower(), " ".join(str(r) for k in sentence.keys if k in ledger
                                             for r in ledger[k].records[:2000]).lower())
            for sentence in s.sentences if sentence.factual and sentence.keys]
    missing: dict[str, list[str]] = {}
    for key, values in wanted.items():
        for value in values:
            forms = _equivalents(key, value)
            if any(f in blob for f in forms for blob in blobs):
                continue
            if any(f in sentence and f in records for f in forms for sentence, records in said):
                continue
            v = value.lower()
            if v in text and re.search(r"not applied|not filter|cannot|does not cover|no bundled|stands? in|"
                                       r"only human|human-only|is human|are human"
                                       # the same notes in Chinese and Korean (genelm/locale)
                                       r"|无法|未被应用|未加以应用|没有按|没有内置|只有人类"
                                       r"|수 없|적용되지 않|적용하지 않|걸러진 것은 없|다루지 않|다루는 내장|내장 조절 증거", text):
                continue  # the answer already says what it did with it
            missing.setdefault(key, []).append(value)
    return missing


_SAME = [{"grch37", "hg19"}, {"grch38", "hg38"}, {"mus musculus", "mouse"}, {"rattus norvegicus", "rat"},
         {"danio rerio", "zebrafish"}, {"drosophila melanogaster", "fly", "drosophila"},
         {"caenorhabditis elegans", "worm", "c. elegans"}, {"tf chip-seq", "chip-seq"}, {"histone chip-seq", "chip-seq"}]


def _equivalents(key: str, value: str) -> set[str]:
    """The ways evidence writes a constraint's value: hg19 for GRCh37, mouse for Mus musculus, K562 for erythroid."""
    v = value.lower()
    forms = {v, re.sub(r"[^a-z0-9]", "", v)} | {f for group in _SAME if v in group for f in group}
    if key == "biosample" and (cell := proxy_for(value)) is not None and cell.proxy:
        forms.add(cell.proxy.lower())
    return forms


def _constraints(s: Synthesis, missing: dict[str, list[str]]) -> None:
    if not any(x.factual for x in s.sentences):
        return  # a statement of what is missing already scopes itself
    for key, values in missing.items():
        s.note(tr("The question's {key} ({values}) was not applied: none of the records this answer rests on "
                  "is filtered by it.", key=_(key), values=", ".join(values)))


def _say_readings(s: Synthesis, entities: list) -> None:
    """How an ambiguous gene name was read, first; a family's members are said by the family capability."""
    lines = [e.attrs["reading"] for e in entities
             if e.kind == "gene" and e.attrs.get("ambiguous") and e.attrs.get("reading")]
    for line in reversed(list(dict.fromkeys(lines))):
        s.sentences.insert(0, Sentence(line, [], factual=False))


# --- several questions in one message --------------------------------------------------------------------------

_ASKING = r"(?:is|are|does|do|did|can|could|which|what|where|how|when|who|list|show|give|tell|describe|count|compare)"
# '…, and which …', '…; …', 'OCT4의 공식 심볼은 뭐고, 몇 번 …' ('… is what, and …'), '… + which tissues express it'
_SECOND = re.compile(rf"(?:[,;]\s*|\s+)(?:and|also|plus|then)\s+(?={_ASKING}\b)|;\s+(?=\S)|"
                     r"(?:(?<=뭐고)|(?<=이고)|(?<=어디고)),\s*|"
                     rf"\s\+\s+(?={_ASKING}\b)", re.I)

_SENTENCE_END = re.compile(r"(?<=[?？。！])\s*(?=\S)|(?<=[.!])\s+(?=\S)")
_LEAD = re.compile(r"^(?:also|and|plus|then|additionally|second(?:ly)?|finally)\b[\s,:]*", re.I)
_NUMBERED = re.compile(r"(?:^|\s)(\d)[).]\s+")


# '…에 있고, …' / '…되고, …' joins two questions only when the first clause asks something itself ('ChAT은 몇 번
# 염색체에 있고, 어느 조직에서 발현돼?'); 'K562에서 결합되어 있고, HepG2에서는 결합되지 않는 인자' is one question.
_KO_CLAUSE = re.compile(r"(?<=[있되]고),\s*")
_KO_WH = re.compile(r"몇|어느|어떤|무엇|뭐|어디|언제|얼마")


def _korean_clauses(pieces: list[str]) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        first, *rest = _KO_CLAUSE.split(piece, maxsplit=1)
        out.extend([first, *rest] if rest and _KO_WH.search(first) else [piece])
    return out


def split_questions(text: str) -> list[str]:
    """The parts of a message that may each be a question, in order ('… most, and is its promoter active…?',
    'List X. Also, is there Y?', 'TP53位于哪个区带？它的启动子活跃吗？'); the caller keeps the ones it understands."""
    text = text.strip()
    numbered = list(_NUMBERED.finditer(text))
    if len(numbered) >= 2 and [m.group(1) for m in numbered[:2]] == ["1", "2"]:
        bounds = [m.end() for m in numbered] + [len(text)]
        starts = [m.start() for m in numbered[1:]] + [len(text)]
        return [text[b:e].strip(" ;,") for b, e in zip(bounds, starts) if text[b:e].strip(" ;,")]
    parts: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        for piece in _korean_clauses(_SECOND.split(sentence)):
            piece = _LEAD.sub("", piece.strip()).strip(" ,;")
            if piece:
                parts.append(piece[:1].upper() + piece[1:] if piece[:1].islower() else piece)
    return parts if len(parts) > 1 else [text]


# --- set words: both / either / only in / not in ------------------------------------------------------------------

_BOTH = re.compile(r"\bboth\b|\bin common\b|\bshared\b|\bcommon to\b|\ball of\b|\bas well as\b|同时|都|共同|둘 다|모두|공통")
_EITHER = re.compile(r"\beither\b|\bany of\b|\bat least one of\b|\bor\b|或者|或|중 하나")
_ONLY = re.compile(r"\bonly in\b|\bbut not\b|\bnot in\b|\bunique to\b|\bspecific to\b|\bexclusive(?:ly)? to\b|"
                   r"\babsent (?:in|from)\b|\bmissing (?:in|from)\b|"
                   r"\bwithout\b|只在|仅在|而不|但不|에서만|아닌|에서는\s*\S*지\s*않는")


def set_operation(text: str) -> str | None:
    """The set a question asks for over several named places: 'intersection', 'difference', 'union' or None."""
    if _ONLY.search(text):
        return "difference"
    if _BOTH.search(text):
        return "intersection"
    if _EITHER.search(text):
        return "union"
    return None


def combine(op: str, sets: list[tuple[str, list[str]]]) -> list[str]:
    """The items the set operation keeps, in the order of the first set: 'only in A' is A minus the others."""
    first = [x for x in sets[0][1]]
    others = [set(items) for _label, items in sets[1:]]
    if op == "intersection":
        return [x for x in first if all(x in o for o in others)]
    if op == "difference":
        return [x for x in first if not any(x in o for o in others)]
    return list(dict.fromkeys(x for _label, items in sets for x in items))


def say_combined(s: Synthesis, op: str, sets: list[tuple[str, list[str]]], keys: list[str], noun: str,
                 by: bool | str = False) -> list[str]:
    """Do the set operation, say it (cited by every set's evidence) and make it the answer's list.
    ``by``: the sets are named by who binds ('genes bound by both GATA1 and TAL1'), not where ('… in both …')."""
    result = combine(op, sets)
    first, rest = sets[0][0], ", ".join(label for label, _items in sets[1:])
    items = ", ".join(result) or _("none")
    if by == "of":
        text = {"intersection": tr("{noun} of both {a} and {b}: {items}.", noun=noun, a=first, b=rest, items=items),
                "difference": tr("{noun} of {a} but not of {b}: {items}.", noun=noun, a=first, b=rest, items=items),
                "union": tr("{noun} of {a} or {b}: {items}.", noun=noun, a=first, b=rest, items=items)}[op]
    elif by:
        text = {"intersection": tr("{noun} by both {a} and {b}: {items}.", noun=noun, a=first, b=rest, items=items),
                "difference": tr("{noun} by {a} but not by {b}: {items}.", noun=noun, a=first, b=rest, items=items),
                "union": tr("{noun} by {a} or {b}: {items}.", noun=noun, a=first, b=rest, items=items)}[op]
    else:
        text = {"intersection": tr("{noun} in both {a} and {b}: {items}.", noun=noun, a=first, b=rest, items=items),
                "difference": tr("{noun} in {a} but not in {b}: {items}.", noun=noun, a=first, b=rest, items=items),
                "union": tr("{noun} in {a} or {b}: {items}.", noun=noun, a=first, b=rest, items=items)}[op]
    s.sentences.insert(0, Sentence(text, list(keys)))
    s.items = result
    s.short_answer = ", ".join(result) if result else _("none")
    return result
