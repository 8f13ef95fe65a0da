"""Sequence-model benchmarks: one command, a table with ratios against baselines measured in the same run.

    .venv/bin/python benchmarks/models.py [--enformer-size small|full] [--variants 48] [--device cpu|cuda]

1. Enformer sequences/s: genelm's path (EnformerRunner: inference_mode, the device policy's batch
   and, on CUDA, bf16 autocast) vs enformer-pytorch called plainly (fp32, batch 1, no_grad).
   Random weights (no wheel carries Enformer's): the arithmetic is the same as with real ones.
   On CUDA it also reports the share of the GPU's bf16 peak (Enformer ≈ 3 TFLOP per 196,608-bp sequence).
2. Splice variants/s on the real BRCA1 sequence with the real CI-SpliceAI weights: genelm's
   batched scorer (one padded batch, the reference shared by variants at a position, ±50 nt) vs
   a per-variant loop (REF and ALT predicted per variant, same window).
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
    from genelm.models.reference import bundled_brca1
    from genelm.models.splice import SpliceModel, Variant, gene_at, score_variants

    reference = bundled_brca1()
    gene = gene_at("chr17", 43_045_712)
    # Saturation-style: every other base near BRCA1's annotated junctions, all three ALTs each.
    variants = []
    for first, last in gene.junctions:
        for pos in (first + 1, first + 2, last - 1, last - 2):
            base = reference.fetch("chr17", pos, pos)
            variants += [Variant("chr17", pos, base, alt) for alt in "ACGT" if alt != base]
            if len(variants) >= n_variants:
                break
        if len(variants) >= n_variants:
            break
    variants = variants[:n_variants]
    model = SpliceModel.shared()
    score_variants(variants[:2], reference, model)  # load and trace the graph outside the timings

    def per_variant():
        return [score_variants([v], reference, model, batch_size=2)[0] for v in variants]

    def batched():
        return score_variants(variants, reference, model, batch_size=32)

    start = time.perf_counter()
    loop = per_variant()
    t_loop = time.perf_counter() - start
    start = time.perf_counter()
    ours = batched()
    t_ours = time.perf_counter() - start
    worst = max(abs(a.deltas[k] - b.deltas[k]) for a, b in zip(loop, ours) for k in a.deltas)
    positions = len({v.pos for v in variants})
    return [(f"splice variants/s ({len(variants)} SNVs at {positions} positions, CI-SpliceAI, CPU)",
             f"{len(variants) / t_ours:.2f}/s", f"{len(variants) / t_loop:.2f}/s (per-variant loop)",
             f"{t_loop / t_ours:.2f}×"),
            ("  largest score difference, batched vs loop", f"{worst:.1e}", "", "")]


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
