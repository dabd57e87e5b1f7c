"""The HTML report in a real browser: headless Chromium (the system's, driven by Playwright) opens the file.

Skipped, with the reason printed in pytest's summary (``-ra``), when Playwright or Chromium is missing
or Chromium cannot start; ``.ci/run`` installs both. Playwright never downloads a browser here: it is
pointed at the system Chromium (``$HARNESS_CHROMIUM``, else ``chromium`` on the PATH).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from report_runs import FAILED_DOC, MISSED_DOC, write_report_run
from run_folders import GOLDENS, perfect_articles, write_run

from harness.project.settings import Tolerances
from harness.report import build_report, write_report

SCREENSHOT_ENV = "HARNESS_REPORT_SCREENSHOT"
"""Where the screenshot goes: a temporary file, unless this names one (``docs/report.png`` to refresh the README's)."""
CHROMIUM_ENV = "HARNESS_CHROMIUM"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # CI containers run as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LARGE_RUN = 1000  # documents: the size the report promises to open in under OPEN_SECONDS
OPEN_SECONDS = 2.0


def chromium_path() -> str | None:
    return os.environ.get(CHROMIUM_ENV) or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A fresh headless Chromium profile; skips, saying why, when none can be started."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("no browser test: Playwright is not installed (pip install -e '.[dev]')")
    executable = chromium_path()
    if executable is None:
        pytest.skip(f"no browser test: no Chromium found (apt-get install chromium, or set ${CHROMIUM_ENV})")
    with sync_playwright() as playwright:
        try:
            context = playwright.chromium.launch_persistent_context(
                tmp_path_factory.mktemp("chromium-profile"),
                executable_path=executable,
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport={"width": 1400, "height": 1000},
            )
        except Error as error:
            pytest.skip(f"no browser test: {executable} did not start: {str(error).splitlines()[0]}")
        yield context
        context.close()


@dataclass
class Opened:
    """The report's page, every URL it requested, and every script error or console error (a request the page's
    Content-Security-Policy refused, for one) it raised."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def opened(browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Opened]:
    """The report of ``report_runs`` against a perfect baseline, open in a new page; paths as a user gives them."""
    monkeypatch.chdir(tmp_path)
    Path("goldens").symlink_to(GOLDENS)
    run, perfect = write_report_run(Path("runs/extract-v2")), write_run(Path("runs/extract-v1"), perfect_articles())
    built = build_report(run, Path("goldens"), baseline=perfect, tolerances=Tolerances())
    report = write_report(tmp_path / "report.html", built)
    opened = Opened(browser.new_page())
    opened.page.on("request", lambda request: opened.requests.append(request.url))
    opened.page.on("pageerror", lambda error: opened.errors.append(str(error)))

    def on_console(message: Any) -> None:
        if message.type == "error":
            opened.errors.append(message.text)

    opened.page.on("console", on_console)
    opened.page.goto(report.as_uri())
    yield opened
    opened.page.close()


@pytest.fixture
def page(opened: Opened) -> Any:
    return opened.page


def document(page: Any, doc_id: str) -> Any:
    return page.locator("details.doc", has=page.locator("h3", has_text=doc_id))


def test_every_document_is_there_collapsed(opened: Opened) -> None:
    headings = opened.page.locator("details.doc > summary h3").all_inner_texts()
    assert headings == sorted(path.stem for path in GOLDENS.glob("*.json"))
    assert opened.page.locator("details.doc[open]").count() == 0
    assert opened.errors == []


def test_the_missed_contact_is_marked_with_its_label(page: Any) -> None:
    doc = document(page, MISSED_DOC)
    assert doc.locator("summary .badge.m-missed").inner_text() == "1 missed"
    doc.locator("summary").click()
    missed = doc.locator(".pair.m-missed")
    assert missed.count() == 1
    assert missed.locator(".badge").first.is_visible()
    assert missed.locator(".badge").first.inner_text() == "missed"


def test_clicking_a_record_highlights_its_evidence_and_clicking_again_clears_it(page: Any) -> None:
    doc = document(page, MISSED_DOC)
    doc.locator("summary").click()
    button = doc.locator(".pair.m-missed button.rec")
    button.click()
    key = button.get_attribute("data-r")
    highlighted = doc.locator("mark.ev.on")
    assert highlighted.count() == 3
    assert all(key in (mark.get_attribute("data-r") or "").split() for mark in highlighted.all())
    assert "Mike Pompeo on Friday telephoned" in highlighted.first.inner_text()
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    assert doc.locator("mark.ev.on").count() == 0


def test_a_record_is_reachable_and_selected_from_the_keyboard(page: Any) -> None:
    doc = document(page, MISSED_DOC)
    doc.locator("summary").focus()
    page.keyboard.press("Enter")
    button = doc.locator("button.rec").first
    button.focus()
    page.keyboard.press("Enter")
    assert doc.locator("mark.ev.on").count() > 0


def test_resting_on_a_highlight_shows_the_records_citing_it(page: Any) -> None:
    doc = document(page, MISSED_DOC)
    doc.locator("summary").click()
    mark = doc.locator("mark.ev").first
    assert mark.get_attribute("title").startswith("evidence of gold contact #0")
    mark.hover()
    assert doc.locator(".pair.cites").count() >= 1


def test_the_filter_puts_documents_with_problems_first_and_can_hide_the_rest(page: Any) -> None:
    page.select_option("#order", "problems")
    assert page.locator("details.doc > summary h3").first.inner_text() == FAILED_DOC
    page.check("#only-problems")
    assert page.locator("details.doc:not([hidden])").count() == 4
    assert page.locator("#shown").inner_text() == "showing 4 of 5 document(s)"


def test_no_request_leaves_the_page(opened: Opened) -> None:
    page = opened.page
    page.click("#expand-all")
    page.locator("mark.ev").first.hover()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith("file://")
    assert opened.requests == [page.url]
    assert opened.errors == []


def test_a_screenshot_for_the_readme(page: Any, tmp_path: Path) -> None:
    """The README's ``docs/report.png``: the summary, then a document with a missed contact and its evidence selected.

    A test run writes no file of the repository: ``HARNESS_REPORT_SCREENSHOT=docs/report.png`` refreshes it.
    """
    screenshot = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path / "report.png")
    page.select_option("#order", "problems")
    doc = document(page, MISSED_DOC)
    doc.locator("summary").click()
    doc.locator(".pair.m-missed button.rec").click()
    page.evaluate("window.scrollTo(0, 0)")
    second_pair = doc.locator(".pair").nth(1).bounding_box()
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    clip = {"x": 0, "y": 0, "width": 1400, "height": second_pair["y"] + second_pair["height"] + 16}
    page.screenshot(path=str(screenshot), full_page=True, clip=clip)
    assert screenshot.stat().st_size > 10_000


def large_run(folder: Path, documents: int) -> tuple[Path, Path]:
    """``documents`` copies of the goldens under new ids, and a run missing each third one's first contact."""
    goldens, articles = folder / "goldens", {}
    goldens.mkdir()
    perfect = perfect_articles()
    for number in range(documents):
        doc_id = sorted(perfect)[number % len(perfect)]
        new_id = f"{number:04d}-{doc_id}"
        golden = json.loads((GOLDENS / f"{doc_id}.json").read_text()) | {"doc_id": new_id}
        (goldens / f"{new_id}.json").write_text(json.dumps(golden))
        shutil.copy(GOLDENS / f"{doc_id}.txt", goldens / f"{new_id}.txt")
        contacts = perfect[doc_id].contacts[1:] if number % 3 == 0 else perfect[doc_id].contacts
        articles[new_id] = perfect[doc_id].model_copy(update={"doc_id": new_id, "contacts": contacts})
    return write_run(folder / "run", articles), goldens


@pytest.mark.slow
def test_a_report_of_a_thousand_documents_opens_in_under_two_seconds(browser: Any, tmp_path: Path) -> None:
    run, goldens = large_run(tmp_path, LARGE_RUN)
    report = write_report(tmp_path / "large.html", build_report(run, goldens))
    page = browser.new_page()
    durations = []
    for _ in range(2):  # the first load also warms the browser's own caches; the better of two is the figure
        page.goto(report.as_uri(), wait_until="load")
        durations.append(page.evaluate("performance.getEntriesByType('navigation')[0].duration") / 1000)
    assert page.locator("details.doc").count() == LARGE_RUN
    assert min(durations) < OPEN_SECONDS, durations
    page.close()
