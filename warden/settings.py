"""Warden settings: built once at an entry point and passed in; never read at import time."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class LlmPrice(BaseModel):
    """USD per million tokens for one model (cache writes: 5-minute ephemeral cache)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cache_read: float = Field(ge=0)
    cache_write: float = Field(ge=0)


def _default_llm_prices() -> dict[str, LlmPrice]:
    """List prices per model family; a dated model id matches its family by prefix.

    Estimates for budgeting, not billing: override with WARDEN_LLM_PRICES_USD_PER_MTOK (JSON)
    to match your contract. An unknown model is priced as the most expensive entry."""
    return {
        "claude-sonnet-4-6": LlmPrice(input=3.0, output=15.0, cache_read=0.30, cache_write=3.75),
        "claude-sonnet-4-5": LlmPrice(input=3.0, output=15.0, cache_read=0.30, cache_write=3.75),
        "claude-haiku-4-5": LlmPrice(input=1.0, output=5.0, cache_read=0.10, cache_write=1.25),
        "claude-opus-4-5": LlmPrice(input=5.0, output=25.0, cache_read=0.50, cache_write=6.25),
    }


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
    anthropic_model: str = "claude-sonnet-4-6"
    anthropic_max_tokens: int = Field(default=4096, gt=0, description="Max output tokens.")
    llm_budget_tokens_per_pr: int = Field(
        default=60_000,
        gt=0,
        description="Most tokens (input + max output) one LLM request about a PR may use; "
        "the context is trimmed to fit, and a PR whose smallest context does not fit is "
        "skipped.",
    )
    llm_budget_usd_per_tenant_day: float = Field(
        default=5.0, ge=0, description="Estimated LLM spend per tenant per UTC day."
    )
    llm_timeout_seconds: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    llm_max_retry_wait_seconds: float = Field(
        default=30.0,
        ge=0,
        description="A 429/529 asking to wait longer than this ends the LLM review (error) "
        "instead of holding up the review path.",
    )
    llm_prices_usd_per_mtok: dict[str, LlmPrice] = Field(default_factory=_default_llm_prices)
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
