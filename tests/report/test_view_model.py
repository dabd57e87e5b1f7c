"""The report's view-model: each record shown as the scorer judged it, evidence located, problems counted."""

from __future__ import annotations

from typing import Any

from scoring.builders import (
    CALL_QUOTE,
    MEETING_QUOTE,
    TEXT,
    actor,
    contact,
    golden,
    prediction,
    prediction_data,
)

from harness.report.documents import document_view
from harness.report.model import ContactPair, DocumentView, FieldMark, RecordMark
from harness.report.pairs import record_mark
from harness.report.spans import CitedSpan, locate, segment_text
from harness.run.results import ResultRecord
from harness.scoring import score_document
from schemas import ActorKind, ContactMode, Evidence

GOLD_CALL, GOLD_MEETING, GOLD_LETTER, GOLD_VISIT = range(4)  # the builders' golden contacts, the visit optional


def view(data: dict[str, Any] | None, *, record: ResultRecord | None = None) -> DocumentView:
    """The view of a prediction (as data; None: no prediction) against the builders' golden."""
    predicted = prediction(data) if data is not None else None
    return document_view(0, score_document(predicted, golden(), TEXT), golden(), predicted, TEXT, record=record)


def without_contact(index: int) -> dict[str, Any]:
    data = prediction_data()
    del data["contacts"][index]
    return data


def pair_of_gold(document: DocumentView, index: int) -> ContactPair:
    return next(pair for pair in document.contacts if pair.gold_key == f"d0-g{index}")


class TestRecordMarks:
    def test_a_perfect_prediction_shows_every_required_record_matched(self) -> None:
        document = view(prediction_data())
        marks = set(document.marks)
        assert marks == {RecordMark.MATCHED, RecordMark.OPTIONAL_MATCHED}
        assert document.problems == 0

    def test_a_dropped_contact_is_missed_and_has_no_predicted_side(self) -> None:
        pair = pair_of_gold(view(without_contact(GOLD_CALL)), GOLD_CALL)
        assert pair.mark == RecordMark.MISSED
        assert pair.predicted_key is None
        assert pair.predicted_label == "no prediction"

    def test_an_extra_contact_is_spurious_and_has_no_gold_side(self) -> None:
        data = prediction_data()
        data["contacts"].append(contact(["falk", "council"], ContactMode.MEETING, "Dahl wrote to Falk"))
        document = view(data)
        spurious = [pair for pair in document.contacts if pair.mark == RecordMark.SPURIOUS]
        assert len(spurious) == 1
        assert spurious[0].gold_key is None
        assert spurious[0].predicted_label == "predicted contact #4"

    def test_a_matched_contact_with_a_wrong_mode_is_wrong_and_marks_only_that_field(self) -> None:
        data = prediction_data()
        data["contacts"][GOLD_CALL]["mode"] = ContactMode.MEETING
        pair = pair_of_gold(view(data), GOLD_CALL)
        assert pair.mark == RecordMark.WRONG
        wrong = [row for row in pair.fields if row.mark == FieldMark.WRONG]
        assert [(row.name, row.gold, row.predicted) for row in wrong] == [("mode", "phone_call", "meeting")]

    def test_the_labels_of_missed_spurious_and_wrong_differ(self) -> None:
        labels = {mark.label for mark in (RecordMark.MISSED, RecordMark.SPURIOUS, RecordMark.WRONG)}
        assert len(labels) == 3

    def test_a_contact_sharing_only_some_participants_is_partial(self) -> None:
        data = prediction_data()
        data["contacts"][GOLD_LETTER]["participants"] = ["dahl", "falk", "council"]
        assert pair_of_gold(view(data), GOLD_LETTER).mark == RecordMark.PARTIAL

    def test_an_optional_gold_contact_not_found_is_shown_as_optional_and_is_no_problem(self) -> None:
        document = view(without_contact(GOLD_VISIT))
        assert pair_of_gold(document, GOLD_VISIT).mark == RecordMark.OPTIONAL_MISSED
        assert not RecordMark.OPTIONAL_MISSED.is_error
        assert document.problems == 0

    def test_an_actor_with_a_wrong_country_is_wrong(self) -> None:
        data = prediction_data()
        data["actors"][0] = actor("berg", "Anna Berg", role="Foreign Minister", country="DNK", aliases=["Berg"])
        (pair,) = [pair for pair in view(data).actors if pair.mark == RecordMark.WRONG]
        assert pair.gold == "Anna Berg (berg)"
        assert [row.name for row in pair.fields if row.mark == FieldMark.WRONG] == ["country"]

    def test_a_predicted_actor_with_no_gold_is_spurious(self) -> None:
        data = prediction_data()
        data["actors"].append(actor("oslo", "Oslo", kind=ActorKind.GROUP))
        marks = [pair.mark for pair in view(data).actors if pair.gold is None]
        assert marks == [RecordMark.SPURIOUS]

    def test_record_mark_follows_the_scorers_verdict(self) -> None:
        score = score_document(prediction(without_contact(GOLD_CALL)), golden(), TEXT)
        assert [record_mark(outcome) for outcome in score.contacts][GOLD_CALL] == RecordMark.MISSED


class TestEvidenceSpans:
    def test_the_segments_join_back_to_the_text(self) -> None:
        spans = [CitedSpan(0, 10, "a", "gold"), CitedSpan(5, 20, "b", "predicted")]
        assert "".join(segment.text for segment in segment_text(TEXT, spans)) == TEXT

    def test_overlapping_spans_are_cited_by_both_records(self) -> None:
        segments = segment_text("abcdefghij", [CitedSpan(0, 6, "a", "gold"), CitedSpan(3, 9, "b", "predicted")])
        assert [(s.text, s.records) for s in segments] == [
            ("abc", ("a",)),
            ("def", ("a", "b")),
            ("ghi", ("b",)),
            ("j", ()),
        ]
        assert segments[1].sides == {"gold", "predicted"}

    def test_a_quote_is_located_by_its_offsets_or_else_found_in_the_text(self) -> None:
        start = TEXT.index(MEETING_QUOTE)
        assert locate(Evidence(quote=MEETING_QUOTE), TEXT) == (start, start + len(MEETING_QUOTE))
        wrong_offsets = Evidence(quote=MEETING_QUOTE, start=0, end=len(MEETING_QUOTE))
        assert locate(wrong_offsets, TEXT) == (start, start + len(MEETING_QUOTE))

    def test_a_quote_not_in_the_text_is_not_located(self) -> None:
        assert locate(Evidence(quote="Berg met nobody"), TEXT) is None

    def test_every_gold_and_predicted_contact_cites_its_evidence_in_the_text(self) -> None:
        document = view(prediction_data())
        cited = {key for segment in document.segments for key in segment.records}
        assert cited == {key for pair in document.contacts for key in pair.keys}
        call = next(segment for segment in document.segments if CALL_QUOTE in segment.text)
        assert call.records == ("d0-g0", "d0-p0")

    def test_an_ungrounded_predicted_quote_is_flagged_and_warned_about(self) -> None:
        data = prediction_data()
        data["contacts"][GOLD_CALL]["evidence"] = [{"quote": "Berg phoned Dahl"}]
        document = view(data)
        assert [quote.grounded for quote in pair_of_gold(document, GOLD_CALL).predicted_evidence] == [False]
        assert document.warnings == ["1 predicted evidence quote(s) do not occur in the text"]


class TestDocumentStatus:
    def test_a_failed_document_shows_its_reason_and_counts_as_a_problem(self) -> None:
        record = ResultRecord(doc_id="doc_a", status="failed", error="doc_a.txt: the model timed out", attempts=5)
        document = view(None, record=record)
        assert (document.status, document.error) == ("failed", "doc_a.txt: the model timed out")
        assert document.problems >= 10
        assert "the model was asked 5 times (its earlier answers failed validation)" in document.warnings

    def test_a_golden_document_without_a_result_is_missing(self) -> None:
        document = view(None)
        assert document.status == "missing"
        assert document.count(RecordMark.MISSED) == 3 + 4  # three required contacts, four actors

    def test_problems_count_missed_spurious_and_wrong_records(self) -> None:
        data = without_contact(GOLD_CALL)
        data["contacts"][0]["mode"] = ContactMode.PHONE_CALL  # the meeting, now first, with a wrong mode
        data["contacts"].append(contact(["falk", "council"], ContactMode.MEETING, "Dahl wrote to Falk"))
        document = view(data)
        assert (document.count(RecordMark.MISSED), document.count(RecordMark.SPURIOUS)) == (1, 1)
        assert document.count(RecordMark.WRONG) == 1
        assert document.problems == 3
