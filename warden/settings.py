"""Warden settings: built once at an entry point and passed in; never read at import time."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Process-wide configuration, from `WARDEN_*` environment variables (and `.env`)."""

    model_config = SettingsConfigDict(env_prefix="WARDEN_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path(".warden"), description="Root of every storage tier.")
    control_plane_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the control plane; default SQLite under data_dir.",
    )
    webhook_max_bytes: int = Field(default=25 * 1024 * 1024, gt=0)
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8787
    dashboard_user: str = Field(
        default="demo@warden.local",
        description="Locally, the user the dashboard acts as (membership decides tenants).",
    )
    http_timeout_seconds: float = 10.0
    http_max_retries: int = 4
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-sonnet-4-5"
    poll_overlap_minutes: int = 10

    @property
    def resolved_control_plane_url(self) -> str:
        if self.control_plane_url:
            return self.control_plane_url
        return f"sqlite:///{(self.data_dir / 'control-plane.sqlite').resolve()}"

    @property
    def tenants_dir(self) -> Path:
        return self.data_dir / "tenants"

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster"


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides taking precedence."""
    return Settings(**overrides)  # type: ignore[arg-type]
