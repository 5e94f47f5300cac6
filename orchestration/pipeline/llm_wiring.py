"""Wire the LLM reviewer for one tenant: the Anthropic edge, the config, the spend ledger.

No API key -> no reviewer (the engine then notes that the LLM reviewer is off and the
review is deterministic only).
"""

from __future__ import annotations

from analysis.llm.reviewer import LlmConfig, LlmReviewer
from analysis.outcome_parts import LlmUsage
from analysis.reviewers.base import Reviewer
from ingestion.llm.anthropic_messages import AnthropicMessages
from warden.clock import utcnow
from warden.controlplane import ControlPlane
from warden.controlplane.llm_spend import LlmSpendStore
from warden.settings import Settings


class ControlPlaneSpendLedger:
    """The tenant's LLM spend for today (UTC), kept in the control plane's `llm_spend`."""

    def __init__(self, store: LlmSpendStore, tenant_id: str) -> None:
        self.store = store
        self.tenant_id = tenant_id

    def spent_today_usd(self) -> float:
        return self.store.spent(self.tenant_id, utcnow().date()).cost_usd

    def record(self, usage: LlmUsage) -> None:
        self.store.add(
            self.tenant_id,
            utcnow().date(),
            input_tokens=usage.input_tokens + usage.cache_read_tokens + usage.cache_creation_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=usage.cost_usd,
        )


def llm_config(settings: Settings) -> LlmConfig:
    return LlmConfig(
        model=settings.anthropic_model,
        max_tokens=settings.anthropic_max_tokens,
        budget_tokens_per_pr=settings.llm_budget_tokens_per_pr,
        budget_usd_per_tenant_day=settings.llm_budget_usd_per_tenant_day,
    )


def build_llm_reviewer(
    settings: Settings, control_plane: ControlPlane, tenant_id: str
) -> LlmReviewer | None:
    """The tenant's LLM reviewer, or None when no API key is configured."""
    key = settings.anthropic_api_key
    if key is None or not key.get_secret_value().strip():
        return None
    ledger = ControlPlaneSpendLedger(LlmSpendStore(control_plane.engine), tenant_id)
    return LlmReviewer(
        AnthropicMessages.from_settings(settings), llm_config(settings), ledger=ledger
    )


def llm_reviewers(
    settings: Settings, control_plane: ControlPlane, tenant_id: str
) -> tuple[Reviewer, ...]:
    """What to pass as `extra_reviewers`: the LLM reviewer, or nothing."""
    reviewer = build_llm_reviewer(settings, control_plane, tenant_id)
    return (reviewer,) if reviewer is not None else ()
