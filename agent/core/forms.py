"""Answers in the question's form, and the answer to a question genelm did not understand.

A capability writes its sentences once; the frame's form shapes them here, so any list can be
counted ("how many …") and a narrative never ends in a one-word short answer.  A question whose
ask genelm could not tell, or whose ask it understood without the subject it needs, is said to
be so, with the nearest questions genelm can answer: it is never answered as another question.
"""
from __future__ import annotations

from genelm.agent.core.frame import ASKS, Frame
from genelm.agent.core.synthesis import Sentence, Synthesis
from genelm.i18n import _, tr

_NOUNS = {"experiments": "ENCODE experiments", "profiled_biosamples": "biosamples", "profiled_targets": "targets",
          "profiled_assays": "assays", "bound_factors": "factors", "factor_binding_biosamples": "cell lines",
          "factor_targets": "genes", "tissue_tfs": "transcription factors", "disease_genes": "genes",
          "geo_datasets": "GEO series", "enformer_tracks": "Enformer tracks", "genes_by_function": "genes",
          "similar_genes": "genes", "ccres": "cCREs", "aliases": "aliases", "snp_genes": "genes",
          "expression": "tissues"}


def shape(frame: Frame, s: Synthesis) -> Synthesis:
    """The capability's synthesis in the form the question asks for."""
    for item in frame.understood:
        if item.startswith("not recognised: "):
            s.sentences.insert(0, Sentence(
                tr("genelm did not recognise {place} as a cell line, tissue or other filter it knows, so it was not "
                  "applied: name an ENCODE biosample or an HPA/GTEx tissue to narrow the answer.",
                  place=item.removeprefix('not recognised: ')), [], factual=False))
    if frame.form == "count" and s.items is not None:
        cited = list(dict.fromkeys(k for sentence in s.sentences for k in sentence.keys))
        noun = _NOUNS.get(frame.ask, "items")
        if cited:
            s.say(tr("In all, that is {count} {noun}.", count=len(s.items), noun=_(noun)), *cited)
            s.short_answer = str(len(s.items))
    if frame.form == "narrative" and (frame.ask in ("regulation", "gene_overview") or s.short_answer in frame.about):
        s.short_answer = None  # a description has no one-word answer (never the gene's own symbol)
    return s


def not_understood(frame: Frame, entities: list) -> Synthesis:
    """Say what was understood, that the question itself was not, and what genelm can answer instead."""
    s = Synthesis()
    named = [f"{_(e.kind.replace('_', ' '))} {e.value}" for e in entities if e.kind != "assembly"]
    if frame.ask != "unknown":
        s.note(tr("genelm understood a question about {ask}{named}, but not the subject it needs (a gene, variant, "
                 "region, tissue or accession, as the question kind requires), so it did not answer another "
                 "question in its place.", ask=_(ASKS[frame.ask]), named=f" ({', '.join(named)})" if named else ""))
    elif named:
        s.note(tr("genelm could not tell what this question asks for; it recognised {named}. It did not guess.",
                 named=", ".join(named)))
    else:
        s.note(_("genelm could not tell what this question asks for. It did not guess."))
    suggestions = "; ".join(f"'{q}'" for q in nearest_questions(entities))
    s.note(tr("Questions genelm can answer about these: {questions}.", questions=suggestions) if named else
           tr("Questions genelm can answer: {questions}.", questions=suggestions))
    return s


def nearest_questions(entities: list, limit: int = 5) -> list[str]:
    kinds = {e.kind: e.value for e in reversed(entities)}
    out: list[str] = []
    if (gene := kinds.get("gene")) is not None:
        out += [f"How is {gene} regulated?", f"Which transcription factors bind the {gene} promoter?",
                f"Where is {gene} expressed?", f"What are the aliases of {gene}?"]
    if (cell := kinds.get("biosample")) is not None:
        out += [f"Which ENCODE experiments profile H3K27ac in {cell}?", f"What histone marks were profiled in {cell}?"]
    if (tissue := kinds.get("tissue")) is not None:
        out += [f"Which transcription factors are elevated in {tissue}?"]
    if (rsid := kinds.get("rsid")) is not None:
        out += [f"What regulatory evidence is there at {rsid}?", f"Which gene is {rsid} in?"]
    if not out:
        out = ["Describe how TP53 is regulated", "Which transcription factors bind the MYC promoter in K562?",
               "Which TFs are upregulated in human liver?", "What is the official gene symbol of SNAT6?",
               "Which ENCODE experiments profile POLR2A in GM12878?"]
    return out[:limit]
