"""The order records are listed in never changes a score (property-based)."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.goldens import GoldenArticle
from harness.scoring import score_run
from schemas import ContactMode

from .builders import DOC_ID, LETTER_QUOTE, TEXT, actor, contact, golden_data, prediction, prediction_data


def imperfect_prediction() -> dict[str, Any]:
    """A prediction with one of each kind of error, so that the figures are not all trivially 1.0."""
    data = prediction_data()
    data["actors"][0].update(name="Berg", aliases=["Anna Berg", "Minister Berg"])
    data["actors"][1]["role"] = "Foreign Minister"
    data["actors"].append(actor("nato", "NATO"))
    data["actors"].append(actor("eva", "Eva Falk", role="Spokesperson"))  # ties with "falk" for the gold Falk
    data["contacts"][0].update(mode=ContactMode.MEETING, topics=["trade", "tariffs"])
    data["contacts"][1]["participants"] = ["berg", "falk", "dahl"]
    data["contacts"].append(contact(["berg", "dahl"], ContactMode.PHONE_CALL, "an invented quote", initiator="dahl"))
    data["contacts"].append(contact(["falk", "nato"], ContactMode.MEETING, "Dahl wrote to Falk"))
    # ties with contacts[2] for the same gold contact: only the canonical order decides which one is paired
    data["contacts"].append(contact(["falk", "dahl"], ContactMode.CORRESPONDENCE, LETTER_QUOTE, topics=["weather"]))
    return data


def shuffled(data: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    """The same article with every list in another order: actors, aliases, contacts, participants, topics."""
    data = {**data, "actors": [dict(item) for item in data["actors"]], "contacts": [dict(c) for c in data["contacts"]]}
    for item in data["actors"]:
        item["aliases"] = rnd.sample(item.get("aliases", []), len(item.get("aliases", [])))
    for item in data["contacts"]:
        item["participants"] = rnd.sample(item["participants"], len(item["participants"]))
        item["topics"] = rnd.sample(item.get("topics", []), len(item.get("topics", [])))
    rnd.shuffle(data["actors"])
    rnd.shuffle(data["contacts"])
    return data


def run_figures(rnd: random.Random | None) -> dict[str, Any]:
    other_gold = golden_data() | {"doc_id": "doc_b"}
    other_prediction = prediction_data() | {"doc_id": "doc_b", "contacts": prediction_data()["contacts"][1:]}
    golds = {DOC_ID: golden_data(), "doc_b": other_gold}
    predictions = {DOC_ID: imperfect_prediction(), "doc_b": other_prediction}
    if rnd is not None:
        golds = {doc_id: shuffled(data, rnd) for doc_id, data in rnd.sample(list(golds.items()), len(golds))}
        predictions = {doc_id: shuffled(data, rnd) for doc_id, data in rnd.sample(list(predictions.items()), 2)}
    run = score_run(
        {doc_id: prediction(data) for doc_id, data in predictions.items()},
        {doc_id: GoldenArticle.model_validate(data) for doc_id, data in golds.items()},
        {DOC_ID: TEXT, "doc_b": TEXT},
    )
    return {"run": run.to_flat_dict(), **{document.doc_id: document.to_flat_dict() for document in run.documents}}


UNSHUFFLED = run_figures(None)


def test_the_imperfect_prediction_exercises_every_verdict() -> None:
    figures = UNSHUFFLED[DOC_ID]
    assert figures["contacts.strict.f1"] < figures["contacts.detection.f1"] < 1.0
    assert figures["actors.all.precision"] < 1.0 and figures["fields.actor.role.accuracy"] < 1.0


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False))
def test_shuffling_any_list_changes_no_figure(rnd: random.Random) -> None:
    assert run_figures(rnd) == UNSHUFFLED
