"""Numbered sentences (what the model cites) and the contact words that make a cited sentence evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import GOLDENS

from harness.postprocess.cues import reports_contact
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


@pytest.mark.parametrize(
    "sentence",
    [
        "Berg telephoned Dahl on Monday.",
        "Dahl received a telephone call from Berg.",
        "The two ministers met in Oslo.",
        "During the meeting, trade was discussed.",
        "Falk is on a two-day visit to Norway.",
        "Berg held talks with her counterpart.",
        "She said she had spoken with Dahl.",
        "The ambassador called on the minister at his office.",
        "Berg wrote to Dahl last week.",
        "The leaders exchanged views on trade.",
        "They held a video conference.",
    ],
)
def test_contact_words_are_recognised(sentence: str) -> None:
    assert reports_contact(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "We call upon all concerned to avoid rhetoric.",
        "Berg called for maximum restraint.",
        "Falk criticised Dahl's policy.",
        "The strike killed a commander.",
        "Norway managed to receive support in exchange for aid.",
        "The ministry said the situation was tense.",
    ],
)
def test_sentences_without_a_contact_are_not_evidence(sentence: str) -> None:
    assert not reports_contact(sentence)
