"""Dates of contacts: the words a text uses for "when", resolved against the publication date.

A model copies the words ("on Wednesday", "January 3"); only this module turns them into a date,
so the rule is the same for every model and for the golden checker. The parser is a closed
grammar, not a search: every word of the phrase must be a date word or a known filler, else the
phrase is vague ("last week", "recently", "next Monday") and gives no date. A wrong date is worse
than none, because the scorer would count it as an error where null is only a miss.

The rule:

- a weekday name, with or without "last" ("on Wednesday", "Wednesday last", "last Wednesday"), is
  the most recent such day on or before the publication date; the same day when the article was
  published on that weekday (news reports "on Wednesday" for the day of publication);
- "today", "yesterday", "the day before yesterday" count back from the publication date;
- a day and month ("January 3", "3 January", "Jan. 3rd") is the most recent such date on or before
  publication ("December 27" in a January article is the previous December); with a year
  ("3 January 2020", "2020-01-03") it needs no publication date;
- a weekday beside a full date must agree with it, else the phrase is contradictory and gives none;
- nothing resolves without a publication date except a date that carries its year, and no result
  is ever after the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["find_date_text", "resolve_relative_date"]

_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DAYS_BACK = {"today": 0, "tonight": 0, "yesterday": 1, "daybeforeyesterday": 2}
_FILLERS = frozenset(
    {
        "on",
        "the",
        "of",
        "this",
        "past",
        "last",
        "early",
        "earlier",
        "late",
        "morning",
        "afternoon",
        "evening",
        "night",
    }
)
"""Words that do not move a date: "On Wednesday last", "earlier on Monday", "Friday evening".

Words that do ("next", "week", "ago", "tomorrow") are deliberately absent, so a phrase with
them is unknown and resolves to nothing.
"""

_TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}|\d+(?:st|nd|rd|th)?|[a-z]+")
_SEPARATORS = frozenset(" \t\n,.;:()")  # what may stand between tokens: "Jan. 3, 2020"
_POSSESSIVE = re.compile(r"['\u2019]s\b")  # "Wednesday's meeting" -> "Wednesday meeting"
_DAY_BEFORE_YESTERDAY = re.compile(r"\bday\s+before\s+yesterday\b")
_EARLIEST_YEAR, _LATEST_YEAR = 1900, 2100  # a four-digit number outside this span is not a year of the news
_YEARS_TO_LOOK_BACK = 8  # enough to reach the last 29 February from any publication date


@dataclass
class _DateWords:
    """What a phrase says, slot by slot; a slot filled twice makes the phrase unusable."""

    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    days_back: int | None = None
    explicit: dt.date | None = None


def _read_words(date_text: str) -> _DateWords | None:
    """Fill the slots from the phrase, or None when a word is unknown or a slot repeats."""
    text = _POSSESSIVE.sub("", date_text.casefold())
    text = _DAY_BEFORE_YESTERDAY.sub("daybeforeyesterday", text)
    words = _DateWords()
    if not set(_TOKEN.sub(" ", text)) <= _SEPARATORS:  # "3/1", "3-4", "@": not this grammar
        return None
    for token in _TOKEN.findall(text):
        slot, value = _classify(token)
        if slot is None:
            return None
        if slot == "filler":
            continue
        if getattr(words, slot) is not None:
            return None
        setattr(words, slot, value)
    return words


def _classify(token: str) -> tuple[str | None, object]:
    """The slot a token fills and its value; (None, None) for a word outside the grammar."""
    if token in _FILLERS:
        return "filler", None
    if token in _WEEKDAYS:
        return "weekday", _WEEKDAYS[token]
    if token in _MONTHS:
        return "month", _MONTHS[token]
    if token in _DAYS_BACK:
        return "days_back", _DAYS_BACK[token]
    if "-" in token:
        try:
            return "explicit", dt.date.fromisoformat(token)
        except ValueError:
            return None, None
    digits = token.rstrip("stndrh")
    if digits.isdigit():
        number = int(digits)
        if len(digits) == 4 and digits == token and _EARLIEST_YEAR <= number <= _LATEST_YEAR:
            return "year", number
        if len(digits) <= 2 and 1 <= number <= 31:
            return "day", number
    return None, None


def _most_recent_weekday(weekday: int, published: dt.date) -> dt.date:
    return published - dt.timedelta(days=(published.weekday() - weekday) % 7)


def _most_recent_month_day(month: int, day: int, published: dt.date) -> dt.date | None:
    for year in range(published.year, published.year - _YEARS_TO_LOOK_BACK, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # 29 February of a common year, or 31 April
            continue
        if candidate <= published:
            return candidate
    return None


def _calendar_date(words: _DateWords, published: dt.date | None) -> dt.date | None:
    """The date a day + month (+ year) or an ISO date names, or None."""
    if words.explicit is not None:
        if words.month is not None or words.day is not None or words.year is not None:
            return None
        return words.explicit
    if words.month is None or words.day is None:
        return None
    if words.year is not None:
        try:
            return dt.date(words.year, words.month, words.day)
        except ValueError:
            return None
    return _most_recent_month_day(words.month, words.day, published) if published is not None else None


def _resolve(words: _DateWords, published: dt.date | None) -> dt.date | None:
    if words.days_back is not None:
        alone = words == _DateWords(days_back=words.days_back)
        return published - dt.timedelta(days=words.days_back) if alone and published is not None else None
    has_calendar_words = any(v is not None for v in (words.explicit, words.month, words.day, words.year))
    if has_calendar_words:
        date = _calendar_date(words, published)
        if date is not None and words.weekday is not None and date.weekday() != words.weekday:
            return None
        return date
    if words.weekday is not None and published is not None:
        return _most_recent_weekday(words.weekday, published)
    return None


def resolve_relative_date(date_text: str | None, published: dt.date | None) -> dt.date | None:
    """The date ``date_text`` names, read against ``published`` by the rule above; None when it names none."""
    if not date_text or not date_text.strip():
        return None
    words = _read_words(date_text)
    if words is None:
        return None
    date = _resolve(words, published)
    if date is None or (published is not None and date > published):
        return None
    return date


_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_NAMES = "|".join(name for name in _WEEKDAYS if name.endswith("day"))  # "sat", "sun" are words too
_DAY_NUMBER = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE_PHRASE = re.compile(
    rf"""\b(?:
        (?:(?:on|last|this)\s+)?(?:{_WEEKDAY_NAMES})(?:\s+last)?
      | (?:the\s+day\s+before\s+)?yesterday
      | (?:on\s+)?(?:{_MONTH_NAMES})\.?\s+{_DAY_NUMBER}(?:,?\s+\d{{4}})?
      | (?:on\s+)?{_DAY_NUMBER}\s+(?:{_MONTH_NAMES})\.?(?:,?\s+\d{{4}})?
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
"""Phrases the rule above reads, as they stand in running text. "Today" is left out: in a quote it is the
speaker's day, not the contact's."""


def find_date_text(sentence: str) -> str | None:
    """The first phrase in ``sentence`` that names a day by the rule above ("on Friday", "January 3"), or None.

    Models often leave ``date_text`` empty when the evidence sentence says when; reading it from
    the sentence is the same closed grammar, applied to the text itself.
    """
    match = _DATE_PHRASE.search(sentence)
    return match.group().strip() if match is not None else None
