"""Rich tables of a run's scores: the summary, per-field accuracy, and per-document figures."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from harness.scoring.metrics import PRF, RunScore

__all__ = ["documents_table", "fields_table", "score_tables", "summary_table"]


def _rate(value: float) -> str:
    return f"{value:.3f}"


def _rate_over(value: float, count: int) -> str:
    """A rate, or a dash where it was taken over nothing (its 1.0 would only mean "nothing wrong")."""
    return _rate(value) if count else "-"


def _prf_cells(prf: PRF) -> list[str]:
    return [_rate(prf.precision), _rate(prf.recall), _rate(prf.f1), str(prf.tp), str(prf.fp), str(prf.fn)]


def _caption(score: RunScore) -> str | None:
    notes = []
    unpredicted = [document.doc_id for document in score.documents if not document.predicted]
    if unpredicted:
        notes.append(f"no prediction, scored as empty: {escape(', '.join(unpredicted))}")
    if score.ignored_predictions:
        notes.append(f"predictions with no golden, ignored: {escape(', '.join(score.ignored_predictions))}")
    return "\n".join(notes) or None


def summary_table(score: RunScore) -> Table:
    """Precision, recall and F1 of actors and contacts, micro-averaged over the documents."""
    tally = score.tally
    table = Table(title=f"Scores over {len(score.documents)} document(s), micro-averaged", caption=_caption(score))
    table.add_column("records")
    for header in ("precision", "recall", "F1", "TP", "FP", "FN"):
        table.add_column(header, justify="right")
    table.add_row("actors, all kinds", *_prf_cells(tally.actors))
    table.add_row("actors, persons", *_prf_cells(tally.persons))
    table.add_row("contacts, detection", *_prf_cells(tally.detection))
    table.add_row("contacts, strict", *_prf_cells(tally.strict))
    return table


def fields_table(score: RunScore) -> Table:
    """Accuracy of each field on matched pairs, topic overlap, and evidence grounding."""
    tally = score.tally
    table = Table(title="Fields of matched pairs")
    table.add_column("record")
    table.add_column("field")
    table.add_column("score", justify="right")
    table.add_column("of", justify="right")
    for record, accuracies in (("actor", tally.actor_fields), ("contact", tally.contact_fields)):
        for name, accuracy in accuracies.items():
            table.add_row(record, name, _rate(accuracy.accuracy), f"{accuracy.correct}/{accuracy.total}")
    table.add_section()
    table.add_row("contact", "topics (mean F1)", _rate(tally.topics.mean), f"{tally.topics.pairs} pair(s)")
    grounding = tally.grounding
    table.add_row("contact", "evidence grounded", _rate(grounding.rate), f"{grounding.grounded}/{grounding.quotes}")
    return table


def documents_table(score: RunScore) -> Table:
    """F1 per document, so one bad article stands out from the average; unpredicted documents in red."""
    table = Table(title="Per document: F1, topic overlap, grounded quotes")
    table.add_column("document", no_wrap=True)
    for header in ("actors", "persons", "detection", "strict", "topics", "grounded"):
        table.add_column(header, justify="right", no_wrap=True)
    for document in score.documents:
        tally = document.tally
        table.add_row(
            escape(document.doc_id) if document.predicted else f"[red]{escape(document.doc_id)}[/]",
            _rate(tally.actors.f1),
            _rate(tally.persons.f1),
            _rate(tally.detection.f1),
            _rate(tally.strict.f1),
            _rate_over(tally.topics.mean, tally.topics.pairs),
            _rate_over(tally.grounding.rate, tally.grounding.quotes),
        )
    return table


def score_tables(score: RunScore) -> list[Table]:
    """The summary, per-field and per-document tables, in the order they are printed."""
    return [summary_table(score), fields_table(score), documents_table(score)]
