"""Contacts a sentence states plainly, found without a model."""

from __future__ import annotations

import pytest

from harness.postprocess.stated_contacts import stated_contacts
from harness.sentences import split_sentences
from schemas.article import Actor
from schemas.enums import ActorKind, ContactMode

ACTORS = [
    Actor(id="berg", name="Anna Berg", kind=ActorKind.PERSON, role="Foreign Minister"),
    Actor(id="dahl", name="Carl Dahl", kind=ActorKind.PERSON),
    Actor(id="falk", name="Eva Falk", kind=ActorKind.PERSON),
    Actor(id="kim", name="Kim Sun", kind=ActorKind.PERSON),
    Actor(id="norway", name="Norway", kind=ActorKind.COUNTRY, country="NOR"),
    Actor(id="olav", name="Olav", kind=ActorKind.PERSON, role="King", aliases=["His Majesty King Olav"]),
]


def stated(text: str) -> list[tuple[str, str, ContactMode]]:
    [sentence] = split_sentences(text)
    return [(c.subject, c.counterpart.id, c.mode) for c in stated_contacts(sentence, ACTORS)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna Berg met Carl Dahl on Monday.", [("berg", "dahl", ContactMode.MEETING)]),
        ("Berg has also met with Dahl.", [("berg", "dahl", ContactMode.MEETING)]),
        ("Berg telephoned his Danish counterpart President Carl Dahl.", [("berg", "dahl", ContactMode.PHONE_CALL)]),
        ("Berg held a video conference with Dahl.", [("berg", "dahl", ContactMode.VIDEO_CALL)]),
        ("Berg spoke with Dahl about trade.", [("berg", "dahl", ContactMode.UNSPECIFIED)]),
        ("Berg held talks with Dahl in Oslo.", [("berg", "dahl", ContactMode.MEETING)]),  # placed: a meeting
        (
            "Berg said she had spoken with Carl Dahl, Ambassador Eva Falk and Politburo member Kim Sun.",
            [
                ("berg", "dahl", ContactMode.UNSPECIFIED),
                ("berg", "falk", ContactMode.UNSPECIFIED),
                ("berg", "kim", ContactMode.UNSPECIFIED),
            ],
        ),
        ("The foreign minister also met Eva Falk.", [("berg", "falk", ContactMode.MEETING)]),  # by her role
        ("The minister then met Eva Falk.", [("berg", "falk", ContactMode.MEETING)]),  # the one minister
        ("Kim held talks with Dahl.", [("kim", "dahl", ContactMode.UNSPECIFIED)]),  # a family name first
        ("Berg received another phone call from Dahl.", [("berg", "dahl", ContactMode.PHONE_CALL)]),
        ("His Majesty later met Carl Dahl.", [("olav", "dahl", ContactMode.MEETING)]),  # the King's honorific
        (
            "Berg voiced concern during a meeting with his counterpart Carl Dahl.",
            [("berg", "dahl", ContactMode.MEETING)],
        ),
        (
            "Anna Berg and Ambassador Eva Falk in a separate phone call to Dahl backed the plan.",
            [("berg", "dahl", ContactMode.PHONE_CALL), ("falk", "dahl", ContactMode.PHONE_CALL)],
        ),
        ("Berg said after talks with Dahl that trade grew.", [("berg", "dahl", ContactMode.UNSPECIFIED)]),
    ],
)
def test_a_plain_statement_gives_one_contact_per_counterpart(
    text: str, expected: list[tuple[str, str, ContactMode]]
) -> None:
    assert stated(text) == expected


def test_the_caller_of_a_phone_call_to_someone_is_its_initiator() -> None:
    [sentence] = split_sentences("In a phone call to Dahl, Berg said so.")
    assert [(c.subject, c.counterpart.id, c.initiator) for c in stated_contacts(sentence, ACTORS)] == []
    [sentence] = split_sentences("Berg, in a phone call to Dahl, said so.")
    assert [(c.subject, c.counterpart.id, c.initiator) for c in stated_contacts(sentence, ACTORS)] == [
        ("berg", "dahl", "berg")
    ]


def test_counterparts_from_countries_are_countries_new_or_known() -> None:
    [sentence] = split_sentences("Berg held talks with counterparts from Norway, the Netherlands and Chile on Friday.")
    contacts = stated_contacts(sentence, ACTORS)
    assert [(c.counterpart.id, c.counterpart.country) for c in contacts] == [
        ("norway", "NOR"),
        ("netherlands", "NLD"),
        ("chile", "CHL"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Berg will meet Dahl next week.",  # planned: no past verb
        "Berg met reporters before she flew to see Dahl.",  # the counterpart does not follow the verb
        "Berg criticised Dahl, who met Falk.",  # "who" is no subject the pattern knows
        "Berg spoke to reporters about Dahl.",
        "The president met Dahl.",  # no actor has that role
        "During the meeting, Berg praised Dahl.",  # a meeting with no one named after it
        "Her Majesty met Dahl.",  # no one is named with that honorific
    ],
)
def test_no_contact_where_the_sentence_does_not_state_one_plainly(text: str) -> None:
    assert stated(text) == []
