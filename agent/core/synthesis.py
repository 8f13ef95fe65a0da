"""What synthesis produces: sentences with the evidence keys they rest on."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Sentence:
    text: str
    keys: list[str] = field(default_factory=list)
    factual: bool = True  # gaps and abstentions state what is missing; they cite nothing
    part: str | None = None  # a paragraph the answer renders together: "in_short" (the reading that opens it)

    def to_dict(self) -> dict:
        out = {"text": self.text, "citations": list(self.keys), "factual": self.factual}
        return {**out, "part": self.part} if self.part else out


@dataclass
class Synthesis:
    sentences: list[Sentence] = field(default_factory=list)
    short_answer: str | None = None
    items: list[str] | None = None  # what a list answer lists, so any list can be counted (form "count")
    table: list[dict] | None = None  # a comparison's rows, rendered as a table
    # A yes/no question's answer: "yes", "no" or "cannot tell", with the keys of the evidence it rests on;
    # the answer contract (core/contract.py) puts it first.  None: the capability did not decide.
    verdict: str | None = None
    verdict_keys: list[str] = field(default_factory=list)
    applied: set[str] = field(default_factory=set)  # frame constraints the capability applied ('biosample', …)

    def decide(self, verdict: str, why: str, *keys: str) -> None:
        """Answer a yes/no question: the verdict, and the sentence that says why (cited), first."""
        self.verdict = verdict
        self.verdict_keys = [k for k in keys if k]
        self.sentences.insert(0, Sentence(why, list(self.verdict_keys)) if self.verdict_keys
                              else Sentence(why, [], factual=False))

    def listed(self, items: list[str]) -> None:
        self.items = list(dict.fromkeys([*(self.items or []), *items]))

    def say(self, text: str, *keys: str) -> None:
        self.sentences.append(Sentence(text, [k for k in keys if k]))

    def note(self, text: str) -> None:
        self.sentences.append(Sentence(text, [], factual=False))
