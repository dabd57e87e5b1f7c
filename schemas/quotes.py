"""Where a model's quote sits in the raw text: the grounding of every contact.

The rule: a quote is found where it occurs verbatim (its first occurrence at or after ``after``).
Failing that, it is found where the text has the same characters except that any run of
whitespace may stand for any other run, and straight, curly and typographic quotation marks,
apostrophes and dashes stand for one another: a model re-types ``“`` as ``"`` and joins lines.
In that case the returned span covers the text's own characters, and the caller stores
``text[start:end]`` as the quote, so stored evidence is always a true substring. Nothing looser
(case, missing words) counts: a quote that is not in the text is not evidence.
It lives with the schemas because the model-facing draft validates its quotes by the same rule
that post-processing grounds them with.
"""

from __future__ import annotations

import re

__all__ = ["evidence_offsets"]

_EQUIVALENT_CHARACTERS = (
    '"\u201c\u201d\u201e\u201f\u2033',  # double quotation marks
    "'\u2018\u2019\u201a\u201b\u2032",  # single quotation marks and apostrophes
    "-\u2010\u2011\u2012\u2013\u2014\u2212",  # hyphen, dashes, minus
)
_CLASS_OF = {char: f"[{re.escape(group)}]" for group in _EQUIVALENT_CHARACTERS for char in group}


def _tolerant_pattern(quote: str) -> re.Pattern[str]:
    parts = []
    for piece in re.split(r"(\s+)", quote):
        if not piece:
            continue
        if piece.isspace():
            parts.append(r"\s+")
        else:
            parts.append("".join(_CLASS_OF.get(char, re.escape(char)) for char in piece))
    return re.compile("".join(parts))


def evidence_offsets(quote: str, text: str, *, after: int = 0) -> tuple[int, int] | None:
    """``(start, end)`` of ``quote`` (surrounding whitespace ignored) in ``text`` by the rule above, or None."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote, after)
    if start >= 0:
        return start, start + len(quote)
    match = _tolerant_pattern(quote).search(text, after)
    return match.span() if match is not None else None
