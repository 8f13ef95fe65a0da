"""genelm: ask the public omics databases a question; every sentence cites its record."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["ask", "Answer", "Evidence", "Settings", "__version__"]


def __getattr__(name: str):
    # Lazy, so `import genelm` stays fast and light for scripts that need one piece.
    if name == "ask":
        from genelm.agent.api import ask

        return ask
    if name == "Answer":
        from genelm.agent.answer import Answer

        return Answer
    if name == "Evidence":
        from genelm.evidence import Evidence

        return Evidence
    if name == "Settings":
        from genelm.settings import Settings

        return Settings
    raise AttributeError(name)
