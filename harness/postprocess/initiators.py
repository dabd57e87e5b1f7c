"""Who initiated a contact, read from its evidence when the model left it empty.

English marks the initiator of a call or a visit with a handful of directional verbs: "A
telephoned B", "A called on B", "A visited B", "A is on a visit to B", and in the passive "B
received a call from A". The participant named nearest before such a verb (or nearest after
"... call from") is the initiator; when no verb or no participant is found, it stays unknown.
Symmetric words ("met", "held talks") say nothing about who initiated, and are not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.postprocess.mentions import mentions
from schemas.article import Actor

__all__ = ["infer_initiator"]

_ACTIVE = re.compile(
    r"\b(?:tele)?phoned\b|\btelephones\b|\bcalled\s+(?:on|up)\b|\bcalled\b(?!\s+(?:for|upon)\b)|\brang\b|\bdialled\b"
    r"|\bvisit(?:ed|s)?\b|\bvisit\s+to\b|\bwrote\s+to\b|\btravel(?:l)?ed\s+to\b|\barrived\s+in\b",
    re.IGNORECASE,
)
"""The subject before these words is the one who called, visited or wrote."""
_PASSIVE = re.compile(r"\b(?:call|phone\s+call|telephone\s+call|visit|letter)\s+from\b|\bvisited\s+by\b", re.IGNORECASE)
"""The one named after these words is the initiator."""


def _mentions(actor: Actor, sentence: str) -> list[int]:
    """Start offsets of every form of the actor's name in the sentence, its surname included."""
    return [match.start() for match in mentions(actor, sentence, surname=True)]


def _nearest(positions: dict[str, list[int]], before: int | None = None, after: int | None = None) -> str | None:
    """The actor id mentioned nearest before ``before`` (or after ``after``); None if there is none or a tie."""
    best: list[tuple[int, str]] = []
    for actor_id, starts in positions.items():
        eligible = [p for p in starts if (before is not None and p < before) or (after is not None and p > after)]
        if eligible:
            distance = before - max(eligible) if before is not None else min(eligible) - (after or 0)
            best.append((distance, actor_id))
    best.sort()
    if not best or (len(best) > 1 and best[0][0] == best[1][0]):
        return None
    return best[0][1]


def infer_initiator(participants: Sequence[Actor], sentences: Sequence[str]) -> str | None:
    """The id of the participant the first directional verb in ``sentences`` makes initiator, or None."""
    for sentence in sentences:
        positions = {actor.id: _mentions(actor, sentence) for actor in participants}
        passive = _PASSIVE.search(sentence)
        if passive is not None:
            found = _nearest(positions, after=passive.end() - 1)
            if found is not None:
                return found
        active = _ACTIVE.search(sentence)
        if active is not None:
            found = _nearest(positions, before=active.start())
            if found is not None:
                return found
    return None
