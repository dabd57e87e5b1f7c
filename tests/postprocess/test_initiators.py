"""``postprocess.initiators``: who started a contact, read from the cited sentences when the model left it empty."""

from __future__ import annotations

import pytest

from harness.postprocess.initiators import infer_initiator

from .builders import person


class TestInferInitiator:
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
