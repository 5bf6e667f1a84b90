"""The one settings class. Every field reads the environment variable NEWSDESK_<NAME>."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""
    writer: Literal["extractive", "openai", "local"] = "extractive"
    # The OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server, LM Studio, hosted).
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout_s: float = Field(default=120.0, gt=0)  # overall deadline of one request
    llm_max_passages: int = Field(default=60, ge=5, le=400)
    # A story whose writer endpoint failed waits this long, doubling per failure.
    write_retry_s: float = Field(default=300.0, gt=0)
    write_retry_max_s: float = Field(default=6 * 3600.0, gt=0)
    local_model: Path | None = None  # a GGUF file for the "local" writer
    # A second opinion on claims the checker is unsure of (score within the margin of its
    # threshold): from the LLM endpoint above (the model defaults to llm_model), or from
    # the local GGUF model in process.
    verify_judge: Literal["off", "llm", "local"] = "off"
    verify_judge_model: str = ""
    verify_judge_margin: float = Field(default=0.15, gt=0, le=0.5)

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    site_name: str = "newsdesk"

    user_agent: str = "newsdesk/0.1 (+https://github.com/newsdesk; self-hosted newsroom)"
    fetch_deadline_s: float = Field(default=20.0, gt=0)
    fetch_max_bytes: int = Field(default=5_000_000, gt=0)
    # The largest request body the site reads (JSON, forms, comments); larger ones get 413.
    max_body_bytes: int = Field(default=1_000_000, gt=0)
    fetch_concurrency: int = Field(default=8, ge=1)
    allow_private_networks: bool = False
    # Ingest politeness and retries (issue 3).
    fetch_read_timeout_s: float = Field(default=10.0, gt=0)  # one read; retried
    fetch_retries: int = Field(default=2, ge=0, le=10)  # extra tries on 5xx, 429, timeouts
    fetch_retry_base_s: float = Field(default=1.0, ge=0)  # doubles per try
    fetch_retry_max_wait_s: float = Field(default=30.0, ge=0)  # longer Retry-After: next poll
    fetch_host_concurrency: int = Field(default=2, ge=1)  # requests in flight per host
    fetch_host_delay_s: float = Field(default=0.5, ge=0)  # gap between starts per host
    obey_robots: bool = True
    robots_ttl_s: float = Field(default=86_400.0, gt=0)
    source_backoff_base_s: float = Field(default=300.0, gt=0)  # first wait after a failure
    source_backoff_max_s: float = Field(default=86_400.0, gt=0)
    source_pause_after: int = Field(default=10, ge=1)  # consecutive failures, then paused
    ingest_sources_at_once: int = Field(default=32, ge=1)  # sources polled concurrently
    near_duplicate_threshold: float = Field(default=0.8, gt=0, le=1)  # shared share
    near_duplicate_window_hours: float = Field(default=168.0, gt=0)

    # Fit score (about 0..3.5, see cluster/story.py) for a document to join a story; two
    # stories may merge from cluster_merge_threshold (if their documents also agree, see
    # cluster/linkage.py); a story splits in two when the average document-pair log-odds
    # between its halves is below cluster_split_threshold. Chosen on the odd ECB+ topics.
    cluster_threshold: float = Field(default=1.1, ge=0, le=5)
    cluster_merge_threshold: float = Field(default=0.7, ge=0, le=5)
    cluster_split_threshold: float = Field(default=0.0, ge=-20, le=20)
    # A story takes documents published within this window of its latest one, and closes
    # when nothing arrived for that long.
    cluster_window_hours: float = Field(default=96.0, gt=0)
    cluster_embedder: Literal["wordllama"] = "wordllama"

    # The reader site (issue 7): accounts, sessions, comments, moderation, mail.
    secret_key: str = ""  # signs reset tokens; empty: generated once into data_dir/secret_key
    public_url: str = ""  # e.g. https://news.example; feeds and sitemaps need absolute links
    session_hours: float = Field(default=24.0 * 14, gt=0)
    login_attempts_per_account: int = Field(default=5, ge=1)  # failures per 15 min, per address
    login_attempts_per_address: int = Field(default=30, ge=1)  # failures per 15 min
    signups_per_address: int = Field(default=5, ge=1)  # per hour
    comment_edit_minutes: float = Field(default=15.0, ge=0)
    comments_per_10_minutes: int = Field(default=5, ge=1)
    premoderate_first_comments: int = Field(default=1, ge=0)  # held until approved
    blocked_words: list[str] = Field(default_factory=list)  # held for moderation
    review_policy: Literal["none", "flagged", "all"] = "none"  # held at publish for the desk
    min_sources: int = Field(default=2, ge=1)  # independent outlets before a story is published
    smtp_host: str = ""  # empty: mail is printed to the log (demo)
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = "newsdesk@localhost"
    page_cache_check_s: float = Field(default=1.0, ge=0)  # cached pages re-check the DB

    @model_validator(mode="after")
    def _judge_has_an_endpoint(self) -> Settings:
        if self.verify_judge == "llm" and not (
            self.llm_base_url and (self.verify_judge_model or self.llm_model)
        ):
            raise ValueError(
                "NEWSDESK_VERIFY_JUDGE=llm needs NEWSDESK_LLM_BASE_URL and NEWSDESK_LLM_MODEL "
                "(or NEWSDESK_VERIFY_JUDGE_MODEL)"
            )
        if self.verify_judge == "local" and self.local_model is None:
            raise ValueError("NEWSDESK_VERIFY_JUDGE=local needs NEWSDESK_LOCAL_MODEL (a GGUF file)")
        return self

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'newsdesk.db').as_posix()}"


class SettingsError(ValueError):
    """A setting (environment variable or .env line) has a value that cannot be used."""


def load_settings(**overrides: Any) -> Settings:
    """The settings from the environment (and ``.env``), with ``overrides`` on top."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problem = error.errors()[0]
        name = "_".join(str(part) for part in problem["loc"]).upper()
        where = f"NEWSDESK_{name}: " if name else ""
        raise SettingsError(f"{where}{problem['msg'].removeprefix('Value error, ')}") from error
