"""Baselines: a blessed run's scores and per-record outcomes, committed as ``<baselines_dir>/<name>.json``.

A baseline is what later runs are held to. It keeps every record's outcome, not only the
figures, so a comparison can say which contact went missing; and it keeps the ledger and the
goldens' hash of the run it came from, so an incomparable run is refused. The ``$schema``
header names the file format, so a future change of format is refused with a clear message.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field, ValidationError, computed_field

from harness.compare.runs import ScoredRun, score_predictions
from harness.errors import ConfigError, json_path
from harness.goldens import GoldenSet
from harness.run.durable import write_atomically
from harness.scoring.metrics import Flat

__all__ = ["BASELINE_FORMAT", "Baseline", "bless", "is_baseline_file", "load_scored", "read_baseline"]

BASELINE_FORMAT = "harness-baseline/1"
"""The ``$schema`` of the baseline files this version writes and reads."""
_FIRST_KEYS = ("$schema", "name", "blessed_at", "source", "ledger", "goldens_sha256", "summary")
"""The keys a reader of the file wants before the long per-record ``score``."""


class Baseline(ScoredRun):
    """A scored run, blessed under a name. ``summary`` is written for readers and diffs, and derived on reading."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    format: Literal["harness-baseline/1"] = Field(default=BASELINE_FORMAT, alias="$schema")
    """The file format (``BASELINE_FORMAT``)."""
    name: str = Field(min_length=1)
    """What the baseline is for, e.g. ``extract``; its file is ``<name>.json``."""
    blessed_at: dt.datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> Flat:
        """The run's flat figures (``RunScore.to_flat_dict``)."""
        return self.score.to_flat_dict()

    def to_json(self) -> str:
        """The file's content: the ``$schema`` header first, then the ledger and figures, then the outcomes."""
        data = self.model_dump(mode="json", by_alias=True)
        ordered = {key: data.pop(key) for key in _FIRST_KEYS} | data
        return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def bless(run: Path, goldens: GoldenSet | Path, *, name: str, baselines_dir: Path) -> Path:
    """Score ``run`` against ``goldens`` and write it as ``baselines_dir/<name>.json``; returns the file."""
    if not name or "/" in name or name.startswith("."):
        raise ConfigError(f"--name {name!r} must be a plain file name, e.g. 'extract'")
    scored = score_predictions(run, goldens)
    baseline = Baseline(
        name=name,
        blessed_at=dt.datetime.now(dt.UTC),
        source=scored.source,
        ledger=scored.ledger,
        goldens_sha256=scored.goldens_sha256,
        score=scored.score,
    )
    path = baselines_dir / f"{name}.json"
    write_atomically(path, baseline.to_json())
    return path


def is_baseline_file(path: Path) -> bool:
    """A ``.json`` file (predictions come as a ``results.jsonl`` or folders)."""
    return path.is_file() and path.suffix == ".json"


def read_baseline(path: Path) -> Baseline:
    """A baseline file; ``ConfigError`` naming the file for anything else."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read the baseline: {exc}", path=path) from exc
    found = data.get("$schema") if isinstance(data, dict) else None
    if found != BASELINE_FORMAT:
        raise ConfigError(
            f"not a baseline of this version: $schema is {found!r}, expected {BASELINE_FORMAT!r}; "
            "bless the run again with `harness baseline bless`",
            path=path,
        )
    try:
        return Baseline.model_validate(data)
    except ValidationError as exc:
        detail = exc.errors(include_url=False)[0]
        raise ConfigError(f"malformed baseline: {json_path(detail['loc'])}: {detail['msg']}", path=path) from exc


def load_scored(source: Path, goldens: GoldenSet | Path) -> ScoredRun:
    """A baseline file as blessed, or predictions (run folder, ``results.jsonl``, Article folder) scored now."""
    return read_baseline(source) if is_baseline_file(source) else score_predictions(source, goldens)
