"""``postprocess.cues``: the contact words that make a cited sentence evidence."""

from __future__ import annotations

import pytest

from harness.sentences import reports_contact


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
        "The ministry summoned the ambassador on Friday.",
        "Berg met Dahl on the sidelines of the summit.",
        "The envoy paid a courtesy visit to the president.",
        "Berg called on the Danish prime minister at his residence.",
        "Dahl was speaking with Berg when the news came.",
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
        "The so-called sanctions were imposed on Friday.",
        "Berg called on the Danish prime minister that this must end.",
        "Speaking at a ceremony, Berg said the army was ready.",
        "Speaking to reporters, Dahl said the border was calm.",
    ],
)
def test_sentences_without_a_contact_are_not_evidence(sentence: str) -> None:
    assert not reports_contact(sentence)
