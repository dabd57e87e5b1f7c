"""What a job keeps in memory of its folder and its input: ids, status and totals, never the articles.

A job over millions of documents streams its input and appends each result to ``results.jsonl`` as it comes;
memory must not grow with the articles. Per document it keeps a fingerprint of the text it finished (to skip
it on resume) and where it came from (to name both places of a duplicate id): a dict entry and an int each.
Totals are kept running; the tally of a failed document is kept until it is redone (failures are few, and
their errors are printed at the end).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from harness.documents import Document
from harness.errors import ConfigError, DocumentError
from harness.run.results import RESULTS_FILE, DocumentTally, RunTotals, iter_tallies

__all__ = ["FolderIndex", "Intake"]

# 64 bits of a text's sha256 tell a changed text from the one finished: two texts agreeing on them by chance
# is a 1 in 2**64 event, and an int of 64 bits costs a fraction of the 64-character hex digest.
_FINGERPRINT_HEX = 16
_MAX_LINE = 1 << 32  # a source's line number below this shares the int with its file's number
_NO_TEXT_HASH = -1  # records written before texts were hashed: never taken as the same text


def _fingerprint(sha256: str | None) -> int:
    return int(sha256[:_FINGERPRINT_HEX], 16) if sha256 else _NO_TEXT_HASH


class FolderIndex:
    """The folder's documents as a job needs them: which are done, which failed (and why), and the totals."""

    def __init__(self, tallies: dict[str, DocumentTally] | None = None) -> None:
        self._done: dict[str, int] = {}
        self.failed: dict[str, DocumentTally] = {}
        """The tally of each document whose last record failed."""
        # Running sums by RunTotals field: a dict, as a pydantic model's attributes cost several times more to set
        # (nine per record of a 100,000-document folder that is being resumed).
        self._sums: dict[str, float] = dict.fromkeys(RunTotals.model_fields, 0)
        self._recount = False
        for doc_id, tally in (tallies or {}).items():
            self.add(doc_id, tally)

    @classmethod
    def read(cls, out_dir: Path) -> FolderIndex:
        """The index of ``out_dir/results.jsonl`` (cutting a torn last line: only for the lock's holder).

        Its records are added as they are read, keeping no tally of an ok document; only where an ok record was
        superseded (its text changed and was redone) is the file read again, keeping each document's last tally.
        """
        results = out_dir / RESULTS_FILE
        index = cls()
        if not results.exists():
            return index
        for doc_id, tally in iter_tallies(results, repair=True):
            index.add(doc_id, tally)
        if index._recount:
            index = cls(dict(iter_tallies(results)))  # a dict keeps the last tally, in the order of first records
        return index

    def done(self, document: Document) -> bool:
        """Whether the folder holds an ok record of ``document``'s id made from this very text."""
        return self._done.get(document.id) == _fingerprint(document.sha256)

    @property
    def totals(self) -> RunTotals:
        """What the last record of every document adds up to."""
        return RunTotals.model_validate(self._sums)

    @property
    def ok_ids(self) -> set[str]:
        """Ids of the documents whose last record is ok (whatever their text was)."""
        return set(self._done)

    def add(self, doc_id: str, tally: DocumentTally) -> None:
        """Count ``tally`` as ``doc_id``'s last record, superseding the one before it."""
        old = self.failed.get(doc_id)
        if old is not None:
            _count(self._sums, old, -1)
        elif doc_id in self._done:
            self._recount = True  # an ok record superseded: its tally was not kept, so recount at the end
            del self._done[doc_id]
        _count(self._sums, tally, +1)
        if tally.ok:
            self.failed.pop(doc_id, None)
            self._done[doc_id] = _fingerprint(tally.document_sha256)
        else:
            self.failed[doc_id] = tally  # a document failing again keeps its place

    def final_totals(self, out_dir: Path) -> RunTotals:
        """The folder's totals; read again from ``results.jsonl`` only when an ok record was superseded."""
        if self._recount:
            return FolderIndex.read(out_dir).totals
        return self.totals


def _count(sums: dict[str, float], tally: DocumentTally, sign: int) -> None:
    sums["documents"] += sign
    sums["ok"] += sign * tally.ok
    sums["failed"] += sign * (not tally.ok)
    sums["cached"] += sign * tally.cached
    sums["prompt_tokens"] += sign * tally.prompt_tokens
    sums["completion_tokens"] += sign * tally.completion_tokens
    sums["seconds"] += sign * tally.latency_s
    sums["cost_usd"] += sign * tally.cost_usd
    sums["saved_usd"] += sign * tally.saved_usd


class Intake:
    """The documents of a job as they are read: duplicates refused, those already done skipped, all counted."""

    def __init__(self, index: FolderIndex) -> None:
        self._index = index
        self._sources: dict[str, int] = {}
        self._places: list[str] = []
        self._place_numbers: dict[str, int] = {}
        self.skipped = self.ran = self.unreadable = 0

    def pending(self, items: Iterable[Document | DocumentError]) -> Iterator[Document | DocumentError]:
        """The items still to do, in order."""
        for item in items:
            if isinstance(item, DocumentError):
                self.unreadable += 1  # read again each run: the file may have been fixed
            else:
                self._refuse_duplicate(item)
                if self._index.done(item):
                    self.skipped += 1
                    continue
            self.ran += 1
            yield item

    def _refuse_duplicate(self, item: Document) -> None:
        """Records are keyed by document id, so two documents with one id would overwrite each other."""
        first = self._sources.get(item.id)
        if first is not None:
            raise ConfigError(
                f"document id {item.id!r} occurs twice, in {self._source(first)} and in {item.source}; "
                "ids must be unique within a job"
            )
        self._sources[item.id] = self._code(item.source)

    def _code(self, source: str) -> int:
        """``source`` as one int: its file's number and its line (a ``path:line`` source shares its path)."""
        place, colon, line = source.rpartition(":")
        if not (colon and line.isdigit() and line == str(int(line)) and 0 < int(line) < _MAX_LINE):
            place, line = source, "0"
        number = self._place_numbers.setdefault(place, len(self._places))
        if number == len(self._places):
            self._places.append(place)
        return number * _MAX_LINE + int(line)

    def _source(self, code: int) -> str:
        place, line = self._places[code // _MAX_LINE], code % _MAX_LINE
        return f"{place}:{line}" if line else place
