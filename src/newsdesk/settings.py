"""The one settings class. Every field reads the environment variable NEWSDESK_<NAME>."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""
    writer: Literal["extractive"] = "extractive"

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    site_name: str = "newsdesk"

    user_agent: str = "newsdesk/0.1 (+https://github.com/newsdesk; self-hosted newsroom)"
    fetch_deadline_s: float = Field(default=20.0, gt=0)
    fetch_max_bytes: int = Field(default=5_000_000, gt=0)
    fetch_concurrency: int = Field(default=8, ge=1)
    allow_private_networks: bool = False

    cluster_threshold: float = Field(default=0.22, ge=0, le=1)
    cluster_window_hours: float = Field(default=96.0, gt=0)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'newsdesk.db').as_posix()}"


def load_settings() -> Settings:
    return Settings()
