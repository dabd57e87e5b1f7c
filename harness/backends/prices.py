"""What a model's tokens cost: a small table of list prices, which ``[tool.harness.prices]`` extends or overrides.

Prices are US dollars per million tokens, as providers publish them. A model the table does not know
has no price: its costs are shown as unknown, and ``--budget`` refuses to run it until a price is given::

    [tool.harness.prices."my-model"]
    input = 0.40          # USD per million prompt tokens
    cached_input = 0.10   # per million prompt tokens served from the provider's prompt cache
    output = 1.60         # per million completion tokens
    batch_discount = 0.5  # share taken off through the Batch API

The embedded model costs nothing in money (its cost is CPU time, which every result records).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import ConfigError

__all__ = ["BUILT_IN_PRICES", "FREE", "ModelPrice", "price_for", "prices_from_table"]

_PER_MILLION = 1_000_000


@dataclass(frozen=True)
class ModelPrice:
    """A model's prices in USD per million tokens."""

    input: float
    """Per million prompt tokens."""
    output: float
    """Per million completion tokens."""
    cached_input: float | None = None
    """Per million prompt tokens read from the provider's prompt cache; None: as ``input``."""
    batch_discount: float = 0.5
    """Share of the price taken off through the Batch API (OpenAI: half)."""

    def __post_init__(self) -> None:
        values = {"input": self.input, "output": self.output, "cached_input": self.cached_input}
        for name, value in values.items():
            if value is not None and value < 0:
                raise ValueError(f"{name} must be 0 or more, not {value}")
        if not 0 <= self.batch_discount < 1:
            raise ValueError(f"batch_discount must be at least 0 and below 1, not {self.batch_discount}")

    def cost(self, prompt_tokens: int, completion_tokens: int, *, cached_tokens: int = 0, batch: bool = False) -> float:
        """USD for one call's tokens (``cached_tokens`` are the part of ``prompt_tokens`` read from cache)."""
        cached_price = self.input if self.cached_input is None else self.cached_input
        fresh = max(prompt_tokens - cached_tokens, 0)
        usd = (fresh * self.input + cached_tokens * cached_price + completion_tokens * self.output) / _PER_MILLION
        return usd * (1 - self.batch_discount) if batch else usd


FREE = ModelPrice(input=0.0, output=0.0)
"""The embedded model: no money, only CPU time."""

BUILT_IN_PRICES: dict[str, ModelPrice] = {
    # OpenAI's standard list prices (USD per million tokens); the Batch API takes half off.
    "gpt-4o": ModelPrice(input=2.50, cached_input=1.25, output=10.00),
    "gpt-4o-mini": ModelPrice(input=0.15, cached_input=0.075, output=0.60),
    "gpt-4.1": ModelPrice(input=2.00, cached_input=0.50, output=8.00),
    "gpt-4.1-mini": ModelPrice(input=0.40, cached_input=0.10, output=1.60),
    "gpt-4.1-nano": ModelPrice(input=0.10, cached_input=0.025, output=0.40),
    "gpt-5": ModelPrice(input=1.25, cached_input=0.125, output=10.00),
    "gpt-5-mini": ModelPrice(input=0.25, cached_input=0.025, output=2.00),
    "gpt-5-nano": ModelPrice(input=0.05, cached_input=0.005, output=0.40),
}
"""List prices harness knows; ``[tool.harness.prices]`` adds models and overrides these."""


def prices_from_table(table: Mapping[str, Any], pyproject: Path | None = None) -> dict[str, ModelPrice]:
    """``[tool.harness.prices]`` as prices by model id; ``ConfigError`` naming the entry that is wrong."""
    prices = {}
    for model, entry in table.items():
        where = f"[tool.harness.prices.{model!r}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{where} must be a table with input and output prices", path=pyproject)
        unknown = set(entry) - {"input", "output", "cached_input", "batch_discount"}
        if unknown or "input" not in entry or "output" not in entry:
            raise ConfigError(
                f"{where} takes input, output (required), cached_input and batch_discount; "
                f"got {', '.join(sorted(entry)) or 'nothing'}",
                path=pyproject,
            )
        try:
            prices[model] = ModelPrice(**{name: float(value) for name, value in entry.items()})
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: {exc}", path=pyproject) from exc
    return prices


def price_for(model_id: str, *, embedded: bool, overrides: Mapping[str, ModelPrice] | None = None) -> ModelPrice | None:
    """The price of ``model_id``: the user's, else the built-in one (a dated snapshot such as
    ``gpt-4o-mini-2024-07-18`` priced as its model), free for the embedded model, else None (unknown)."""
    if embedded:
        return FREE
    table = {**BUILT_IN_PRICES, **(overrides or {})}
    if model_id in table:
        return table[model_id]
    # The longest name the id starts with, so "gpt-4o-mini-2024-07-18" is gpt-4o-mini, not gpt-4o.
    prefixes = [name for name in table if model_id.startswith(name + "-")]
    return table[max(prefixes, key=len)] if prefixes else None
