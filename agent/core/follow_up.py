"""Follow-up questions in a thread: "and in K562?", "what about its aliases?" become whole questions.

Resolution is deterministic, so it works in grounded mode and gives an LLM a
question it cannot misread:

- a follow-up that only names new entities ("and in K562?", "what about HepG2?")
  is the previous question with those entities swapped in, kind for kind;
- a follow-up with its own request and a pronoun ("what about its aliases?")
  gets the previous turn's main entity in place of the pronoun.

Anything else is a new question and stands as asked.
"""
from __future__ import annotations

import re

from genelm.agent.grounding import ground
from genelm.agent.grounding.entities import Entity

_LEAD = re.compile(r"^\s*(and|also|what about|how about|then|same for|and what about|now)\b[\s,]*", re.I)
_FILLER = {"and", "also", "what", "about", "how", "in", "for", "on", "the", "then", "with", "instead", "cells", "cell",
           "line", "same", "now", "of", "at", "a", "an", "please", "there", "one", "ones"}
_PRONOUN = re.compile(r"\b(its|it|this gene|that gene|this variant|that variant|this snp|that snp|this region|"
                      r"their|they|them)\b", re.I)
# The entity a pronoun refers to, most specific first.
_MAIN_KINDS = ("gene", "gene_ambiguous", "unknown_gene", "ensembl", "gene_id", "rsid", "variant", "region",
               "encode_accession", "geo_accession", "disease", "target", "sequence")


def main_entity(entities: list[dict]) -> dict | None:
    for kind in _MAIN_KINDS:
        for ent in entities:
            if ent["kind"] == kind:
                return ent
    return None


def resolve_follow_up(question: str, history: list[dict]) -> str | None:
    """The whole question a follow-up stands for, or None when it is a question of its own."""
    if not history:
        return None
    previous = history[-1]
    prev_question, prev_entities = previous["resolved"], previous["entities"]
    entities = ground(question)
    if _only_entities(question, entities) and entities:
        return swap_entities(prev_question, prev_entities, entities)
    pronoun = _PRONOUN.search(question)
    has_own_subject = any(e.kind in _MAIN_KINDS[:10] for e in entities)
    target = main_entity(prev_entities)
    subject = (target["value"] if target and target["kind"] in ("gene", "rsid") else target["text"]) if target else ""
    if pronoun and target and not has_own_subject:
        return _drop_lead(_replace_pronoun(question, pronoun, subject))
    if _LEAD.match(question) and not has_own_subject and target:
        # "and the aliases?" with no pronoun: still about the previous subject.
        return _drop_lead(f"{question.rstrip('?. ')} of {subject}?")
    return None


def _drop_lead(question: str) -> str:
    """'what about the aliases of X?' -> 'What are the aliases of X?'; 'and where is X?' -> 'where is X?'"""
    lead = _LEAD.match(question)
    if not lead:
        return question
    rest = question[lead.end():]
    if "about" in lead.group(1).lower() and rest.lower().startswith("the "):
        return f"What are {rest}"
    return rest[:1].upper() + rest[1:]


def _only_entities(question: str, entities: list[Entity]) -> bool:
    rest = question
    for ent in sorted(entities, key=lambda e: -e.span[0]):
        rest = rest[:ent.span[0]] + " " + rest[ent.span[1]:]
    words = re.findall(r"[A-Za-z0-9']+", rest.lower())
    return all(w in _FILLER for w in words)


def swap_entities(prev_question: str, prev_entities: list[dict], new: list[Entity]) -> str:
    text = prev_question
    replaced = set()
    # Right to left so earlier spans stay valid.
    for old in sorted(prev_entities, key=lambda e: -e["span"][0]):
        match = next((n for n in new if n.kind == old["kind"] and n.kind not in replaced), None)
        if match is None:
            continue
        start, end = old["span"]
        text = text[:start] + match.text + text[end:]
        replaced.add(match.kind)
    extra = [n.text for n in new if n.kind not in replaced]
    if extra:
        text = text.rstrip("?. ") + " in " + " and ".join(extra) + "?"
    return text


def _replace_pronoun(question: str, pronoun: re.Match, subject: str) -> str:
    word = pronoun.group(0).lower()
    before, after = question[:pronoun.start()], question[pronoun.end():]
    if word in ("its", "their"):
        # "its aliases" -> "the aliases of SLC38A6"
        noun = re.match(r"\s*([\w\- ]+?)(?=[?.!,]|$)", after)
        if noun:
            return f"{before}the {noun.group(1).strip()} of {subject}{after[noun.end():]}"
        return f"{before}{subject}'s{after}"
    return f"{before}{subject}{after}"
