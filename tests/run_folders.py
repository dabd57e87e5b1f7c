"""Runs built from the real goldens for the regression tests: the goldens as perfect predictions, altered on purpose.

Run folders are written through ``harness.run.results`` exactly as a job writes them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from paths import GOLDENS

from harness.goldens import load_golden_set
from harness.run.results import RESULTS_FILE, ResultRecord, RunLedger, RunManifest, write_manifest
from schemas import Article

DOC = "001_1a4010503bfa5627"
"""A golden with four required contacts; the first is pompeo + bajwa by phone."""


def ledger(**changes: Any) -> RunLedger:
    values: dict[str, Any] = {
        "model_id": "tiny-model",
        "model_sha256": "a" * 64,
        "prompt_ref": "extract@v1",
        "prompt_sha256": "b" * 64,
        "schema_sha256": "c" * 64,
        "decoding": {"temperature": 0.0},
    }
    return RunLedger(**(values | changes))


def perfect_articles() -> dict[str, Article]:
    """Each golden as a prediction (its golden-only ``optional`` flags dropped)."""
    return {doc_id: golden.as_article() for doc_id, golden in load_golden_set(GOLDENS).goldens.items()}


def without_contact(articles: dict[str, Article], doc_id: str, index: int) -> dict[str, Article]:
    """The articles with one contact of one document removed."""
    article = articles[doc_id]
    contacts = [contact for position, contact in enumerate(article.contacts) if position != index]
    return articles | {doc_id: article.model_copy(update={"contacts": contacts})}


def with_contact_changed(articles: dict[str, Article], doc_id: str, index: int, **fields: Any) -> dict[str, Article]:
    """The articles with some fields of one contact replaced."""
    article = articles[doc_id]
    contacts = list(article.contacts)
    contacts[index] = contacts[index].model_copy(update=fields)
    return articles | {doc_id: article.model_copy(update={"contacts": contacts})}


def write_run(folder: Path, articles: dict[str, Article], run_ledger: RunLedger | None = None) -> Path:
    """A run folder: one ok record per article in ``results.jsonl``, and a manifest with ``run_ledger``."""
    folder.mkdir(parents=True)
    records = [ResultRecord(doc_id=doc_id, status="ok", article=article) for doc_id, article in articles.items()]
    (folder / RESULTS_FILE).write_text("".join(record.model_dump_json() + "\n" for record in records))
    manifest = RunManifest(
        harness_version="0.1.0",
        git_commit=None,
        ledger=run_ledger or ledger(),
        backend_kind="local",
        base_url=None,
        started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    write_manifest(folder, manifest)
    return folder


def write_article_folder(folder: Path, articles: dict[str, Article]) -> Path:
    """A folder of ``<doc_id>.json`` Articles, with no manifest."""
    folder.mkdir(parents=True)
    for doc_id, article in articles.items():
        (folder / f"{doc_id}.json").write_text(article.model_dump_json(indent=2))
    return folder
