"""Numbered sentences: what the model cites, each a substring of the article at its own offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import GOLDENS

from harness.sentences import split_sentences
from schemas.article import MAX_QUOTE_CHARS


def test_sentences_are_numbered_from_one_and_index_the_raw_text() -> None:
    text = "Gen. Anna Berg met Carl Dahl in Oslo.  Dahl said the talks went well.\n\nLater, U.S. envoys arrived."
    sentences = split_sentences(text)
    assert [s.number for s in sentences] == [1, 2, 3]
    assert [s.text for s in sentences] == [
        "Gen. Anna Berg met Carl Dahl in Oslo.",
        "Dahl said the talks went well.",
        "Later, U.S. envoys arrived.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_the_crawler_date_marker_is_not_part_of_the_first_sentence() -> None:
    [first] = split_sentences(" date 2024-03-06 OSLO: Berg met Dahl.")
    assert first.text == "OSLO: Berg met Dahl."


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_a_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == ()


def test_a_sentence_longer_than_a_quote_may_be_is_cut_at_a_word_boundary() -> None:
    text = "Berg met Dahl " + "and talked at length " * 40 + "today."
    [sentence] = split_sentences(text)
    assert len(sentence.text) <= MAX_QUOTE_CHARS
    assert text.startswith(sentence.text) and not sentence.text.endswith(" ")
    assert text[len(sentence.text)] == " "


@pytest.mark.parametrize("path", sorted(GOLDENS.glob("*.txt")), ids=lambda path: path.stem[:3])
def test_every_golden_sentence_is_a_substring_at_its_offsets(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    sentences = split_sentences(text)
    assert len(sentences) >= 10
    assert all(text[s.start : s.end] == s.text and s.text == s.text.strip() for s in sentences)
