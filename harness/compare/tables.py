"""Rich tables of a comparison: ledgers, gated figures, intervals, documents, and the per-record diff."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from harness.compare.comparison import Comparison
from harness.compare.gate import GateVerdict
from harness.run.results import RunLedger

__all__ = ["comparison_tables", "documents_table", "intervals_table", "ledger_table", "metrics_table", "records_table"]

_EFFECT_STYLE = {"worse": "red", "better": "green", "neutral": "default"}


def _delta(value: float) -> str:
    style = "red" if value < 0 else "green" if value > 0 else "default"
    return f"[{style}]{value:+.3f}[/]"


_HASH_SHOWN = 12  # hex digits of a sha256 shown: enough to tell two apart at a glance


def _ledger_rows(ledger: RunLedger | None) -> dict[str, str]:
    if ledger is None:
        return {}
    rows = {name: "-" if value is None else str(value) for name, value in ledger.model_dump().items()}
    return {name: value[:_HASH_SHOWN] if name.endswith("sha256") else value for name, value in rows.items()}


def ledger_table(comparison: Comparison) -> Table:
    """Both ledgers side by side; changed entries in yellow, a side without a manifest as unknown."""
    base, new = _ledger_rows(comparison.base.ledger), _ledger_rows(comparison.new.ledger)
    changed = {change.entry for change in comparison.ledger_changes}
    table = Table(title="Ledger")
    for header in ("entry", escape(comparison.base_label), escape(comparison.new_label)):
        table.add_column(header, overflow="fold")
    for entry in base or new:
        style = "yellow" if entry in changed else None
        table.add_row(entry, escape(base.get(entry, "unknown")), escape(new.get(entry, "unknown")), style=style)
    return table


def metrics_table(comparison: Comparison, verdict: GateVerdict) -> Table:
    """Every gated figure: both values, the delta, its tolerance and whether it failed the gate."""
    table = Table(title="Gated figures (new - base)")
    table.add_column("figure")
    for header in ("base", "new", "delta", "tolerance", "gate"):
        table.add_column(header, justify="right")
    for check in verdict.checks:
        table.add_row(
            check.metric,
            f"{check.base:.3f}",
            f"{check.new:.3f}",
            _delta(check.delta),
            f"{check.tolerance:g}",
            "[bold red]FAIL[/]" if check.failed else "ok",
        )
    return table


def intervals_table(comparison: Comparison) -> Table:
    """Each headline F1 difference with its paired bootstrap interval over documents."""
    first = comparison.intervals[0] if comparison.intervals else None
    caption = (
        f"{first.confidence:.0%} percentile interval of {first.resamples} paired resamples of "
        f"{first.documents} document(s); an interval containing 0 shows no evidence of a change"
        if first
        else None
    )
    table = Table(title="Headline F1 differences, bootstrap over documents", caption=caption)
    table.add_column("figure")
    table.add_column("difference", justify="right")
    table.add_column("interval", justify="right")
    for interval in comparison.intervals:
        table.add_row(interval.metric, _delta(interval.difference), f"[{interval.low:+.3f}, {interval.high:+.3f}]")
    return table


def documents_table(comparison: Comparison) -> Table:
    """Headline F1 per document, base -> new, so the document that moved stands out."""
    table = Table(title="Per document: F1, base -> new")
    table.add_column("document", no_wrap=True)
    metrics = [delta.metric for delta in comparison.documents[0].metrics] if comparison.documents else []
    for metric in metrics:
        table.add_column(metric.removesuffix(".f1"), justify="right", no_wrap=True)
    for document in comparison.documents:
        cells = [
            f"{d.base:.2f} -> {d.new:.2f} {_delta(d.delta)}" if d.delta else f"{d.new:.2f}" for d in document.metrics
        ]
        table.add_row(escape(document.doc_id), *cells)
    return table


def records_table(comparison: Comparison) -> Table:
    """Every record whose verdict changed and every field whose value changed; worse in red, better in green."""
    caption = None if comparison.records else "no record or field changed"
    table = Table(title=f"Records that changed ({len(comparison.records)})", caption=caption)
    for header in ("document", "record", "field", "base", "new"):
        table.add_column(header, overflow="fold")
    for change in comparison.records:
        table.add_row(
            escape(change.doc_id),
            escape(change.record),
            escape(change.field or "verdict"),
            escape(change.base),
            escape(change.new),
            style=_EFFECT_STYLE[change.effect],
        )
    return table


def comparison_tables(comparison: Comparison, verdict: GateVerdict) -> list[Table]:
    """The tables of a comparison, in the order they are printed."""
    return [
        ledger_table(comparison),
        metrics_table(comparison, verdict),
        intervals_table(comparison),
        documents_table(comparison),
        records_table(comparison),
    ]
