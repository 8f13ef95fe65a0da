"""Prompt templates as files, and the one function that reads them."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PROMPT_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>.md`` (a missing prompt is a packaging bug: fail loudly)."""
    return (PROMPT_DIR / f"{name}.md").read_text(encoding="utf-8").strip()
