"""``postprocess.participants``: sources out, people in for their countries, a person's country from the text."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from harness.postprocess.participants import (
    context_country,
    drop_reporters,
    drop_unnamed_people,
    people_for_countries,
)
from schemas import Actor, ActorKind, ContactMode, DiplomaticContact

from .builders import contact, person


def body(actor_id: str, name: str, kind: ActorKind = ActorKind.ORGANIZATION, **fields: Any) -> Actor:
    return Actor(id=actor_id, name=name, kind=kind, **fields)


class TestParticipants:
    """Sources out, people in for their countries: the guidelines' rules, read from the evidence."""

    SENTENCE = "The Foreign Office confirmed that Anna Berg telephoned Carl Dahl."

    def call(self, participants: list[str], sentence: str = SENTENCE, **fields: Any) -> DiplomaticContact:
        return contact(participants, sentence, 0, mode=ContactMode.PHONE_CALL, **fields)

    def test_a_body_that_only_reports_the_contact_becomes_its_source(self) -> None:
        actors = {
            "fo": body("fo", "Foreign Office"),
            "berg": person("berg", "Anna Berg"),
            "dahl": person("dahl", "Carl Dahl"),
        }
        reported = drop_reporters(self.call(["fo", "berg", "dahl"]), actors)
        assert reported is not None
        assert (reported.participants, reported.reported_by) == (["berg", "dahl"], "Foreign Office")

    def test_a_body_the_evidence_never_names_leaves_the_contact(self) -> None:
        actors = {"news": body("news", "Daily Courier"), "berg": person("berg", "Anna Berg")}
        assert drop_reporters(self.call(["news", "berg"]), actors) is None

    def test_a_body_that_takes_part_stays(self) -> None:
        sentence = "Anna Berg met the Fisheries Council in Oslo."
        actors = {"council": body("council", "Fisheries Council"), "berg": person("berg", "Anna Berg")}
        kept = self.call(["berg", "council"], sentence)
        assert drop_reporters(kept, actors) == kept

    def test_a_country_gives_way_to_the_one_person_of_it_the_evidence_names(self) -> None:
        sentence = "Norway's minister Anna Berg telephoned Carl Dahl."
        actors = {
            "nor": body("nor", "Norway", ActorKind.COUNTRY, country="NOR"),
            "berg": person("berg", "Anna Berg"),
            "dahl": person("dahl", "Carl Dahl"),
        }
        countries = {"berg": "NOR", "dahl": "SWE"}
        swapped = people_for_countries(self.call(["nor", "dahl"], sentence, initiator="nor"), actors, countries)
        assert (swapped.participants, swapped.initiator) == (["berg", "dahl"], "berg")

    def test_a_visited_country_stays(self) -> None:
        sentence = "Anna Berg visited Norway, where Carl Dahl met her."
        actors = {"nor": body("nor", "Norway", ActorKind.COUNTRY, country="NOR"), "berg": person("berg", "Anna Berg")}
        visit = contact(["berg", "nor"], sentence, 0, mode=ContactMode.VISIT)
        assert people_for_countries(visit, actors, {"berg": "SWE", "dahl": "NOR"}) == visit

    PEOPLE: ClassVar[dict[str, Actor]] = {
        "berg": person("berg", "Anna Berg"),
        "dahl": person("dahl", "Carl Dahl"),
        "falk": person("falk", "Ola Falk"),
    }

    def test_a_person_the_evidence_never_names_leaves_a_contact_of_three(self) -> None:
        sentence = "Anna Berg paid a courtesy call on Prime Minister Dahl."
        lumped = contact(["berg", "dahl", "falk"], sentence, 0, initiator="falk")
        mended = drop_unnamed_people(lumped, self.PEOPLE)
        assert (mended.participants, mended.initiator) == (["berg", "dahl"], None)

    @pytest.mark.parametrize(
        ("participants", "sentence"),
        [
            (["berg", "dahl"], "He met Carl Dahl in Oslo."),  # a pair: "he" is the other one
            (["berg", "dahl", "falk"], "She met Carl Dahl and Ola Falk in Oslo."),  # a pronoun may be Berg
            (["berg", "dahl", "falk"], "Berg, Dahl and Falk met in Oslo."),  # surnames name them
        ],
    )
    def test_a_contact_whose_evidence_may_name_everyone_is_kept(self, participants: list[str], sentence: str) -> None:
        kept = contact(participants, sentence, 0)
        assert drop_unnamed_people(kept, self.PEOPLE) == kept

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("Yesterday US Secretary of State Anna Berg said so.", "USA"),
            ("He met Norway's Foreign Minister Anna Berg.", "NOR"),
            ("He met the Swedish Ambassador to Norway Anna Berg.", "SWE"),  # posted to Norway, sent by Sweden
            ("Anna Berg said so.", None),
        ],
    )
    def test_context_country(self, text: str, code: str | None) -> None:
        assert context_country(person("berg", "Anna Berg"), text) == code
