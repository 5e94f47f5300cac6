"""Cost estimates from the configured per-model price table (USD per million tokens)."""

from __future__ import annotations

from collections.abc import Mapping

from warden.settings import LlmPrice


def price_for(model: str, prices: Mapping[str, LlmPrice]) -> LlmPrice | None:
    """The exact model, else the longest configured family its id starts with
    (`claude-sonnet-4-5-20250929` -> `claude-sonnet-4-5`), else the dearest entry (an
    estimate that errs high keeps the daily budget safe); None for an empty table."""
    if model in prices:
        return prices[model]
    families = [name for name in prices if model.startswith(name)]
    if families:
        return prices[max(families, key=len)]
    if not prices:
        return None
    return max(prices.values(), key=lambda price: (price.output, price.input))


def estimate_cost_usd(
    price: LlmPrice | None,
    *,
    input_tokens: int,
    output_tokens: int,
    cache_read_tokens: int = 0,
    cache_creation_tokens: int = 0,
) -> float:
    """`input_tokens` excludes cached tokens, as the API reports them."""
    if price is None:
        return 0.0
    total = (
        input_tokens * price.input
        + output_tokens * price.output
        + cache_read_tokens * price.cache_read
        + cache_creation_tokens * price.cache_write
    )
    return round(total / 1_000_000, 6)
