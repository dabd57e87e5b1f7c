"""How single fields of a matched pair are judged."""

from __future__ import annotations

import pytest

from harness.scoring.fields import same_location, same_role, topic_f1


class TestSameRole:
    @pytest.mark.parametrize(
        ("gold", "predicted"),
        [
            ("Secretary of Defence", "Defence Secretary"),
            ("Secretary of Defence", "secretary of defense"),
            ("Chief of Army Staff", "Chief of Staff"),
            ("Foreign Minister", "foreign minister."),
            (None, None),
        ],
    )
    def test_same_office_in_other_words_is_right(self, gold: str | None, predicted: str | None) -> None:
        assert same_role(gold, predicted)

    @pytest.mark.parametrize(
        ("gold", "predicted"),
        [
            ("Foreign Minister", "Prime Minister"),
            ("Foreign Minister", "Minister"),
            ("Ambassador", None),
            (None, "Ambassador"),
        ],
    )
    def test_another_office_or_a_missing_one_is_wrong(self, gold: str | None, predicted: str | None) -> None:
        assert not same_role(gold, predicted)


class TestSameLocation:
    @pytest.mark.parametrize(
        ("gold", "predicted"),
        [("Washington DC", "Washington"), ("General Headquarters (GHQ)", "GHQ"), ("Oslo", "oslo"), (None, None)],
    )
    def test_the_same_place_named_more_or_less_fully_is_right(self, gold: str | None, predicted: str | None) -> None:
        assert same_location(gold, predicted)

    @pytest.mark.parametrize(("gold", "predicted"), [("Washington", "Islamabad"), ("Oslo", None), (None, "Oslo")])
    def test_another_place_or_a_missing_one_is_wrong(self, gold: str | None, predicted: str | None) -> None:
        assert not same_location(gold, predicted)


class TestTopicF1:
    def test_is_the_f1_of_content_word_sets(self) -> None:
        # gold words {trade, talks, fishing}, predicted {trade, fishing, quotas}: 2*2 / (3 + 3)
        assert topic_f1(["trade talks", "fishing"], ["Trade", "fishing quotas"]) == 4 / 6

    def test_function_words_do_not_count_as_overlap(self) -> None:
        assert topic_f1(["the future of trade"], ["the price of oil"]) == 0.0

    def test_two_empty_lists_agree(self) -> None:
        assert topic_f1([], []) == 1.0

    def test_topics_against_none_score_zero(self) -> None:
        assert topic_f1(["trade"], []) == 0.0
