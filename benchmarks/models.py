"""Sequence-model benchmarks: one command, a table with ratios against baselines measured in the same run.

    .venv/bin/python benchmarks/models.py [--enformer-size small|full] [--variants 48] [--device cpu|cuda]

1. Enformer sequences/s: genelm's path (EnformerRunner: inference_mode, the device policy's batch
   and, on CUDA, bf16 autocast) vs enformer-pytorch called plainly (fp32, batch 1, no_grad).
   Random weights (no wheel carries Enformer's): the arithmetic is the same as with real ones.
   On CUDA it also reports the share of the GPU's bf16 peak (Enformer ≈ 3 TFLOP per 196,608-bp sequence).
2. Splice variants/s on the real BRCA1 sequence with the real CI-SpliceAI weights: genelm's
   scorer (torch port of the graph, one reference pass per cluster, cone passes for SNVs) vs
   cispliceai called plainly per variant (its TensorFlow graph on the REF and the ALT window,
   ±50 nt), with the largest score difference between the two.
"""
from __future__ import annotations

import argparse
import random
import time

from rich.console import Console
from rich.table import Table

FULL = {"dim": 1536, "depth": 11, "heads": 8, "target_length": 896}
SMALL = {"dim": 384, "depth": 2, "heads": 4, "target_length": 112, "attn_dim_key": 32, "dim_divisible_by": 32}
ENFORMER_FLOP_PER_SEQ = 3e12
BF16_PEAK = {"H100": 989e12, "H200": 989e12, "A100": 312e12, "L4": 121e12}


def _timed(fn, repeats: int = 1) -> float:
    fn()  # warm-up: first-call allocation, cuDNN/oneDNN autotuning
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats


def bench_enformer(size: str, device: str | None, n_seqs: int) -> list[tuple]:
    import torch
    from enformer_pytorch import Enformer

    from genelm.models.enformer import EnformerRunner, device_policy, plain_predict

    hp = FULL if size == "full" else SMALL
    torch.manual_seed(0)
    model = Enformer.from_hparams(output_heads={"human": 5313}, **hp).eval()
    seq_len = 196_608 if size == "full" else 128 * 2 * hp["target_length"]
    policy = device_policy(device)
    runner = EnformerRunner(model, policy, sequence_length=seq_len)
    rng = random.Random(0)
    seqs = ["".join(rng.choice("ACGT") for _ in range(seq_len)) for _ in range(n_seqs)]
    ours = n_seqs / _timed(lambda: runner.predict(seqs))
    plain_model = model.to(policy.device)
    if policy.device.startswith("cuda"):
        def plain():
            out = []
            for s in seqs:
                with torch.no_grad():
                    out.append(plain_model([s])["human"].float().cpu())
            return out
    else:
        def plain():
            return plain_predict(plain_model, seqs)
    base = n_seqs / _timed(plain)
    rows = [(f"Enformer ({size}, {policy.device}, {policy.autocast_dtype or 'fp32'}, batch {policy.batch_size})",
             f"{ours:.2f} seq/s", f"{base:.2f} seq/s (plain fp32, batch 1)", f"{ours / base:.2f}×")]
    if policy.device.startswith("cuda") and size == "full":
        name = torch.cuda.get_device_name()
        peak = next((v for k, v in BF16_PEAK.items() if k in name), None)
        if peak:
            rows.append((f"  share of {name}'s bf16 peak", f"{ours * ENFORMER_FLOP_PER_SEQ / peak:.1%}", "", ""))
    return rows


def bench_splice(n_variants: int) -> list[tuple]:
    import numpy as np
    from cispliceai.model import CISpliceAI

    from genelm.models.reference import bundled_brca1, reverse_complement
    from genelm.models.splice import CONTEXT, SpliceModel, Variant, gene_at, one_hot, score_variants

    reference = bundled_brca1()
    gene = gene_at("chr17", 43_045_712)
    # Saturation-style: bases next to BRCA1's annotated junctions, all three ALTs each.
    variants = []
    for first, last in gene.junctions:
        for pos in (first + 1, first + 2, last - 1, last - 2):
            base = reference.fetch("chr17", pos, pos)
            variants += [Variant("chr17", pos, base, alt) for alt in "ACGT" if alt != base]
    variants = variants[:n_variants]
    model = SpliceModel.shared()
    plain_model = CISpliceAI()  # cispliceai as its users call it

    def plain_one(v: Variant) -> float:
        """One variant the plain way: REF and ALT windows through cispliceai's graph; the largest |Δ|."""
        seq = reference.fetch(v.chrom, v.pos - 50 - CONTEXT, v.pos + 50 + CONTEXT)
        alt = seq[:CONTEXT + 50] + v.alt + seq[CONTEXT + 51:]
        if gene.strand == "-":
            seq, alt = reverse_complement(seq), reverse_complement(alt)
        ref_p, alt_p = plain_model.predict([one_hot(seq), one_hot(alt)])
        return float(np.abs(alt_p[:, 1:] - ref_p[:, 1:]).max())

    plain_one(variants[0])
    score_variants(variants[:2], reference, model)  # load both outside the timings
    start = time.perf_counter()
    plain = [plain_one(v) for v in variants]
    t_plain = time.perf_counter() - start
    start = time.perf_counter()
    ours = score_variants(variants, reference, model, batch_size=32)
    t_ours = time.perf_counter() - start
    worst = max(abs(p - s.max_delta) for p, s in zip(plain, ours))
    positions = len({v.pos for v in variants})
    return [(f"splice variants/s ({len(variants)} SNVs at {positions} positions, CI-SpliceAI, CPU)",
             f"{len(variants) / t_ours:.2f}/s", f"{len(variants) / t_plain:.2f}/s (cispliceai per variant)",
             f"{t_plain / t_ours:.2f}×"),
            ("  largest |max Δ| difference, genelm vs cispliceai", f"{worst:.1e}", "", "")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enformer-size", choices=["small", "full"], default="small")
    parser.add_argument("--enformer-seqs", type=int, default=4)
    parser.add_argument("--device", default=None, help="cpu or cuda (default: the device policy's choice)")
    parser.add_argument("--variants", type=int, default=48)
    parser.add_argument("--skip-splice", action="store_true")
    args = parser.parse_args()
    table = Table("measure", "genelm", "baseline", "ratio", title="genelm sequence-model benchmarks")
    for row in bench_enformer(args.enformer_size, args.device, args.enformer_seqs):
        table.add_row(*row)
    if not args.skip_splice:
        for row in bench_splice(args.variants):
            table.add_row(*row)
    Console().print(table)


if __name__ == "__main__":
    main()
