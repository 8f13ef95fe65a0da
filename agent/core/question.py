"""The question as the planner sees it: its text, grounded entities and frame; the Intent protocol."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from genelm.agent.core.frame import Frame
from genelm.agent.core.synthesis import Synthesis
from genelm.agent.grounding.entities import GENE_KINDS, Entity
from genelm.evidence import Evidence

Ledger = dict[str, Evidence]


@dataclass
class Question:
    text: str  # as the rules read it (a Chinese question glossed into English cue words)
    entities: list[Entity]
    frame: Frame = field(default_factory=Frame)
    offline: bool = False  # replay only (no network): live-only sources are not planned, and answers say so
    raw: str = ""  # the question as written (a Chinese or Korean question before its gloss: 同时, 都, 만)

    @property
    def lower(self) -> str:
        return self.text.lower()

    def first(self, *kinds: str) -> Entity | None:
        return next((e for e in self.entities if e.kind in kinds), None)

    def all(self, *kinds: str) -> list[Entity]:
        return [e for e in self.entities if e.kind in kinds]

    def has(self, *words: str) -> bool:
        return any(re.search(rf"\b{w}", self.lower) for w in words)

    def assembly(self) -> tuple[str, bool]:
        """The assembly the question names (and True), or GRCh38 assumed (and False)."""
        ent = self.first("assembly")
        return (ent.value, True) if ent else ("GRCh38", False)

    def gene_term(self) -> Entity | None:
        return self.first(*GENE_KINDS)


class Intent:
    name = "intent"

    def matches(self, q: Question) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def fits(self, q: Question) -> bool:
        """Whether the entity this intent reads is really there (checked after ASK_TABLE's kinds match)."""
        return True

    def accepts(self, q: Question) -> bool:
        """Whether this intent can answer the question's frame (the entities it needs are there)."""
        return self.matches(q)

    def steps(self, q: Question, ledger: Ledger, step: int) -> list:
        return []

    def answer(self, q: Question, ledger: Ledger) -> Synthesis:  # pragma: no cover - interface
        raise NotImplementedError
