"""Building a report from run folders: figures, the comparison with a baseline, the chart, warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_runs import FAILED_DOC, FAILURE, MISSED_DOC, SPURIOUS_DOC, WRONG_DOC, write_report_run
from run_folders import GOLDENS, perfect_articles, write_run

from harness.compare import bless
from harness.project.settings import Tolerances
from harness.report import Report, build_report
from harness.report.model import DocumentView, RecordMark


@pytest.fixture
def run(tmp_path: Path) -> Path:
    return write_report_run(tmp_path / "run")


@pytest.fixture
def perfect(tmp_path: Path) -> Path:
    return write_run(tmp_path / "perfect", perfect_articles())


@pytest.fixture
def compared(run: Path, perfect: Path) -> Report:
    return build_report(run, GOLDENS, baseline=perfect, tolerances=Tolerances())


def document(report: Report, doc_id: str) -> DocumentView:
    return next(document for document in report.documents if document.doc_id == doc_id)


class TestWithoutBaseline:
    def test_every_golden_document_is_in_the_report_in_id_order(self, run: Path) -> None:
        report = build_report(run, GOLDENS)
        assert [document.doc_id for document in report.documents] == sorted(p.stem for p in GOLDENS.glob("*.json"))

    def test_each_document_shows_its_kind_of_error(self, run: Path) -> None:
        report = build_report(run, GOLDENS)
        assert document(report, WRONG_DOC).count(RecordMark.WRONG) == 1
        assert document(report, MISSED_DOC).count(RecordMark.MISSED) == 1
        assert document(report, SPURIOUS_DOC).count(RecordMark.SPURIOUS) == 1
        assert (document(report, FAILED_DOC).status, document(report, FAILED_DOC).error) == ("failed", FAILURE)

    def test_the_headline_figures_come_first_without_deltas(self, run: Path) -> None:
        report = build_report(run, GOLDENS)
        assert [row.metric for row in report.headline] == [
            "contacts.detection.f1",
            "contacts.strict.f1",
            "actors.all.f1",
            "actors.persons.f1",
            "evidence.grounding.rate",
        ]
        assert all(row.base is None and row.gate is None for row in report.figures)

    def test_costs_add_up_the_records(self, run: Path) -> None:
        cost = build_report(run, GOLDENS).cost
        assert cost is not None
        assert (cost.documents, cost.ok, cost.failed, cost.attempts) == (5, 4, 1, 7)
        assert cost.wall_seconds == 170

    def test_a_folder_of_articles_has_no_costs_and_no_chart(self) -> None:
        report = build_report(GOLDENS, GOLDENS)
        assert report.cost is None
        assert report.chart is None
        assert report.total(RecordMark.MISSED) == 0

    def test_an_unfinished_run_is_warned_about(self, perfect: Path) -> None:
        assert any("did not finish" in warning for warning in build_report(perfect, GOLDENS).warnings)


class TestWithBaseline:
    def test_a_contact_lost_since_the_baseline_is_listed_as_matched_to_missed_and_worse(self, compared: Report) -> None:
        changes = [(c.field, c.base, c.new, c.effect) for c in document(compared, MISSED_DOC).changes]
        assert (None, "matched", "missed", "worse") in changes

    def test_a_changed_field_is_listed_from_its_old_value_to_its_new(self, compared: Report) -> None:
        changes = [(c.field, c.base, c.new) for c in document(compared, WRONG_DOC).changes]
        assert ("mode", "phone_call (right)", "meeting (wrong)") in changes

    def test_changes_stay_with_their_document(self, compared: Report) -> None:
        assert all(change.doc_id == doc.doc_id for doc in compared.documents for change in doc.changes)
        assert document(compared, "004_09eff2839907cb8f").changes == []

    def test_each_figure_carries_its_baseline_delta_and_gate_outcome(self, compared: Report) -> None:
        detection = compared.headline[0]
        assert detection.base == 1.0
        assert detection.delta == pytest.approx(detection.value - 1.0)
        assert detection.gate == "fail"
        assert detection.interval is not None and detection.delta is not None
        assert detection.interval[0] <= detection.delta <= detection.interval[1]

    def test_the_grounding_rate_has_no_bootstrap_interval(self, compared: Report) -> None:
        assert compared.headline[-1].interval is None

    def test_the_gate_fails_with_its_reasons_and_the_changed_prompt_is_shown(self, compared: Report) -> None:
        baseline = compared.baseline
        assert baseline is not None and not baseline.passed
        assert any(reason.startswith("contacts.detection.f1 fell from 1.000") for reason in baseline.reasons)
        assert [(c.entry, c.base, c.new) for c in baseline.ledger_changes] == [
            ("prompt_ref", "extract@v1", "extract@v2")
        ]

    def test_tolerances_decide_the_gate(self, run: Path, perfect: Path) -> None:
        lenient = Tolerances(tolerance=1.0)
        report = build_report(run, GOLDENS, baseline=perfect, tolerances=lenient)
        assert report.baseline is not None and report.baseline.passed
        assert {row.gate for row in report.figures} == {"pass"}

    def test_a_baseline_file_is_compared_as_blessed(self, tmp_path: Path, run: Path, perfect: Path) -> None:
        blessed = bless(perfect, GOLDENS, name="extract", baselines_dir=tmp_path / "baselines")
        report = build_report(run, GOLDENS, baseline=blessed, tolerances=Tolerances())
        assert report.chart is not None
        assert [tick.label for tick in report.chart.runs] == ["baseline extract", "extract@v2 · tiny-model"]


class TestChart:
    def test_history_runs_are_charted_oldest_first_before_the_baseline_and_the_run(
        self, tmp_path: Path, run: Path, perfect: Path
    ) -> None:
        older = write_run(tmp_path / "older", {})
        report = build_report(run, GOLDENS, baseline=perfect, history=[older], tolerances=Tolerances())
        assert report.chart is not None
        assert [point.run for point in report.chart.series[0].points] == [
            "extract@v1 · tiny-model (older)",
            "extract@v1 · tiny-model (perfect)",
            "extract@v2 · tiny-model",
        ]
        detection = report.chart.series[0]
        assert [point.value for point in detection.points] == [0.0, 1.0, report.headline[0].value]

    def test_a_higher_figure_is_drawn_higher(self, tmp_path: Path, run: Path, perfect: Path) -> None:
        report = build_report(run, GOLDENS, baseline=perfect, tolerances=Tolerances())
        assert report.chart is not None
        base, new = report.chart.series[0].points
        assert base.value > new.value and base.y < new.y
