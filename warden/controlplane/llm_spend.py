"""LLM spend per tenant per UTC day: what the daily budget is checked against."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from warden.controlplane import schema as t


class LlmSpendRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    tenant_id: str
    day: date
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0


class LlmSpendStore:
    """Adds to and reads the `llm_spend` counters (one row per tenant and day)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def add(
        self, tenant_id: str, day: date, input_tokens: int, output_tokens: int, cost_usd: float
    ) -> LlmSpendRow:
        """Atomically add one request's spend to the tenant's counters for `day`."""
        if input_tokens < 0 or output_tokens < 0 or cost_usd < 0:
            raise ValueError("LLM spend cannot be negative")
        key = sa.and_(t.llm_spend.c.tenant_id == tenant_id, t.llm_spend.c.day == day)
        increment = (
            t.llm_spend.update()
            .where(key)
            .values(
                input_tokens=t.llm_spend.c.input_tokens + input_tokens,
                output_tokens=t.llm_spend.c.output_tokens + output_tokens,
                cost_usd=t.llm_spend.c.cost_usd + cost_usd,
            )
        )
        for attempt in range(2):  # a concurrent first insert for the day wins; add to it
            try:
                with self.engine.begin() as conn:
                    if not conn.execute(increment).rowcount:
                        conn.execute(
                            t.llm_spend.insert().values(
                                tenant_id=tenant_id,
                                day=day,
                                input_tokens=input_tokens,
                                output_tokens=output_tokens,
                                cost_usd=cost_usd,
                            )
                        )
                break
            except sa.exc.IntegrityError:
                if attempt:
                    raise
        return self.spent(tenant_id, day)

    def spent(self, tenant_id: str, day: date) -> LlmSpendRow:
        query = sa.select(t.llm_spend).where(
            t.llm_spend.c.tenant_id == tenant_id, t.llm_spend.c.day == day
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return LlmSpendRow(tenant_id=tenant_id, day=day)
        return LlmSpendRow(**row)
