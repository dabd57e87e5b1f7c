"""How one field of a matched pair is judged: exact for closed vocabularies, fuzzy for free text.

Free-text fields (role, location, topics) are written by a model in its own words, so demanding
the golden's exact string would measure wording, not understanding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rapidfuzz import fuzz

from harness.normalize import normalize_text

__all__ = [
    "LOCATION_MATCH_THRESHOLD",
    "ROLE_MATCH_THRESHOLD",
    "TOPIC_STOPWORDS",
    "same_location",
    "same_role",
    "topic_f1",
    "topic_tokens",
]

ROLE_MATCH_THRESHOLD = 80.0
"""Least ``token_sort_ratio`` (0-100) of two normalised roles for them to be the same role.

Token *sort* needs every word of the title to agree, in any order and up to spelling:
"Secretary of Defence" = "Defence Secretary" (92), "Chief of Army Staff" = "Chief of Staff" (85),
but "Foreign Minister" != "Prime Minister" (53) and "Foreign Minister" != "Minister" (67), which a
subset-based score would call equal.
"""

LOCATION_MATCH_THRESHOLD = 85.0
"""Least ``token_set_ratio`` (0-100) of two normalised locations for them to be the same place.

Token *set* lets one side name the place more fully: "Washington" = "Washington DC",
"GHQ" = "General Headquarters (GHQ)" (both 100); different places score far below ("Washington" /
"Islamabad" 11), and 85 still admits spelling variants of one name.
"""

TOPIC_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "about",
        "as",
        "at",
        "between",
        "by",
        "for",
        "from",
        "in",
        "its",
        "of",
        "on",
        "the",
        "to",
        "with",
    }
)
"""Function words left out of topic tokens: they would count as overlap between unrelated topics."""

Scorer = Callable[[str, str], float]


def _similar(gold: str | None, predicted: str | None, scorer: Scorer, threshold: float) -> bool:
    """Both absent, or both present and scoring at least ``threshold`` once normalised."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return scorer(normalize_text(gold), normalize_text(predicted)) >= threshold


def same_role(gold: str | None, predicted: str | None) -> bool:
    """Whether two roles name the same office (both absent counts as the same)."""
    return _similar(gold, predicted, fuzz.token_sort_ratio, ROLE_MATCH_THRESHOLD)


def same_location(gold: str | None, predicted: str | None) -> bool:
    """Whether two locations name the same place (both absent counts as the same)."""
    return _similar(gold, predicted, fuzz.token_set_ratio, LOCATION_MATCH_THRESHOLD)


def topic_tokens(topics: Iterable[str]) -> frozenset[str]:
    """The normalised content words of a list of topics."""
    return frozenset(
        token for topic in topics for token in normalize_text(topic).split() if token not in TOPIC_STOPWORDS
    )


def topic_f1(gold: Iterable[str], predicted: Iterable[str]) -> float:
    """F1 of the two topic lists' content-word sets: 2|G∩P| / (|G| + |P|); 1.0 when both are empty.

    Word sets rather than whole phrases, because a model splits and words topics its own way
    ("killing of Qasem Soleimani" / "Soleimani killing" share two of their three words).
    """
    gold_tokens, predicted_tokens = topic_tokens(gold), topic_tokens(predicted)
    if not gold_tokens and not predicted_tokens:
        return 1.0
    return 2 * len(gold_tokens & predicted_tokens) / (len(gold_tokens) + len(predicted_tokens))
