"""Several questions in one message, each answered in turn under its own short answer.

"Which tissues express INS most, and is its promoter active in K562?" is two questions: the second
refers back to the first ('its'), as a follow-up in a thread would, and is resolved the same way
(``follow_up.resolve_follow_up``).  A message is split only when at least two of its parts are
questions genelm understands; "What is X? Let's think step by step." stays one question.
"""
from __future__ import annotations

import re

from genelm.agent.core.contract import set_operation, split_questions
from genelm.agent.core.follow_up import main_entity, resolve_follow_up, swap_entities
from genelm.agent.core.synthesis import Sentence, Synthesis
from genelm.agent.grounding import ground
from genelm.agent.grounding.frames import understand
from genelm.agent.grounding.vocab import gloss_question
from genelm.i18n import tr


# A part that tells rather than asks: 'I work on heme biosynthesis in erythroid cells.', 'Hi —'.
_CONTEXT = re.compile(r"^(?:i|we|my|our|hi|hello|hey|thanks|thank you|for (?:a|my|our)|in my|as)\b(?!.*[?？])|"
                      r"^(?:let'?s|let us|please think|think step|solve)\b|step by step", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff\uac00-\ud7a3]")
# A part that asks something by itself: a question word or verb first, 'how many', or a CJK question ending.
# 'y/n', 'A number is fine.', '(asking for a grant)' are remarks on the question before them.
_QUESTION = re.compile(r"^\W*(?:is|are|does|do|did|can|could|which|what|where|when|who|whose|how|list|show|give|tell|"
                       r"describe|compare|count|find|name|and|also)\b|哪|什么|多少|几|是否|吗|呢|무엇|어떤|어디|몇|"
                       r"나요|니까|까요|가요|는지|니\s*[?？]|알려|[가-힣]\S*\s*[?？]\s*$|"
                       r"([\u4e00-\u9fff])[不没]\1", re.I)  # 高不高, 有没有: a Chinese yes/no
# 'it', 'its', 它, 其, 그: the previous question's subject
_PRONOUN_CJK = re.compile(r"它|其|该基因|这个基因|그것|그\s|이 유전자|그 유전자")


# 'each', 'respectively', 各, 分别, 각각, …씩: one question per place named, not one over all of them
_EACH = re.compile(r"\beach\b|\brespectively\b|\bseparately\b|\bper (?:cell line|tissue)\b|各有|各自|分别|각각|"
                   r"몇\s*개씩")
_PLACE_JOIN = re.compile(r"^(?:\s*(?:,|、|和|与|跟|及|以及|과|와|및|랑|이랑|하고|and|&|vs\.?|or)\s*)+$", re.I)


def distributed(message: str) -> list[str]:
    """'How many POLR2A experiments in HepG2 and K562 respectively?', 'HepG2和K562各有多少个…', 'GM12878과 K562에서
    각각 …': the same question once per place, in the order named, or [] when the message asks no such thing."""
    if not _EACH.search(message) or set_operation(message) or re.search(r"\bcompar|\bversus\b|\bvs\.?\s|比较|비교",
                                                                          message, re.I):
        return []  # 'in both K562 and HepG2, with the signal in each', 'compare … with the TPM of each': one question
    places = [e for e in ground(message) if e.kind in ("biosample", "tissue")]
    found = sorted({(at, e.text) for e in places if e.text and (at := message.find(e.text)) >= 0})
    if len(found) < 2 or any(not _PLACE_JOIN.match(message[a + len(t):b])
                             for (a, t), (b, _u) in zip(found, found[1:])):
        return []  # the places are not one list ('in K562, and in HepG2 what …'): leave the message whole
    start, end = found[0][0], found[-1][0] + len(found[-1][1])
    return [message[:start] + text + message[end:] for _at, text in found]


def questions_in(message: str) -> list[str]:
    """The whole questions a message asks (follow-up parts resolved), or [message] for a single one."""
    parts = split_questions(message)
    if len(parts) < 2:
        return distributed(message) or [message]
    resolved: list[str] = []
    history: list[dict] = []
    for part in parts:
        if _CONTEXT.search(part) or _CONTEXT.search(gloss_question(part)):  # 一步一步地解决, 단계별로 해결해 봅시다
            continue  # 'I work on heme biosynthesis in erythroid cells.': context, not a question
        if resolved and not _QUESTION.search(part):
            continue  # 'y/n', 'A number is fine.': a remark on the question before it
        whole = _whole(part, history)
        entities = ground(whole)
        if understand(whole, entities).ask == "unknown":
            continue
        resolved.append(whole)
        history.append({"question": part, "resolved": whole, "entities": [e.model_dump() for e in entities]})
    return resolved if len(resolved) > 1 else [message]


def _whole(part: str, history: list[dict]) -> str:
    """A part as a whole question: 'its promoter' and 它 get the previous subject; 'and how many in HepG2?' the
    previous question with HepG2 in its place; '人的ALB呢？' the previous question about ALB."""
    if not history:
        return part
    # English follow-up rules; their spans do not fit a Chinese or Korean question's gloss
    whole = None if _CJK.search(part + history[-1]["resolved"]) else resolve_follow_up(part, history)
    if whole:
        return _there(whole, history[-1])
    previous = history[-1]
    subject = main_entity(previous["entities"])
    entities = ground(part)
    if subject is not None and subject["kind"] == "gene" and re.search(r"\bits (?:promoter|tss|expression)\b", part, re.I) \
            and not _CJK.search(part) and not _names_target_gene(part, entities):
        # 'does PAX5 bind its promoter': its = the previous question's gene (PAX5 is the factor, not the subject)
        return re.sub(r"\bits\b", f"the {subject['value']}", part, count=1, flags=re.I)
    if understand(part, entities).ask != "unknown" and not _PRONOUN_CJK.search(part):
        return part
    has_subject = any(e.kind in ("gene", "gene_family", "rsid", "variant", "region", "disease") for e in entities)
    candidates: list[str] = []
    swapped = None  # 'and how many in HepG2?': the previous question with the part's entities in place of its own
    if entities and not _CJK.search(previous["resolved"]):
        swapped = swap_entities(previous["resolved"], previous["entities"], entities)
        if re.match(r"\s*how many\b", part, re.I):
            swapped = re.sub(r"^\s*(?:which|what|list|show)\b", "How many", swapped, flags=re.I)
    places = [e for e in entities if e.kind in ("biosample", "tissue", "assembly")]
    if swapped and places and not has_subject:
        candidates.append(swapped)  # a new place for the same question comes first
    name = (subject["value"] if subject["kind"] == "gene" else subject["text"]) if subject is not None else ""
    if subject is not None and _PRONOUN_CJK.search(part):  # 它, 그: the previous subject, where the pronoun stands
        candidates.append(_PRONOUN_CJK.sub(name, part, count=1))
    elif subject is not None and not has_subject:
        # Chinese and Korean end a question with its question word: the subject goes first ('ELANE 단백질 … 인가요?')
        candidates.append(f"{name} {part}" if _CJK.search(part) else f"{part} ({name})")
    if subject is not None and has_subject and not _PRONOUN_CJK.search(part) and _CJK.search(previous["resolved"]) and \
            subject["text"] in previous["resolved"]:  # '人的ALB呢？' after '小鼠Alb在几号染色体上？'
        rest = previous["resolved"].split(subject["text"], 1)[1]
        candidates.append(re.sub(r"[呢吗？?]+$", "", part) + rest)
    if swapped and swapped not in candidates:
        candidates.append(swapped)
    for candidate in candidates:
        if understand(candidate, ground(candidate)).ask != "unknown":
            return candidate
    return part


def _names_target_gene(part: str, entities: list) -> bool:
    """Whether the part names a gene of its own that 'its' can refer to ('Is GATA1 active at its promoter'): a gene
    that is not a factor acting on something ('does PAX5 bind its promoter')."""
    return any(e.kind == "gene" and not re.search(rf"{re.escape(e.text)}\s+(?:binds?|bound|occup\w*|sits?|regulat\w*|"
                                                  r"target\w*)\b", part, re.I) for e in entities)


def _there(question: str, previous: dict) -> str:
    """'… bind its promoter there?' after '… in K562?': 'there' is the previous question's cell line or tissue."""
    places = [e["text"] for e in previous["entities"] if e["kind"] in ("biosample", "tissue")]
    if places and re.search(r"\bthere\b", question, re.I):
        return re.sub(r"\bthere\b", f"in {places[0]}", question, count=1, flags=re.I)
    return question


def merge(message: str, states: list[dict]) -> dict:
    """One answer state from the states of each question: each part under its own heading and short answer."""
    kept: list[Sentence] = []
    shorts: list[str] = []
    parts = []
    for number, state in enumerate(states, start=1):
        synthesis = state["synthesis"]
        factual = any(s.factual for s in state["kept"])
        short = synthesis.short_answer if factual or synthesis.verdict == "cannot tell" else None
        shorts.append(f"{number}) {short or '—'}")
        kept.append(Sentence(tr("Question {number}: {question} — answer: {short}", number=number,
                                question=state["question"], short=short or "—"), [], factual=False, part="heading"))
        kept.extend(state["kept"])
        parts.append({"question": state["question"], "frame": state.get("frame"), "short_answer": short,
                      "intent": state.get("intent")})
    first = states[0]
    merged_synthesis = Synthesis(kept, "; ".join(shorts))
    return {
        "question": message, "resolved": message,
        "entities": [e for state in states for e in state["entities"]],
        "frame": first.get("frame"), "intent": "several questions", "parts": parts,
        "ledger": {k: v for state in states for k, v in state["ledger"].items()},
        "calls": [c for state in states for c in state["calls"]],
        "gaps": [g for state in states for g in state["gaps"]],
        "synthesis": merged_synthesis, "kept": kept,
        "dropped": [d for state in states for d in state["dropped"]], "llm_log": [],
    }
