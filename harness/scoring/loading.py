"""Read what is scored against the goldens: a run's ``results.jsonl`` or a folder of Article files.

A ``results.jsonl`` is read by the job's own reader (``harness.run.results``), so a file the job
accepts is exactly a file the scorer accepts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from harness.errors import PredictionError, json_path
from harness.goldens import GoldenArticle
from harness.run.results import RESULTS_FILE
from harness.run.results import read_results as read_job_results
from schemas.article import Article

__all__ = ["Predictions", "load_predictions", "read_article_folder", "read_results"]

Predictions = dict[str, Article | None]


def _first_error(error: ValidationError) -> str:
    detail = error.errors(include_url=False)[0]
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{json_path(detail['loc'])}: {detail['msg']}{more}"


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PredictionError(f"cannot read: {exc.strerror}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise PredictionError(f"not valid UTF-8 at byte {exc.start}", path=path) from exc


def _parse_json(text: str, path: Path, line: int | None = None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = line if line is not None else exc.lineno
        raise PredictionError(f"invalid JSON: {exc.msg} (column {exc.colno})", path=path, line=where) from exc


def read_results(path: Path) -> Predictions:
    """Each document's article from a ``results.jsonl`` (read by ``harness.run.results``); a ``failed`` record is None.

    A document listed twice keeps its last record, as a resumed job appends a new one; a torn last
    line, left by a job that was killed mid-write, is skipped with a warning.
    """
    return {doc_id: record.article for doc_id, record in read_job_results(path).items()}


def read_article_folder(folder: Path) -> Predictions:
    """Every ``<doc_id>.json`` Article of a folder, keyed by file stem (which must equal its doc_id).

    Golden files are read too (their golden-only ``optional`` flag is ignored on the prediction side),
    so ``harness score goldens goldens`` checks the scorer against a perfect annotator.
    """
    files = sorted(folder.glob("*.json"))
    if not files:
        raise PredictionError(f"no predictions here: neither a {RESULTS_FILE} nor any *.json Article", path=folder)
    predictions: Predictions = {}
    for file in files:
        try:
            article = GoldenArticle.model_validate(_parse_json(_read_text(file), file)).as_article()
        except ValidationError as exc:
            raise PredictionError(f"not an Article: {_first_error(exc)}", path=file) from exc
        if article.doc_id != file.stem:
            raise PredictionError(f"doc_id {article.doc_id!r} differs from the file name's {file.stem!r}", path=file)
        predictions[file.stem] = article
    return predictions


def load_predictions(path: Path) -> Predictions:
    """Predictions from a ``results.jsonl`` file, a run folder holding one, or a folder of Article JSON files."""
    if path.is_file():
        return read_results(path)
    if path.is_dir():
        results = path / RESULTS_FILE
        return read_results(results) if results.is_file() else read_article_folder(path)
    raise PredictionError("no such file or folder", path=path)
