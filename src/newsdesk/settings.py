"""The one settings class. Every field reads the environment variable NEWSDESK_<NAME>."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NEWSDESK_", env_file=".env", extra="ignore", use_attribute_docstrings=True
    )

    data_dir: Path = Path("data")
    """Folder of the SQLite database (when NEWSDESK_DATABASE_URL is empty) and of the generated
    secret_key file."""
    database_url: str = ""
    """Any SQLAlchemy URL, e.g. postgresql+psycopg://user:password@host/newsdesk. Empty: the SQLite
    file newsdesk.db in NEWSDESK_DATA_DIR."""
    writer: Literal["extractive", "openai", "local"] = "extractive"
    """Writer backend: extractive (offline, the default), openai (an OpenAI-compatible endpoint) or
    local (a GGUF model in process)."""
    # The OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server, LM Studio, hosted).
    llm_base_url: str = ""
    """Base URL of the OpenAI-compatible endpoint of the openai writer and the llm judge, e.g.
    http://127.0.0.1:11434/v1 for Ollama."""
    llm_model: str = ""
    """Model name sent to that endpoint."""
    llm_api_key: str = ""
    """API key sent to that endpoint (empty for local servers that need none)."""
    llm_timeout_s: float = Field(default=120.0, gt=0)
    """Overall deadline of one model request, in seconds (a slow drip cannot stretch it)."""
    llm_max_passages: int = Field(default=60, ge=5, le=400)
    """Source sentences shown to a model per story."""
    write_retry_s: float = Field(default=300.0, gt=0)
    """Wait before retrying a story whose model endpoint failed; doubles per failure."""
    write_retry_max_s: float = Field(default=6 * 3600.0, gt=0)
    """Longest wait between retries of such a story."""
    local_model: Path | None = None
    """GGUF model file of the local writer and the local judge (needs the newsdesk[local] extra)."""
    # A second opinion on claims the checker is unsure of (score within the margin of its
    # threshold): from the LLM endpoint above (the model defaults to llm_model), or from
    # the local GGUF model in process.
    verify_judge: Literal["off", "llm", "local"] = "off"
    """Second opinion on borderline claims: off, llm (asks the endpoint above; needs
    NEWSDESK_LLM_BASE_URL and a model) or local (the GGUF file of NEWSDESK_LOCAL_MODEL, in
    process)."""
    verify_judge_model: str = ""
    """The judge's model name at the endpoint; empty: NEWSDESK_LLM_MODEL."""
    verify_judge_margin: float = Field(default=0.15, gt=0, le=0.5)
    """How far from the checker's threshold (0.5) a score counts as borderline and goes to the
    judge."""

    host: str = "127.0.0.1"
    """Address the site listens on."""
    port: int = Field(default=8000, ge=0, le=65535)
    """Port the site listens on."""
    site_name: str = "newsdesk"
    """The site's name in page titles, the masthead, feeds and mails."""

    user_agent: str = "newsdesk/0.1 (+https://github.com/newsdesk; self-hosted newsroom)"
    """User-Agent sent with every fetch; its first word is the token matched in robots.txt."""
    fetch_deadline_s: float = Field(default=20.0, gt=0)
    """Overall deadline of one fetch attempt, however slowly the server drips."""
    fetch_max_bytes: int = Field(default=5_000_000, gt=0)
    """Cap on the decoded bytes of one response, and on local files, .gz inflation and JSON Lines
    lines."""
    max_body_bytes: int = Field(default=1_000_000, gt=0)
    """Largest request body the site reads (API JSON, forms, comments); a larger one is answered
    413 before it is read."""
    fetch_concurrency: int = Field(default=8, ge=1)
    """Fetches in flight at once, over all hosts."""
    allow_private_networks: bool = False
    """Allow loopback and private addresses for every source (cloud metadata addresses stay
    refused). To allow one source only, use sources add --allow-private."""
    # Ingest politeness and retries (issue 3).
    fetch_read_timeout_s: float = Field(default=10.0, gt=0)
    """Timeout of one read; a read timeout is retried."""
    fetch_retries: int = Field(default=2, ge=0, le=10)
    """Extra tries on HTTP 5xx, 429 and timeouts (never on other errors)."""
    fetch_retry_base_s: float = Field(default=1.0, ge=0)
    """First wait between tries; doubles per try."""
    fetch_retry_max_wait_s: float = Field(default=30.0, ge=0)
    """Longest Retry-After waited for; a longer one moves the source's next poll instead."""
    fetch_host_concurrency: int = Field(default=2, ge=1)
    """Requests in flight to one host (host and port)."""
    fetch_host_delay_s: float = Field(default=0.5, ge=0)
    """Gap between request starts to one host; a robots.txt Crawl-delay raises it, up to 30 s."""
    obey_robots: bool = True
    """Read and obey robots.txt."""
    robots_ttl_s: float = Field(default=86_400.0, gt=0)
    """How long a site's robots.txt is kept before it is read again."""
    source_backoff_base_s: float = Field(default=300.0, gt=0)
    """Wait before polling a failing source again; doubles per failure in a row."""
    source_backoff_max_s: float = Field(default=86_400.0, gt=0)
    """Longest wait before polling a failing source again."""
    source_pause_after: int = Field(default=10, ge=1)
    """Failures in a row after which a source is paused until sources resume."""
    ingest_sources_at_once: int = Field(default=32, ge=1)
    """Sources polled concurrently (their fetches are bounded separately)."""
    near_duplicate_threshold: float = Field(default=0.8, gt=0, le=1)
    """Share of the shorter text found in the other for a near-duplicate (MinHash estimate over
    word 5-grams)."""
    near_duplicate_window_hours: float = Field(default=168.0, gt=0)
    """How far apart in publication time an original and its copy may be."""

    # Fit score (about 0..3.5, see cluster/story.py) for a document to join a story; two
    # stories may merge from cluster_merge_threshold (if their documents also agree, see
    # cluster/linkage.py); a story splits in two when the average document-pair log-odds
    # between its halves is below cluster_split_threshold. Chosen on the odd ECB+ topics.
    cluster_threshold: float = Field(default=1.1, ge=0, le=5)
    """Fit score (terms, embedding, names, figures, dates; about 0 to 3.5) a document needs to join
    a story."""
    cluster_merge_threshold: float = Field(default=0.7, ge=0, le=5)
    """Fit of two open stories from which the correction pass considers merging them (their
    documents must agree too)."""
    cluster_split_threshold: float = Field(default=0.0, ge=-20, le=20)
    """A story splits in two when the average document-pair log-odds between its two halves is
    below this."""
    # A story takes documents published within this window of its latest one, and closes
    # when nothing arrived for that long.
    cluster_window_hours: float = Field(default=96.0, gt=0)
    """A story takes documents published within this window of its latest one, and closes after
    idling that long."""
    cluster_embedder: Literal["wordllama"] = "wordllama"
    """Embedding model of the clusterer, the checker and related stories (its weights ship inside
    the wheel)."""

    # The reader site (issue 7): accounts, sessions, comments, moderation, mail.
    secret_key: str = ""
    """Signs reset and sign-up links and device cookies; at least 32 bytes. Empty: generated once
    into NEWSDESK_DATA_DIR/secret_key (mode 600)."""
    public_url: str = ""
    """The site's public address, e.g. https://news.example, for feeds, sitemaps, canonical links
    and mails; https also marks cookies Secure. Empty: the address of each request."""
    session_hours: float = Field(default=24.0 * 14, gt=0)
    """Lifetime of a signed-in session."""
    login_attempts_per_account: int = Field(default=5, ge=1)
    """Failed sign-ins per account and client address in 15 minutes before 429."""
    login_attempts_per_address: int = Field(default=30, ge=1)
    """Failed sign-ins per client address in 15 minutes before 429."""
    signups_per_address: int = Field(default=5, ge=1)
    """Sign-up requests per client (network) address per hour."""
    comment_edit_minutes: float = Field(default=15.0, ge=0)
    """How long authors may edit or delete their comment."""
    comments_per_10_minutes: int = Field(default=5, ge=1)
    """Comments per account in ten minutes (editors are exempt)."""
    premoderate_first_comments: int = Field(default=1, ge=0)
    """An account's comments wait for an editor until this many were approved."""
    blocked_words: list[str] = Field(default_factory=list)
    """JSON list of words; a comment containing one waits for an editor."""
    review_policy: Literal["none", "flagged", "all"] = "none"
    """Which new versions wait for the desk before publishing: none, flagged (versions with flagged
    sentences) or all."""
    min_sources: int = Field(default=2, ge=1)
    """Independent outlets a story needs before it is published (syndicated copies do not count);
    until then it waits on the desk, where an editor may approve it."""
    smtp_host: str = ""
    """Outgoing mail server; empty: mail is printed to the log (the demo)."""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    """Port of the mail server."""
    smtp_user: str = ""
    """User name at the mail server (empty: no login)."""
    smtp_password: str = ""
    """Password at the mail server."""
    smtp_starttls: bool = True
    """Use STARTTLS with the mail server."""
    mail_from: str = "newsdesk@localhost"
    """Sender address of outgoing mail."""
    page_cache_check_s: float = Field(default=1.0, ge=0)
    """How often a process re-checks whether its cached pages are stale, in seconds."""

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
