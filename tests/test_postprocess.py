"""Post-processing: dates, evidence from cited sentences, countries, titles, and the merge of duplicate records.

The texts are invented; only the last test reads a golden article, to show the output validates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from paths import GOLDENS

from harness.documents import Document, load_text_file
from harness.postprocess import (
    find_date_text,
    fold_titles,
    ground_evidence,
    infer_initiator,
    merge_duplicate_actors,
    merge_duplicate_contacts,
    normalize_country,
    postprocess,
    resolve_relative_date,
    strip_title,
)
from harness.postprocess.names import after_last_rank, split_title
from harness.postprocess.participants import context_country, drop_reporters, people_for_countries
from schemas import Actor, ActorKind, Article, ContactMode, DiplomaticContact, Evidence
from schemas.draft import ArticleDraft

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


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Pakistan", "PAK"),
        ("pakistan", "PAK"),
        ("Pakistani", "PAK"),
        ("PK", "PAK"),
        ("PAK", "PAK"),
        ("US", "USA"),
        ("U.S.", "USA"),
        ("USA", "USA"),
        ("the United States", "USA"),
        ("American", "USA"),
        ("British", "GBR"),
        ("UK", "GBR"),
        ("Korean", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Iranian", "IRN"),
        ("Iran", "IRN"),
        ("Chinese", "CHN"),
        ("German", "DEU"),
        ("Saudi", "SAU"),
        ("Saudi Arabia", "SAU"),
        ("Nigerian", "NGA"),  # not Niger
        ("Russia", "RUS"),
        ("Turkey", "TUR"),
        ("Dutch", "NLD"),
        ("Washington", None),  # a US state's name, not a country
        ("European", None),
        ("Kosovo", None),  # no ISO 3166-1 code
        ("Atlantis", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_country(value: str | None, code: str | None) -> None:
    assert normalize_country(value) == code


class TestTitles:
    @pytest.mark.parametrize(
        ("name", "bare"),
        [
            ("General Anna Berg", "Anna Berg"),
            ("Gen. Berg", "Berg"),
            ("Mr Carl Dahl", "Carl Dahl"),
            ("Dr. Eva Falk", "Eva Falk"),
            ("President Eva Falk", "Eva Falk"),
            ("Prime Minister Carl Dahl", "Carl Dahl"),
            ("Foreign Minister Anna Berg", "Anna Berg"),
            ("Ambassador Eva Falk", "Eva Falk"),
            ("US Secretary of State Ola Nord", "Ola Nord"),
            ("Lt. Gen. Ola Nord", "Ola Nord"),
            ("Anna Berg", "Anna Berg"),
            ("Ambassador", "Ambassador"),  # only a title: kept
            ("Chief of Staff Ola Nord", "Chief of Staff Ola Nord"),  # "Chief" is followed by "of": not stripped
        ],
    )
    def test_strip_title(self, name: str, bare: str) -> None:
        assert strip_title(name) == bare

    def test_office_and_nationality_are_kept_apart_from_ranks(self) -> None:
        split = split_title("Norwegian Foreign Minister Anna Berg")
        assert (split.name, split.office, split.country) == ("Anna Berg", "Foreign Minister", "NOR")

    def test_a_rank_is_not_an_office(self) -> None:
        assert split_title("Major General Ola Nord").office is None

    def test_a_posting_belongs_to_the_office(self) -> None:
        split = split_title("Swedish Ambassador to Norway Eva Falk")
        assert (split.name, split.office, split.country) == ("Eva Falk", "Ambassador to Norway", "SWE")


def person(actor_id: str, name: str, **fields: Any) -> Actor:
    return Actor(id=actor_id, name=name, kind=ActorKind.PERSON, **fields)


def contact(participants: list[str], quote: str, start: int, **fields: Any) -> DiplomaticContact:
    evidence = [Evidence(quote=quote, start=start, end=start + len(quote))]
    return DiplomaticContact(
        participants=participants, mode=fields.pop("mode", ContactMode.MEETING), evidence=evidence, **fields
    )


class TestActorMerge:
    def test_surname_joins_the_full_name(self) -> None:
        actors, id_map = merge_duplicate_actors(
            [person("berg", "Berg"), person("anna_berg", "Anna Berg", role="Minister")]
        )
        assert [(a.id, a.name, a.role, a.aliases) for a in actors] == [("berg", "Anna Berg", "Minister", ["Berg"])]
        assert id_map == {"berg": "berg", "anna_berg": "berg"}

    def test_same_name_after_normalisation_is_one_actor(self) -> None:
        actors, _ = merge_duplicate_actors([person("a", "Anna Berg"), person("b", "anna  BERG")])
        assert len(actors) == 1

    def test_a_surname_shared_by_two_people_stays_apart(self) -> None:
        actors, _ = merge_duplicate_actors([person("a", "Anna Berg"), person("b", "Ola Berg"), person("c", "Berg")])
        assert [a.name for a in actors] == ["Anna Berg", "Ola Berg", "Berg"]

    def test_kinds_must_be_compatible(self) -> None:
        actors, _ = merge_duplicate_actors(
            [person("a", "Jordan"), Actor(id="b", name="Jordan", kind=ActorKind.COUNTRY)]
        )
        assert len(actors) == 2

    def test_countries_with_one_iso_code_are_one_actor(self) -> None:
        actors, id_map = merge_duplicate_actors(
            [
                Actor(id="us", name="US", kind=ActorKind.COUNTRY),
                Actor(id="usa", name="United States", kind=ActorKind.COUNTRY),
            ]
        )
        assert [(a.name, a.aliases) for a in actors] == [("United States", ["US"])]
        assert id_map["usa"] == "us"

    def test_a_name_that_is_anothers_alias_joins_it(self) -> None:
        council = Actor(id="nc", name="Nordic Council", kind=ActorKind.ORGANIZATION, aliases=["NC"])
        actors, _ = merge_duplicate_actors([council, Actor(id="nc2", name="NC", kind=ActorKind.GROUP)])
        assert [a.id for a in actors] == ["nc"]

    def test_a_repeated_id_keeps_the_first_actor(self) -> None:
        actors, _ = merge_duplicate_actors([person("berg", "Anna Berg"), person("berg", "Eva Falk")])
        assert [a.name for a in actors] == ["Anna Berg"]


class TestContactMerge:
    def test_same_participants_and_initiator_become_one_record(self) -> None:
        first = contact(["a", "b"], "one", 0, initiator="a", mode=ContactMode.UNSPECIFIED, topics=["trade"])
        second = contact(["b", "a"], "two", 10, initiator="a", mode=ContactMode.PHONE_CALL, topics=["Trade", "fish"])
        third = contact(["a", "b"], "three", 20, initiator="a", date_text="on Monday", date=D(2024, 3, 4))
        [merged] = merge_duplicate_contacts([first, second, third])
        assert merged.participants == ["a", "b"]
        assert merged.mode == ContactMode.PHONE_CALL  # a specific mode wins over unspecified
        assert [e.quote for e in merged.evidence] == ["one", "two", "three"]
        assert merged.topics == ["trade", "fish"]
        assert (merged.date_text, merged.date) == ("on Monday", D(2024, 3, 4))

    def test_a_different_initiator_is_a_different_contact(self) -> None:
        merged = merge_duplicate_contacts([contact(["a", "b"], "x", 0, initiator="a"), contact(["a", "b"], "y", 5)])
        assert len(merged) == 2

    def test_evidence_is_capped_at_the_schema_limit(self) -> None:
        many = [contact(["a", "b"], f"q{n}", n * 3) for n in range(6)]
        [merged] = merge_duplicate_contacts(many)
        assert len(merged.evidence) == 4


TEXT = (
    "OSLO: Foreign Minister Anna Berg telephoned Prime Minister Carl Dahl on Monday. "
    "Dahl said the call with Berg was useful. "
    "Berg met  Eva Falk in Oslo. "
    "Falk criticised Dahl."
)
PUBLISHED = D(2024, 3, 6)  # a Wednesday


ACTORS = [  # "anna" is Berg again under her surname, as small models write it
    {"id": "berg", "name": "Foreign Minister Anna Berg", "kind": "person", "country": "Norwegian"},
    {"id": "dahl", "name": "Carl Dahl", "kind": "person", "role": "Prime Minister", "aliases": ["Dahl", "CD"]},
    {"id": "anna", "name": "Berg", "kind": "person"},
    {"id": "falk", "name": "Eva Falk", "kind": "person"},
]


def draft(actors: list[dict[str, Any]], contacts: list[dict[str, Any]]) -> ArticleDraft:
    return ArticleDraft.model_validate({"actors": actors, "contacts": contacts})


def document() -> Document:
    return Document(id="doc_a", text=TEXT, published=PUBLISHED, headline=None)


class TestPostprocess:
    def test_the_document_gives_id_and_publication_date(self) -> None:
        article = postprocess(draft(ACTORS, []), document())
        assert (article.doc_id, article.published) == ("doc_a", PUBLISHED)

    def test_names_lose_titles_which_become_the_empty_role(self) -> None:
        article = postprocess(draft(ACTORS, []), document())
        assert (article.actor("berg").name, article.actor("berg").role) == ("Anna Berg", "Foreign Minister")

    def test_a_rank_given_as_role_is_dropped(self) -> None:
        ranked = [{"id": "falk", "name": "Eva Falk", "kind": "person", "role": "Major General"}]
        assert postprocess(draft(ranked, []), document()).actor("falk").role is None

    def test_countries_become_iso_codes(self) -> None:
        assert postprocess(draft(ACTORS, []), document()).actor("berg").country == "NOR"

    def test_aliases_absent_from_the_text_are_dropped(self) -> None:
        assert postprocess(draft(ACTORS, []), document()).actor("dahl").aliases == ["Dahl"]

    def test_duplicate_actors_merge_and_contacts_follow(self) -> None:
        contacts = [{"participants": ["anna", "dahl"], "mode": "phone_call", "evidence": [2]}]
        article = postprocess(draft(ACTORS, contacts), document())
        assert [a.id for a in article.actors] == ["berg", "dahl", "falk"]
        assert article.contacts[0].participants == ["berg", "dahl"]

    def test_dates_are_resolved_against_publication(self) -> None:
        contacts = [{"participants": ["berg", "dahl"], "mode": "phone_call", "date_text": "on Monday", "evidence": [1]}]
        assert postprocess(draft(ACTORS, contacts), document()).contacts[0].date == D(2024, 3, 4)

    def test_evidence_is_the_cited_sentence_with_its_offsets(self) -> None:
        contacts = [{"participants": ["berg", "falk"], "mode": "meeting", "evidence": [3]}]
        [evidence] = postprocess(draft(ACTORS, contacts), document()).contacts[0].evidence
        assert evidence.quote == "Berg met  Eva Falk in Oslo."
        assert TEXT[evidence.start : evidence.end] == evidence.quote

    def test_citations_of_no_sentence_are_dropped_and_a_contact_without_evidence_with_them(self) -> None:
        contacts = [
            {"participants": ["berg", "falk"], "mode": "meeting", "evidence": [3, 9]},
            {"participants": ["falk", "dahl"], "mode": "meeting", "evidence": [17]},
        ]
        article = postprocess(draft(ACTORS, contacts), document())
        assert [[e.quote for e in c.evidence] for c in article.contacts] == [["Berg met  Eva Falk in Oslo."]]

    def test_evidence_is_in_text_order_once_each_and_only_sentences_with_a_contact_word(self) -> None:
        quotes = [e.quote for e in ground_evidence([4, 3, 1, 3], TEXT)]
        assert quotes == [
            "OSLO: Foreign Minister Anna Berg telephoned Prime Minister Carl Dahl on Monday.",
            "Berg met  Eva Falk in Oslo.",
        ]  # sentence 4, "Falk criticised Dahl.", reports no contact

    def test_a_contact_that_becomes_a_self_contact_is_dropped(self) -> None:
        contacts = [{"participants": ["berg", "anna"], "mode": "meeting", "evidence": [3]}]
        assert postprocess(draft(ACTORS, contacts), document()).contacts == []

    def test_repeated_mentions_of_one_contact_merge(self) -> None:
        contacts = [
            {
                "participants": ["berg", "dahl"],
                "initiator": "berg",
                "mode": "phone_call",
                "evidence": [1],
            },
            {
                "participants": ["dahl", "anna"],
                "initiator": "anna",
                "mode": "unspecified",
                "evidence": [2],
            },
        ]
        [merged] = postprocess(draft(ACTORS, contacts), document()).contacts
        assert (merged.initiator, merged.mode, len(merged.evidence)) == ("berg", ContactMode.PHONE_CALL, 2)

    def test_the_output_validates_against_the_text(self) -> None:
        contacts = [
            {
                "participants": ["berg", "dahl"],
                "initiator": "berg",
                "mode": "phone_call",
                "evidence": [1],
            },
            {
                "participants": ["berg", "falk"],
                "mode": "meeting",
                "location": "Oslo",
                "evidence": [3],
            },
        ]
        article = postprocess(draft(ACTORS, contacts), document())
        assert Article.validate_against(article.model_dump(), TEXT, strict_aliases=True) == article

    def test_a_golden_article_with_a_title_laden_draft_validates(self) -> None:
        golden = load_text_file(GOLDENS / "000_16f2693d727d1e4c.txt")
        answer = draft(
            [
                {"id": "esper", "name": "United States Secretary of Defence Mark T Esper", "kind": "person"},
                {"id": "bajwa", "name": "General Qamar Javed Bajwa", "kind": "person", "country": "Pakistan"},
                {"id": "coas", "name": "Gen. Bajwa", "kind": "person"},
            ],
            [
                {
                    "participants": ["esper", "coas"],
                    "initiator": "esper",
                    "mode": "phone_call",
                    "date_text": "on Wednesday",
                    "evidence": [1, 2],
                }
            ],
        )
        article = postprocess(answer, golden)
        assert [(a.name, a.role, a.country) for a in article.actors] == [
            ("Mark T Esper", "Secretary of Defence", "USA"),
            ("Qamar Javed Bajwa", None, "PAK"),
        ]
        assert article.contacts[0].date == D(2020, 1, 8)
        assert Article.validate_against(article.model_dump(), golden.text, strict_aliases=True) == article


class TestReadFromEvidence:
    """What post-processing reads from the cited sentences when the model left a field empty."""

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

    @pytest.mark.parametrize(
        ("sentence", "initiator"),
        [
            ("Anna Berg telephoned Carl Dahl on Monday.", "berg"),
            ("Dahl received a telephone call from Berg.", "berg"),
            ("Dahl met an envoy, Berg, who called on him at his office.", "berg"),
            ("Berg is on a two-day visit to Norway, where she saw Dahl.", "berg"),
            ("Berg met Dahl in Oslo.", None),  # "met" says nothing about who asked
            ("Berg called for restraint after seeing Dahl.", None),
        ],
    )
    def test_infer_initiator(self, sentence: str, initiator: str | None) -> None:
        actors = [person("berg", "Anna Berg", aliases=["Berg"]), person("dahl", "Carl Dahl")]
        assert infer_initiator(actors, [sentence]) == initiator

    def test_a_missing_initiator_and_date_come_from_the_cited_sentence(self) -> None:
        contacts = [{"participants": ["dahl", "berg"], "mode": "phone_call", "evidence": [1]}]
        [call] = postprocess(draft(ACTORS, contacts), document()).contacts
        assert (call.initiator, call.date_text, call.date) == ("berg", "on Monday", D(2024, 3, 4))

    def test_the_models_own_date_text_wins(self) -> None:
        contacts = [{"participants": ["dahl", "berg"], "mode": "phone_call", "date_text": "yesterday", "evidence": [1]}]
        [call] = postprocess(draft(ACTORS, contacts), document()).contacts
        assert (call.date_text, call.date) == ("yesterday", D(2024, 3, 5))


class TestTitlesAsActors:
    def test_a_rank_inside_a_misspelt_office_still_ends_the_title(self) -> None:
        assert after_last_rank("Army Chif Gen. Nord") == "Nord"
        assert after_last_rank("Ola Nord") == "Ola Nord"

    def test_a_person_that_is_only_the_title_before_a_name_folds_into_that_person(self) -> None:
        text = "Chief of Fleet Staff (CFS) Admiral Ola Nord met Eva Falk."
        actors = [person("cfs", "Chief of Fleet Staff (CFS)"), person("nord", "Ola Nord"), person("falk", "Eva Falk")]
        assert fold_titles(actors, text) == {"cfs": "nord"}

    def test_two_people_side_by_side_do_not_fold(self) -> None:
        text = "The ministers Ola Nord and Eva Falk met."
        assert fold_titles([person("nord", "Ola Nord"), person("falk", "Eva Falk")], text) == {}


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
