"""Gene names as biologists write them (issue 28): resolved by one data-built index, ambiguity said, no crash.

The suite evals/suites/gene_names.jsonl (1,230 names) was written by a helper who never saw the resolver
or its tables.  First sight, before the resolver: 36.9 % right, 7.3 % a wrong gene.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import genelm
from genelm.agent.capabilities import ASK_TABLE  # noqa: F401  (the capabilities load as the registry does)
from genelm.agent.core.question import Question
from genelm.agent.core.registry import choose_intent
from genelm.agent.grounding import ground
from genelm.agent.grounding.frames import understand
from genelm.agent.grounding.vocab import TISSUES
from genelm.data import gene_table
from genelm.data.cell_types import cell_types
from genelm.data.names import keys, name_parts, resolve

SUITE = Path(__file__).resolve().parents[1] / "evals" / "suites" / "gene_names.jsonl"
GENEISH = ("gene", "gene_ambiguous", "ensembl", "gene_id", "unknown_gene", "gene_family")


def judge(item: dict) -> str:
    genes = [e for e in ground(item["question"]) if e.kind in GENEISH]
    gold = item["answer"]
    if isinstance(gold, dict):
        members = set(gold["family"])
        if any(e.kind == "gene_family" and len(members & set(e.candidates)) / len(members | set(e.candidates)) >= 0.5
               for e in genes):
            return "right"
        return "wrong" if any(e.kind == "gene" and e.value not in members for e in genes) else "unresolved"
    values = {e.value for e in genes if e.kind in ("gene", "ensembl")}
    return "right" if gold in values else "wrong" if values else "unresolved"


def test_names_as_papers_write_them_resolve_to_the_right_gene():
    items = [json.loads(line) for line in SUITE.read_text(encoding="utf-8").splitlines() if line.strip()]
    verdicts = [judge(item) for item in items]
    right, wrong = verdicts.count("right") / len(items), verdicts.count("wrong") / len(items)
    assert len(items) >= 600
    # Measured 2026-12-02: 0.885 right, 0.028 wrong (first sight 0.369 / 0.073).  The bar guards the gain; the
    # issue's target (0.97 / 0.005) is not reached yet (see the issue note for what the tables cannot give).
    assert right >= 0.88, f"{right:.3f} resolved"
    assert wrong <= 0.03, f"{wrong:.3f} a wrong gene"


@pytest.mark.parametrize("written, symbol", [
    ("HIF-1α", "HIF1A"), ("HIF1a", "HIF1A"), ("C/EBPβ", "CEBPB"), ("HNF-4α", "HNF4A"), ("IL-1β", "IL1B"),
    ("PPARγ", "PPARG"), ("IFN-γ", "IFNG"), ("IκBα", "NFKBIA"), ("p21", "CDKN1A"), ("p27", "CDKN1B"),
    ("p65", "RELA"), ("Oct4", "POU5F1"), ("CBP", "CREBBP"), ("COX-2", "PTGS2"), ("HSF-1", "HSF1"),
    ("insulin", "INS"), ("albumin", "ALB"), ("vimentin", "VIM"), ("E-cadherin", "CDH1"), ("beta-globin", "HBB"),
    ("β-actin", "ACTB"), ("cyclin D1", "CCND1"), ("SUMO-1", "SUMO1"),
])
def test_the_resolver_reads_greek_hyphens_slashes_and_protein_names(written, symbol):
    assert resolve(written).symbol == symbol


def test_normalised_keys_treat_greek_letters_spelled_and_abbreviated_alike():
    assert keys("HIF-1α")[0] == keys("HIF1alpha")[0] == "hif1alpha"
    assert keys("HIF-1α")[1] == keys("Hif1a")[1] == "hif1a"
    assert ("p21", "paren") in name_parts("cyclin-dependent kinase inhibitor 1A (p21, Cip1)")
    assert ("E-cadherin", "part") in name_parts("cadherin 1, E-cadherin (epithelial)")


def test_a_shared_alias_is_read_by_the_stated_rule_and_the_answer_says_so():
    answer = genelm.ask("How is p21 regulated?", offline=True)
    assert answer.trace["frame"]["about"] == ["CDKN1A"]
    reading = answer.sentences[0].text
    assert reading.startswith("p21 is read as CDKN1A") and ("NSG1" in reading or "TCEAL1" in reading)
    assert any(s.factual and s.citations for s in answer.sentences)


def test_a_family_is_named_as_one_with_its_members_never_as_one_member():
    answer = genelm.ask("How is NF-κB regulated?", offline=True)
    text = " ".join(s.text for s in answer.sentences)
    assert "family" in text and all(m in text for m in ("RELA", "RELB", "REL", "NFKB1", "NFKB2"))
    assert not any(s.factual for s in answer.sentences)  # nothing about one member is stated as NF-κB's
    entities = ground("Where is HIF-1 expressed?")
    assert [e.kind for e in entities if e.kind in GENEISH] == ["gene_family"]


@pytest.mark.parametrize("question", [
    "How is p21 regulated?", "How is Oct4 regulated?", "Where is OCT4 expressed?",
    "Which TFs bind near the p21 promoter in K562?", "How is CBP regulated?", "How is cyclin D1 regulated?",
    "p21 是如何被调控的？", "HIF-1α 在哪些组织中表达？",
])
def test_the_questions_that_crashed_now_answer_with_citations(question):
    answer = genelm.ask(question, offline=True)
    assert any(s.factual and s.citations for s in answer.sentences), answer.text


@pytest.mark.parametrize("question, genes, not_genes", [
    ("Is HBB expressed in B cells?", {"HBB"}, {"PPIB"}),
    ("Is GATA1 expressed in T lymphocytes?", {"GATA1"}, {"TBXT"}),
    ("Which TFs bind the CD4 promoter in T cells?", {"CD4"}, {"TBXT"}),
    ("HIF-1α 在哪些组织中表达？", {"HIF1A"}, {"SETD2"}),
    ("How is PPARγ regulated?", {"PPARG"}, {"PPARA"}),
    ("Where is IFN-γ expressed?", {"IFNG"}, {"IFNA1"}),
    ("Which TFs bind the IκBα promoter?", {"NFKBIA"}, {"PPIB"}),
])
def test_cell_types_and_greek_names_never_become_another_gene(question, genes, not_genes):
    frame = understand(question, ground(question))
    assert genes <= set(frame.about) and not (not_genes & set(frame.about))
    assert not (not_genes & set(frame.constraints.get("target", [])))


def test_cd4_before_promoter_is_the_gene_asked_about_not_a_factor():
    question = "Which TFs bind the CD4 promoter in T cells?"
    frame = understand(question, ground(question))
    assert frame.about == ["CD4"] and "target" not in frame.constraints
    assert frame.constraints["biosample"] == ["T-cell"]


@pytest.mark.parametrize("question", ["Is p21 a target of p53?", "Does TP53 regulate MDM2?",
                                      "Is CDKN1A a target of TP53?"])
def test_target_of_questions_ask_whether_the_factor_binds_the_gene(question):
    frame = understand(question, ground(question))
    assert frame.ask == "bound_factors" and frame.form == "yes_no" and frame.constraints["target"] == ["TP53"]
    answer = genelm.ask(question, offline=True)
    assert answer.short_answer in ("yes", "no", "cannot tell")


@pytest.mark.parametrize("question", ["Which cCREs are near rs229784?", "Which transcription factors bind at rs229784?"])
def test_a_variant_is_a_place_for_locus_questions(question):
    frame = understand(question, ground(question))
    assert frame.ask != "unknown" and frame.about == ["rs229784"]
    answer = genelm.ask(question, offline=True)
    assert "rs229784" in answer.text and "could not tell" not in answer.text


def _words() -> list[str]:
    from wordfreq import top_n_list

    return [w for w in top_n_list("en", 5000) if w.isalpha() and len(w) > 1]


def test_no_common_english_word_grounds_a_gene():
    """'clock', 'rest', 'impact', 'insulin' aside: an English word in lower case is a word."""
    grounded = []
    for word in _words():
        for e in ground(f"Is {word} expressed in the liver?"):
            if e.kind in ("gene", "gene_ambiguous", "gene_family") and e.text.lower() == word:
                grounded.append(word)
    assert not grounded, grounded


def test_no_cell_type_or_tissue_word_grounds_a_gene():
    names = list(cell_types()) + [f"{n}s" for n in cell_types()] + list(TISSUES) + \
        ["B cell", "T lymphocyte", "NK cell", "stem cell", "islet", "islets", "T cells", "B cells", "NK cells"]
    grounded = []
    for name in names:
        for e in ground(f"Is GAPDH expressed in {name}?"):
            if e.kind in ("gene", "gene_ambiguous", "gene_family") and e.value != "GAPDH":
                grounded.append((name, e.text, e.value))
    assert not grounded, grounded


def _shared_aliases() -> list[str]:
    table = gene_table()
    shared = sorted(a for a, genes in table.by_alias.items() if len({g.symbol for g in genes}) > 1
                    and a.replace("-", "").isalnum() and len(a) > 2)
    return shared


QUESTIONS = ["How is {} regulated?", "Which TFs bind the {} promoter in K562?", "Where is {} expressed?",
             "Is the {} promoter active in K562?", "Which genes does {} bind in K562?", "What are the aliases of {}?",
             "Where is {} located?", "Is {} a protein-coding gene?", "Which cCREs are near {}?"]


@pytest.mark.slow
def test_every_shared_alias_plans_a_cited_answer_or_a_statement_in_every_capability():
    """No capability ever receives None as a gene: every shared alias, every question kind, planned."""
    failures = []
    for alias in _shared_aliases():
        for template in QUESTIONS:
            question = template.format(alias)
            entities = ground(question)
            frame = understand(question, entities)
            q = Question(question, entities, frame, offline=True, raw=question)
            intent = choose_intent(q)
            try:
                if intent is not None:
                    intent.steps(q, {}, 0)
            except Exception as exc:  # a pydantic error here is the crash users saw
                failures.append((question, repr(exc)[:120]))
    assert not failures, failures[:10]


def test_a_sample_of_shared_aliases_answers_through_every_capability():
    random.seed(28)
    aliases = random.sample(_shared_aliases(), 6)
    for alias in aliases:
        for template in QUESTIONS[:5]:
            answer = genelm.ask(template.format(alias), offline=True)
            assert answer.sentences, template.format(alias)
