"""What a question imports is what it reads (issue 26): the first answer in a new process stays fast.

Each check runs a fresh interpreter (this test process has long imported everything) and reads its
``sys.modules`` after the answer, with the parsed-table disk cache filled as after a first answer (the very
first one parses the bundled ENCODE index with pandas, once per installation). A factoid question reads the gene table only: none of pandas, numpy,
matplotlib, torch, TensorFlow, LangGraph or genelm.regulation (and its tables) may load for it. A regulation
question loads pandas and the regulation modules, but not the plotting or model libraries, and an expression
question parses only the expression tables. `benchmarks/startup.py` has the timings.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

FACTOID = "What is the official gene symbol of SNAT6?"
# Libraries (and genelm's own heavy packages) that a factoid answer must not import.
NOT_FOR_A_FACTOID = ("pandas", "numpy", "matplotlib", "torch", "tensorflow", "langgraph", "langchain_core",
                     "scipy", "chromadb", "transformers", "genelm.regulation", "genelm.graph.connection")
# What no regulation answer needs unless a figure, a model or an LLM was asked for.
NOT_FOR_REGULATION = ("matplotlib", "torch", "tensorflow", "langgraph", "langchain_core", "scipy", "chromadb",
                      "transformers", "genelm.regulation.figure")
# genelm.regulation.tables' loaders of data an expression answer does not read.
NOT_FOR_EXPRESSION = ("cage", "ccres", "rampage_peaks", "rampage_quant", "narrowpeaks", "chip2015", "chip2019")

PROBE = """
import json, sys
from functools import _lru_cache_wrapper
{run}
tables = sys.modules.get("genelm.regulation.tables")
read = sorted(name for name, f in vars(tables).items()
              if isinstance(f, _lru_cache_wrapper) and f.cache_info().currsize) if tables else []
print("\\nPROBE " + json.dumps({{"short": short, "modules": sorted(sys.modules), "tables": read}}))
"""
PYTHON = "import genelm\nshort = genelm.ask({question!r}, offline=True).short_answer"
CLI = ("from genelm.cli import main\nsys.argv = ['genelm', 'ask', {question!r}, '--offline']\nshort = None\n"
       "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code")


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("import-graph-cache")  # one cache for the module: tables parsed once
    assert fresh(PYTHON, FACTOID, path)["short"] == "SLC38A6"  # the first answer fills the disk cache
    return path


def fresh(run: str, question: str, cache_dir) -> dict:
    code = PROBE.format(run=run.format(question=question))
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "GENELM_CACHE_DIR": str(cache_dir)},
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.rsplit("\nPROBE ", 1)[1])
    got["stdout"] = out.stdout
    return got


def loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_a_factoid_question_imports_no_table_or_model_library(cache_dir):
    got = fresh(PYTHON, FACTOID, cache_dir)
    assert got["short"] == "SLC38A6"
    assert loaded(got["modules"], NOT_FOR_A_FACTOID) == []
    assert got["tables"] == []


def test_the_cli_answers_a_factoid_without_them_either(cache_dir):
    got = fresh(CLI, FACTOID, cache_dir)
    assert "SLC38A6" in got["stdout"]
    assert loaded(got["modules"], NOT_FOR_A_FACTOID) == []


def test_an_expression_question_imports_and_parses_only_what_it_reads(cache_dir):
    got = fresh(PYTHON, "Where is ALB expressed?", cache_dir)
    assert "Liver" in got["short"]
    assert "pandas" in got["modules"] and "genelm.regulation.tables" in got["modules"]
    assert loaded(got["modules"], NOT_FOR_REGULATION) == []
    assert {"tss", "tpm", "specificity"} <= set(got["tables"])  # the TSSs, HPA/GTEx TPM, HPA groups it cites
    assert set(got["tables"]).isdisjoint(NOT_FOR_EXPRESSION), got["tables"]


def test_a_regulation_dossier_without_a_plot_imports_no_plotting_or_model_library(cache_dir):
    got = fresh(PYTHON, "Describe how TP53 is regulated in K562", cache_dir)
    assert loaded(got["modules"], NOT_FOR_REGULATION) == []
    assert {"tss", "ccres", "cage"} <= set(got["tables"])  # it does read the cCRE and CAGE tables
