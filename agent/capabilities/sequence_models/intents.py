"""Questions for the local sequence models: splice effects, Enformer tracks and variant effects,
predicted vs measured signal, and genomic-LM variant scores.

"Does chr17:43049195 C>A (in BRCA1) affect splicing?" runs CI-SpliceAI (REF checked
against the reference first).  "Predict H3K27ac around the BRCA1 promoter in HepG2"
looks up which Enformer tracks exist (the bundled targets file: this works offline
and says plainly when Enformer has no such track), then predicts them when weights
are installed, and says how to install them when they are not.
"""
from __future__ import annotations

import re

from genelm.agent.capabilities.encode import EncodeExperiment
from genelm.agent.capabilities.genes import GeneTableLookup
from genelm.agent.capabilities.sequence_models.calls import (
    ENCODE_DOWNLOAD,
    EnformerOverlay,
    EnformerPredict,
    EnformerTracks,
    EnformerVariant,
    GenomicLmScore,
    SpliceScore,
)
from genelm.agent.core.evidence_views import with_prefix
from genelm.agent.core.question import Intent, Question
from genelm.agent.core.synthesis import Synthesis
from genelm.connectors.errors import InputError
from genelm.i18n import N_, _, tr

# SpliceAI's published cut-offs: 0.2 high recall, 0.5 recommended, 0.8 high precision.
CUTOFFS = ((0.8, N_("very likely alters splicing (Δ ≥ 0.8, SpliceAI's high-precision cut-off)")),
           (0.5, N_("likely alters splicing (Δ ≥ 0.5, the recommended cut-off)")),
           (0.2, N_("may alter splicing (Δ ≥ 0.2, the high-recall cut-off)")),
           (0.0, N_("is not predicted to alter splicing (every Δ < 0.2)")))
_KINDS = {"acceptor_gain": N_("acceptor gain"), "acceptor_loss": N_("acceptor loss"), "donor_gain": N_("donor gain"),
          "donor_loss": N_("donor loss")}
ASSAY_OF = {"DNase-seq": "DNASE", "ATAC-seq": "ATAC", "CAGE": "CAGE"}


class _VariantScoreIntent(Intent):
    """One model call on the question's variant, answered from the one record it returns."""

    call: type
    prefix: str
    what: str

    def steps(self, q, ledger, step):
        return [] if step else [self.call(variant=_variant_of(q))]

    def answer(self, q, ledger):
        s = Synthesis()
        found = with_prefix(ledger, self.prefix)
        if found:
            self.say(s, found[0], found[0].records[0])
        else:
            s.note(tr("No {what} was computed (see the gap below).", what=_(self.what)))
        return s

    def say(self, s: Synthesis, ev, rec: dict) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class SpliceIntent(_VariantScoreIntent):
    name = "splice_effect"
    call, prefix, what = SpliceScore, "model:splice:", N_("splice score")

    def matches(self, q: Question) -> bool:
        return q.first("variant") is not None and q.has("splic")

    def say(self, s, ev, rec):
        ranked = sorted(_KINDS, key=lambda k: -rec[f"ds_{k}"])
        top = ranked[0]
        verdict = _(next(text for cut, text in CUTOFFS if rec["max_delta"] >= cut))
        values = {"variant": rec["variant"], "kind": _(_KINDS[top]), "score": f"{rec[f'ds_{top}']:.2f}",
                  "position": f"{rec['variant'].split(':')[0]}:{rec[f'dp_{top}']}", "verdict": verdict}
        if rec["gene"]:
            s.say(tr("CI-SpliceAI scores {variant} in {gene} ({ensembl}, {strand} strand): {kind} {score} at {position}; "
                     "the variant {verdict}.", gene=_symbol(rec["gene"]), ensembl=rec["gene"], strand=rec["strand"],
                     **values), ev.key)
        else:
            s.say(tr("CI-SpliceAI scores {variant}: {kind} {score} at {position}; the variant {verdict}.", **values),
                  ev.key)
        s.say(tr("All four delta scores: {scores}.",
                 scores=", ".join(f"{_(_KINDS[k])} {rec[f'ds_{k}']:.2f}" for k in _KINDS)), ev.key)
        # yes/no at SpliceAI's 'likely' cut-off (0.5); the first sentence above says which score decides it
        s.verdict, s.verdict_keys = ("yes" if rec["max_delta"] >= 0.5 else "no"), [ev.key]
        s.short_answer = _(s.verdict)
        s.note(_("Scores are model predictions (CI-SpliceAI, ±50 nt around the variant), not measured splicing."))


class EnformerIntent(Intent):
    name = "enformer_prediction"

    def matches(self, q: Question) -> bool:
        return q.has("predict") and q.first("target", "assay") is not None and \
            q.first("gene", "region") is not None

    def _track_query(self, q: Question) -> EnformerTracks:
        target, assay, biosample = q.first("target"), q.first("assay"), q.first("biosample")
        if target is not None:
            return EnformerTracks(assay="CHIP", target=target.value, biosample=biosample.value if biosample else None)
        return EnformerTracks(assay=ASSAY_OF.get(assay.value, "CHIP"), biosample=biosample.value if biosample else None)

    def steps(self, q, ledger, step):
        gene = q.first("gene")
        if step == 0:
            return [self._track_query(q)] + ([GeneTableLookup(term=gene.text)] if gene else [])
        if step == 1:
            hits = with_prefix(ledger, "enformer-targets:")
            center = self._center(q, ledger)
            if hits and hits[0].records and center:
                return [EnformerPredict(chromosome=center[0], center=center[1],
                                        tracks=tuple(r["track"] for r in hits[0].records[:20]))]
            if hits and not hits[0].records:  # say what does exist, for the same target and the same cells
                query = self._track_query(q)
                return [EnformerTracks(assay=query.assay, target=query.target),
                        EnformerTracks(assay=query.assay, biosample=query.biosample)]
        return []

    def _center(self, q: Question, ledger) -> tuple[str, int] | None:
        region = q.first("region")
        if region is not None:
            a = region.attrs
            return a["chromosome"], (a["start"] + a["end"]) // 2
        table = [r for ev in ledger.values() if ev.source == "gene-table" for r in ev.records if r.get("start")]
        if not table:
            return None
        rec = table[0]
        return f"chr{rec['chromosome']}", _tss(rec)

    def _no_track(self, s: Synthesis, q: Question, ledger) -> tuple[bool, str, object]:
        """Say so when Enformer has no track for the question, and what it has nearby; (said?, wanted, evidence)."""
        query = self._track_query(q)
        wanted = ", ".join(v for v in (query.target, query.assay if not query.target else None, query.biosample) if v)
        tracks = with_prefix(ledger, "enformer-targets:")
        first = next((ev for ev in tracks if ev.params.get("target") == query.target
                      and ev.params.get("biosample") == query.biosample), None)
        if first is None or first.records:
            return False, wanted, first
        s.say(tr("Enformer has no output track for {wanted}: its targets file lists none.", wanted=wanted), first.key)
        for ev in tracks:
            if ev is not first and ev.records:
                examples = ", ".join(sorted({r["target"] or r["assay"] for r in ev.records} if ev.params.get("biosample")
                                            else {r["biosample"] for r in ev.records})[:8])
                query = ", ".join(f"{k}={v}" for k, v in ev.params.items() if k in ("assay", "target", "biosample") and v)
                s.say(tr("It has {count} tracks for {query} (e.g. {examples}).", count=len(ev.records), query=query,
                         examples=examples), ev.key)
        s.short_answer = "NA"
        return True, wanted, first

    def answer(self, q, ledger):
        s = Synthesis()
        said, wanted, first = self._no_track(s, q, ledger)
        if said:
            return s
        results = with_prefix(ledger, self.result_prefix)
        if results:
            self.say_result(s, results[0])
        else:
            _say_not_run(s, first, wanted)
        return s

    result_prefix = "model:enformer:"

    def say_result(self, s: Synthesis, ev) -> None:
        for rec in ev.records[:5]:
            s.say(tr("Enformer predicts {description} (track {track}) with mean signal {mean} and a maximum of {max} at "
                     "{where}.", description=rec["description"], track=rec["track"], mean=f"{rec['mean']:.3f}",
                     max=f"{rec['max']:.3f}",
                     where=f"{ev.params['chromosome']}:{rec['max_bin_start']}-{rec['max_bin_end']}"), ev.key)
        s.short_answer = f"{ev.params['chromosome']}:{ev.records[0]['max_bin_start']}-{ev.records[0]['max_bin_end']}"
        s.note(_("Predicted signal from a sequence model, not a measurement."))


class EnformerVariantIntent(EnformerIntent):
    """'What is Enformer's predicted effect of chr17:43049195 C>A on DNase in K562?'"""

    name = "enformer_variant_effect"

    def matches(self, q: Question) -> bool:
        return q.first("variant") is not None and q.first("target", "assay") is not None and \
            q.has("enformer", "predicted effect", "predict") and not q.has("splic")

    def steps(self, q, ledger, step):
        if step == 0:
            return [self._track_query(q)]
        hits = with_prefix(ledger, "enformer-targets:")
        if step == 1 and hits and hits[0].records:
            return [EnformerVariant(variant=_variant_of(q), tracks=tuple(r["track"] for r in hits[0].records[:20]))]
        return super().steps(q, ledger, step) if step == 1 and hits and not hits[0].records else []

    result_prefix = "model:enformer-variant:"

    def say_result(self, s: Synthesis, ev) -> None:
        for rec in ev.records[:5]:
            s.say(tr("Enformer predicts that {variant} changes {description} (track {track}) by {effect} over the central "
                     "bins, more than {percentile} of {background} random SNVs of the same window.",
                     variant=ev.params["variant"], description=rec["description"], track=rec["track"],
                     effect=f"{rec['effect']:+.4g}", percentile=f"{rec['percentile']:.0f}%",
                     background=ev.params["n_background"]), ev.key)
        s.short_answer = f"{ev.records[0]['effect']:+.4g}"
        s.note(_("Predicted by a sequence model from sequence alone, not measured."))


_LOCAL_BIGWIG = re.compile(r"(?<!\S)([^\s;|&'\"]+\.(?:bigWig|bigwig|bw))(?=[\s,.?!]|$)")
_ENCFF = re.compile(r"^ENCFF\d{3}[A-Z]{3}$")


class EnformerOverlayIntent(EnformerIntent):
    """'How well does Enformer's predicted H3K27ac in GM12878 match the measured signal around BRCA1?'

    The measured track is a local bigWig named in the question, else the ENCODE file Enformer
    was trained on (targets_human.txt names it), once the portal's record says it is a bigWig.
    """

    name = "enformer_overlay"

    def matches(self, q: Question) -> bool:
        return q.has("predict", "enformer") and q.has("measured", "observed") and \
            q.first("target", "assay") is not None and q.first("gene", "region") is not None

    def steps(self, q, ledger, step):
        if step == 0:
            return super().steps(q, ledger, 0)
        hits = with_prefix(ledger, "enformer-targets:")
        center = self._center(q, ledger)
        if not (hits and hits[0].records and center):
            return super().steps(q, ledger, step)  # say what Enformer has instead
        track = hits[0].records[0]
        local = _LOCAL_BIGWIG.search(q.text)
        if local:
            measured = local.group(1) if step == 1 else None
        elif step == 1:
            return [EncodeExperiment(accession=track["identifier"])] if _ENCFF.match(track["identifier"]) else []
        else:
            file_ev = _file_evidence(ledger, track["identifier"])
            measured = ENCODE_DOWNLOAD.format(accession=track["identifier"]) \
                if step == 2 and file_ev and file_ev.records[0].get("file_format") == "bigWig" else None
        return [EnformerOverlay(chromosome=center[0], center=center[1], track=track["track"],
                                measured=measured)] if measured else []

    result_prefix = "model:overlay:"

    def answer(self, q, ledger):
        s = Synthesis()
        said, wanted, first = self._no_track(s, q, ledger)
        if said:
            return s
        identifier = first.records[0]["identifier"] if first is not None and first.records else None
        file_ev = _file_evidence(ledger, identifier) if identifier else None
        if file_ev is not None:
            rec = file_ev.records[0]
            s.say(tr("The measured track is ENCODE file {accession} ({output_type}, {file_format}, {assembly}), the file "
                     "Enformer's track was trained on.", accession=identifier,
                     output_type=rec.get("output_type") or _("signal"), file_format=rec.get("file_format"),
                     assembly=rec.get("assembly") or _("assembly not stated")), file_ev.key)
        results = with_prefix(ledger, self.result_prefix)
        if not results:
            if file_ev is not None and file_ev.records[0].get("file_format") != "bigWig":
                s.note(tr("{accession} is not a bigWig, so it cannot be binned; name a local .bigWig in the question.",
                          accession=identifier))
            _say_not_run(s, first, wanted)
            return s
        ev = results[0]
        rec = ev.records[0]
        if rec["pearson"] is None:
            s.say(tr("Enformer's {track} could not be correlated with {measured} over {where} (GRCh38): only {bins} bins "
                     "had measured data, or a track was flat.", track=rec["track"], measured=rec["measured"],
                     where=f"{rec['chrom']}:{rec['start']}-{rec['end']}", bins=rec["bins"]), ev.key)
            s.short_answer = "NA"
        else:
            s.say(tr("Enformer's predicted {track} and the measured signal correlate with Pearson r = {pearson} and "
                     "Spearman rho = {spearman} over {bins} bins of {where} (GRCh38).", track=rec["track"],
                     pearson=rec["pearson"], spearman=rec["spearman"], bins=rec["bins"],
                     where=f"{rec['chrom']}:{rec['start']}-{rec['end']}"), ev.key)
            s.short_answer = str(rec["pearson"])
        if rec.get("plot"):
            s.note(tr("Plot of both tracks with the genes: {plot}", plot=rec["plot"]))
        s.note(_("The prediction comes from sequence alone; the measured track is one experiment's signal."))
        return s


def _file_evidence(ledger, accession: str):
    """The ENCODE file record fetched for ``accession``, when the portal answered with one."""
    ev = ledger.get(f"encode:{accession}")
    return ev if ev is not None and ev.records else None


class GlmIntent(_VariantScoreIntent):
    """'What is the gLM log-likelihood ratio of chr17:43049195 C>A?'"""

    name = "glm_variant_score"
    call, prefix, what = GenomicLmScore, "model:glm:", N_("gLM score")

    def matches(self, q: Question) -> bool:
        return q.first("variant") is not None and \
            q.has("glm", "genomic lm", "language model", "log-likelihood", "likelihood ratio", "llr")

    def say(self, s, ev, rec):
        s.say(tr("The genomic language model {model} ({kind} LM) gives {variant} a log-likelihood ratio (ALT vs REF) of "
                 "{llr} over {tokens} scored tokens.", model=ev.params["model"], kind=rec["kind"],
                 variant=rec["variant"], llr=rec["llr"], tokens=rec["tokens_scored"]), ev.key)
        s.short_answer = str(rec["llr"])
        s.note(_("Below zero, the model finds ALT less likely than REF. A sequence-model score, not a measured effect."))


def _say_not_run(s: Synthesis, tracks, wanted: str) -> None:
    """The tracks exist but nothing was predicted (no weights, a REF mismatch: the gap says which)."""
    if tracks is not None:
        accessions = ", ".join(tracks.accessions[:6])
        s.say(tr("Enformer has {count} output tracks for {wanted}, trained on ENCODE {accessions}.",
                 count=len(tracks.records), wanted=wanted, accessions=accessions) if accessions else
              tr("Enformer has {count} output tracks for {wanted}, trained on ENCODE data.", count=len(tracks.records),
                 wanted=wanted), tracks.key)
    s.note(_("No prediction was made; the gap below says why."))


def _variant_of(q: Question) -> str:
    v = q.first("variant").attrs
    return f"{v['chromosome']}:{v['position']} {v['ref']}>{v['alt'] or '-'}"


def _symbol(ensembl_id: str) -> str:
    from genelm.data import gene_table

    gene = gene_table().by_ensembl.get(ensembl_id)
    return gene.symbol if gene else ensembl_id


def _tss(rec: dict) -> int:
    """The gene's transcription start when its strand is known (GENCODE table of cispliceai), else its midpoint."""
    try:
        from genelm.models.splice import gene_at

        gene = gene_at(f"chr{rec['chromosome']}", (rec["start"] + rec["end"]) // 2)
    except (ImportError, InputError):  # no pandas, or no cispliceai and so no GENCODE table
        gene = None
    if gene is not None:
        return gene.end if gene.strand == "-" else gene.start
    return (rec["start"] + rec["end"]) // 2


class EnformerTracksIntent(Intent):
    """'Which Enformer tracks measure CAGE in liver?': the bundled targets file answers, no weights or graph needed."""

    name = "enformer_tracks"

    def matches(self, q: Question) -> bool:
        return bool(q.frame.values("assay") or q.frame.values("target") or q.frame.values("biosample")
                    or q.frame.values("tissue"))

    def _query(self, q: Question) -> EnformerTracks:
        target = q.frame.constraint("target")
        assay = q.frame.constraint("assay")
        cells = q.frame.constraint("biosample") or q.frame.constraint("tissue")
        kind = "CHIP" if target else ASSAY_OF.get(assay or "", "CHIP" if assay and "ChIP" in assay else None)
        return EnformerTracks(assay=kind, target=target, biosample=cells)

    def steps(self, q, ledger, step):
        return [self._query(q)] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        for ev in with_prefix(ledger, "enformer-targets:"):
            wanted = ", ".join(f"{k}={v}" for k, v in ev.params.items() if k in ("assay", "target", "biosample") and v)
            if not ev.records:
                s.say(tr("Enformer's targets file (targets_human.txt) lists no output track for {wanted}.",
                         wanted=wanted), ev.key)
                continue
            shown = ev.records[:15]
            tracks = "; ".join(tr("track {track} ({description}, {identifier})", track=r["track"],
                                  description=f"{r['assay']} {r['target'] or ''} {r['biosample']}".replace("  ", " "),
                                  identifier=r["identifier"]) for r in shown)
            s.say(tr("Enformer has {count} output tracks for {wanted}: {tracks}.", count=len(ev.records), wanted=wanted,
                     tracks=tracks + ("; …" if len(ev.records) > len(shown) else "")), ev.key)
            s.listed([str(r["track"]) for r in ev.records])
            s.short_answer = ", ".join(str(r["track"]) for r in shown)
        return s
