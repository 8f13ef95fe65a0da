"""Sequence models: CI-SpliceAI with its real weights on the real BRCA1 sequence; Enformer, the overlay and gLM
scores on small models built here (no wheel carries their weights), through the same loading code users run."""
from __future__ import annotations

import random

import numpy as np
import pytest

from genelm.connectors.errors import InputError
from genelm.models.reference import bundled_brca1, reverse_complement

BRCA1 = "ENSG00000012048"


# ---------------------------------------------------------------------------- splice (real weights)
@pytest.fixture(scope="module")
def splice(tmp_path_factory):
    pytest.importorskip("cispliceai")
    pytest.importorskip("tensorflow")
    from genelm.models import splice as S

    return S, S.SpliceModel.shared(tmp_path_factory.mktemp("splice-cache")), bundled_brca1()


def test_bundled_slice_is_the_plus_strand_with_brca1s_introns_in_place(splice):
    S, _, ref = splice
    gene = S.gene_at("chr17", 43_045_712)
    assert gene.ensembl_id == BRCA1 and gene.strand == "-"
    # Minus-strand introns read CT…AC on the plus strand (GT…AG on the gene's own strand).
    first, last = gene.junctions[0]
    assert ref.fetch("chr17", first + 1, first + 2) == "CT" and ref.fetch("chr17", last - 2, last - 1) == "AC"


def test_known_brca1_splice_sites_score_high_and_other_positions_low(splice):
    S, model, ref = splice
    gene = S.gene_at("chr17", 43_045_712)
    start, end = gene.start, min(gene.end, ref.end - S.CONTEXT)
    y = S.site_probabilities(ref, "chr17", start, end, gene.strand, model)
    # On the minus strand the acceptor is the exon base at jn_start, the donor the exon base at jn_end.
    acceptors = np.array([y[a - start, 1] for a, _ in gene.junctions])
    donors = np.array([y[d - start, 2] for _, d in gene.junctions if d <= end])
    assert np.median(acceptors) > 0.9 and np.median(donors) > 0.9
    sites = {a - start for a, _ in gene.junctions} | {d - start for _, d in gene.junctions}
    others = np.delete(y[:, 1:], sorted(s for s in sites if s < len(y)), axis=0)
    assert np.quantile(others, 0.999) < 0.05
    control = 43_060_005 - start  # deep in intron 12 of the canonical transcript
    assert y[control, 1:].max() < 0.01


def test_variants_at_a_canonical_site_score_high_and_a_control_low(splice):
    S, model, ref = splice
    acceptor = 43_049_194  # exon base of an annotated acceptor; the intron's AG is just above it
    ag = ref.fetch("chr17", acceptor + 1, acceptor + 1)
    variants = [S.Variant("chr17", acceptor + 1, ag, "A" if ag != "A" else "C"),
                S.Variant("chr17", acceptor + 1, ref.fetch("chr17", acceptor + 1, acceptor + 2), ""),  # deletes the AG
                S.Variant("chr17", 43_060_005, ref.fetch("chr17", 43_060_005, 43_060_005), "T")]
    scores = S.score_variants(variants, ref, model)
    snv, deletion, control = scores
    assert snv.deltas["acceptor_loss"] > 0.9 and snv.positions["acceptor_loss"] == acceptor
    assert deletion.deltas["acceptor_loss"] > 0.9
    assert control.max_delta < 0.05
    assert snv.gene == BRCA1 and snv.strand == "-"
    # Batched scoring gives what one-at-a-time scoring gives.
    alone = S.score_variants([variants[0]], ref, model)[0]
    assert alone.deltas == pytest.approx(snv.deltas, abs=1e-4)
    ev = S.splice_evidence(scores, ref, model, S.DEFAULT_DISTANCE)
    assert ev.params["weights_sha256"] == model.weights_sha256 and len(ev.records) == 3 and BRCA1 in ev.accessions


def test_the_torch_port_gives_what_cispliceais_own_graph_gives(splice):
    """genelm runs CI-SpliceAI as a torch port of the graph cispliceai ships; the graph itself is the reference."""
    from cispliceai.model import CISpliceAI

    S, model, ref = splice
    for center in (43_049_194, 43_093_000):  # an annotated acceptor of BRCA1; a stretch of NBR2/intergenic DNA
        seq = ref.fetch("chr17", center - S.CONTEXT - 300, center + S.CONTEXT + 300)
        graph = CISpliceAI().predict([S.one_hot(seq)])[0]
        ours = model.net.predict(S.one_hot(seq))
        assert ours.shape == graph.shape == (601, 3)
        assert np.abs(ours - graph).max() < 1e-6
    assert graph[:, 0].min() < 1  # the window is not trivially all "neither"


def test_cone_passes_equal_full_alt_passes_on_both_strands(splice):
    """An SNV's scores from the cone pass equal those from a full pass over its ALT window (the plain way)."""
    S, model, ref = splice
    positions = [43_049_195, 43_049_230, 43_051_100, 43_180_000]  # in BRCA1 (minus strand); in NBR1 (plus)
    variants = []
    for pos in positions:
        base = ref.fetch("chr17", pos, pos)
        variants += [S.Variant("chr17", pos, base, alt) for alt in "ACGT" if alt != base][:2]
    scores = S.score_variants(variants, ref, model)
    assert {s.strand for s in scores} == {"-", "+"}
    for v, got in zip(variants, scores):
        strand = got.strand
        first, last = v.pos - 50, v.pos + 50
        window = ref.fetch("chr17", first - S.CONTEXT, last + S.CONTEXT)
        alt = window[:S.CONTEXT + 50] + v.alt + window[S.CONTEXT + 51:]
        if strand == "-":
            window, alt = reverse_complement(window), reverse_complement(alt)
        y_ref, y_alt = (p[::-1] if strand == "-" else p for p in model.predict([window, alt]))
        for name, channel in (("acceptor", 1), ("donor", 2)):
            diff = y_alt[:, channel] - y_ref[:, channel]
            assert got.deltas[f"{name}_gain"] == pytest.approx(max(diff.max(), 0.0), abs=1e-6)
            assert got.deltas[f"{name}_loss"] == pytest.approx(max(-diff.min(), 0.0), abs=1e-6)


def test_splice_weights_are_read_from_the_graph_once_then_from_the_cache(tmp_path, monkeypatch):
    pytest.importorskip("cispliceai")
    import importlib.resources as resources
    from pathlib import Path

    from genelm.models import splice_net

    pb = Path(str(resources.files("cispliceai").joinpath("data/CI-SpliceAI.pb")))
    first = splice_net.cached_weights(pb, tmp_path)
    # five networks: 39 convolutions (weights, bias) and 32 BatchNorms (scale, shift) each
    assert len(first) == 5 * (39 * 2 + 32 * 2) and first["m4.conv30.w"].shape == (32, 32, 41)
    assert [f.name for f in (tmp_path / "models").iterdir()] == [f"cispliceai-{_sha(pb)[:16]}.npz"]
    monkeypatch.setattr(splice_net, "extract_weights", lambda _: pytest.fail("the graph was parsed again"))
    again = splice_net.cached_weights(pb, tmp_path)
    assert all(np.array_equal(first[k], again[k]) for k in first)


def test_a_graph_not_laid_out_like_cispliceais_is_a_clear_error(tmp_path):
    pytest.importorskip("tensorflow")
    from tensorflow.core.framework import graph_pb2

    from genelm.models.splice_net import extract_weights

    graph = graph_pb2.GraphDef()
    graph.node.add(name="x", op="Placeholder")
    path = tmp_path / "other.pb"
    path.write_bytes(graph.SerializeToString())
    with pytest.raises(InputError, match="not laid out as cispliceai 1.2's graph"):
        extract_weights(path)


def _sha(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_ref_mismatch_is_refused_with_what_the_reference_has(splice):
    S, model, ref = splice
    real = ref.fetch("chr17", 43_045_712, 43_045_712)
    wrong = next(b for b in "ACGT" if b != real)
    with pytest.raises(InputError, match=f"REF mismatch at chr17:43045712: the variant says {wrong}, the reference"):
        S.score_variants([S.Variant("chr17", 43_045_712, wrong, real)], ref, model)
    with pytest.raises(InputError, match="outside the reference at hand"):
        S.score_variants([S.Variant("chr17", 7_675_000, "A", "G")], ref, model)
    with pytest.raises(InputError, match="write it as chr17:43045712 G>A"):
        S.Variant.parse("BRCA1 c.5266dupC")


# ---------------------------------------------------------------------------- Enformer (small random model)
@pytest.fixture(scope="module")
def enformer(tmp_path_factory):
    torch = pytest.importorskip("torch")
    pytest.importorskip("enformer_pytorch")
    from enformer_pytorch import Enformer

    from genelm.models import enformer as E

    torch.manual_seed(0)
    small = Enformer.from_hparams(dim=96, depth=1, heads=2, output_heads={"human": 5313}, target_length=16,
                                  dim_divisible_by=16, attn_dim_key=16)
    directory = E.save_enformer(small, tmp_path_factory.mktemp("weights") / "enformer")
    model, found, sha = E.load_enformer(explicit=directory)  # the loading code users run
    runner = E.EnformerRunner(model, E.DevicePolicy("cpu", None, 2), sequence_length=128 * 32)
    return E, runner, found, sha


def _random_dna(n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("ACGT") for _ in range(n))


def test_enformer_shapes_batches_and_the_plain_call_agree(enformer):
    E, runner, _, _ = enformer
    seqs = [_random_dna(4096, s) for s in range(3)]
    batched = runner.predict(seqs)
    assert batched.shape == (3, 16, 5313)
    assert np.allclose(batched, E.plain_predict(runner.model, seqs), atol=1e-5)
    assert np.allclose(batched[1], runner.predict([seqs[1]])[0], atol=1e-5)  # batching changes nothing
    with pytest.raises(InputError, match="takes 4096 bp"):
        runner.predict(["ACGT"])


def test_enformer_bins_are_centred_contiguous_128bp(enformer):
    _, runner, _, _ = enformer
    g = runner.geometry
    bins = g.bins(43_125_000)
    assert bins.shape == (16, 2) and (bins[:, 1] - bins[:, 0] == 127).all()
    assert (bins[1:, 0] == bins[:-1, 1] + 1).all()
    assert bins[0, 0] == 43_125_000 - 8 * 128 and bins[-1, 1] == 43_125_000 + 8 * 128 - 1
    start, end = g.window(43_125_000)
    assert end - start + 1 == 4096 and start <= bins[0, 0] and end >= bins[-1, 1]


def test_tracks_are_named_from_targets_human(enformer):
    E, _, _, _ = enformer
    tracks = E.tracks()
    assert len(tracks) == 5313 and tracks[0].assay == "DNASE" and tracks[0].experiment == "ENCSR000EIJ"
    gm = E.find_tracks("CHIP", "H3K27ac", "GM12878")
    assert gm and all(t.target == "H3K27ac" and "GM12878" in t.biosample for t in gm)
    assert E.find_tracks("CAGE", biosample="K562")
    # Enformer was not trained on H3K27ac in HepG2 (real targets file): nothing is invented for it.
    assert E.find_tracks("CHIP", "H3K27ac", "HepG2") == []
    assert E.find_tracks("CHIP", biosample="HepG2") and E.find_tracks("CHIP", "H3K27ac")


def test_variant_effects_are_antisymmetric_and_ranked_against_background(enformer):
    from genelm.models.variant_effects import effect_of, variant_effect

    _, runner, _, _ = enformer
    seq = _random_dna(4096, 7)
    offset = 2048
    ref, alt = seq[offset], next(b for b in "ACGT" if b != seq[offset])
    forward = effect_of(runner, seq, offset, ref, alt)
    alt_seq = seq[:offset] + alt + seq[offset + 1:]
    backward = effect_of(runner, alt_seq, offset, alt, ref)
    assert np.allclose(forward, -backward, atol=1e-5) and np.abs(forward).max() > 0
    result = variant_effect(runner, seq, 1_000_000, offset, ref, alt, n_background=6)
    assert result.n_background == 6 and np.allclose(result.effect, forward, atol=1e-5)
    assert ((0 <= result.percentile) & (result.percentile <= 100)).all()
    assert result.top(3)[0]["description"]
    from genelm.models.evidence import variant_effect_evidence

    _, _, _, sha = enformer
    ev = variant_effect_evidence(result, "chr17", sha, top=3)
    assert ev.params["weights_sha256"] == sha and len(ev.records) == 3
    assert abs(ev.records[0]["effect"]) == pytest.approx(float(np.abs(forward).max()), rel=1e-3)  # 4 significant digits


def test_missing_weights_abstain_with_how_to_install(tmp_path, monkeypatch):
    from genelm.models import enformer as E

    monkeypatch.delenv("GENELM_ENFORMER_WEIGHTS", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(E.WeightsMissing, match="genelm never downloads them silently"):
        E.load_enformer(cache_dir=tmp_path)


# ---------------------------------------------------------------------------- predicted vs measured
def test_overlay_correlation_on_a_synthetic_pair_with_a_known_answer(tmp_path):
    pyBigWig = pytest.importorskip("pyBigWig")
    from genelm.models.overlay import overlay, plot_overlay

    bins = np.stack([100_001 + 128 * np.arange(40), 100_001 + 128 * np.arange(40) + 127], axis=1)
    predicted = np.sin(np.arange(40) / 4.0) + 2
    path = tmp_path / "measured.bw"
    bw = pyBigWig.open(str(path), "w")
    bw.addHeader([("chr17", 1_000_000)])
    measured = 3 * predicted + 1  # a perfect linear relation: Pearson and Spearman are 1
    bw.addEntries(["chr17"] * 40, [int(s) - 1 for s in bins[:, 0]], ends=[int(e) for e in bins[:, 1]],
                  values=[float(v) for v in measured])
    bw.close()
    result = overlay("chr17", bins, predicted, path)
    assert result.pearson == pytest.approx(1.0) and result.spearman == pytest.approx(1.0) and result.n_bins == 40
    assert np.allclose(result.measured, measured)
    inverted = overlay("chr17", bins, -predicted, path)
    assert inverted.pearson == pytest.approx(-1.0)
    png = plot_overlay(result, tmp_path / "overlay.png", "synthetic", genes=[("BRCA1", 100_500, 104_000, "-")])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from genelm.models.evidence import overlay_evidence

    ev = overlay_evidence(result, "CHIP:H3K27ac:GM12878", str(path), "0" * 64, png)
    assert ev.records[0]["pearson"] == pytest.approx(1.0) and ev.records[0]["bins"] == 40


# ---------------------------------------------------------------------------- gLM log-likelihood ratio
def _char_tokenizer(directory):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "A", "C", "G", "T", "N"])}
    core = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.Split("", behavior="isolated")
    tok = PreTrainedTokenizerFast(tokenizer_object=core, pad_token="[PAD]", unk_token="[UNK]", cls_token="[CLS]",
                                  sep_token="[SEP]", mask_token="[MASK]")
    tok.save_pretrained(str(directory))
    return tok


@pytest.mark.parametrize("kind", ["masked", "causal"])
def test_glm_llr_on_a_tiny_random_model(tmp_path, kind):
    torch = pytest.importorskip("torch")
    from transformers import BertConfig, BertForMaskedLM, GPT2Config, GPT2LMHeadModel

    from genelm.models.glm import GenomicLM, variant_llr

    torch.manual_seed(0)
    directory = tmp_path / kind
    _char_tokenizer(directory)
    if kind == "masked":
        model = BertForMaskedLM(BertConfig(vocab_size=10, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                                           intermediate_size=64, max_position_embeddings=128))
    else:
        model = GPT2LMHeadModel(GPT2Config(vocab_size=10, n_embd=32, n_layer=1, n_head=2, n_positions=128))
    model.save_pretrained(str(directory))
    lm = GenomicLM(directory)
    assert lm.kind == kind and lm.weights_sha256
    context = _random_dna(60, 3)
    ref, alt = context[30], next(b for b in "ACGT" if b != context[30])
    forward = variant_llr(lm, context, 30, ref, alt)
    alt_context = context[:30] + alt + context[31:]
    backward = variant_llr(lm, alt_context, 30, alt, ref)
    assert forward.llr == pytest.approx(-backward.llr, abs=1e-4) and forward.llr != 0
    assert variant_llr(lm, context, 30, ref, ref).llr == pytest.approx(0.0, abs=1e-6)
    from genelm.models.evidence import glm_evidence

    ev = glm_evidence(lm, forward, f"chr17:1000 {ref}>{alt}")
    assert ev.params["weights_sha256"] == lm.weights_sha256 and ev.records[0]["llr"] == round(forward.llr, 5)
    with pytest.raises(InputError, match="REF"):
        variant_llr(lm, context, 30, alt, ref)


def test_a_missing_glm_is_a_clear_error(tmp_path):
    pytest.importorskip("transformers")
    from genelm.models.glm import GenomicLM

    with pytest.raises(InputError, match="genelm loads local files only"):
        GenomicLM(tmp_path / "no-such-model")


def test_reverse_complement():
    assert reverse_complement("AACGTN") == "NACGTT"


def test_models_install_copies_checks_and_never_leaves_half_an_install(enformer, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from genelm.cli import app

    E, _, source, sha = enformer
    monkeypatch.setenv("GENELM_CACHE_DIR", str(tmp_path))
    done = CliRunner().invoke(app, ["models", "install", "enformer", "--from", str(source)])
    assert done.exit_code == 0, done.output
    assert E.weights_dir(tmp_path) == tmp_path / "models" / "enformer" and sha[:16] in done.output
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text((source / "config.json").read_text())  # no weights file
    failed = CliRunner().invoke(app, ["models", "install", "enformer", "--from", str(broken)])
    assert failed.exit_code == 2 and "not installed" in failed.output
    assert E.weights_sha256(tmp_path / "models" / "enformer") == sha  # the good install is untouched
    assert not (tmp_path / "models" / "enformer.partial").exists()


# ---------------------------------------------------------------------------- from a question
def test_a_splice_question_is_answered_with_the_scores_cited(splice, tmp_path):
    import genelm

    answer = genelm.ask("Does chr17:43049195 C>A inside BRCA1 affect splicing?", offline=True, cache_dir=tmp_path)
    assert answer.intent == "splice_effect" and answer.short_answer == "yes"
    assert "acceptor loss 1.00 at chr17:43049194" in answer.sentences[0].text and "BRCA1" in answer.sentences[0].text
    assert answer.evidence[0].source == "model:splice" and answer.citations_ok
    mismatch = genelm.ask("Does chr17:43049195 G>A inside BRCA1 affect splicing?", offline=True, cache_dir=tmp_path)
    assert mismatch.short_answer == "cannot tell" and not mismatch.answered  # refused, so no yes or no
    assert any("REF mismatch at chr17:43049195" in g and "has C" in g for g in mismatch.gaps)


def test_enformer_questions_say_what_exists_and_what_is_missing(tmp_path, monkeypatch):
    import genelm

    monkeypatch.delenv("GENELM_ENFORMER_WEIGHTS", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    none = genelm.ask("Predict H3K27ac around the BRCA1 promoter in HepG2", offline=True, cache_dir=tmp_path)
    assert none.intent == "enformer_prediction" and none.short_answer == "NA"
    assert none.sentences[0].text.startswith("Enformer has no output track for H3K27ac, HepG2")
    assert none.citations_ok
    no_weights = genelm.ask("Predict H3K27ac around the BRCA1 promoter in GM12878", offline=True, cache_dir=tmp_path)
    assert "ENCSR000AKC" in no_weights.sentences[0].text and no_weights.citations_ok
    assert any("no Enformer weights" in g and "genelm models install enformer" in g for g in no_weights.gaps)


def test_enformer_prediction_from_a_question_with_installed_weights(enformer, tmp_path):
    import genelm

    _, _, weights, sha = enformer
    answer = genelm.ask("Predict H3K27ac around the BRCA1 promoter in GM12878", offline=True, cache_dir=tmp_path,
                        enformer_weights=weights)
    ev = next(e for e in answer.evidence if e.source == "model:enformer")
    assert ev.params["weights_sha256"] == sha and ev.params["input_bp"] == 196_608 and ev.params["tracks"] == [688]
    assert ev.records[0]["description"] == "CHIP:H3K27ac:GM12878" and ev.accessions == ["ENCSR000AKC"]
    assert answer.short_answer.startswith("chr17:") and answer.citations_ok


def test_sequence_from_ucsc_in_pieces_with_coordinates_converted(settings, fault_server):
    """UCSC's getData/sequence as its API help documents it (genome, chrom, 0-based start, end -> dna); the
    server answers with the real bases of the bundled slice for whatever span is asked."""
    import json

    from genelm.connectors.http import HttpClient
    from genelm.connectors.ucsc import UcscClient
    from genelm.models.reference import UcscReference

    brca1 = bundled_brca1()

    def body(start: int, end: int) -> tuple:  # 0-based half-open, as UCSC takes and returns them
        dna = brca1.fetch("chr17", start + 1, end).lower()
        return (200, {"Content-Type": "application/json"},
                json.dumps({"genome": "hg38", "chrom": "chr17", "start": start, "end": end, "dna": dna}).encode())

    fault_server.script("/getData/sequence", body(43_050_000, 43_051_000), body(43_051_000, 43_052_000),
                        body(43_052_000, 43_052_500))
    reference = UcscReference(UcscClient(HttpClient(settings), api=fault_server.url(""), blat=fault_server.url("/blat")),
                              piece=1000)
    got = reference.fetch("chr17", 43_050_001, 43_052_500)
    assert got == brca1.fetch("chr17", 43_050_001, 43_052_500) and len(got) == 2500
    hits = [h for h, _ in fault_server.hits if h.startswith("/getData/sequence")]
    assert len(hits) == 3 and "start=43050000" in hits[0] and "end=43051000" in hits[0]
    assert [e.key for e in reference.fetched][0] == "ucsc:sequence:hg38:chr17:43050000-43051000"


def test_enformer_variant_effect_from_a_question(enformer, tmp_path):
    import genelm

    _, _, weights, sha = enformer
    question = "What is Enformer's predicted effect of chr17:43049195 C>A on H3K27ac in GM12878?"
    answer = genelm.ask(question, offline=True, cache_dir=tmp_path, enformer_weights=weights)
    assert answer.intent == "enformer_variant_effect"
    ev = next(e for e in answer.evidence if e.key.startswith("model:enformer-variant:"))
    assert ev.params["weights_sha256"] == sha and ev.params["tracks"] == [688] and ev.params["n_background"] > 0
    assert ev.records[0]["description"] == "CHIP:H3K27ac:GM12878"
    assert "chr17:43049195 C>A changes CHIP:H3K27ac:GM12878 (track 688)" in answer.sentences[0].text
    assert answer.citations_ok
    mismatch = genelm.ask(question.replace("C>A", "G>A"), offline=True, cache_dir=tmp_path, enformer_weights=weights)
    assert mismatch.short_answer is None and not any(e.source == "model:enformer" for e in mismatch.evidence)
    assert any("REF mismatch at chr17:43049195: the variant says G" in g and "has C" in g for g in mismatch.gaps)


# ---------------------------------------------------------------------------- overlay and gLM from a question
def _brca1_tss() -> int:
    from genelm.agent.capabilities.sequence_models.intents import _tss
    from genelm.data import gene_table

    gene = gene_table().by_symbol["BRCA1"]
    return _tss({"chromosome": gene.chromosome, "start": gene.start, "end": gene.end})


def test_predicted_vs_measured_from_a_question_with_a_local_bigwig(enformer, tmp_path):
    """The measured bigWig is written as 2 × the model's own prediction + 1 at the bins the agent must use,
    so the answer's Pearson is 1 only if the agent's bins, window and track are the right ones."""
    pyBigWig = pytest.importorskip("pyBigWig")
    import genelm

    E, _, weights, sha = enformer
    model, _, _ = E.load_enformer(explicit=weights)
    runner = E.EnformerRunner(model)
    center = _brca1_tss()
    start, end = runner.geometry.window(center)
    predicted = runner.predict([bundled_brca1().fetch("chr17", start, end)])[0][:, 688]
    bins = runner.geometry.bins(center)
    path = tmp_path / "ENCFF340JIF.bigWig"
    bw = pyBigWig.open(str(path), "w")
    bw.addHeader([("chr17", 83_257_441)])
    bw.addEntries(["chr17"] * len(bins), [int(s) - 1 for s in bins[:, 0]], ends=[int(e) for e in bins[:, 1]],
                  values=[float(2 * v + 1) for v in predicted])
    bw.close()

    question = f"How well does Enformer's predicted H3K27ac in GM12878 match the measured signal {path} around BRCA1?"
    answer = genelm.ask(question, offline=True, cache_dir=tmp_path, enformer_weights=weights)
    assert answer.intent == "enformer_overlay"
    ev = next(e for e in answer.evidence if e.key.startswith("model:overlay:"))
    rec = ev.records[0]
    # bigWig stores float32, hence 0.9999; bins off by one would score what the next line shows
    assert rec["pearson"] >= 0.999 and rec["spearman"] >= 0.999
    assert np.corrcoef(predicted[1:], predicted[:-1])[0, 1] < 0.99
    assert rec["bins"] == len(bins) and rec["start"] == bins[0, 0] and ev.params["weights_sha256"] == sha
    assert rec["track"] == "CHIP:H3K27ac:GM12878 (track 688)"
    assert answer.short_answer == str(rec["pearson"]) and answer.citations_ok
    assert f"Pearson r = {rec['pearson']}" in answer.sentences[0].text
    from pathlib import Path

    assert Path(rec["plot"]).read_bytes()[:4] == b"\x89PNG"

    # Without a local file the measured track is the ENCODE file Enformer was trained on, which offline
    # mode cannot read: the tracks are still cited and the gap names the missing record.
    remote = genelm.ask(question.replace(f" {path}", ""), offline=True, cache_dir=tmp_path, enformer_weights=weights)
    assert remote.intent == "enformer_overlay" and remote.short_answer is None and remote.citations_ok
    assert "ENCSR000AKC" in remote.sentences[0].text
    assert any("ENCFF340JIF" in g for g in remote.gaps)


def test_a_remote_bigwig_is_refused_offline_and_a_missing_file_is_named(enformer, tmp_path):
    from genelm.agent.core.call import ToolContext
    from genelm.agent.capabilities.sequence_models.calls import ENCODE_DOWNLOAD, EnformerOverlay
    from genelm.connectors.errors import SourceError
    from genelm.connectors.http import HttpClient
    from genelm.settings import NetworkMode, Settings

    _, _, weights, _ = enformer
    ctx = ToolContext(HttpClient(Settings(cache_dir=tmp_path, mode=NetworkMode.replay, enformer_weights=weights)))
    call = EnformerOverlay(chromosome="chr17", center=43_125_000, track=688,
                           measured=ENCODE_DOWNLOAD.format(accession="ENCFF340JIF"))
    with pytest.raises(SourceError, match="offline mode reads no network"):
        call.run(ctx)
    with pytest.raises(InputError, match="no bigWig at"):
        EnformerOverlay(chromosome="chr17", center=43_125_000, track=688, measured=str(tmp_path / "x.bw")).run(ctx)
    with pytest.raises(ValueError):
        EnformerOverlay(chromosome="chr17", center=43_125_000, track=688, measured="http://plain.example/x.bw")


def test_glm_score_from_a_question(tmp_path, monkeypatch):
    torch = pytest.importorskip("torch")
    from transformers import BertConfig, BertForMaskedLM

    import genelm
    from genelm.models.glm import GenomicLM, variant_llr

    torch.manual_seed(1)
    directory = tmp_path / "tiny-dna-bert"
    _char_tokenizer(directory)
    BertForMaskedLM(BertConfig(vocab_size=10, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                               intermediate_size=64, max_position_embeddings=160)).save_pretrained(str(directory))
    question = "What is the gLM log-likelihood ratio of chr17:43049195 C>A?"
    answer = genelm.ask(question, offline=True, cache_dir=tmp_path, glm_model=str(directory), glm_context_bp=128)
    assert answer.intent == "glm_variant_score"
    ev = next(e for e in answer.evidence if e.source == "model:glm")
    context = bundled_brca1().fetch("chr17", 43_049_195 - 64, 43_049_195 + 63)
    expected = variant_llr(GenomicLM(directory), context, 64, "C", "A").llr
    assert ev.records[0]["llr"] == pytest.approx(expected, abs=1e-4) and ev.records[0]["kind"] == "masked"
    assert answer.short_answer == str(ev.records[0]["llr"]) and answer.citations_ok
    assert "log-likelihood ratio (ALT vs REF)" in answer.sentences[0].text

    mismatch = genelm.ask(question.replace("C>A", "G>A"), offline=True, cache_dir=tmp_path, glm_model=str(directory),
                          glm_context_bp=128)
    assert mismatch.short_answer is None and any("REF G does not match the reference (C)" in g for g in mismatch.gaps)
    monkeypatch.delenv("GENELM_GLM_MODEL", raising=False)
    none = genelm.ask(question, offline=True, cache_dir=tmp_path)
    assert none.short_answer is None and any("GENELM_GLM_MODEL" in g for g in none.gaps)


def test_without_cispliceai_a_gene_centre_falls_back_to_its_midpoint(monkeypatch):
    """The TSS comes from cispliceai's GENCODE table; without the package, Enformer questions still get a centre."""
    from genelm.agent.capabilities.sequence_models.intents import _tss
    from genelm.models import splice

    def missing(name):
        raise InputError("splice scoring needs cispliceai")

    monkeypatch.setattr(splice, "cispliceai_data", missing)
    splice._annotation.cache_clear()
    try:
        assert _tss({"chromosome": "17", "start": 43_044_295, "end": 43_125_483}) == (43_044_295 + 43_125_483) // 2
    finally:
        splice._annotation.cache_clear()
