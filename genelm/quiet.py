"""A quiet terminal: third-party start-up logs, progress bars and warnings stay out of genelm's output.

TensorFlow (loaded for CI-SpliceAI), transformers / sentence-transformers (the knowledge
model) and tqdm each print to the terminal on their own: absl/oneDNN start-up lines,
"Loading weights" progress bars, deprecation warnings.  An answer is what the user asked
for; those lines are noise in it, and they break pipes that parse ``--json``.

Most of these libraries read their verbosity from environment variables *when they are
imported*, so :func:`apply` must run before any of them is (the CLI calls it first thing;
genelm imports them lazily, only when a question needs them).  Values the user set
explicitly are kept: ``setdefault`` only.  ``verbose=True`` changes nothing, so every
library talks as it normally would, and genelm's own log messages are shown down to INFO.

genelm's own messages (``genelm.*`` loggers, progress on stderr) are never silenced.
"""
from __future__ import annotations

import logging
import os
import warnings

# Each variable and why:
QUIET_ENV = {
    # TensorFlow C++ logging (absl): INFO lines such as "oneDNN custom operations are on" and the
    # cpu_feature_guard notice, and with them absl's "before absl::InitializeLog()" warning.
    "TF_CPP_MIN_LOG_LEVEL": "3",
    # TensorFlow prints "oneDNN custom operations are on" before its log level applies; only turning
    # oneDNN off silences it.  genelm uses TensorFlow solely to read CI-SpliceAI's graph protobuf (no
    # arithmetic, models/splice_net.py), so the numerics oneDNN would change never arise.
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "ABSL_MIN_LOG_LEVEL": "3",
    "GRPC_VERBOSITY": "ERROR",
    "GLOG_minloglevel": "3",
    # transformers / huggingface_hub: their own loggers, and the "Loading weights" tqdm bar
    # (transformers draws it only while huggingface_hub's progress bars are enabled).
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
    "HF_HUB_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    # tqdm reads TQDM_* defaults for every bar (tqdm >= 4.66): sentence-transformers and others.
    "TQDM_DISABLE": "1",
    # The tokenizers "process just got forked" warning.
    "TOKENIZERS_PARALLELISM": "false",
}
# Python-side loggers that install their own handlers and so bypass the root filter below.
_LOUD_LOGGERS = ("tensorflow", "absl", "transformers", "sentence_transformers", "huggingface_hub", "chromadb",
                 "httpx", "urllib3", "neo4j", "jax", "h5py", "numexpr", "torch")


class _OwnMessagesOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.name == "genelm" or record.name.startswith("genelm.")


def apply(verbose: bool = False) -> None:
    """Quiet third-party output for this process (and the processes it starts); idempotent."""
    root = logging.getLogger()
    if verbose:
        # Everything talks; genelm's own INFO messages (what it loads, what it caches) show too.
        logging.getLogger("genelm").setLevel(logging.INFO)
        if not any(getattr(h, "_genelm", False) for h in root.handlers):
            root.addHandler(_handler(None))
        return
    for name, value in QUIET_ENV.items():
        os.environ.setdefault(name, value)
    # Warnings raised from third-party code are dropped; genelm's own stay visible.
    warnings.filterwarnings("ignore")
    warnings.filterwarnings("default", module=r"genelm(\.|$)")
    # Without a handler, Python prints WARNING records of any library to stderr ("last resort").
    # One handler that passes genelm's records only replaces that.
    if not any(getattr(h, "_genelm", False) for h in root.handlers):
        root.addHandler(_handler(_OwnMessagesOnly()))
    for name in _LOUD_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def _handler(only: logging.Filter | None) -> logging.Handler:
    handler = logging.StreamHandler()  # stderr: stdout carries the answer
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.setLevel(logging.INFO)
    if only is not None:
        handler.addFilter(only)
    handler._genelm = True  # so a second apply() does not add another
    return handler
