"""The rendered HTML: one self-contained file that shows every document and labels every judgement."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from markupsafe import escape
from report_runs import FAILURE, MISSED_DOC, write_report_run
from run_folders import GOLDENS, perfect_articles, write_article_folder, write_run
from scoring.builders import DOC_ID, TEXT, golden, prediction

from harness.project.settings import Tolerances
from harness.report import build_report, render_report


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("runs")
    run, perfect = write_report_run(folder / "run"), write_run(folder / "perfect", perfect_articles())
    return render_report(build_report(run, GOLDENS, baseline=perfect, tolerances=Tolerances()))


def document_html(html: str, doc_id: str) -> str:
    start = html.index(f"<h3>{doc_id}</h3>")
    return html[start : html.index("</details>", start)]


def test_nothing_is_loaded_from_outside_the_file(html: str) -> None:
    references = re.findall(r'\b(?:src|href|action|srcset)\s*=\s*"([^"]*)"', html)
    assert all(reference.startswith("#") for reference in references), references
    assert "<link" not in html
    assert "url(" not in html


def test_a_content_security_policy_forbids_every_request(html: str) -> None:
    assert "default-src 'none'" in html


def test_every_document_has_its_collapsed_section(html: str) -> None:
    doc_ids = sorted(path.stem for path in GOLDENS.glob("*.json"))
    assert re.findall(r'<details class="doc" id="d\d+"', html) == [f'<details class="doc" id="d{n}"' for n in range(5)]
    assert all(f"<h3>{doc_id}</h3>" in html for doc_id in doc_ids)


def test_the_missed_contact_is_marked_by_colour_class_and_by_label(html: str) -> None:
    section = document_html(html, MISSED_DOC)
    assert '<section class="pair m-missed"' in section
    assert '<span class="badge m-missed">missed</span> Mike Pompeo + Qamar Javed Bajwa · phone_call' in section


def test_a_wrong_field_is_labelled_wrong(html: str) -> None:
    assert '<span class="badge f-wrong">wrong</span>' in html


def test_a_failed_document_shows_its_reason(html: str) -> None:
    assert str(escape(FAILURE)) in html


def test_evidence_spans_name_the_records_they_support(html: str) -> None:
    marks = re.findall(r'<mark class="ev[^"]*" data-r="([^"]+)" title="([^"]+)"', html)
    assert marks
    assert all(title.startswith("evidence of ") for _, title in marks)
    assert all(
        key in {button for button in re.findall(r'class="rec" data-r="([^"]+)"', html)}
        for keys, _ in marks
        for key in keys.split()
    )


def test_the_gate_outcome_and_the_chart_are_shown(html: str) -> None:
    assert "<strong>Gate failed</strong>" in html
    assert html.count('<polyline class="line') == 5


def test_headings_go_from_one_level_to_the_next(html: str) -> None:
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels))


def test_markup_in_an_article_is_shown_as_text(tmp_path: Path) -> None:
    goldens = tmp_path / "goldens"
    goldens.mkdir()
    (goldens / f"{DOC_ID}.json").write_text(golden().model_dump_json())
    (goldens / f"{DOC_ID}.txt").write_text(TEXT + ' <script>alert("x")</script></details>')
    run = write_article_folder(tmp_path / "run", {DOC_ID: prediction()})
    page = render_report(build_report(run, goldens))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;/details&gt;" in page
