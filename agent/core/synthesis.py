"""What synthesis produces: sentences with the evidence keys they rest on."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Sentence:
    text: str
    keys: list[str] = field(default_factory=list)
    factual: bool = True  # gaps and abstentions state what is missing; they cite nothing

    def to_dict(self) -> dict:
        return {"text": self.text, "citations": list(self.keys), "factual": self.factual}


@dataclass
class Synthesis:
    sentences: list[Sentence] = field(default_factory=list)
    short_answer: str | None = None
    items: list[str] | None = None  # what a list answer lists, so any list can be counted (form "count")
    table: list[dict] | None = None  # a comparison's rows, rendered as a table

    def listed(self, items: list[str]) -> None:
        self.items = list(dict.fromkeys([*(self.items or []), *items]))

    def say(self, text: str, *keys: str) -> None:
        self.sentences.append(Sentence(text, [k for k in keys if k]))

    def note(self, text: str) -> None:
        self.sentences.append(Sentence(text, [], factual=False))
