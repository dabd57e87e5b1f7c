"""``postprocess()``: a model's draft becomes a validated Article (evidence, dates, names, countries, merging).

The texts are invented; only the last test of ``TestPostprocess`` reads a golden article, to show the output validates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from paths import GOLDENS

from harness.documents import Document, load_text_file
from harness.postprocess import ground_evidence, postprocess
from schemas import Article, ContactMode
from schemas.draft import ArticleDraft

D = dt.date


TEXT = (
    "OSLO: Foreign Minister Anna Berg telephoned Prime Minister Carl Dahl on Monday. "
    "Dahl said the call with Berg was useful. "
    "Berg met  Eva Falk in Oslo. "
    "Falk criticised Dahl."
)
PUBLISHED = D(2024, 3, 6)  # a Wednesday


ACTORS = [  # "anna" is Berg again under her surname, as small models write it
    {"id": "berg", "name": "Foreign Minister Anna Berg", "kind": "person", "country": "Norwegian"},
    {"id": "dahl", "name": "Carl Dahl", "kind": "person", "role": "Prime Minister"},
    {"id": "anna", "name": "Berg", "kind": "person"},
    {"id": "falk", "name": "Eva Falk", "kind": "person"},
]


def draft(actors: list[dict[str, Any]], contacts: list[dict[str, Any]]) -> ArticleDraft:
    return ArticleDraft.model_validate({"actors": actors, "contacts": contacts})


def document() -> Document:
    return Document(id="doc_a", text=TEXT, published=PUBLISHED, headline=None)


BERG_CALLS_DAHL = {"participants": ["berg", "dahl"], "initiator": "berg", "mode": "phone_call", "evidence": [1]}
"""A draft contact of sentence 1, shared by the tests that merge and validate contacts."""


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

    def test_a_persons_surname_is_an_alias_where_the_text_has_it(self) -> None:
        article = postprocess(draft(ACTORS, []), document())
        assert article.actor("dahl").aliases == ["Dahl"]
        text = "Anna Berg telephoned Carl Dahl."
        alone = postprocess(draft(ACTORS, []), Document(id="doc_b", text=text, published=PUBLISHED, headline=None))
        assert alone.actor("dahl").aliases == ["Dahl"]  # inside the full name, as the guidelines list it

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
        quotes = [[e.quote for e in c.evidence] for c in article.contacts if c.participants != ["berg", "dahl"]]
        assert quotes == [["Berg met  Eva Falk in Oslo."]]  # berg-dahl: the call sentence 1 states

    def test_evidence_is_in_text_order_once_each_and_only_sentences_with_a_contact_word(self) -> None:
        quotes = [e.quote for e in ground_evidence([4, 3, 1, 3], TEXT)]
        assert quotes == [
            "OSLO: Foreign Minister Anna Berg telephoned Prime Minister Carl Dahl on Monday.",
            "Berg met  Eva Falk in Oslo.",
        ]  # sentence 4, "Falk criticised Dahl.", reports no contact

    def test_a_contact_that_becomes_a_self_contact_is_dropped(self) -> None:
        contacts = [{"participants": ["berg", "anna"], "mode": "meeting", "evidence": [3]}]
        article = postprocess(draft(ACTORS, contacts), document())
        assert [c.participants for c in article.contacts] == [["berg", "dahl"], ["berg", "falk"]]  # stated ones only

    def test_repeated_mentions_of_one_contact_merge(self) -> None:
        contacts = [
            BERG_CALLS_DAHL,
            {"participants": ["dahl", "anna"], "initiator": "anna", "mode": "unspecified", "evidence": [2]},
        ]
        merged, stated = postprocess(draft(ACTORS, contacts), document()).contacts
        assert (merged.initiator, merged.mode, len(merged.evidence)) == ("berg", ContactMode.PHONE_CALL, 2)
        assert stated.participants == ["berg", "falk"]  # "Berg met Eva Falk", which the draft left out

    def test_the_output_validates_against_the_text(self) -> None:
        contacts = [
            BERG_CALLS_DAHL,
            {"participants": ["berg", "falk"], "mode": "meeting", "location": "Oslo", "evidence": [3]},
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
            # Persons the draft left out, found by what precedes their names ("Iranian commander Qasem Soleimani",
            # later "Major-General Qassem Soleimani": one person); "Major General Asif Ghafoor".
            ("Qasem Soleimani", None, "IRN"),
            ("Asif Ghafoor", None, None),
        ]
        assert article.contacts[0].date == D(2020, 1, 8)
        assert Article.validate_against(article.model_dump(), golden.text, strict_aliases=True) == article


class TestReadFromEvidence:
    """What post-processing reads from the cited sentences when the model left a field empty."""

    def test_a_missing_initiator_and_date_come_from_the_cited_sentence(self) -> None:
        contacts = [{"participants": ["dahl", "berg"], "mode": "phone_call", "evidence": [1]}]
        call = postprocess(draft(ACTORS, contacts), document()).contacts[0]
        assert (call.initiator, call.date_text, call.date) == ("berg", "on Monday", D(2024, 3, 4))

    def test_the_models_own_date_text_wins(self) -> None:
        contacts = [{"participants": ["dahl", "berg"], "mode": "phone_call", "date_text": "yesterday", "evidence": [1]}]
        call = postprocess(draft(ACTORS, contacts), document()).contacts[0]
        assert (call.date_text, call.date) == ("yesterday", D(2024, 3, 5))
