"""A new golden started from a model's extraction, so an annotator corrects rather than types from nothing.

The draft is the post-processed Article of one extraction job (the same path as ``harness extract``:
cached, retried, grounded in the text), written as ``<doc_id>.json`` with ``"draft": true`` beside a
byte-for-byte copy of the article. The mark keeps it out of every score and makes ``harness goldens
check`` fail until a person has read it against the text and removed the mark: a model's answer is
never mistaken for a hand-checked golden.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Unpack

from harness.backends.client import open_backend
from harness.documents import load_text_file
from harness.errors import ConfigError, HarnessError
from harness.goldens.schema import GoldenArticle
from harness.prompts import Prompt
from harness.run.jobs import JobOptions, run_job

__all__ = ["DraftFailedError", "DraftedGolden", "draft_golden"]


class DraftFailedError(HarnessError):
    """The model's extraction of the article failed, so there is nothing to start the golden from."""

    exit_code = 1


@dataclass(frozen=True)
class DraftedGolden:
    """What ``draft_golden`` wrote."""

    golden: Path
    """``<folder>/<doc_id>.json``, marked ``"draft": true``."""
    text: Path
    """``<folder>/<doc_id>.txt``, the article byte for byte."""
    contacts: int
    actors: int
    warnings: list[str]
    """What was mended or dropped in the model's answer: places to look at first."""


def _targets(article: Path, folder: Path) -> tuple[Path, Path, bytes]:
    """The golden and text files to write, and the article's bytes; ``ConfigError`` naming a file in the way."""
    if not folder.is_dir():
        raise ConfigError("no such folder of goldens", path=folder)
    raw = article.read_bytes()
    golden, text = folder / f"{article.stem}.json", folder / f"{article.stem}.txt"
    if golden.exists():
        raise ConfigError("a golden of this article exists already; harness overwrites no golden", path=golden)
    if text.exists() and text.read_bytes() != raw:
        raise ConfigError(f"exists already with another text than {article}", path=text)
    return golden, text, raw


async def draft_golden(
    article: Path,
    folder: Path,
    prompt: Prompt,
    *,
    model: str | None,
    base_url: str | None,
    **options: Unpack[JobOptions],
) -> DraftedGolden:
    """Extract ``article`` (a ``.txt`` file) with ``model`` (or at ``base_url``) and write its draft golden and a
    copy of its text into ``folder``; nothing is written when a file is in the way or the extraction fails."""
    document = load_text_file(article)
    golden_file, text_file, raw = _targets(article, folder)
    # The run folder is scratch: the response cache keeps the answer, so drafting again costs no model call.
    with tempfile.TemporaryDirectory(prefix="harness-draft-") as scratch:
        async with open_backend(model, base_url, None, Path(scratch)) as backend:
            job = await run_job([document], Path(scratch), backend, prompt, **options)
        record = job.records[document.id]  # read from the scratch folder's results before it goes
    if record.article is None:
        raise DraftFailedError(f"the model's extraction failed, no draft written: {record.error}", path=article)
    golden = GoldenArticle.model_validate({**record.article.model_dump(), "draft": True})
    data = golden.model_dump(mode="json")
    content = json.dumps({"draft": data.pop("draft"), **data}, indent=2, ensure_ascii=False) + "\n"
    with golden_file.open("x", encoding="utf-8") as handle:  # "x": never over a golden written meanwhile
        handle.write(content)
    if not text_file.exists():
        text_file.write_bytes(raw)
    return DraftedGolden(golden_file, text_file, len(golden.contacts), len(golden.actors), record.warnings)
