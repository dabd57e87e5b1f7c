"""A run of the five goldens with one of each kind of error, for the report's tests and its screenshot.

Against the goldens: ``000`` gets a field wrong (the mode of its phone call), ``001`` misses its first
contact (Pompeo's call to Bajwa), ``002`` adds a spurious contact (Zarif and Trump), ``003`` failed
(its optional gold contacts show as such), ``004`` is right. Records carry tokens, times and attempts,
and the manifest a finish time, as a finished job writes them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from run_folders import DOC, ledger, perfect_articles, with_contact_changed, without_contact

from harness.run.results import RESULTS_FILE, ResultRecord, RunManifest, totals_of, write_manifest
from harness.run.usage import Usage
from schemas import Article, ContactMode, DiplomaticContact, Evidence

__all__ = [
    "FAILED_DOC",
    "FAILURE",
    "MISSED_DOC",
    "SPURIOUS_DOC",
    "SPURIOUS_QUOTE",
    "WRONG_DOC",
    "report_articles",
    "write_report_run",
]

WRONG_DOC = "000_16f2693d727d1e4c"
MISSED_DOC = DOC
SPURIOUS_DOC = "002_f78b9ad464a4f228"
FAILED_DOC = "003_8ce8153633974c82"
SPURIOUS_QUOTE = (
    "In the latest development in US-Iran relations, Iranian Foreign Minister Javad Zarif slammed "
    "US President Donald Trump for threatening to target cultural sites."
)
FAILURE = f"{FAILED_DOC}.txt: the answer failed validation 3 times: contacts[0].participants: unknown actor 'us'"


def report_articles() -> dict[str, Article]:
    """The goldens as predictions, with a wrong field, a missed contact and a spurious contact."""
    articles = with_contact_changed(perfect_articles(), WRONG_DOC, 0, mode=ContactMode.MEETING)
    articles = without_contact(articles, MISSED_DOC, 0)
    spurious = DiplomaticContact(
        participants=["zarif", "trump"], mode=ContactMode.UNSPECIFIED, evidence=[Evidence(quote=SPURIOUS_QUOTE)]
    )
    article = articles[SPURIOUS_DOC]
    return articles | {SPURIOUS_DOC: article.model_copy(update={"contacts": [*article.contacts, spurious]})}


def write_report_run(folder: Path) -> Path:
    """The run folder: ``report_articles`` as ok records, ``FAILED_DOC`` as failed, a finished manifest."""
    folder.mkdir(parents=True)
    records = []
    for number, (doc_id, article) in enumerate(sorted(report_articles().items())):
        usage = Usage(prompt_tokens=900 + 40 * number, completion_tokens=300 + 25 * number)
        if doc_id == FAILED_DOC:
            records.append(ResultRecord(doc_id=doc_id, status="failed", error=FAILURE, attempts=3, usage=usage))
            continue
        records.append(
            ResultRecord(doc_id=doc_id, status="ok", article=article, attempts=1, usage=usage, latency_s=30.0 + number)
        )
    (folder / RESULTS_FILE).write_text("".join(record.model_dump_json() + "\n" for record in records))
    started = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    manifest = RunManifest(
        harness_version="0.1.0",
        git_commit=None,
        ledger=ledger(prompt_ref="extract@v2"),
        backend_kind="local",
        base_url=None,
        started_at=started,
        finished_at=started + dt.timedelta(seconds=170),
        totals=totals_of(records),
    )
    write_manifest(folder, manifest)
    return folder
