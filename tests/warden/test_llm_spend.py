"""LLM spend per tenant per day: additive counters, isolated by tenant and day."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from warden.controlplane.llm_spend import LlmSpendStore


def test_spend_adds_up_per_tenant_and_day(control_plane) -> None:
    for tenant in ("acme", "globex"):
        control_plane.create_tenant(tenant, tenant.title(), actor="test")
    store = LlmSpendStore(control_plane.engine)
    day, next_day = date(2026, 9, 1), date(2026, 9, 2)
    store.add("acme", day, 1000, 200, 0.006)
    total = store.add("acme", day, 500, 100, 0.003)
    assert (total.input_tokens, total.output_tokens) == (1500, 300)
    assert total.cost_usd == pytest.approx(0.009)
    assert store.spent("acme", next_day).cost_usd == 0
    assert store.spent("globex", day).cost_usd == 0
    with pytest.raises(ValueError):
        store.add("acme", day, -1, 0, 0.0)


def test_migration_0002_creates_the_table(control_plane) -> None:
    inspector = sa.inspect(control_plane.engine)
    assert "llm_spend" in inspector.get_table_names()
    assert inspector.get_pk_constraint("llm_spend")["constrained_columns"] == ["tenant_id", "day"]
    with control_plane.engine.connect() as conn:
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == "0002"
