"""The cost of a run as a table: seconds, tokens and attempts per article, with their totals."""

from __future__ import annotations

from collections.abc import Iterable

from rich.markup import escape
from rich.table import Table

from harness.run.results import ResultRecord, totals_of

__all__ = ["article_costs_table"]


def article_costs_table(records: Iterable[ResultRecord]) -> Table:
    """Seconds, tokens and attempts per article, with their totals."""
    records = list(records)
    table = Table(title="Cost per article")
    table.add_column("document")
    table.add_column("status")
    for header in ("seconds", "prompt tokens", "completion tokens", "attempts"):
        table.add_column(header, justify="right")
    for record in records:
        status = "cached" if record.cached else record.status
        table.add_row(
            escape(record.doc_id),
            f"[red]{status}[/]" if record.status == "failed" else status,
            f"{record.latency_s:.1f}",
            f"{record.usage.prompt_tokens:,}",
            f"{record.usage.completion_tokens:,}",
            str(record.attempts),
        )
    totals = totals_of(records)
    table.add_section()
    table.add_row(
        "total",
        f"{totals.ok} ok, {totals.failed} failed",
        f"{totals.seconds:.1f}",
        f"{totals.prompt_tokens:,}",
        f"{totals.completion_tokens:,}",
        "",
    )
    return table
