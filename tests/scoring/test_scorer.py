"""Scoring a prediction against its golden: the behaviours every figure is pinned to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from harness.scoring import RunScore, Verdict, score_document, score_run
from schemas import ActorKind, ContactMode

from .builders import DOC_ID, TEXT, actor, contact, golden, golden_data, prediction, prediction_data

REQUIRED = 3  # required contacts of the builders' golden
GOLD_CALL = 0  # contacts[0]: Berg's phone call to Dahl


def flat(predicted: dict[str, Any] | None, gold: dict[str, Any] | None = None) -> dict[str, float]:
    """The flat figures of one prediction (as data; None: no prediction) against the golden."""
    article = prediction(predicted) if predicted is not None else None
    return score_document(article, golden(gold), TEXT).to_flat_dict()


def rates(figures: dict[str, float]) -> dict[str, float]:
    return {key: value for key, value in figures.items() if isinstance(value, float)}


def without_contact(index: int) -> dict[str, Any]:
    data = prediction_data()
    del data["contacts"][index]
    return data


class TestPerfectAndEmpty:
    def test_the_golden_against_itself_scores_one_everywhere(self) -> None:
        assert set(rates(flat(prediction_data())).values()) == {1.0}

    def test_an_empty_prediction_has_recall_zero(self) -> None:
        figures = flat(None)
        for key in (
            "actors.all.recall",
            "actors.persons.recall",
            "contacts.detection.recall",
            "contacts.strict.recall",
        ):
            assert figures[key] == 0.0

    def test_a_prediction_with_no_records_scores_like_none(self) -> None:
        empty = {"doc_id": DOC_ID, "actors": [], "contacts": []}
        assert flat(empty) == flat(None)


class TestContactCounts:
    def test_dropping_one_required_contact_gives_recall_n_minus_one_over_n(self) -> None:
        figures = flat(without_contact(GOLD_CALL))
        assert figures["contacts.detection.recall"] == (REQUIRED - 1) / REQUIRED
        assert figures["contacts.detection.precision"] == 1.0

    def test_one_spurious_contact_gives_precision_n_over_n_plus_one(self) -> None:
        data = prediction_data()
        data["contacts"].append(contact(["falk", "council"], ContactMode.MEETING, "Dahl wrote to Falk"))
        figures = flat(data)
        assert figures["contacts.detection.precision"] == REQUIRED / (REQUIRED + 1)
        assert figures["contacts.detection.recall"] == 1.0

    def test_optional_contacts_neither_help_nor_hurt(self) -> None:
        optional = next(i for i, item in enumerate(golden_data()["contacts"]) if item.get("optional"))
        assert rates(flat(without_contact(optional))) == rates(flat(prediction_data()))

    def test_an_optional_contact_counts_for_nothing_in_the_counts(self) -> None:
        with_it, without_it = flat(prediction_data()), flat(without_contact(3))
        for level in ("detection", "strict"):
            for count in ("tp", "fp", "fn"):
                key = f"contacts.{level}.{count}"
                assert with_it[key] == without_it[key]

    def test_partial_participant_overlap_is_not_a_detection_match(self) -> None:
        data = prediction_data()
        data["contacts"][GOLD_CALL]["participants"] = ["berg", "dahl", "falk"]
        document = score_document(prediction(data), golden(), TEXT)
        assert document.contacts[GOLD_CALL].verdict == Verdict.PARTIAL
        assert (document.tally.detection.tp, document.tally.detection.fp, document.tally.detection.fn) == (2, 1, 1)

    def test_strict_and_detection_differ_when_only_the_mode_differs(self) -> None:
        data = prediction_data()
        data["contacts"][GOLD_CALL]["mode"] = ContactMode.VIDEO_CALL
        figures = flat(data)
        assert figures["contacts.detection.f1"] == 1.0
        assert (figures["contacts.strict.tp"], figures["contacts.strict.fp"], figures["contacts.strict.fn"]) == (
            2,
            1,
            1,
        )
        assert figures["fields.contact.mode.accuracy"] == 2 / 3

    def test_a_wrong_date_fails_strict_too(self) -> None:
        data = prediction_data()
        data["contacts"][GOLD_CALL]["date"] = dt.date(2024, 3, 5)
        assert flat(data)["contacts.strict.recall"] == 2 / 3


class TestActors:
    def test_renaming_an_actor_to_one_of_its_aliases_changes_nothing(self) -> None:
        data = prediction_data()
        data["actors"][0]["name"] = "Berg"
        assert flat(data) == flat(prediction_data())

    def test_predicted_actor_ids_need_not_be_the_golden_ones(self) -> None:
        data = prediction_data()
        data["actors"][0]["id"] = "anna"
        for item in data["contacts"]:
            item["participants"] = ["anna" if p == "berg" else p for p in item["participants"]]
            if item.get("initiator") == "berg":
                item["initiator"] = "anna"
        assert flat(data) == flat(prediction_data())

    def test_persons_only_leaves_out_other_kinds(self) -> None:
        data = prediction_data()
        data["actors"].append(actor("nato", "NATO", kind=ActorKind.ORGANIZATION))
        figures = flat(data)
        assert figures["actors.all.fp"] == 1
        assert figures["actors.persons.fp"] == 0

    def test_a_person_predicted_as_another_kind_is_a_persons_miss(self) -> None:
        data = prediction_data()
        data["actors"][2]["kind"] = ActorKind.GROUP
        figures = flat(data)
        assert figures["actors.all.f1"] == 1.0
        assert (figures["actors.persons.tp"], figures["actors.persons.fn"]) == (2, 1)
        assert figures["fields.actor.kind.accuracy"] == 3 / 4

    def test_a_role_in_other_words_is_right_and_another_role_wrong(self) -> None:
        data = prediction_data()
        data["actors"][0]["role"] = "the foreign minister"
        data["actors"][1]["role"] = "Foreign Minister"
        document = score_document(prediction(data), golden(), TEXT)
        assert [outcome.field("role").correct for outcome in document.actors] == [True, False, True, True]


class TestContactFields:
    def test_the_initiator_is_judged_through_the_actor_alignment(self) -> None:
        data = prediction_data()
        data["contacts"][GOLD_CALL]["initiator"] = "dahl"
        outcome = score_document(prediction(data), golden(), TEXT).contacts[GOLD_CALL].field("initiator")
        assert (outcome.gold, outcome.predicted, outcome.correct) == ("berg", "dahl", False)

    def test_a_location_named_more_fully_is_right(self) -> None:
        data = prediction_data()
        data["contacts"][1]["location"] = "Oslo, Norway"
        assert flat(data)["fields.contact.location.accuracy"] == 1.0

    def test_topic_overlap_is_the_mean_topic_f1_of_matched_pairs(self) -> None:
        data = prediction_data()
        data["contacts"][GOLD_CALL]["topics"] = ["trade"]  # {trade} against {trade, talks}: 2/3
        assert flat(data)["topics.f1"] == (2 / 3 + 1 + 1) / 3


class TestEvidenceGrounding:
    def test_a_quote_not_in_the_text_lowers_the_grounding_rate(self) -> None:
        data = prediction_data()
        data["contacts"][GOLD_CALL]["evidence"].append({"quote": "Berg phoned Dahl"})
        figures = flat(data)
        assert (figures["evidence.grounding.grounded"], figures["evidence.grounding.quotes"]) == (4, 5)

    def test_spurious_contacts_quotes_count_too(self) -> None:
        data = prediction_data()
        data["contacts"].append(contact(["falk", "council"], ContactMode.MEETING, "an invented quote"))
        assert flat(data)["evidence.grounding.rate"] == 4 / 5


class TestRun:
    def test_a_golden_document_without_prediction_scores_as_empty(self) -> None:
        run = score_run({}, {DOC_ID: golden()}, {DOC_ID: TEXT})
        assert run.document(DOC_ID).predicted is False
        assert run.to_flat_dict()["contacts.detection.recall"] == 0.0
        assert run.to_flat_dict()["documents.unpredicted"] == 1

    def test_predictions_without_a_golden_are_listed_and_ignored(self) -> None:
        run = score_run({DOC_ID: prediction(), "stray": None}, {DOC_ID: golden()}, {DOC_ID: TEXT})
        assert run.ignored_predictions == ["stray"]
        assert [document.doc_id for document in run.documents] == [DOC_ID]
        assert run.to_flat_dict()["contacts.detection.f1"] == 1.0

    def test_figures_are_micro_averaged_over_documents(self) -> None:
        other = golden_data() | {"doc_id": "doc_b"}
        predictions = {DOC_ID: prediction(), "doc_b": prediction(without_contact(GOLD_CALL) | {"doc_id": "doc_b"})}
        run = score_run(predictions, {DOC_ID: golden(), "doc_b": golden(other)}, {DOC_ID: TEXT, "doc_b": TEXT})
        assert run.to_flat_dict()["contacts.detection.recall"] == (2 * REQUIRED - 1) / (2 * REQUIRED)

    def test_the_score_round_trips_through_json(self) -> None:
        data = prediction_data()
        data["contacts"][GOLD_CALL]["mode"] = ContactMode.MEETING
        run = score_run({DOC_ID: prediction(data)}, {DOC_ID: golden()}, {DOC_ID: TEXT})
        report = run.to_json()
        assert RunScore.model_validate(report["score"]) == run
        assert report["summary"] == run.to_flat_dict()
        assert report["documents"][DOC_ID]["contacts.strict.tp"] == 2

    def test_outcomes_give_gold_and_predicted_values_of_each_field(self) -> None:
        data = prediction_data()
        data["contacts"][GOLD_CALL]["mode"] = ContactMode.MEETING
        outcome = score_document(prediction(data), golden(), TEXT).contacts[GOLD_CALL]
        assert (outcome.verdict, outcome.gold_index, outcome.predicted_index) == (Verdict.MATCHED, 0, 0)
        mode = outcome.field("mode")
        assert (mode.gold, mode.predicted, mode.correct) == ("phone_call", "meeting", False)
