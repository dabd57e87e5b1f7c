"""``postprocess.dates``: a contact's date phrase resolved against the publication date, and found in a sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from harness.postprocess.dates import find_date_text, resolve_relative_date

D = dt.date
WEEK = [D(2024, 3, 4) + dt.timedelta(days=offset) for offset in range(7)]  # Monday 4 March .. Sunday 10 March 2024
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def latest_named(name: str, published: dt.date) -> dt.date:
    """The day called ``name`` among the seven days ending on ``published``, found by walking the calendar."""
    return next(day for day in (published - dt.timedelta(days=k) for k in range(7)) if day.strftime("%A") == name)


class TestWeekdays:
    @pytest.mark.parametrize("published", WEEK, ids=[day.strftime("%a") for day in WEEK])
    @pytest.mark.parametrize("name", WEEKDAY_NAMES)
    def test_a_weekday_is_the_latest_such_day_on_or_before_publication(self, name: str, published: dt.date) -> None:
        assert resolve_relative_date(f"on {name}", published) == latest_named(name, published)

    @pytest.mark.parametrize(
        ("date_text", "published", "expected"),
        [
            ("on Wednesday", D(2020, 1, 8), D(2020, 1, 8)),  # published on a Wednesday: the same day
            ("on Friday", D(2020, 1, 19), D(2020, 1, 17)),  # earlier in the same week
            ("on Saturday", D(2024, 3, 4), D(2024, 3, 2)),  # wraps to the previous week
            ("on Monday", D(2024, 3, 10), D(2024, 3, 4)),  # Sunday publication, the Monday six days before
            ("on Tuesday", D(2024, 3, 6), D(2024, 3, 5)),  # the day before
            ("on Thursday", D(2024, 3, 6), D(2024, 2, 29)),  # wraps across a month end (leap day)
        ],
        ids=["same-day", "earlier-in-week", "wrap-to-previous-week", "six-days-back", "day-before", "month-wrap"],
    )
    def test_weekday_relations(self, date_text: str, published: dt.date, expected: dt.date) -> None:
        assert resolve_relative_date(date_text, published) == expected

    @pytest.mark.parametrize(
        "date_text",
        ["Wednesday", "On Wednesday last", "Wednesday last", "last Wednesday", "on Wednesday evening", "Wednesday's"],
    )
    def test_wording_around_a_weekday_does_not_move_it(self, date_text: str) -> None:
        assert resolve_relative_date(date_text, D(2024, 3, 9)) == D(2024, 3, 6)

    def test_last_weekday_on_that_weekday_is_the_same_day(self) -> None:
        assert resolve_relative_date("last Wednesday", D(2024, 3, 6)) == D(2024, 3, 6)

    @pytest.mark.parametrize("date_text", ["on Wednesday", "On Wednesday last", "today", "yesterday", "January 3"])
    def test_without_a_publication_date_a_relative_phrase_gives_none(self, date_text: str) -> None:
        assert resolve_relative_date(date_text, None) is None


class TestDaysBack:
    @pytest.mark.parametrize(
        ("date_text", "expected"),
        [
            ("today", D(2024, 3, 1)),
            ("Yesterday", D(2024, 2, 29)),
            ("yesterday evening", D(2024, 2, 29)),
            ("the day before yesterday", D(2024, 2, 28)),
        ],
    )
    def test_counted_back_from_publication(self, date_text: str, expected: dt.date) -> None:
        assert resolve_relative_date(date_text, D(2024, 3, 1)) == expected


class TestCalendarDates:
    @pytest.mark.parametrize(
        ("date_text", "published", "expected"),
        [
            ("January 3", D(2020, 1, 19), D(2020, 1, 3)),
            ("on 3 January", D(2020, 1, 19), D(2020, 1, 3)),
            ("Jan. 3", D(2020, 1, 19), D(2020, 1, 3)),
            ("on the 3rd of January", D(2020, 1, 19), D(2020, 1, 3)),
            ("December 27", D(2020, 1, 4), D(2019, 12, 27)),  # before a January publication: the previous year
            ("January 20", D(2020, 1, 19), D(2019, 1, 20)),  # never after publication: a year back
            ("February 29", D(2021, 3, 1), D(2020, 2, 29)),  # back to the last year that has the day
            ("3 January 2020", D(2020, 1, 19), D(2020, 1, 3)),
            ("Jan. 3, 2020", None, D(2020, 1, 3)),  # a year needs no publication date
            ("2020-01-03", None, D(2020, 1, 3)),
            ("on Friday, January 3, 2020", None, D(2020, 1, 3)),  # weekday agrees with the date
        ],
    )
    def test_explicit_dates(self, date_text: str, published: dt.date | None, expected: dt.date) -> None:
        assert resolve_relative_date(date_text, published) == expected

    @pytest.mark.parametrize(
        ("date_text", "published"),
        [
            ("on Monday, January 3, 2020", None),  # 3 January 2020 was a Friday: contradictory
            ("February 30", D(2020, 3, 1)),  # no such day
            ("March 5, 2020", D(2020, 3, 1)),  # after publication
            ("3/1/2020", D(2020, 3, 1)),  # ambiguous numeric form
            ("January", D(2020, 3, 1)),  # a month is a span, not a day
        ],
    )
    def test_impossible_or_ambiguous_dates_give_none(self, date_text: str, published: dt.date | None) -> None:
        assert resolve_relative_date(date_text, published) is None


@pytest.mark.parametrize(
    "date_text",
    [
        "last week",
        "earlier this month",
        "recently",
        "next week",
        "next Monday",
        "tomorrow",
        "two days ago",
        "last weekend",
        "earlier",
        "",
        None,
    ],
)
def test_vague_phrases_give_none(date_text: str | None) -> None:
    assert resolve_relative_date(date_text, D(2024, 3, 6)) is None


class TestFindDateText:
    """The date phrase post-processing reads from a cited sentence when the model left ``date_text`` empty."""

    @pytest.mark.parametrize(
        ("sentence", "phrase"),
        [
            ("Berg on Wednesday telephoned Dahl.", "on Wednesday"),
            ("On Monday last, Berg met Dahl.", "On Monday last"),
            ("Berg met Dahl on January 3, 2024 in Oslo.", "on January 3, 2024"),
            ("Berg arrived yesterday.", "yesterday"),
            ("In my meeting today with Dahl, we agreed.", None),  # "today" in a quote is the speaker's day
            ("He sat down with the Sun reporter.", None),  # abbreviations are words too
            ("Berg met Dahl.", None),
        ],
    )
    def test_find_date_text(self, sentence: str, phrase: str | None) -> None:
        assert find_date_text(sentence) == phrase
