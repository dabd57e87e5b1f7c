"""The article text cut into segments, each knowing which records cite it as evidence.

Evidence spans overlap (a gold and a predicted contact often cite the same sentence, and gold
quotes may cover part of a predicted sentence), so the text is cut at every span boundary and
each piece carries the set of records whose evidence covers it. The report highlights a piece
when one of its records is selected, and names its records when the pointer rests on it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from schemas.article import Evidence

__all__ = ["CitedSpan", "Segment", "locate", "segment_text"]


@dataclass(frozen=True)
class CitedSpan:
    """One evidence quote of one record, located in the text."""

    start: int
    end: int
    record: str
    """The record's key in the report (e.g. ``d3-g1``)."""
    side: str
    """``gold`` or ``predicted``."""


@dataclass(frozen=True)
class Segment:
    """A run of text covered by the same records (none for plain text)."""

    text: str
    records: tuple[str, ...] = ()
    """Keys of the records citing this run, in the order their spans were given."""
    sides: frozenset[str] = frozenset()
    """``gold`` and/or ``predicted``: whose evidence covers the run."""


def locate(evidence: Evidence, text: str) -> tuple[int, int] | None:
    """Where an evidence quote lies in ``text``: its offsets when they hold the quote, else its first
    verbatim occurrence; None for a quote that is not in the text (an ungrounded quote)."""
    start, end = evidence.start, evidence.end
    if start is not None and end is not None and text[start:end] == evidence.quote:
        return start, end
    found = text.find(evidence.quote)
    return (found, found + len(evidence.quote)) if found >= 0 else None


def segment_text(text: str, spans: Iterable[CitedSpan]) -> list[Segment]:
    """``text`` cut at every span boundary; the segments' texts join back to ``text``."""
    spans = [span for span in spans if 0 <= span.start < span.end <= len(text)]
    cuts = sorted({0, len(text), *(span.start for span in spans), *(span.end for span in spans)})
    segments = []
    for start, end in itertools.pairwise(cuts):
        covering = [span for span in spans if span.start <= start and end <= span.end]
        records = tuple(dict.fromkeys(span.record for span in covering))
        segments.append(Segment(text[start:end], records, frozenset(span.side for span in covering)))
    return _merged(segments)


def _merged(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments cited by the same records made one."""
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].records == segment.records:
            last = merged.pop()
            segment = Segment(last.text + segment.text, last.records, last.sides | segment.sides)
        merged.append(segment)
    return merged
