"""Which chat model runs: ``--llm SPEC`` / ``GENELM_LLM``, through LangChain's ``init_chat_model``.

Specs:
- ``openai:<model>`` (any OpenAI-compatible server: set ``GENELM_LLM_BASE_URL`` or
  ``OPENAI_BASE_URL`` for vLLM, llama.cpp's server, LM Studio …),
- ``anthropic:<model>``, ``ollama:<model>``,
- ``gguf:<path>`` (or any path ending in ``.gguf``) and ``smollm2``: a local model via transformers,
- ``grounded`` (or ``none``): no LLM,
- ``auto`` (the default): the first configured of OPENAI_API_KEY/OPENAI_BASE_URL,
  ANTHROPIC_API_KEY, OLLAMA_HOST; else grounded mode, and the trace says why.

An explicit spec that cannot be honoured is an error naming the fix; only ``auto``
falls back, and never silently.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genelm.connectors.errors import InputError
from genelm.settings import Settings

# What ``auto`` runs per provider; override with an explicit spec.
AUTO_MODELS = {"openai": "gpt-4.1-mini", "anthropic": "claude-sonnet-4-5", "ollama": "llama3.1"}
_API_KEYS = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
_PROVIDER_PACKAGES = {"openai": "langchain-openai", "anthropic": "langchain-anthropic", "ollama": "langchain-ollama"}


@dataclass
class LlmChoice:
    model: Any | None  # a LangChain chat model, or None for grounded mode
    spec: str  # what runs: "openai:gpt-4.1-mini", "gguf:…", or "grounded"
    reason: str  # why this one (auto's decision is recorded in the trace)

    @property
    def mode(self) -> str:
        return f"llm:{self.spec}" if self.model is not None else "grounded"


def auto_spec(env: dict[str, str] | None = None) -> tuple[str | None, str]:
    env = dict(os.environ if env is None else env)
    if env.get("OPENAI_API_KEY") or env.get("OPENAI_BASE_URL"):
        return f"openai:{AUTO_MODELS['openai']}", "auto: OPENAI_API_KEY/OPENAI_BASE_URL is set"
    if env.get("ANTHROPIC_API_KEY"):
        return f"anthropic:{AUTO_MODELS['anthropic']}", "auto: ANTHROPIC_API_KEY is set"
    if env.get("OLLAMA_HOST"):
        return f"ollama:{AUTO_MODELS['ollama']}", "auto: OLLAMA_HOST is set"
    return None, ("auto: no LLM is configured (no OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY or OLLAMA_HOST), "
                  "so the grounded planner and templates answered")


def select_llm(spec: str | Any | None, settings: Settings, env: dict[str, str] | None = None) -> LlmChoice:
    """A chat model object passes through (tests, or a model you built yourself)."""
    if spec is not None and not isinstance(spec, str):
        return LlmChoice(spec, getattr(spec, "_llm_type", type(spec).__name__), "a chat model object was passed")
    spec = (spec or settings.llm or "auto").strip()
    if spec.lower() in ("grounded", "none", "off"):
        return LlmChoice(None, "grounded", f"--llm {spec}: grounded mode asked for")
    reason = f"--llm {spec}"
    if spec.lower() == "auto":
        chosen, reason = auto_spec(env)
        if chosen is None:
            return LlmChoice(None, "grounded", reason)
        try:
            return LlmChoice(build_model(chosen, settings), chosen, reason)
        except InputError as exc:
            return LlmChoice(None, "grounded", f"{reason}, but {chosen} could not be set up ({exc}); grounded mode ran")
    return LlmChoice(build_model(spec, settings), spec, reason)


def build_model(spec: str, settings: Settings) -> Any:
    if spec.lower() == "smollm2":
        from genelm.agent.llm.local_model import LocalChatModel, smollm2_path

        return LocalChatModel(path=smollm2_path())
    if spec.startswith("gguf:") or spec.endswith(".gguf"):
        from genelm.agent.llm.local_model import LocalChatModel

        path = Path(spec.removeprefix("gguf:")).expanduser()
        if not path.is_file():
            raise InputError(f"no GGUF file at {path}; give the path of a .gguf model file")
        return LocalChatModel(path=path)
    provider, _, model = spec.partition(":")
    if provider not in _PROVIDER_PACKAGES or not model:
        raise InputError(f"unknown LLM spec {spec!r}; use openai:<model>, anthropic:<model>, ollama:<model>, "
                         "gguf:<path>, smollm2, grounded or auto")
    try:
        from langchain.chat_models import init_chat_model
    except ImportError as exc:
        raise InputError("LLM mode needs LangChain: pip install 'genelm[llm]'") from exc
    kwargs: dict[str, Any] = {"temperature": 0, "timeout": settings.timeout_s * 3, "max_retries": settings.retries}
    if provider == "openai":
        base_url = settings.llm_base_url or os.environ.get("OPENAI_BASE_URL")
        if base_url:
            kwargs["base_url"] = base_url
            # OpenAI-compatible local servers take any key; the client insists on one.
            kwargs["api_key"] = os.environ.get("OPENAI_API_KEY") or "not-needed"
    key_name = _API_KEYS.get(provider)
    if key_name and not os.environ.get(key_name) and "base_url" not in kwargs:
        raise InputError(f"{spec} needs an API key: set {key_name} (or use an OpenAI-compatible server with "
                         "GENELM_LLM_BASE_URL, or --llm grounded)")
    if provider == "ollama":  # ChatOllama takes neither timeout nor max_retries
        kwargs = {"temperature": 0}
        if os.environ.get("OLLAMA_HOST"):
            kwargs["base_url"] = os.environ["OLLAMA_HOST"]
    try:
        return init_chat_model(spec, **kwargs)
    except ImportError as exc:
        raise InputError(f"{spec} needs the package {_PROVIDER_PACKAGES[provider]}: pip install 'genelm[llm]'") from exc
    except Exception as exc:  # e.g. a missing API key: name it, do not show a traceback
        raise InputError(f"{spec} could not be set up: {exc}") from exc
