"""Question understanding: a question and its grounded entities -> one Frame (ask, about, constraints, form).

Deterministic.  The rules below read the question's cue words (a Chinese question is
read through the glossary in ``vocab``) and the kinds of entity it names; the first
rule whose cues and entities fit gives the ask.  Rules are ordered from the most to
the least specific: a DNA sequence question is about the sequence even when it names
a gene, and "which TFs bind the MYC promoter" is about MYC's regulation before it is
about MYC itself.  Nothing here decides which calls run: the planner maps the frame
to a capability (``genelm.agent.capabilities.ASK_TABLE``).
"""
from __future__ import annotations

import re
from typing import Callable

from genelm.agent.core.frame import DEFAULT_ORGANISM, Frame
from genelm.agent.grounding.entities import GENE_KINDS, Entity
from genelm.agent.grounding.vocab import gloss_chinese, has_chinese, has_korean, simplified

_COUNT = re.compile(r"\bhow many\b|\bhow mnay\b|\bnumber of\b|\bcount (?:of|the)\b|\bcount\b.*\?$|^count\b|\btotal\b|"
                    r"^#\s*of\b|\bn (?:experiments|exps|genes|tfs|factors)\b|\bcount\b(?!\s+(?:data|matrix|table))")
_COMPARE = re.compile(r"\bcompar|\bversus\b|\bvs\.?(?=\s)|\bdifferen(?:ce|ces|t) between\b|\bcontrast\b")
_YES_NO = re.compile(r"^(?:is|are|does|do|did|dose|can|could|has|have|was|were|will)\b|"
                     r"(?:[:;.?!]|\bcheck)\s+(?:is|are|does|do|did|can|has|have)\b(?!.*\b(?:which|what)\b)|"
                     r"\s[-–—]\s+(?:is|are|does|do|did)\b(?!.*\b(?:which|what)\b)|"
                     r"\by/n\b|\byes or no\b|\(y/n\)")
# 'GAPDH promoter active in K562?', 'CD74 expressed in gm12878?': a terse yes/no with no question word
_TERSE_YES_NO = re.compile(r"^(?!.*\b(?:which|what|where|how|who|when|why|list|show|find|give|wh[a-z]{2,4}|wich)\b)"
                           r"(?!(?:tfs?|factors|genes|proteins|regulators|experiments|cells|cell lines|tissues)\b)"
                           r".*\b(?:active|expressed|bound|binds?|occupied|open|transcribed)\b[^?]*\?\s*$")
_YES_NO_CN = re.compile(r"是否|是不是|吗[？?]?\s*$|有没有|([\u4e00-\u9fff])[不没]\1")  # A-not-A: 高不高
_NARRATIVE = re.compile(
    r"\b(?:describe|description|explain|tell me (?:about|more)|what is known|what'?s known|what do we know|"
    r"overview|summari[sz]e|summary of|give (?:me )?a summary|how (?:is|are|does|do)\b.{0,40}\b(?:regulat|control)|"
    r"give me an account)")
_LIST_HEAD = re.compile(r"^(?:which|what|list|show|find|get|give|name|enumerate|identify|retrieve|report)\b")

_TF_WORDS = (r"(?:tfs?\b|transcription factors?|transcriptional regulators?|factors\b|regulators\b|"
             r"(?:every|each|all|any) factor\b|"
             r"dna[- ]binding proteins|proteins (?:bind|occupy|sit))")
_CELL_WORDS = r"(?:cells?|cell types?|cell lines?|biosamples?|samples?|tissues?)"


_POLITE = re.compile(r"^(?:(?:hi|hello|hey|please|quick question|question)[,:!]?\s+)*"
                     r"(?:(?:can|could|would|will) you (?:please )?|please |i(?:'d| would) like to know |"
                     r"i want to know |i wonder )")
_VALUE_CN = re.compile(r"(?:表达量|表达水平|评分|坐标|分数|得分|等级|级别|排名|位置|水平|TPM|信号|信号值|信号强度|强度|值)(?:是|有)?"
                       r"(?:大概|大约|约|平均)?多少|"
                       r"(?:신호|값|수치|발현량|TPM)(?:은|는|이|가)?\s*(?:얼마|몇)")
_SINGULAR = re.compile(r"^(?:which|what) (?:tissue|gene|cell line|organ|biosample) (?:is|has|shows|does|expresses)\b|"
                       r"\b(?:how much|expression level|level of|highest \w+ expression|gene is most similar|"
                       r"single gene|tpm of|what'?s the (?:tpm|level|value))\b|"
                       r"\b(?:which|what) (?:tissue|organ|cell line)\b(?!s).*\b(?:highest|most|top)\b|"
                       r"\btop (?:tissue|organ)\b(?!s)|\bwhich single\b")


# 'INS TPM in pancreas?', 'expression level of SFTPC in lung', 'where is HIF1A expressed most highly': one value
_EXPRESSION_VALUE = re.compile(r"\btpm\b(?!.*\b(?:which|where|across|tissues)\b)|\bexpression level\b|"
                               r"^where\b.*\b(?:most highly|highest|the most)\b")
# 'MYOD1在哪个组织里表达最高', 'MYH7은 어느 조직에서 가장 많이 발현돼요': the one tissue (cell line) where it is highest
_SINGULAR_CJK = re.compile(r"哪(?:个|一个)(?:组织|器官|细胞系|细胞)\S{0,8}最|"
                           r"어느\s*(?:조직|기관|장기|세포주)\S{0,6}\s*가장")


def _form(t: str, raw: str, ask: str) -> str:
    t = re.sub(r"^(?:quick check|fyi|ok|so|hmm)\W+", "", re.sub(r"^[^a-z0-9#]*", "", t))  # '# of TFs' counts
    imperative = _POLITE.search(t)
    body = t[imperative.end():] if imperative else t
    # 比较高 / 比较多 is 'relatively high', not 'compare'
    if (_COMPARE.search(t) or re.search(r"比较(?![高低多少强弱大小好])", raw)) and not re.search(r"compared to (?:other|all)", t) and \
            not re.search(r"\bunique to\b|\bonly in\b|\bbut not\b|\bin both\b|\bshared\b|\bin common\b|\babsent\b", t) and \
            not (ask == "predicted_vs_measured" and not re.search(r"\bcompar|比较", t + raw)):
        return "comparison"
    if (_COUNT.search(t) or re.search(r"多少|几个", raw)) and not _VALUE_CN.search(raw):
        return "count"
    if (_NARRATIVE.search(body) or re.search(r"what (?:\w+ )?(?:regulatory )?evidence|what do(?:es)? .{0,30} say",
                                             body) or (ask == "regulatory_evidence" and re.search(
                                                 r"what (?:does|do) \S+ do\b|\brole\b|역할|作用", body + raw))) \
            and ask in NARRATIVE_ASKS:
        return "narrative"
    if not imperative and (_YES_NO.search(body) or _YES_NO_CN.search(raw) or re.search(r"(?:^|\s[-–—:]\s*)any\b(?!.*\b(?:which|what)\b)", body)
                           or _TERSE_YES_NO.search(body)):
        return "yes_no"
    if ask == "expression" and re.search(r"\bhow (?:\w+ )?specific|\bspecificity\b|\bspecific\b.*\bhow\b", t):
        return "narrative"  # 'how tissue specific is PNLIP', 'TH 基因的組織表達特異性如何'
    if _NARRATIVE.search(body) or ask in ("regulation", "gene_overview") or re.search(r"总结|描述|介绍", raw):
        return "narrative" if ask not in ("experiment_details",) else "factoid"
    # Korean writes a plural only with 들: the gloss of a bare 유전자 is 'genes', but it asks for one gene
    plural = re.search(r"유전자\s*들|것\s*들|모든|목록", raw) if has_korean(raw) else re.search(r"\bgenes\b|哪些", t + raw)
    # '在哪些组织中表达量较高', 'which tissues … expression level': several tissues asked for, whatever the value words
    several_tissues = ask == "expression" and (re.search(r"哪些|조직들", raw) is not None or (
        not re.search(r"[\u4e00-\u9fff\uac00-\ud7a3]", raw) and re.search(r"\btissues\b", t) is not None))
    if not several_tissues and (_SINGULAR.search(body) or _SINGULAR_CJK.search(raw) or
                                (ask == "snp_genes" and not plural) or
                                (ask == "expression" and (_VALUE_CN.search(raw) or _EXPRESSION_VALUE.search(body)))):
        return "factoid"  # 'the tissue where it is highest', 'its TPM in pancreas': one value
    if ask in ("geo_datasets", "similar_genes") and not re.search(r"\bgse\d|\bgds\d|\bgene is\b", t):
        return "list"
    if ask == "promoter_activity":
        if _VALUE_CN.search(raw):
            return "factoid"  # '…的CAGE信号是多少': a value
        return "list" if re.search(r"which|what (?!is\b|'s\b)|where|across|哪些|哪", t + raw) else "factoid"
    return "list" if ask in LIST_ASKS or (ask not in FACTOID_ASKS and _LIST_HEAD.search(body)) else "factoid"


NARRATIVE_ASKS = {"regulation", "gene_overview", "regulatory_evidence", "gene_function", "expression"}


LIST_ASKS = {"aliases", "disease_genes", "experiments", "profiled_biosamples", "profiled_targets",
             "profiled_assays", "bound_factors", "factor_binding_biosamples", "factor_targets",
             "expression", "tissue_tfs", "enformer_tracks", "genes_by_function", "similar_genes", "ccres",
             "region_contents"}
FACTOID_ASKS = {"translation", "official_symbol", "gene_location", "gene_function", "gene_type", "snp_location", "sequence_organism",
                "sequence_gene", "sequence_alignment", "region_sequence", "experiment_details", "splice_effect",
                "variant_effect", "glm_score", "predicted_signal", "predicted_vs_measured", "conservation",
                "regulatory_evidence", "promoter_activity", "unknown"}


class _Q:
    """The cue text and entities the rules read."""

    def __init__(self, text: str, entities: list[Entity]):
        self.t = text.lower()
        self.entities = entities

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.t) is not None

    def kinds(self, *kinds: str) -> list[Entity]:
        return [e for e in self.entities if e.kind in kinds]

    @property
    def genes(self) -> list[Entity]:
        return self.kinds(*GENE_KINDS)

    @property
    def distinct_genes(self) -> int:
        return len({_gene_value(e) for e in self.genes})

    @property
    def factors(self) -> list[Entity]:
        return [e for e in self.kinds("gene") if e.attrs.get("is_target")]

    @property
    def single_base(self) -> list[Entity]:
        return [e for e in self.kinds("region") if e.attrs.get("single_base")]

    @property
    def variant_like(self) -> bool:
        return bool(self.kinds("variant", "rsid") or self.single_base)


Rule = tuple[str, Callable[[_Q], bool]]

_PREDICT = r"\bpredict|\benformer\b|\bmodel(?:led|ed)?\b"
_EXPRESS = (r"\bexpres|\btpm\b|\btranscript(?:ion)? (?:level|abundance)|\babundan|\bmrna levels?\b|"
            r"\bdetect(?:ed|able) in|tissues? is \S+ detected")
_ELEVATED = r"elevat|enrich|upregulat|up-regulat|specific|enhanced|highly expressed|high(?:est)? expression|" \
            r"overexpress|preferentially"

_BIND = r"bind|bound|occup|peaks?\b|chip|enrich|recruit|signal|\bsits? on\b|\bsitting on\b"
# 'regulation' as people type it: regulated, regulaton, regualtion, regluation
_REGULATION = r"regulat(?!ory)|regu?al?t|regluat|regulaton|regulte|regulatory landscape|what controls|\bcontrolled\b"
_FACTOR_TARGETS = (r"target genes?|genes? (?:does|do|is|are|that)\b.{0,25}\b(?:bind|bound|regulat|target|occup)|"
                   r"(?:genes?|promoters?)\b.{0,25}\b(?:bound|regulated|targeted|occupied) by|\btargets of\b|"
                   r"(?:genes|promoters) (?:does|do) \S+ (?:bind|target|regulate|occupy)|what does \S+ (?:bind|target)|"
                   r"bind(?:s|ing)? (?:to )?(?:which|what|how many) genes|regulated? (?:which|what|how many) genes|"
                   r"(?:bind|target|regulate)s? (?:which|what) (?:genes|promoters)")

RULES: list[Rule] = [
    # DNA sequences given in the question
    ("translation", lambda q: bool(q.kinds("sequence")) and q.has(r"translat|amino[- ]acids?|protein sequence|"
                                                                  r"peptide|which protein does|what protein")),
    ("sequence_organism", lambda q: bool(q.kinds("sequence")) and q.has(
        r"organism|species|come from|comes from|which animal|derived from|origin|is (?:this|the|it) (?:sequence )?"
        r"(?:human|mouse|from)")),
    ("sequence_gene", lambda q: bool(q.kinds("sequence")) and q.has(r"alias|\bgene\b|which gene|what gene|belongs")),
    ("sequence_alignment", lambda q: bool(q.kinds("sequence"))),
    ("region_sequence", lambda q: bool(q.kinds("region")) and q.has(r"\bsequence\b|\bbases\b|\bnucleotides\b|"
                                                                    r"\bfasta\b|\bdna of\b")
     and not q.has(r"conserv|ccre|genes? in|track")),
    # variant effects from models
    ("splice_effect", lambda q: q.variant_like and q.has(r"splic")),
    ("glm_score", lambda q: q.has(r"\bglm\b|language model|log[- ]?likelihood|\bllr\b|nucleotide transformer|dnabert")),
    ("variant_effect", lambda q: bool(q.kinds("variant", "rsid")) and q.has(_PREDICT + r"|\beffect\b")
     and q.has(r"h3k|dnase|cage|atac|signal|track|enformer|express|chromatin")),
    ("predicted_vs_measured", lambda q: q.has(_PREDICT) and q.has(r"measured|observed|actual|experimental|"
                                                                  r"correlat|agree|match")),
    ("enformer_tracks", lambda q: q.has(r"enformer|basenji|borzoi") and q.has(r"tracks?|outputs?|targets?|channels?|"
                                                                               r"heads?|index")
     and not q.has(r"\bpredict")),
    ("predicted_signal", lambda q: q.has(r"\bpredict") and bool(q.genes or q.kinds("region", "target", "assay"))),
    # a gene's band or TSS, and a measured value at its promoter: answered from the bundled tables
    ("gene_location", lambda q: bool(q.genes) and q.has(r"\bband\b|cytoband|cytogen\w*|transcription start sites?|"
                                                        r"\bchromo?s\w*me\b|where exactly does transcription|"
                                                        r"\btss(?:es|s)?\b|start sites?")
     and not q.has(_BIND + r"|" + _TF_WORDS + r"|express|activ|regulat|ccre|enhancer|targets?\b|within|near")),
    ("promoter_activity", lambda q: bool(q.genes) and any(e.value in ("CAGE", "RAMPAGE") for e in q.kinds("assay"))
     and q.has(r"how strong|strength|signal|\btpm\b|\brpm\b|level|value|how much|how high|reads?\b|peak|"
               r"\bat (?:the )?\S+ promoter\b")),
    # 'which TFs regulate CD79A', '受哪些转录因子调控', '어떤 인자들이 조절하나요': the factors themselves, listed
    ("bound_factors", lambda q: bool(q.genes) and q.has(r"\b(?:which|what)\b.{0,60}\b(?:transcription factors|tfs?|"
                                                        r"factors|regulators)\s+(?:\w+\s+)?(?:regulat|control)")
     and not q.has(r"\bhow\b|describe|explain|overview|summar|(?:is|are|was|were|being) (?:regulat|control)\w* by")),
    # 'what does rs1421085 do?': what is known at the variant
    ("regulatory_evidence", lambda q: bool(q.kinds("rsid", "variant")) and q.has(r"what (?:does|do) \S+ do\b")),
    # regulation of a gene: a request to describe it is the narrative, whatever else it mentions
    ("regulation", lambda q: bool(q.genes) and q.has(_REGULATION)
     and q.has(r"describe|explain|explanation|summar|walk me through|overview|how (?:is|are)\b|how'?s\b|"
               r"what is known|what'?s known|what do we know|tell me about|what controls|transcriptionn?al")),
    ("tissue_tfs", lambda q: q.has(_TF_WORDS) and bool(q.kinds("tissue")) and q.has(_ELEVATED + r"|express")
     and not q.genes),
    ("factor_targets", lambda q: bool(q.genes) and q.has(r"which genes|what genes|genes (?:does|do)\b")
     and q.has(r"\bbind|\bbound\b|\btarget|chip")),
    ("factor_targets", lambda q: bool(q.genes) and q.has(r"\bbind\w*\s+(?:\S+\s+)?genes\b")),
    # 'Which TFs bind both the HBG1 and HBG2 promoters?', 'tfs shared by HBA1 + HBZ promoters': the factors are asked
    ("bound_factors", lambda q: q.distinct_genes >= 2 and q.has(_TF_WORDS) and _several_promoters(q)),
    ("factor_binding_biosamples", lambda q: q.distinct_genes >= 2 and (q.has(_BIND) or q.has(r"\bat the \S+ promoter"))
     and (q.has(rf"{_CELL_WORDS}|\bwhere\b") or bool(q.kinds("biosample"))) and not q.has(_FACTOR_TARGETS)
     and not q.has(r"^(?:does|do|is|did)\b")),
    ("bound_factors", lambda q: q.distinct_genes >= 2 and q.has(r"^(?:does|do|is|did)\b.{0,40}\b(?:bind|bound|occup|sits? on)")),
    # 'VEGF promoter bound by HIF-1α in HepG2?': the factor after 'by'
    ("bound_factors", lambda q: q.distinct_genes >= 2 and q.has(r"\bpromoter (?:is |was )?(?:bound|occupied) by\b")),
    # 'ctcf at kcnq1ot1 promoter gm12878 y/n': a factor at another gene's promoter
    ("bound_factors", lambda q: q.distinct_genes >= 2 and bool(q.factors) and q.has(r"\bpromoter\b")
     and q.has(r"\by/n\b|\?$|\bat\b") and not q.has(r"\bwhich\b|\bwhat\b|\bwhere\b|\bhow\b|cells?\b|lines?\b")),
    # 'Is p21 a target of p53?', 'Does TP53 regulate MDM2?': does the factor bind the gene (ChIP-seq targets)
    ("bound_factors", lambda q: q.distinct_genes >= 2 and q.has(
        r"^(?:is|are)\b.{0,40}\b(?:a |an )?(?:direct |known )?targets? (?:gene )?of\b|"
        r"^(?:does|do|did|can)\b.{0,30}\b(?:regulate|target|control|activate|repress|transactivate)s?\b")),
    ("bound_factors", lambda q: bool(q.genes) and q.has(r"(?:does|do|is) anything bind|anything bound|what binds|"
                                                        r"what is bound")),
    ("bound_factors", lambda q: bool(q.genes) and q.has(r"promoter bound by (?:any )?" + _TF_WORDS)),
    ("factor_targets", lambda q: bool(q.genes) and q.has(_FACTOR_TARGETS)
     and not q.has(r"explain|explanation|describe|how (?:is|are)\b")),
    ("factor_targets", lambda q: bool(q.factors) and q.has(r"\btargets\b|\btarget genes\b")
     and not q.has(r"experiments?|chip-seq data|profiled")),
    ("similar_genes", lambda q: bool(q.genes) and q.has(r"similar|most like|resembl|functionally related")),
    # a variant is a place: 'which TFs bind at rs229784', 'which cCREs are near chr17:43045712 G>A'
    ("bound_factors", lambda q: q.variant_like and not q.genes and q.has(_TF_WORDS) and q.has(_BIND + r"|\bat\b")),
    ("snp_genes", lambda q: bool(q.kinds("rsid")) and q.has(r"genes? (?:is|are|does)\b.{0,20}(?:associated|linked|in)|"
                                                            r"associated with (?:which|what) genes?|which genes?|"
                                                            r"what genes?") and not q.has(r"within \d|\d+\s*kb")),
    ("region_contents", lambda q: q.has(r"genes and (?:regulatory )?elements|gene span|genes (?:within|near|around)|"
                                        r"what genes|which genes") and bool(q.kinds("region", "rsid") or q.genes)
     and not q.has(_TF_WORDS)),
    ("bound_factors", lambda q: bool(q.genes) and q.has(_TF_WORDS) and q.has(_BIND + r"|\bat\b|\bnear\b|\bon\b|"
                                                                                  r"regulate the \S+ promoter|"
                                                                                  r"(?:unique|specific) to the \S+ promoter")
     and not (q.has(r"\bexperiments?\b") and not q.has(r"promoter|near|around|at the"))
     and not q.has(r"^how is|^how are|describe|what controls|walk me through|explanation|explain")),
    ("bound_factors", lambda q: bool(q.genes) and q.has(r"what (?:binds|is bound|factors)|which proteins bind|"
                                                        r"\bpromoter (?:factors|tfs|binders)\b|"
                                                        r"binds? (?:to )?the \w+ promoter")),
    ("ccres", lambda q: q.has(r"ccre|cis[- ]regulatory|regulatory elements|enhancers?\b|promoter-like|"
                             r"candidate regulatory|\b(?:pls|els)\b(?![\s?.!]*$)|"
                             r"enhancer-like|regulatory elements? (?:near|around|"
                             r"within|of)") and not (q.variant_like and q.has(r"^is |^does |\bin an? regulatory"))),
    ("promoter_activity", lambda q: bool(q.genes) and q.has(r"promot") and q.has(r"activ|\bopen\b|accessib|\bon\b|"
                                                                               r"firing|transcrib|\bused\b|usage")
     and not q.has(r"walk me through|describe|how is|regulation of")),
    ("tissue_tfs", lambda q: q.has(_TF_WORDS) and bool(q.kinds("tissue")) and not q.genes),
    ("expression", lambda q: bool(q.genes) and (q.has(_EXPRESS) or q.has(r"top tissues|which tissues?|in which "
                                                                          r"tissues?|tissue distribution|tissue "
                                                                          r"specific|\bhpa\b|\bgtex\b"))
     and not q.has(r"controls?|regulat")),
    ("regulation", lambda q: bool(q.genes) and q.has(_REGULATION + r"|\bcontrol|what drives|drives? (?:the )?"
                                                     r"expression|transcriptional program|switched on")),
    ("conservation", lambda q: q.has(r"conserv|phylop|phastcons|constraint")),
    # variants and SNPs
    ("regulatory_evidence", lambda q: q.variant_like and (bool(q.kinds("variant")) or q.has(
        r"regulat|regulome|dossier|enhancer|promoter|functional|what is known|tell me about|annotat|evidence|"
        r"overlap|peaks?|chromatin|say about"))),
    ("regulatory_evidence", lambda q: bool(q.kinds("region")) and q.has(r"regulatory (?:activity|evidence)|regulome|"
                                                                        r"what is known")),
    ("gene_function", lambda q: bool(q.kinds("rsid")) and q.has(r"function|what does|role")),
    ("snp_genes", lambda q: bool(q.kinds("rsid")) and q.has(r"which gene|what gene|genes?\b")),
    ("snp_location", lambda q: bool(q.kinds("rsid")) and q.has(r"chromosome|locat|position|where|coordinate")),
    # gene knowledge
    ("genes_by_function", lambda q: q.has(r"^involved in .+ genes\b") and not q.genes),
    ("genes_by_function", lambda q: q.has(r"\bgenes?\b.*?\b(?:invol\w* in|invovled in|take part in|act in|"
                                           r"function(?:s|ing)? in|roles? in|"
                                           r"participat\w* in|that (?:encode|mediate|control)s?|related to|"
                                           r"part of the|in the \w+ pathway|for)\b")
     and not q.kinds("disease") and not q.genes),
    ("similar_genes", lambda q: bool(q.genes) and q.has(r"similar|most like|resembl|functionally related")),
    # ENCODE and GEO
    ("experiment_details", lambda q: bool(q.kinds("encode_accession"))),
    ("geo_datasets", lambda q: bool(q.kinds("geo_accession")) or q.has(r"\bgeo\b|gene expression omnibus|\bgse\b")),
    ("profiled_assays", lambda q: q.has(r"\bassays?\b|\bexperiment types?\b|kinds of (?:data|experiments)|"
                                        r"types of experiments|types\W+(?:\S+\s+)?experiments")
     and bool(q.kinds("biosample", "tissue")) and not q.kinds("assay", "target")),
    ("profiled_targets", lambda q: bool(q.kinds("biosample", "tissue")) and not q.factors
     and (q.has(r"(?:which|what|list|all|how many)\b.{0,30}(?:" + _TF_WORDS + r"|histone marks?|marks\b|modifications|"
                r"targets?\b|proteins)") or q.has(r"\b(?:targets?|histone marks|factors)\s+(?:list|all)\b"))
     and q.has(r"profil|assay|chip|measur|studied|available|experiments?|examined|"
                                               r"in encode|data")),
    # Korean and Chinese put 'all' and 'list' after the noun: '… ChIP-seq 한 세포주 모두 알려줘'
    ("profiled_biosamples", lambda q: (q.has(rf"(?:which|what|list|in which|in what|all|how many)\b.{{0,30}}"
                                             rf"{_CELL_WORDS}|\bwhere (?:has|have|was|were)\b|"
                                             rf"{_CELL_WORDS}\s+(?:all|list)\b"))
     and not q.kinds("biosample", "tissue")
     and bool(q.factors or q.kinds("target", "assay") or q.genes)
     and q.has(r"profil|assay|chip|measur|studied|available|experiments?|\bhave\b|\bhas\b|encode|data")),
    ("experiments", lambda q: (q.has(r"experiments?|datasets?|\bencode\b|\bdata\b|\bfiles?\b|\bsamples?\b")
                               and bool(q.kinds("biosample", "tissue", "assay", "target") or q.factors))
     or (bool(q.kinds("assay")) and bool(q.kinds("biosample", "tissue", "target", "organism")))
     or (bool(q.kinds("assay")) and q.has(r"^(?:list|show|find|get|any)\b"))),
    # genes
    ("official_symbol", lambda q: bool(q.kinds("ensembl", "gene_id")) and q.has(r"symbol|convert|name|which gene|"
                                                                               r"what gene|map|correspond")),
    ("gene_location", lambda q: bool(q.kinds("disease")) and q.has(r"locat|where|cytoband|chromosom")),
    ("disease_genes", lambda q: bool(q.kinds("disease"))),
    ("gene_type", lambda q: bool(q.genes) and q.has(r"protein[- ]coding|gene type|type of gene|biotype|non-?coding|"
                                                    r"codes? (?:for )?(?:a )?protein|encodes? a protein|"
                                                    r"kind of gene|what kind of|what sort of gene")),
    ("aliases", lambda q: bool(q.genes) and q.has(r"aliases|other names|synonyms|also called|also known|"
                                                  r"alternative names|previous names|known as|\belse\b")),
    ("official_symbol", lambda q: bool(q.genes) and q.has(r"official|symbol|alias|also known|hgnc|approved|"
                                                          r"called now|now called|new name|current name|renamed")),
    ("gene_location", lambda q: bool(q.genes) and q.has(r"chromosome|\bchr\b|where is|where's|locat|cytoband|coordinates|"
                                                        r"which band|genomic position|positions? of")),
    ("gene_function", lambda q: bool(q.genes) and q.has(r"function|what does|role of|what is the role|involved in|"
                                                        r"participate|\bdo\b\??$")),
    ("region_contents", lambda q: bool(q.kinds("region")) or (bool(q.genes) and q.has(
        r"\bregion\b|around|nearby|near |neighbo|genes in|what genes|which genes|overlap|tracks?"))),
    ("gene_overview", lambda q: bool(q.kinds("gene", "gene_ambiguous", "ensembl", "gene_id")) or (
        bool(q.kinds("unknown_gene")) and (len(q.t.split()) <= 3 or q.has(r"\bgenes?\b|protein|express|function|"
                                                                         r"symbol|chromosome|locus|transcript")))),
]


def _ask(q: _Q) -> str:
    main = _first_question(q)
    if main is not None and (ask := next((a for a, fits in RULES if fits(main)), "unknown")) != "unknown":
        return ask  # 'Is the ESR1 promoter active? also which TFs bind it': the first question is the ask
    return next((ask for ask, fits in RULES if fits(q)), "unknown")


def _first_question(q: _Q) -> _Q | None:
    """The first of several questions in one message ('…? also …', '1) … 2) …'), or None for a single one."""
    numbered = re.search(r"(?:^|\s)1\)\s*(.+?)\s+2\)", q.t)
    if numbered:
        start, end = numbered.span(1)
    elif (m := re.search(r"\?\s*(?=[^\s?)])", q.t)) is not None:
        start, end = 0, m.start()
    else:
        return None
    part = _Q(q.t[start:end], [e for e in q.entities if start <= e.span[0] < end])
    part.t = q.t[:end]  # keep positions aligned with the entities' spans
    return part


def _about(ask: str, q: _Q) -> list[str]:
    if ask in ("experiments", "profiled_biosamples", "profiled_targets", "profiled_assays", "tissue_tfs",
               "enformer_tracks", "unknown"):
        return []
    if ask in ("sequence_organism", "sequence_gene", "sequence_alignment", "translation"):
        return [e.text.upper() for e in q.kinds("sequence")][:1]
    if ask in ("splice_effect", "variant_effect", "glm_score", "regulatory_evidence", "ccres", "region_contents",
               "bound_factors") and not (ask == "bound_factors" and q.genes) \
            and (q.kinds("variant", "rsid") or q.single_base or (ask == "regulatory_evidence" and q.kinds("region"))):
        found = q.kinds("variant", "rsid") or q.single_base or q.kinds("region")
        return [_region_value(e) for e in found]
    if ask in ("snp_location", "snp_genes") or (ask == "gene_function" and q.kinds("rsid")):
        return [e.value for e in q.kinds("rsid")]
    if ask in ("disease_genes",) or (ask == "gene_location" and q.kinds("disease")):
        return [e.value.lower() for e in q.kinds("disease")][:1]
    if ask == "experiment_details":
        return [e.value for e in q.kinds("encode_accession")]
    if ask == "geo_datasets":
        topic = [e.value for e in q.kinds("geo_accession")] or [_gene_value(e) for e in q.genes]
        if not topic and (m := re.search(r"\b(?:about|on|for|of)\s+([a-z][a-z \-]+?)(?:\s+(?:data|datasets?|series|"
                                         r"studies))?[?.!]*$", q.t)) and not q.kinds("biosample", "assay", "tissue"):
            topic = [m.group(1).strip()]
        return topic
    if ask == "genes_by_function":
        m = re.search(r"\binvolved in\s+(.+?)\s+(?:\S+\s+)?genes\b", q.t) or re.search(
            r"\b(?:invol\w* in|invovled in|take part in|act in|function(?:s|ing)? in|roles? in|"
            r"participat\w* in|related to|part of|for|in)\s+(?:the\s+)?(.+?)[?.!]*$", q.t)
        return [m.group(1).strip()] if m else []
    if ask in ("region_sequence", "conservation", "region_contents", "ccres", "predicted_signal") and q.kinds("region"):
        return [_region_value(e) for e in q.kinds("region")]
    genes = q.genes
    if ask == "factor_binding_biosamples" or (ask == "bound_factors" and len(genes) >= 2):
        factors = _filter_factors(q)
        genes = [g for g in genes if g not in factors]
    if ask == "official_symbol" and q.kinds("ensembl", "gene_id"):
        return [e.value if e.kind == "ensembl" else (e.candidates[0] if e.candidates else e.value)
                for e in q.kinds("ensembl", "gene_id")]
    return list(dict.fromkeys(_gene_value(e) for e in genes))


def _several_promoters(q: _Q) -> bool:
    return q.has(r"\bpromoters\b|\bboth\b|\bshared\b|\bin common\b|\bcommon to\b|\w\s*\+\s*\w|\beither\b")


def _filter_factors(q: _Q) -> list[Entity]:
    """In 'which cells show POLR2A enrichment near the TP53 promoter' the factor is the gene named first
    next to a binding word; the gene whose promoter it is comes with 'promoter'/'near'."""
    genes = q.genes
    if len(genes) < 2 or (q.has(_TF_WORDS) and _several_promoters(q) and not q.has(r"targets? (?:gene )?of")):
        return []  # 'which TFs bind both the HBG1 and HBG2 promoters': both genes are the subjects
    target_of = re.search(r"targets? (?:gene )?of (?:the )?(\S+?)[?.!,]*(?:\s|$)", q.t) or \
        re.search(r"\b(?:bound|occupied) by (?:the )?(\S+?)[?.!,]*(?:\s|$)", q.t)
    if target_of:  # 'is p21 a target of p53', 'VEGF promoter bound by HIF-1α': the factor follows 'of' / 'by'
        return [g for g in genes if g.text.lower() == target_of.group(1)]
    near = re.search(r"(?:near|at|around|on|of|in|to|over)\s+(?:the\s+)?(?!the\b)(\w[\w.-]*)(?:'s)?\s+"
                     r"(?:promoter|gene|locus|tss)"
                     r"|(?:promoter|gene|locus|tss) of (?:the )?(\w[\w.-]*)"
                     r"|(?:near|around|at)\s+(?:the\s+)?([\w.-]+)\s*[?.!]*$", q.t)
    if near:
        subject = near.group(1) or near.group(2) or near.group(3)
        return [g for g in genes if g.text.lower() != subject]
    bound = [g for g in genes if re.match(r"\s*(?:(?!near|around|at|on|promoter)\S+\s+)?(?:binds?|binding|bound|occup|sits?)",
                                          q.t[g.span[1]:])]
    return bound[:1] or genes[:1]  # 'TP53 and CDKN1A promoters … POLR2A bind': the gene next to the verb binds


def _gene_value(e: Entity) -> str:
    return e.value if e.kind in ("gene", "ensembl") else (e.candidates[0] if e.kind == "gene_id" and e.candidates
                                                           else e.text if e.kind == "gene_ambiguous" else e.value)


def _region_value(e: Entity) -> str:
    a = e.attrs
    if e.kind == "variant":
        return f"{a['chromosome']}:{a['position']} {a['ref']}>{a['alt']}"
    if e.kind == "region":
        return f"{a['chromosome']}:{a['start']}" if a.get("single_base") else f"{a['chromosome']}:{a['start']}-{a['end']}"
    return e.value


_WINDOW = re.compile(r"(?:within|±|\+/-|\+-|up to|window of|near|upstream|,)\s*(\d[\d,.]*)\s*(kb|kbp|mb|bp|b)\b|"
                     r"(\d[\d,.]*)\s*(kb|kbp|mb|bp)\s*(?:within|以内|内)", re.I)
_UNIT = {"kb": 1_000, "kbp": 1_000, "mb": 1_000_000, "bp": 1, "b": 1}


def _constraints(ask: str, q: _Q) -> dict[str, list[str]]:
    cons: dict[str, list[str]] = {}

    def put(key: str, value: str) -> None:
        if value not in cons.setdefault(key, []):
            cons[key].append(value)

    for e in q.kinds("biosample"):
        put("biosample", e.value)
    asides = [m.span() for m in re.finditer(r"\([^)]*\)", q.t)]
    for e in q.kinds("tissue"):
        # '(breast versus endometrial)' beside named cell lines is an aside about them, not a tissue filter
        if q.kinds("biosample") and any(a <= e.span[0] < b for a, b in asides):
            continue
        put("tissue", e.value)
    for e in q.kinds("assay"):
        put("assay", e.value)
    for e in q.kinds("target"):
        put("target", e.value)
    if ask in ("experiments", "profiled_biosamples", "enformer_tracks") or (
            ask in ("region_contents", "regulatory_evidence", "ccres") and q.kinds("region", "variant", "rsid")):
        for e in q.factors:  # 'does MAX bind anywhere in chr8:…': the factor is a filter on the place
            put("target", e.value)
    if ask == "factor_binding_biosamples" or (ask == "bound_factors" and len(q.genes) >= 2):
        for e in _filter_factors(q):
            put("target", _gene_value(e))
    if cons.get("assay") and "ChIP-seq" in cons["assay"]:
        # ENCODE names the assay by what was pulled down: a histone mark or a factor.
        histone = any(e.attrs.get("class") == "histone mark" for e in q.kinds("target")) or q.has(r"histone|marks?\b")
        factor = bool(q.factors or q.genes) or q.has(_TF_WORDS) or any(
            e.attrs.get("class") != "histone mark" for e in q.kinds("target"))
        if histone or factor:
            cons["assay"] = ["Histone ChIP-seq" if histone else "TF ChIP-seq" if v == "ChIP-seq" else v
                             for v in cons["assay"]]
    for e in q.kinds("organism"):
        if e.value != DEFAULT_ORGANISM:
            put("organism", e.value)
    for e in q.kinds("assembly"):
        put("assembly", e.value)
    if (m := _WINDOW.search(q.t)) is not None:
        number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        bp = float(number.replace(",", "")) * _UNIT[unit.lower()]
        put("window", str(int(bp)))
    if ask in ("tissue_tfs",) and not cons.get("tissue"):
        cons.pop("tissue", None)
    return {k: v for k, v in cons.items() if v}


# Asks a cell line or tissue narrows: a place the question names but genelm cannot read must be said, not dropped.
PLACED_ASKS = {"experiments", "profiled_targets", "profiled_assays", "regulation", "bound_factors",
               "promoter_activity", "expression", "tissue_tfs", "enformer_tracks", "factor_targets"}
_PLACE = re.compile(r"\b(?:in|for|on|from)\s+((?:[a-z][a-z0-9-]*\s*){1,3}?(?:\s*(?:cells?|tissues?|samples?))?)\s*[?.!]*$")
_NOT_A_PLACE = {"encode", "geo", "ncbi", "hpa", "gtex", "human", "humans", "general", "detail", "total", "it", "them",
                "this", "that", "the", "a", "an", "any", "all", "cells", "tissues", "data", "genome", "particular",
                "bulk", "vivo", "vitro", "there", "here", "question"}


def _unrecognised_place(q: _Q) -> str | None:
    """The trailing 'in/for X' of a question when X is no entity genelm grounded ('in pancreatic islets')."""
    m = _PLACE.search(q.t)
    if m is None or not set(m.group(1).split()) - _NOT_A_PLACE:
        return None
    start, end = m.span(1)
    if any(e.span[0] < end and e.span[1] > start for e in q.entities):
        return None
    return m.group(1).strip()


# Chinese and Korean put the factor and its target gene where English puts 'is X a target of Y' / 'does Y bind X':
# X是Y的靶基因, Y(会/是否)调控/结合X, X는 Y의 표적 유전자, Y가 X를 조절/결합.
_SYM = r"[A-Za-z][A-Za-z0-9.-]*"  # a gene symbol written in Latin letters inside CJK text
_CJK_TARGET = re.compile(rf"({_SYM})\s*(?:是|为|는|은)\s*({_SYM})\s*(?:的|의)\s*(?:直接)?"
                         r"(?:靶基因|靶标|目标基因|표적\s*유전자|타겟\s*유전자|타깃\s*유전자)")
_CJK_PASSIVE = re.compile(rf"({_SYM})\s*(?:是否|会|能)?\s*(?:受到?|被)\s*({_SYM})\s*(?:的)?\s*"
                          r"(?:调控|调节|结合)")
_CJK_BINDS = re.compile(rf"({_SYM})\s*(?:会|能|是否|可以|가|이)?\s*(?:调控|调节|结合在?|结合到?)\s*({_SYM})|"
                        rf"({_SYM})\s*(?:가|이|는|은)\s*({_SYM})\s*(?:를|을|의)?\s*"
                        r"(?:프로모터에\s*)?(?:조절|결합)")


def _cjk_factor_pair(raw: str, q: _Q) -> tuple[str, str] | None:
    """(factor, gene) of a Chinese or Korean 'is X a target of Y' / 'does Y bind/regulate X' question, or None."""
    if not re.search(r"[\u4e00-\u9fff\uac00-\ud7a3]", raw) or q.distinct_genes < 2:
        return None
    by_text = {e.text.lower(): _gene_value(e) for e in q.genes}
    if (m := _CJK_TARGET.search(raw) or _CJK_PASSIVE.search(raw)) is not None:
        gene, factor = m.group(1), m.group(2)  # X是Y的靶基因, X是否受Y调控
    elif (m := _CJK_BINDS.search(raw)) is not None:
        factor, gene = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    else:
        return None
    factor, gene = by_text.get(factor.lower()), by_text.get(gene.lower())
    return (factor, gene) if factor and gene and factor != gene else None


def understand(question: str, entities: list[Entity]) -> Frame:
    """The frame of a question whose entities were grounded from ``gloss_chinese(question)``."""
    text = gloss_chinese(question)
    q = _Q(text, entities)
    if has_chinese(question):
        question = simplified(question)  # the form cues (吗, 哪些, 多少) are read in Simplified characters
    ask = _ask(q)
    frame = Frame(ask=ask, about=_about(ask, q), constraints=_constraints(ask, q),
                  form=_form(q.t, question, ask))
    if frame.form == "yes_no" and (pair := _cjk_factor_pair(question, q)) is not None:  # 'KLF1是TAL1的靶基因吗', 'CEBPB会调控SERPINA1吗'
        factor, gene = pair
        frame.ask, frame.about = "bound_factors", [gene]
        frame.constraints = {**{k: v for k, v in frame.constraints.items() if k != "target"}, "target": [factor]}
    places = frame.values("tissue") + frame.values("biosample")
    if frame.form == "yes_no" and len(places) >= 2 and re.search(r"\bor\b|还是", q.t + question):
        frame.form = "comparison"  # 'more in smooth muscle or in skeletal muscle?'
    if frame.form == "yes_no" and ask == "official_symbol":
        frame.form = "factoid"  # 'is CHOP still the official name?' asks for the name
    if frame.form == "factoid" and (len(frame.about) > 1 or (ask == "gene_location" and q.kinds("disease"))):
        frame.form = "list"  # 'where are rs7412 and rs429358', 'where are the genes of a disease located'
    if ask == "geo_datasets" and q.kinds("geo_accession") and frame.form == "list":
        frame.form = "factoid"
    # English only: a glossed Chinese question has 'in' before its gloss words, not before a place name.
    if ask in PLACED_ASKS and not has_chinese(question) and (place := _unrecognised_place(q)) is not None:
        frame.understood.append(f"not recognised: '{place}'")
    if ask == "unknown":
        frame.understood = [f"{e.kind}: {e.value}" for e in entities if e.kind != "assembly"]
        frame.form = "factoid"
    from genelm.agent.grounding.vocab import read_in  # 'read in Chinese' / 'read in Korean' (None: English)

    if (reading := read_in(question)) is not None:
        frame.understood.append(reading)
    return frame
