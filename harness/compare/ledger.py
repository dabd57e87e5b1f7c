"""The ledger of a run: which model, prompt and schema produced it, and whether two runs may be compared.

The prompt and the model are what a comparison is for, so their changes are shown; a different
answer schema means the records themselves differ in shape, so such runs are refused.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from harness.errors import ConfigError
from harness.run.results import RunLedger, ledger_differences, read_manifest

__all__ = ["IncomparableRunsError", "LedgerChange", "ledger_changes", "read_ledger"]


class IncomparableRunsError(ConfigError):
    """Two runs (or a run and a baseline) whose figures cannot be compared; the message says why."""


class LedgerChange(BaseModel):
    """One ledger entry that differs between the base and the new run."""

    model_config = ConfigDict(frozen=True)

    entry: str
    """The ledger field, e.g. ``prompt_ref``."""
    base: str
    new: str


def read_ledger(source: Path) -> RunLedger | None:
    """The ledger in the manifest beside a run folder's or a ``results.jsonl``'s records; None without one."""
    manifest = read_manifest(source if source.is_dir() else source.parent)
    return manifest.ledger if manifest is not None else None


def _shown(value: object) -> str:
    if value is None:
        return "-"
    return json.dumps(value, sort_keys=True) if isinstance(value, dict) else str(value)


def ledger_changes(
    base: RunLedger | None, new: RunLedger | None, *, base_label: str, new_label: str
) -> list[LedgerChange]:
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
    return [
        LedgerChange(entry=name, base=_shown(before), new=_shown(after))
        for name, (before, after) in ledger_differences(base, new).items()
    ]
