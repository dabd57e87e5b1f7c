"""A Markdown summary of a comparison and its gate, for a CI job summary (``$GITHUB_STEP_SUMMARY``)."""

from __future__ import annotations

from harness.compare.comparison import Comparison
from harness.compare.gate import GateVerdict

__all__ = ["summary_markdown"]


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def summary_markdown(comparison: Comparison, verdict: GateVerdict) -> str:
    """The gate's outcome and why, the ledger changes, the headline differences and the records that got worse."""
    outcome = "passed" if verdict.passed else f"failed: {len(verdict.failures)} figure(s) fell beyond tolerance"
    lines = [
        f"## Regression gate {outcome}",
        "",
        f"`{_cell(comparison.new_label)}` against `{_cell(comparison.base_label)}`.",
        "",
    ]
    lines += [f"- {reason}" for reason in verdict.reasons()]
    lines += [""] if verdict.failures else []
    if comparison.ledger_changes:
        lines += ["### Ledger changes", ""]
        rows = [[f"`{c.entry}`", f"`{c.base}`", f"`{c.new}`"] for c in comparison.ledger_changes]
        lines += _table(["entry", "base", "new"], rows)
    lines += ["### Headline F1", ""]
    checks = {check.metric: check for check in verdict.checks}
    rows = [
        [
            interval.metric,
            f"{checks[interval.metric].base:.3f}",
            f"{checks[interval.metric].new:.3f}",
            f"{interval.difference:+.3f}",
            f"[{interval.low:+.3f}, {interval.high:+.3f}]",
            "FAIL" if checks[interval.metric].failed else "ok",
        ]
        for interval in comparison.intervals
    ]
    confidence = f"{comparison.intervals[0].confidence:.0%} " if comparison.intervals else ""
    lines += _table(["figure", "base", "new", "delta", f"{confidence}bootstrap interval", "gate"], rows)
    worse = [change for change in comparison.records if change.effect == "worse"]
    if worse:
        lines += [f"### Records that got worse ({len(worse)})", ""]
        rows = [[c.doc_id, c.record, c.field or "verdict", c.base, c.new] for c in worse]
        lines += _table(["document", "record", "field", "base", "new"], rows)
    return "\n".join(lines)
