"""Score objects: rates from counts, empty denominators, and micro-averaging by addition."""

from __future__ import annotations

from harness.scoring.metrics import PRF, EvidenceGrounding, FieldAccuracy, Tally, TopicOverlap


class TestPRF:
    def test_rates_follow_from_the_counts(self) -> None:
        prf = PRF(tp=3, fp=1, fn=2)
        assert (prf.precision, prf.recall, prf.f1) == (3 / 4, 3 / 5, 6 / 9)

    def test_nothing_to_find_and_nothing_predicted_is_perfect(self) -> None:
        prf = PRF()
        assert (prf.precision, prf.recall, prf.f1) == (1.0, 1.0, 1.0)

    def test_an_empty_prediction_against_gold_scores_zero(self) -> None:
        prf = PRF(fn=3)
        assert (prf.precision, prf.recall, prf.f1) == (0.0, 0.0, 0.0)

    def test_predictions_where_there_is_nothing_to_find_score_zero(self) -> None:
        prf = PRF(fp=2)
        assert (prf.precision, prf.recall, prf.f1) == (0.0, 0.0, 0.0)

    def test_counts_add_up_for_micro_averaging(self) -> None:
        assert PRF(tp=1, fp=2, fn=3) + PRF(tp=4, fp=5, fn=6) == PRF(tp=5, fp=7, fn=9)

    def test_rates_are_serialised(self) -> None:
        assert PRF(tp=1, fn=1).model_dump() == {"tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5, "f1": 2 / 3}


class TestFieldAccuracy:
    def test_is_correct_over_total(self) -> None:
        assert FieldAccuracy(correct=2, total=3).accuracy == 2 / 3

    def test_over_no_pairs_is_one(self) -> None:
        assert FieldAccuracy().accuracy == 1.0


class TestTopicOverlapAndGrounding:
    def test_topic_overlap_is_the_mean_over_pairs(self) -> None:
        assert (TopicOverlap(f1_sum=1.5, pairs=2) + TopicOverlap(f1_sum=0.0, pairs=1)).mean == 0.5

    def test_grounding_is_grounded_over_quotes(self) -> None:
        assert (EvidenceGrounding(grounded=3, quotes=4) + EvidenceGrounding(grounded=0, quotes=0)).rate == 3 / 4


class TestTally:
    def test_an_empty_tally_has_every_figure_at_one(self) -> None:
        rates = {key: value for key, value in Tally().to_flat_dict().items() if isinstance(value, float)}
        assert rates and set(rates.values()) == {1.0}

    def test_flat_keys_name_record_level_and_figure(self) -> None:
        keys = Tally().to_flat_dict().keys()
        expected = {
            "actors.all.f1",
            "actors.persons.precision",
            "contacts.detection.recall",
            "contacts.strict.f1",
            "fields.actor.role.accuracy",
            "fields.contact.mode.accuracy",
            "fields.contact.location.total",
            "topics.f1",
            "evidence.grounding.rate",
        }
        assert expected <= keys

    def test_tallies_add_field_by_field(self) -> None:
        one = Tally(detection=PRF(tp=1), contact_fields=Tally().contact_fields | {"mode": FieldAccuracy(total=1)})
        total = one + one
        assert total.detection == PRF(tp=2)
        assert total.contact_fields["mode"] == FieldAccuracy(total=2)
