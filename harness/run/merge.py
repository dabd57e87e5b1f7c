"""The run folders of several shards (``harness extract --shard i/n``) merged into one, as if one job made it.

Shards cover disjoint documents, so merging is a union. It is refused where the folders cannot be one run:
a folder that is not a run folder, folders made under different ledgers (model, prompt, schema, decoding),
or one document with different answers in two folders. A document answered the same in two folders (a
shard run twice, or overlapping inputs) is kept once. The manifest's totals are counted again over the
merged records. One folder's records are held at a time, and of the others only each id and a digest.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import TextIO

from harness import __version__
from harness.errors import ConfigError
from harness.run.folder_index import FolderIndex
from harness.run.results import (
    RESULTS_FILE,
    DocumentTally,
    ResultRecord,
    RunManifest,
    RunTotals,
    described_differences,
    git_commit,
    read_manifest,
    read_results,
    write_manifest,
)

__all__ = ["MergeSummary", "merge_runs"]

_MIXED = "mixed"  # the backend kind of a merge of folders made through different kinds of backend


@dataclasses.dataclass(frozen=True)
class MergeSummary:
    """What ``merge_runs`` wrote."""

    manifest: RunManifest
    """The merged folder's manifest; ``totals`` counts every merged record."""
    duplicates: int
    """Records found the same in more than one folder, each kept once."""


def _answer_digest(record: ResultRecord) -> bytes:
    """What two records of one document must share to be the same answer: not their latency, cost or caching."""
    answer = record.model_dump_json(include={"status", "article", "error", "document_sha256"})
    return hashlib.blake2b(answer.encode("utf-8"), digest_size=16).digest()


def _manifests(folders: list[Path]) -> list[RunManifest]:
    """Every folder's manifest, after checking they share one ledger."""
    manifests = []
    for folder in folders:
        manifest = read_manifest(folder)
        if manifest is None or not (folder / RESULTS_FILE).is_file():
            raise ConfigError(f"not a run folder: it needs a manifest.json and a {RESULTS_FILE}", path=folder)
        differences = described_differences(manifests[0].ledger, manifest.ledger) if manifests else None
        if differences:
            raise ConfigError(
                f"was made under a different {differences} than {folders[0]}; only folders of one set-up merge "
                "into one run",
                path=folder,
            )
        manifests.append(manifest)
    return manifests


def merge_runs(out: Path, folders: list[Path]) -> MergeSummary:
    """Merge the run folders ``folders`` into the new folder ``out``; see the module's docstring."""
    if not folders:
        raise ConfigError("give the run folders to merge")
    if out.exists() and any(out.iterdir()):
        raise ConfigError("is not empty; merge into a new folder", path=out)
    if any(out.resolve() == folder.resolve() for folder in folders):
        raise ConfigError("is one of the folders being merged; merge into a new folder", path=out)
    manifests = _manifests(folders)
    out.mkdir(parents=True, exist_ok=True)
    partial = out / f"{RESULTS_FILE}.partial"  # renamed when whole: a refused merge leaves no results.jsonl
    try:
        with partial.open("w", encoding="utf-8") as sink:
            index, duplicates = _merge_records(folders, sink)
        partial.replace(out / RESULTS_FILE)
    finally:
        partial.unlink(missing_ok=True)
    manifest = _merged_manifest(manifests, index.totals)
    write_manifest(out, manifest)
    return MergeSummary(manifest, duplicates)


def _merge_records(folders: list[Path], sink: TextIO) -> tuple[FolderIndex, int]:
    """Write each document's record once into ``sink``; the running totals, and how many were found twice."""
    seen: dict[str, tuple[bytes, int]] = {}
    index = FolderIndex()
    duplicates = 0
    for number, folder in enumerate(folders):
        for doc_id, record in read_results(folder / RESULTS_FILE).items():
            digest = _answer_digest(record)
            earlier = seen.get(doc_id)
            if earlier is None:
                seen[doc_id] = (digest, number)
                index.add(doc_id, DocumentTally.of(record))
                sink.write(record.model_dump_json() + "\n")
            elif earlier[0] == digest:
                duplicates += 1
            else:
                raise ConfigError(
                    f"document {doc_id!r} has a different answer here than in {folders[earlier[1]]}; "
                    "shards must not overlap (or must agree where they do)",
                    path=folder,
                )
    return index, duplicates


def _merged_manifest(manifests: list[RunManifest], totals: RunTotals) -> RunManifest:
    """One manifest for the merged folder: the shared ledger, the earliest start, totals counted again."""
    finished = [manifest.finished_at for manifest in manifests]
    kinds = {manifest.backend_kind for manifest in manifests}
    urls = {manifest.base_url for manifest in manifests}
    return RunManifest(
        harness_version=__version__,
        git_commit=git_commit(),
        ledger=manifests[0].ledger,
        backend_kind=kinds.pop() if len(kinds) == 1 else _MIXED,
        base_url=urls.pop() if len(urls) == 1 else None,
        started_at=min(manifest.started_at for manifest in manifests),
        finished_at=None if None in finished else max(time for time in finished if time is not None),
        totals=totals,
        spent_usd=sum(manifest.spent_usd for manifest in manifests),
    )
