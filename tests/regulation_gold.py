"""Recompute every gold answer of the regulation suite from genelm.regulation and count exact matches.

This measures the library, not the agent: the entities are pulled out of each
question with a plain rule (gene-like tokens that are Ensembl 110 / HPA symbols,
a cell line the data names, a tissue via ``find_tissue``), then each task's
answer is computed with the public API the way the suite defines it.  Answers
compare as sets (the suite's scorers are set-based); the symbol the question
itself names is left out of factor lists, as ``symbol_f1`` does.

Run: python -m tests.regulation_gold [path/to/regulation_dev.jsonl]
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from genelm import regulation as reg
from genelm.regulation import tables

SUITE = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "regulation_dev.jsonl"
TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]*(?:[.\-][A-Z0-9]+)*(?![A-Za-z0-9])")
CELLS = ("K562", "GM12878", "HepG2", "HeLa-S3", "H1", "MCF-7", "A549", "HEK293")
NOT_GENES = {"TF", "TFS", "ENCODE", "HPA", "ChIP", "DNA", "RNA"}


def _symbols() -> set[str]:
    return set(tables.ensembl110()["symbol"].dropna()) | {str(n) for n in tables.ensg_to_name().values()}


def question_gene(question: str, symbols: set[str]) -> str:
    cells = {c.upper() for c in CELLS}
    found = [t for t in TOKEN.findall(question) if t not in NOT_GENES and t.upper() not in cells and t in symbols]
    if not found:
        raise ValueError(f"no gene symbol in: {question}")
    return found[0]


def question_cell(question: str) -> str | None:
    hits = [c for c in CELLS if re.search(rf"(?<![A-Za-z0-9]){re.escape(c)}(?![A-Za-z0-9])", question)]
    return hits[0] if hits else None


def compute(line: dict, symbols: set[str]):
    """The answer the library gives for one suite line, in the shape of its gold ``answer``."""
    task, q = line["task"], line["question"]
    if task.startswith("tissue-elevated TFs"):
        return sorted(reg.elevated_tfs(reg.find_tissue(q))["symbol"])
    gene = question_gene(q, symbols)
    if task == "top tissues of a gene":
        return sorted(reg.top_tissues(gene, 3)["tissue"])
    if task == "biosamples profiled for a factor":
        return reg.biosamples_profiled(gene)
    cell = line.get("cell") or question_cell(q)
    if task == "promoter cCRE in a cell line":
        return sorted(reg.promoter_ccres(gene, cell)["accession"])
    tfs = sorted(set(reg.factors_binding(gene, cell)["tf"]) - {gene})
    if task.startswith("TFs bound near a gene"):
        return tfs
    if task == "gene regulation narrative":
        return {"ccres": sorted(reg.promoter_ccres(gene, cell)["accession"]), "tfs": tfs,
                "tissue": reg.top_tissues(gene, 1)["tissue"].iloc[0]}
    raise ValueError(f"unknown task {task!r}")


def _same(gold, got) -> bool:
    if isinstance(gold, dict):
        return all(_same(gold[k], got[k]) for k in gold)
    if isinstance(gold, list):
        return sorted(gold) == sorted(got)
    return gold == got


def recompute(path: Path = SUITE) -> list[dict]:
    symbols = _symbols()
    out = []
    for line in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
        try:
            got, error = compute(line, symbols), None
        except Exception as exc:  # a miss is reported per line, with why
            got, error = None, f"{type(exc).__name__}: {exc}"
        out.append({"task": line["task"], "question": line["question"], "gold": line["answer"], "got": got,
                    "match": error is None and _same(line["answer"], got), "error": error})
    return out


if __name__ == "__main__":
    results = recompute(Path(sys.argv[1]) if len(sys.argv) > 1 else SUITE)
    for r in results:
        if not r["match"]:
            print("MISS", r["task"], "|", r["question"], "| gold", r["gold"], "| got", r["got"], r["error"] or "")
    print(f"{sum(r['match'] for r in results)}/{len(results)} gold answers recomputed exactly")
