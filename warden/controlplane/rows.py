"""Typed rows returned by the control-plane store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class TenantRow(_Row):
    tenant_id: str
    name: str
    status: str
    created_at: datetime


class IntegrationRow(_Row):
    integration_id: int
    tenant_id: str
    name: str
    kind: str
    provider: str
    config: dict[str, Any]
    credential_ref: str | None
    webhook_secret_ref: str | None
    status: str


class RepositoryRow(_Row):
    repository_id: int
    tenant_id: str
    integration_id: int
    full_name: str
    enabled: bool
    review_policy: dict[str, Any] = Field(default_factory=dict)


class DeliveryRow(_Row):
    seq: int
    delivery_id: str
    tenant_id: str
    integration_id: int
    provider: str
    event: str
    action: str | None
    received_at: datetime
    payload_sha256: str
    payload: str
    status: str
    attempts: int
    last_error: str | None


class ReviewLedgerRow(_Row):
    tenant_id: str
    review_key: str
    pr_key: str
    head_sha: str
    run_id: str
    status: str
    comment_id: str | None


class AuditRow(_Row):
    seq: int
    tenant_id: str | None
    actor: str
    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    at: datetime
    prev_hash: str
    hash: str
