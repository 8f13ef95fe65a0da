"""Genomic language-model variant scores: the log-likelihood ratio of ALT vs REF under any Hugging Face DNA LM.

- A causal LM (GPT-style): LLR = log P(ALT sequence) − log P(REF sequence), summed over tokens.
- A masked LM (BERT/NT/Caduceus-style): the tokens covering the variant are masked in the REF
  context and LLR = log P(ALT tokens) − log P(REF tokens) at those positions (the masked
  marginal score of Meier et al. 2021, used for DNA LMs too).  It needs REF and ALT to
  tokenise to the same length, so it covers SNVs.

Models load from a local directory or the Hugging Face cache with ``local_files_only=True``:
nothing is fetched at run time.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from genelm.connectors.errors import InputError
from genelm.models.reference import substitute
from genelm.models.weights import weights_sha256


@dataclass
class GlmScore:
    llr: float
    kind: str  # "causal" | "masked"
    tokens_scored: int


class GenomicLM:
    def __init__(self, name_or_path: str | Path, device: str = "cpu"):
        try:
            import torch
            from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForMaskedLM, AutoTokenizer
        except ImportError as exc:
            raise InputError("gLM scores need torch and transformers: pip install 'genelm[models]'") from exc
        try:
            config = AutoConfig.from_pretrained(str(name_or_path), local_files_only=True)
        except OSError as exc:
            raise InputError(f"no genomic LM at {name_or_path} (genelm loads local files only; download it first, "
                             "e.g. with huggingface-cli download)") from exc
        self.kind = "masked" if any(a.endswith("ForMaskedLM") for a in config.architectures or []) else "causal"
        loader = AutoModelForMaskedLM if self.kind == "masked" else AutoModelForCausalLM
        self.tokenizer = AutoTokenizer.from_pretrained(str(name_or_path), local_files_only=True)
        self.model = loader.from_pretrained(str(name_or_path), local_files_only=True).to(device).eval()
        self.device, self.torch = device, torch
        self.name = str(name_or_path)
        self.weights_sha256 = weights_sha256(Path(name_or_path)) if Path(name_or_path).is_dir() else None

    def _ids(self, seq: str):
        return self.tokenizer(seq, return_tensors="pt", add_special_tokens=True)["input_ids"].to(self.device)

    def score(self, ref_seq: str, alt_seq: str) -> GlmScore:
        """LLR of ALT vs REF for two sequences that differ at the variant."""
        if self.kind == "causal":
            return GlmScore(self._log_prob(alt_seq) - self._log_prob(ref_seq), "causal", len(self._ids(ref_seq)[0]))
        ref_ids, alt_ids = self._ids(ref_seq), self._ids(alt_seq)
        if ref_ids.shape != alt_ids.shape:
            raise InputError("REF and ALT tokenise to different lengths; the masked-LM score covers SNVs")
        differ = (ref_ids != alt_ids)[0].nonzero().flatten()
        if len(differ) == 0:
            return GlmScore(0.0, "masked", 0)
        masked = ref_ids.clone()
        masked[0, differ] = self.tokenizer.mask_token_id
        with self.torch.inference_mode():
            logp = self.model(masked).logits.log_softmax(-1)[0]
        llr = float((logp[differ, alt_ids[0, differ]] - logp[differ, ref_ids[0, differ]]).sum())
        return GlmScore(llr, "masked", int(len(differ)))

    def _log_prob(self, seq: str) -> float:
        ids = self._ids(seq)
        with self.torch.inference_mode():
            logp = self.model(ids).logits.log_softmax(-1)[0, :-1]
        return float(logp.gather(1, ids[0, 1:, None]).sum())


def variant_llr(lm: GenomicLM, context: str, offset: int, ref: str, alt: str) -> GlmScore:
    return lm.score(context, substitute(context, offset, ref, alt))


@lru_cache(maxsize=2)
def shared_lm(name_or_path: str) -> GenomicLM:
    """One loaded model per name for the process: a question must not reload the weights."""
    return GenomicLM(name_or_path)
