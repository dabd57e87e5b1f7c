"""The report's view-model: plain typed records, everything the template shows and nothing it must compute.

Built by ``pairs``, ``documents`` and ``summary`` from a scored run (and a comparison with a baseline);
the chart's records live with its geometry in ``chart``. Every judgement carries a text label beside
its colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from harness.compare.ledger import LedgerChange
from harness.compare.records import RecordChange
from harness.report.chart import Chart
from harness.report.spans import Segment

__all__ = [
    "ActorPair",
    "BaselineView",
    "ContactPair",
    "CostView",
    "DocumentCost",
    "DocumentView",
    "FieldMark",
    "FieldRow",
    "FigureRow",
    "Quote",
    "RecordMark",
    "Report",
    "RunFacts",
]


class RecordMark(StrEnum):
    """How a record (a gold and a predicted record, paired or alone) is shown; the value is its CSS class."""

    MATCHED = "matched"
    WRONG = "wrong"
    """Matched, with at least one field wrong."""
    MISSED = "missed"
    SPURIOUS = "spurious"
    PARTIAL = "partial"
    """Contacts only: participants overlap without matching; counted as spurious (and missed, if required)."""
    OPTIONAL_MATCHED = "optional-matched"
    OPTIONAL_MISSED = "optional-missed"

    @property
    def label(self) -> str:
        """The words shown beside the colour."""
        return _RECORD_LABELS[self]

    @property
    def is_error(self) -> bool:
        """Counts against the run (optional gold records never do)."""
        return self in (RecordMark.WRONG, RecordMark.MISSED, RecordMark.SPURIOUS, RecordMark.PARTIAL)


_RECORD_LABELS = {
    RecordMark.MATCHED: "matched",
    RecordMark.WRONG: "wrong field",
    RecordMark.MISSED: "missed",
    RecordMark.SPURIOUS: "spurious",
    RecordMark.PARTIAL: "partial match",
    RecordMark.OPTIONAL_MATCHED: "optional gold, found",
    RecordMark.OPTIONAL_MISSED: "optional gold, not found",
}


class FieldMark(StrEnum):
    """How one field of a pair was judged; the value is its CSS class."""

    RIGHT = "right"
    WRONG = "wrong"
    UNSCORED = "unscored"
    """Shown for reading, not judged (topics, date words, evidence; any field of an unpaired record)."""

    @property
    def label(self) -> str:
        return {"right": "right", "wrong": "wrong", "unscored": ""}[self.value]


@dataclass(frozen=True)
class FieldRow:
    """One field of a record pair: both values and the judgement."""

    name: str
    gold: str | None
    predicted: str | None
    mark: FieldMark = FieldMark.UNSCORED
    note: str | None = None
    """A figure beside the judgement, e.g. ``topic F1 0.67``."""


@dataclass(frozen=True)
class Quote:
    """An evidence quote of a record; an ungrounded one is not in the text and is not highlighted."""

    text: str
    grounded: bool


@dataclass(frozen=True)
class ContactPair:
    """A gold contact and the predicted contact the scorer paired with it; either may be absent."""

    mark: RecordMark
    title: str
    """The participants and mode, e.g. ``Mike Pompeo + Qamar Javed Bajwa · phone_call``."""
    gold_key: str | None
    """The gold record's key in the page (``d3-g1``); None without a gold record."""
    predicted_key: str | None
    gold_label: str
    """``gold contact #0`` (its position in the golden file) or ``no gold contact``."""
    predicted_label: str
    fields: list[FieldRow]
    gold_evidence: list[Quote] = field(default_factory=list)
    predicted_evidence: list[Quote] = field(default_factory=list)
    similarity: float | None = None
    """Participant Jaccard of a pair."""

    @property
    def keys(self) -> list[str]:
        return [key for key in (self.gold_key, self.predicted_key) if key is not None]


@dataclass(frozen=True)
class ActorPair:
    """A gold actor and the predicted actor the scorer paired with it; either may be absent."""

    mark: RecordMark
    gold: str | None
    """``Mike Pompeo (pompeo)``."""
    predicted: str | None
    fields: list[FieldRow]
    similarity: float | None = None


@dataclass(frozen=True)
class DocumentCost:
    """What one document's extraction took."""

    prompt_tokens: int
    completion_tokens: int
    seconds: float
    attempts: int
    cached: bool


@dataclass(frozen=True)
class DocumentView:
    """One document: its text with evidence highlighted, its record pairs, its changes and problems."""

    index: int
    doc_id: str
    headline: str | None
    status: Literal["ok", "failed", "missing"]
    """``missing``: the run has no result for a golden document (scored as empty)."""
    error: str | None
    warnings: list[str]
    segments: list[Segment]
    contacts: list[ContactPair]
    actors: list[ActorPair]
    record_labels: dict[str, str]
    """Record key -> how it is named where a highlighted span lists the records citing it."""
    detection_f1: float
    strict_f1: float
    cost: DocumentCost | None = None
    changes: list[RecordChange] = field(default_factory=list)
    """What differs from the baseline, record by record (``harness.compare.records``)."""

    @property
    def anchor(self) -> str:
        return f"d{self.index}"

    @property
    def marks(self) -> list[RecordMark]:
        """The mark of every contact pair, then of every actor pair."""
        return [pair.mark for pair in self.contacts] + [pair.mark for pair in self.actors]

    def count(self, mark: RecordMark) -> int:
        """Contact and actor pairs shown with ``mark``."""
        return self.marks.count(mark)

    @property
    def problems(self) -> int:
        """Missed, spurious, partial and wrong records, a failure, and changes for the worse: the sort key of
        the errors-first view."""
        records = sum(mark.is_error for mark in self.marks)
        worse = sum(change.effect == "worse" for change in self.changes)
        return records + worse + (self.status != "ok") * 10  # a failure outranks any number of wrong records

    def cited_by(self, segment: Segment) -> str:
        """The records a highlighted span is evidence of, for its tooltip."""
        return "evidence of " + "; ".join(self.record_labels.get(key, key) for key in segment.records)


@dataclass(frozen=True)
class FigureRow:
    """One figure of the run, with its baseline, delta, bootstrap interval and gate outcome when compared."""

    metric: str
    """The flat key, e.g. ``contacts.detection.f1``."""
    label: str
    value: float
    base: float | None = None
    delta: float | None = None
    interval: tuple[float, float] | None = None
    """Bootstrap percentile interval of the difference (headline F1 only)."""
    tolerance: float | None = None
    gate: Literal["pass", "fail"] | None = None
    """None when not compared, or not a gated figure."""


@dataclass(frozen=True)
class CostView:
    """What the run took: tokens, seconds, attempts, cache hits."""

    documents: int
    ok: int
    failed: int
    cached: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    """Sum of the documents' extraction times."""
    attempts: int
    wall_seconds: float | None = None
    """From the manifest's start to its finish; None for a run that did not finish or has no manifest."""


@dataclass(frozen=True)
class RunFacts:
    """Where a run came from."""

    label: str
    source: str
    model: str | None = None
    prompt: str | None = None
    harness_version: str | None = None
    git_commit: str | None = None


@dataclass(frozen=True)
class BaselineView:
    """The comparison with a baseline: what changed in the set-up, and the gate's outcome."""

    label: str
    ledger_changes: list[LedgerChange]
    passed: bool
    reasons: list[str]
    """One line per figure that fell beyond its tolerance."""
    interval_note: str
    """How the bootstrap intervals were drawn, e.g. ``95% interval of 2000 paired resamples of 5 documents``."""
    changes: int
    worse: int


@dataclass(frozen=True)
class Report:
    """Everything one report shows."""

    title: str
    run: RunFacts
    goldens: str
    headline: list[FigureRow]
    figures: list[FigureRow]
    documents: list[DocumentView]
    cost: CostView | None = None
    baseline: BaselineView | None = None
    chart: Chart | None = None
    warnings: list[str] = field(default_factory=list)
    """About the whole run: predictions without a golden, an unfinished run."""

    def total(self, mark: RecordMark) -> int:
        return sum(document.count(mark) for document in self.documents)

    @property
    def failed_documents(self) -> int:
        return sum(document.status != "ok" for document in self.documents)
