"""One Settings object for the whole program (PaperQA2 style).

Sources, highest priority first: keyword arguments, ``GENELM_*`` environment
variables, a TOML file (``GENELM_CONFIG`` or ``~/.config/genelm/config.toml``),
then the defaults below.  The NCBI key is also read from the conventional
``NCBI_API_KEY`` variable because that is what users already have set.
"""
from __future__ import annotations

import contextvars
import hashlib
import json
import os
import re
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from genelm.connectors.limits import BLAST as BLAST_LIMITS
from genelm.connectors.limits import EUTILS as EUTILS_LIMITS
from genelm.connectors.limits import rate_limits_by_host


class NetworkMode(str, Enum):
    live = "live"  # network only
    record = "record"  # network, and every response is appended to the recordings file
    replay = "replay"  # recordings and bundled snapshot only; a miss is an error
    auto = "auto"  # cache -> network -> bundled snapshot


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "genelm"


def _config_file() -> Path:
    return Path(os.environ.get("GENELM_CONFIG", Path.home() / ".config" / "genelm" / "config.toml"))


# Requests per second per host: each source's documented limit, with its reference, lives in
# genelm.connectors.limits (NCBI E-utilities 3/s, 10/s with a key; BLAST one per 10 s; ENCODE 10/s; UCSC 1/s).
DEFAULT_RATE_LIMITS: dict[str, float] = rate_limits_by_host()
NCBI_HOSTS = ("eutils.ncbi.nlm.nih.gov", "blast.ncbi.nlm.nih.gov")
DEFAULT_ENDPOINTS: dict[str, str] = {
    "ncbi_eutils": "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
    "ncbi_blast": "https://blast.ncbi.nlm.nih.gov/blast/Blast.cgi",
    "encode": "https://www.encodeproject.org",
    "regulomedb": "https://regulomedb.org",
    "ucsc_api": "https://api.genome.ucsc.edu",
    "ucsc_blat": "https://genome.ucsc.edu/cgi-bin/hgBlat",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GENELM_", extra="ignore", populate_by_name=True)

    cache_dir: Path = Field(default_factory=_default_cache_dir)
    mode: NetworkMode = NetworkMode.auto
    recordings: list[Path] = Field(default_factory=list, description="extra replay sources")
    record_to: Path | None = Field(None, description="JSONL file that record mode appends to")
    use_snapshot: bool = True
    timeout_s: float = 20.0
    retries: int = 3
    backoff_s: float = 0.5
    max_retry_after_s: float = 60.0
    rate_limits: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_RATE_LIMITS))
    default_rate_limit: float = 2.0
    cache_ttl_s: int = 7 * 24 * 3600

    ncbi_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("ncbi_api_key", "GENELM_NCBI_API_KEY", "NCBI_API_KEY")
    )
    ncbi_email: str | None = None
    ncbi_tool: str = "genelm"
    # NCBI: poll one BLAST RID at most once a minute (genelm never polls faster, whatever this says).
    blast_poll_s: float = BLAST_LIMITS.poll_interval_s
    blast_max_wait_s: float = 600.0
    # UCSC REST API key (genome.ucsc.edu account page): needed for the REST API's /blat endpoint, since UCSC
    # closed open programmatic hgBlat access (BLAT FAQ #blat14).  A secret: never stored, logged or shown.
    ucsc_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("ucsc_api_key", "GENELM_UCSC_API_KEY", "UCSC_API_KEY")
    )

    endpoints: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_ENDPOINTS),
        description="base URL per source: mirrors (UCSC Europe/Asia), a proxy, or a local server in tests",
    )

    llm: str = Field("auto", description="auto | grounded | openai:<model> | anthropic:<model> | ollama:<model> | "
                                          "gguf:<path> | smollm2")
    llm_base_url: str | None = Field(None, description="an OpenAI-compatible server (vLLM, llama.cpp, LM Studio)")
    llm_max_steps: int = Field(4, ge=1, le=10, description="tool-calling rounds an LLM may take per question")
    # The answers' language: auto (the question's: English, Chinese or Korean), en, zh or ko (genelm.i18n).
    lang: str = Field("auto", pattern=r"^(?:auto|en|zh|ko)$", description="auto | en | zh | ko")
    # The knowledge graph: a Bolt server of your own (NEO4J_* as Neo4j's tools name them),
    # else the embedded ArcadeDB that genelm starts under cache_dir/graph.
    graph_uri: str | None = Field(None, validation_alias=AliasChoices("graph_uri", "GENELM_GRAPH_URI", "NEO4J_URI"))
    graph_user: str = Field("neo4j", validation_alias=AliasChoices("graph_user", "GENELM_GRAPH_USER",
                                                                   "NEO4J_USERNAME", "NEO4J_USER"))
    graph_password: SecretStr | None = Field(
        None, validation_alias=AliasChoices("graph_password", "GENELM_GRAPH_PASSWORD", "NEO4J_PASSWORD")
    )
    graph_database: str | None = Field(None, validation_alias=AliasChoices("graph_database", "GENELM_GRAPH_DATABASE",
                                                                           "NEO4J_DATABASE"))
    graph_heap: str = Field("2g", pattern=r"^\d+[mgMG]$", description="Java heap of the embedded graph server")
    # The first question that needs the embedded graph builds it (about a minute, with progress);
    # False makes such a question say how to build it instead.
    graph_autobuild: bool = True
    # Parsed bundled tables are kept under cache_dir/tables (keyed by the files' sha256); False parses every time.
    disk_cache: bool = True
    max_workers: int = 8
    # Sequence models (genelm[models]): a whole-genome FASTA for sequences beyond the bundled BRCA1 slice,
    # and Enformer weights on disk (also found in <cache>/models/enformer or the Hugging Face cache).
    reference_fasta: Path | None = None
    enformer_weights: Path | None = None
    # A Hugging Face DNA language model (local directory, or an id already in the HF cache) for gLM scores.
    glm_model: str | None = None
    glm_context_bp: int = Field(512, ge=16, le=100_000, description="GRCh38 bases around a variant the gLM reads")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=_config_file()))

    @field_validator("endpoints")
    @classmethod
    def _known_endpoints(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(DEFAULT_ENDPOINTS))
        if unknown:
            raise ValueError(f"unknown endpoint(s) {', '.join(unknown)}; known: {', '.join(DEFAULT_ENDPOINTS)}")
        bad = [f"{k}={v}" for k, v in value.items() if not re.match(r"^https?://[^\s/]+", v)]
        if bad:
            raise ValueError(f"endpoints must be http(s) URLs: {', '.join(bad)}")
        return {**DEFAULT_ENDPOINTS, **{k: v.rstrip("/") for k, v in value.items()}}

    def rate_limit_for(self, host: str) -> float:
        rate = self.rate_limits.get(host, self.default_rate_limit)
        if host in NCBI_HOSTS and self.ncbi_api_key is not None and host == "eutils.ncbi.nlm.nih.gov":
            rate = max(rate, EUTILS_LIMITS.extra["per_second_with_key"])
        return rate

    def secrets(self) -> list[str]:
        """Values that must never be written to recordings, caches, logs or answers."""
        key = self.ncbi_api_key.get_secret_value() if self.ncbi_api_key is not None else None
        graph = self.graph_password.get_secret_value() if self.graph_password is not None else None
        ucsc = self.ucsc_api_key.get_secret_value() if self.ucsc_api_key is not None else None
        return [s for s in (key, self.ncbi_email, graph, ucsc) if s]

    def fingerprint(self) -> str:
        """A hash of the settings that change answers (never of secrets)."""
        public = self.model_dump(mode="json", exclude={"ncbi_api_key", "ncbi_email", "cache_dir", "record_to",
                                                          "graph_password", "ucsc_api_key"})
        return hashlib.sha256(json.dumps(public, sort_keys=True).encode()).hexdigest()[:16]

    def with_overrides(self, **overrides: Any) -> "Settings":
        data = self.model_dump()
        data.update({k: v for k, v in overrides.items() if v is not None})
        return Settings(**data)


# The settings of the question being answered (``genelm.ask`` binds them in its own context), for code that decides
# by them but is handed only the question: whether the knowledge graph under these settings is built, say.
_current: contextvars.ContextVar[Settings | None] = contextvars.ContextVar("genelm_settings", default=None)


def use_settings(settings: Settings) -> None:
    """Bind the settings for the rest of this context (``genelm.ask``'s own copy of the caller's context)."""
    _current.set(settings)


def current_settings() -> Settings:
    """The bound settings, or a fresh ``Settings()`` outside ``genelm.ask``."""
    return _current.get() or Settings()
