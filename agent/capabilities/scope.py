"""Questions genelm must not answer with what it holds: another organism's biology, a gene family as one gene.

These guards are consulted before the capabilities (``GUARDS`` in ``capabilities/__init__``).  Each
answers with a scoped statement — what was asked, why the bundled data cannot answer it, and what
would — instead of answering another question in its place:

- a mouse (rat, fly, …) question about regulation, expression or a gene's own facts is never answered
  from the human tables; ENCODE's experiment searches do take an organism and still answer;
- a family or complex (NF-κB, AP-1, HIF-1, globins) named where one gene is needed is listed with its
  members (``data/genes/families.tsv``), and the asker is asked to name one.
"""
from __future__ import annotations

from genelm.agent.core.frame import DEFAULT_ORGANISM
from genelm.agent.core.question import Intent, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.agent.grounding.entities import GENE_KINDS
from genelm.i18n import _, tr

# Asks answered only from human tables (GENCODE, SCREEN, CAGE/RAMPAGE, ChIP-seq gene sets, HPA/GTEx, NCBI human
# gene_info): another organism's question is scoped instead.
HUMAN_ONLY = {"regulation", "bound_factors", "factor_binding_biosamples", "factor_targets", "promoter_activity",
              "expression", "tissue_tfs", "ccres", "region_contents", "conservation", "regulatory_evidence"}
# Gene facts come from NCBI, which holds other organisms online; offline the bundled table is human only.
GENE_FACTS = {"gene_location", "aliases", "official_symbol", "gene_type", "gene_overview", "gene_function"}


class OtherOrganism(Intent):
    """'Is the mouse Alb promoter active in liver?': the human tables never answer for the mouse."""

    name = "other_organism"

    def matches(self, q: Question) -> bool:
        organism = q.frame.organism
        if organism == DEFAULT_ORGANISM:
            return False
        return q.frame.ask in HUMAN_ONLY or (q.offline and q.frame.ask in GENE_FACTS)

    def answer(self, q: Question, ledger) -> Synthesis:
        s = Synthesis()
        organism = q.frame.organism
        subject = ", ".join([*q.frame.about, *(v for k, vs in q.frame.constraints.items() if k != "organism"
                                                for v in vs)]) or _("this question")
        s.decide("cannot tell", tr(
            "This question is about {organism} ({subject}), and genelm's bundled regulation and expression tables "
            "(GENCODE v24 TSSs, ENCODE SCREEN cCREs, CAGE/RAMPAGE, ChIP-seq gene sets, HPA/GTEx, NCBI human "
            "gene_info) are human only, so they do not answer it; human data is never passed off as {organism}.",
            organism=organism, subject=subject)) if q.frame.form == "yes_no" else s.note(tr(
            "This question is about {organism} ({subject}), and genelm's bundled regulation and expression tables "
            "(GENCODE v24 TSSs, ENCODE SCREEN cCREs, CAGE/RAMPAGE, ChIP-seq gene sets, HPA/GTEx, NCBI human "
            "gene_info) are human only, so they do not answer it; human data is never passed off as {organism}.",
            organism=organism, subject=subject))
        s.note(tr("What would answer it: ENCODE's {organism} experiments (for example 'Which ENCODE experiments "
                  "profile H3K27ac in {organism} liver?'), or NCBI Gene online (without --offline) for the "
                  "{organism} gene's own record.", organism=organism))
        return s


class GeneFamily(Intent):
    """'How is NF-κB regulated?': a family, not one gene — its members, and a request to name one."""

    name = "gene_family"

    def matches(self, q: Question) -> bool:
        genes = q.all(*GENE_KINDS, "gene_family")
        return bool(genes) and all(e.kind == "gene_family" for e in genes)

    def answer(self, q: Question, ledger) -> Synthesis:
        s = Synthesis()
        for family in q.all("gene_family"):
            s.note(family.attrs.get("reading") or tr("{name} names a family of genes: {members}.", name=family.value,
                                                      members=", ".join(family.candidates)))
            s.listed(list(family.candidates))
        if q.frame.form == "yes_no":
            s.verdict = "cannot tell"
        s.note(tr("Ask again with one member, for example '{example}'.",
                  example=_example(q, q.all("gene_family")[0].candidates[0])))
        return s


def _example(q: Question, member: str) -> str:
    family = q.all("gene_family")[0]
    return q.raw.replace(family.text, member) if family.text in q.raw else tr("How is {member} regulated?", member=member)


GUARDS: list[Intent] = [GeneFamily(), OtherOrganism()]
