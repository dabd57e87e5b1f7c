"""The ledger of a run: which model, prompt and schema produced it, and whether two runs may be compared.

Read from a run folder's ``manifest.json`` here rather than through ``harness.results``, which
imports the extraction side that comparing must not depend on; only the ``ledger`` key is read.
The prompt and the model are what a comparison is for, so their changes are shown; a different
answer schema means the records themselves differ in shape, so such runs are refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from harness.errors import ConfigError

__all__ = ["MANIFEST_FILE", "IncomparableRunsError", "Ledger", "LedgerChange", "ledger_changes", "read_ledger"]

MANIFEST_FILE = "manifest.json"
"""The manifest of a run folder (the name ``harness.results`` writes)."""


class IncomparableRunsError(ConfigError):
    """Two runs (or a run and a baseline) whose figures cannot be compared; the message says why."""


class Ledger(BaseModel):
    """What decided a run's answers: the ``ledger`` of its manifest."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    model_id: str
    model_sha256: str | None = None
    """Hash of the model file, for a local model; None for a remote endpoint."""
    prompt_ref: str
    """``name@version``."""
    prompt_sha256: str
    schema_sha256: str
    """Hash of the JSON Schema the model answered in."""
    decoding: dict[str, Any] = {}

    @property
    def prompt_name(self) -> str:
        return self.prompt_ref.partition("@")[0]

    @property
    def prompt_version(self) -> str:
        return self.prompt_ref.partition("@")[2]


class LedgerChange(BaseModel):
    """One ledger entry that differs between the base and the new run."""

    model_config = ConfigDict(frozen=True)

    entry: str
    """The ledger field, e.g. ``prompt_ref``."""
    base: str
    new: str


def _manifest_path(source: Path) -> Path:
    return (source if source.is_dir() else source.parent) / MANIFEST_FILE


def read_ledger(source: Path) -> Ledger | None:
    """The ledger in the manifest beside a run folder's or a ``results.jsonl``'s records; None without one."""
    path = _manifest_path(source)
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the run manifest: {exc}", path=path) from exc
    try:
        manifest = json.loads(content)
        return Ledger.model_validate(manifest["ledger"])
    except (json.JSONDecodeError, TypeError, KeyError) as exc:
        raise ConfigError(f"not a run manifest: no readable 'ledger' ({exc})", path=path) from exc
    except ValidationError as exc:
        detail = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in ("ledger", *detail["loc"]))
        raise ConfigError(f"not a run manifest: {where}: {detail['msg']}", path=path) from exc


def _shown(value: object) -> str:
    if value is None:
        return "-"
    return json.dumps(value, sort_keys=True) if isinstance(value, dict) else str(value)


def ledger_changes(base: Ledger | None, new: Ledger | None, *, base_label: str, new_label: str) -> list[LedgerChange]:
    """The entries that differ, in ledger order; refuses runs answered in different schemas.

    A side without a ledger (a folder of Article files) is compared as unknown: nothing is refused.
    """
    if base is None or new is None:
        return []
    if base.schema_sha256 != new.schema_sha256:
        raise IncomparableRunsError(
            f"{base_label} and {new_label} were extracted with different answer schemas "
            f"(schema_sha256 {base.schema_sha256[:12]} vs {new.schema_sha256[:12]}), so their records differ in "
            "shape; re-run the base with the current schema (or re-bless its baseline) before comparing"
        )
    before, after = base.model_dump(), new.model_dump()
    return [
        LedgerChange(entry=name, base=_shown(before[name]), new=_shown(after[name]))
        for name in before
        if before[name] != after[name]
    ]
