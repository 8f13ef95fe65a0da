"""Questions answered by gene-knowledge retrieval: genes by function, genes like a named gene.

"Which genes are involved in DNA mismatch repair?" searches the RefSeq summaries
by meaning; "Which genes are similar to BRCA1?" compares summaries with BRCA1's.
Both answers list ranked hits with their similarity and say plainly that this is
retrieval by text similarity, not curated annotation.
"""
from __future__ import annotations

import re

from genelm.agent.evidence_views import with_prefix
from genelm.agent.intents import GeneIntent, Intent, Question, _gene_calls, _resolve_gene
from genelm.agent.knowledge_calls import FunctionSearch, SimilarGenes
from genelm.agent.synthesis_types import Synthesis

_FUNCTION_PHRASE = re.compile(
    r"\bgenes?\b.*?\b(?:involved in|function(?:s|ing)? in|roles? in|participat\w* in|whose (?:function|description|"
    r"summary) (?:matches|is about|mentions)|that (?:encode|regulate|mediate|control)s?|related to the)\s+(.+?)[?.!]*$",
    re.I)
_SIMILAR = re.compile(r"\bgenes?\b.*\b(?:similar|related|functionally similar|most like|like)\b(?: to)?\b", re.I)
SHOWN = 10


def _say_hits(s: Synthesis, ledger, intro: str) -> None:
    hits = with_prefix(ledger, "knowledge:")
    if not hits or not hits[0].records:
        s.note("The gene-knowledge search returned nothing.")
        return
    ev = hits[0]
    listed = ", ".join(f"{r['label']} ({r['accession']}, similarity {r['similarity']:.2f})" for r in ev.records[:SHOWN])
    s.say(f"{intro}: {listed}.", ev.key)
    s.note("These are ranked by the similarity of RefSeq summary text (all-MiniLM-L6-v2 embeddings), "
           "not by curated annotation; read the summaries before relying on a hit.")
    s.short_answer = ", ".join(r["label"] for r in ev.records[:SHOWN])


class FunctionSearchIntent(Intent):
    name = "genes_by_function"

    def matches(self, q: Question) -> bool:
        return _FUNCTION_PHRASE.search(q.text) is not None and q.first("rsid", "sequence", "region") is None

    def phrase(self, q: Question) -> str:
        return _FUNCTION_PHRASE.search(q.text).group(1).strip()

    def steps(self, q, ledger, step):
        return [FunctionSearch(text=self.phrase(q))] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        _say_hits(s, ledger, f"Genes whose RefSeq summaries best match '{self.phrase(q)}'")
        return s


class SimilarGenesIntent(GeneIntent):
    name = "similar_genes"

    def matches(self, q: Question) -> bool:
        return q.gene_term() is not None and _SIMILAR.search(q.text) is not None and q.first("rsid") is None

    def steps(self, q, ledger, step):
        if step == 0:
            return _gene_calls(q.gene_term().text)
        if step == 1:
            rec, _, _ = _resolve_gene(q, ledger, Synthesis())
            return [SimilarGenes(gene_id=str(rec["gene_id"]))] if rec else []
        return []

    def answer_gene(self, s, q, ledger, rec, ev, term):
        _say_hits(s, ledger, f"Genes whose RefSeq summaries are most like that of {rec['symbol']} "
                             f"(GeneID {rec['gene_id']})")

