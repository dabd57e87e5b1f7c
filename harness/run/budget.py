"""Money: a job's ``--budget`` cap, and the ``--dry-run`` estimate of what a job would cost.

The budget is a ``RequestGuard`` on the backend's limiter, so it sees every request, transport retries
and re-asks included. Before a request is sent, its worst case is reserved: its prompt tokens (estimated)
plus ``max_tokens``, all at the output price. A request whose worst case would take spending past the
budget is not sent; the job stops taking documents, lets the ones in flight end, and says what it spent.
When the answer comes, the reservation is released and the real usage charged. Reserving the worst case
is why no run can overspend: the money of every request in flight is already counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from harness.backends.client import DecodingParams
from harness.backends.limits import RateLimits, RequestRefused, estimate_prompt_tokens
from harness.backends.prices import ModelPrice, prices_from_table
from harness.documents import Document
from harness.errors import ConfigError
from harness.project.discovery import find_project_file
from harness.prompts import Prompt
from schemas.draft import ArticleDraft

__all__ = [
    "Budget",
    "BudgetExhausted",
    "JobEstimate",
    "draft_response_format",
    "estimate_job",
    "project_limits",
    "project_prices",
]


class BudgetExhausted(RequestRefused):
    """A request would have taken spending past ``--budget``; it was not sent."""

    exit_code = 5


class Budget:
    """``limit_usd`` for one run: what it has spent, what its requests in flight have reserved."""

    def __init__(self, limit_usd: float, price: ModelPrice | None, model_id: str) -> None:
        if limit_usd <= 0:
            raise ConfigError(f"--budget must be above 0, not {limit_usd}")
        if price is None:
            raise ConfigError(
                f"--budget needs the price of {model_id!r}, which harness does not know: give it in "
                f'[tool.harness.prices."{model_id}"] (input and output, USD per million tokens)'
            )
        self.limit_usd = limit_usd
        self.price = price
        self.spent_usd = 0.0
        """Paid for the answers received, failed attempts included."""
        self.reserved_usd = 0.0
        """The worst case of the requests in flight."""
        self.refused = 0
        """Requests not sent for lack of budget."""

    @property
    def exhausted(self) -> bool:
        """True once a request has been refused: the job takes no more documents."""
        return self.refused > 0

    def reserve(self, prompt_tokens: int, max_tokens: int) -> float:
        worst = self.price.cost(0, prompt_tokens + max_tokens)  # every token at the output price: the worst case
        if self.spent_usd + self.reserved_usd + worst > self.limit_usd:
            self.refused += 1
            raise BudgetExhausted(
                f"budget reached: the next request could cost up to ${worst:.4f} and ${self.spent_usd:.4f} of the "
                f"${self.limit_usd:.2f} budget is spent (${self.reserved_usd:.4f} held by requests in flight)"
            )
        self.reserved_usd += worst
        return worst

    def settle(self, reservation: float, prompt_tokens: int, cached_tokens: int, completion_tokens: int) -> None:
        self.reserved_usd = max(self.reserved_usd - reservation, 0.0)
        self.spent_usd += self.price.cost(prompt_tokens, completion_tokens, cached_tokens=cached_tokens)


@dataclass(frozen=True)
class JobEstimate:
    """What a job would cost, estimated without calling a model."""

    documents: int
    prompt_tokens: int
    """Estimated from the rendered prompts (characters / 4) and the answer's JSON Schema."""
    max_completion_tokens: int
    """``max_tokens`` per document: the most the answers can use, without re-asks."""
    expected_completion_tokens: int
    """A typical answer's length per document (see ``_TYPICAL_ANSWER_SHARE``)."""
    expected_usd: float | None
    """With typical answers; None when the model's price is unknown."""
    worst_usd: float | None
    """Every answer at ``max_tokens`` (re-asks not counted)."""


# An extraction answer is a few hundred tokens (the README's measurements: 230-820 on the goldens) against
# a max_tokens of 2048, so a quarter of max_tokens is a fair typical length.
_TYPICAL_ANSWER_SHARE = 0.25


def estimate_job(
    documents: Iterable[Document],
    prompt: Prompt,
    decoding: DecodingParams,
    price: ModelPrice | None,
    *,
    batch: bool = False,
) -> JobEstimate:
    """Tokens and USD of one request per document, from the prompt each would be sent (``batch``: at the
    Batch API's discount)."""
    response_format = draft_response_format()
    count = prompt_tokens = 0
    for document in documents:
        count += 1
        request = {"messages": prompt.render(document), "response_format": response_format}
        prompt_tokens += estimate_prompt_tokens(request)
    most = count * decoding.max_tokens
    typical = int(most * _TYPICAL_ANSWER_SHARE)
    expected = price.cost(prompt_tokens, typical, batch=batch) if price is not None else None
    worst = price.cost(prompt_tokens, most, batch=batch) if price is not None else None
    return JobEstimate(count, prompt_tokens, most, typical, expected, worst)


def project_prices() -> dict[str, ModelPrice]:
    """The user's ``[tool.harness.prices]``, from the project's ``pyproject.toml``."""
    project = find_project_file()
    table = project.table.get("prices", {}) if project is not None else {}
    return prices_from_table(table, project.path if project is not None else None)


def project_limits(rpm: float | None, tpm: float | None) -> RateLimits:
    """``--rpm``/``--tpm``, each defaulting to ``[tool.harness.limits]``'s ``rpm``/``tpm`` (else no limit)."""
    project = find_project_file()
    pyproject = project.path if project is not None else None
    table = project.table.get("limits", {}) if project is not None else {}
    if not isinstance(table, dict):
        raise ConfigError("[tool.harness.limits] must be a table", path=pyproject)
    unknown = set(table) - {"rpm", "tpm"}
    if unknown:
        raise ConfigError(f"[tool.harness.limits] takes rpm and tpm, not {', '.join(sorted(unknown))}", path=pyproject)
    try:
        return RateLimits(
            rpm=rpm if rpm is not None else _number(table.get("rpm")),
            tpm=tpm if tpm is not None else _number(table.get("tpm")),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[tool.harness.limits]: {exc}", path=pyproject) from exc


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def draft_response_format() -> dict[str, object]:
    """The ``response_format`` every request carries (the answer's JSON Schema), for estimates."""
    schema = ArticleDraft.model_json_schema()
    return {"type": "json_schema", "json_schema": {"name": ArticleDraft.__name__, "schema": schema}}
