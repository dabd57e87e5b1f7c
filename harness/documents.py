"""Documents and their loaders: raw text kept byte for byte, metadata read beside it.

Every character offset in harness indexes ``Document.text`` exactly as read from disk, so the
crawler's leading `` date YYYY-MM-DD `` marker is parsed but never removed.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from harness.errors import ConfigError, DocumentError

__all__ = [
    "Document",
    "Shard",
    "body_start",
    "iter_documents",
    "jsonl_documents",
    "load_jsonl",
    "load_text_file",
    "parse_published",
    "text_document",
]

_DATE_MARKER = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\s")
# A headline is a short first line without a closing full stop, followed by a blank line.
_MAX_HEADLINE_CHARS = 160
_CHECK_PIECE_BYTES = 1 << 20  # a .jsonl is checked 1 MiB at a time: never held whole, few reads


@dataclass(frozen=True)
class Document:
    """One article to extract from."""

    id: str
    """Stable identifier: the file stem, or the ``id`` of a JSONL record."""
    text: str
    """The raw text; offsets index this string."""
    published: dt.date | None = None
    """Publication date from the crawler marker or the JSONL ``published`` field."""
    headline: str | None = None
    """The first line, when it clearly is a headline."""
    source: str = ""
    """Where the document came from (``path`` or ``path:line``), for error messages."""
    sha256: str = field(init=False)
    """Hash of the raw text, used in cache keys."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", hashlib.sha256(self.text.encode("utf-8")).hexdigest())


def parse_published(text: str) -> dt.date | None:
    """The date of a leading crawler marker `` date YYYY-MM-DD ``, if the text has one."""
    match = _DATE_MARKER.match(text)
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def body_start(text: str) -> int:
    """Where the article proper begins: after a leading crawler date marker, else 0."""
    match = _DATE_MARKER.match(text)
    return match.end() if match is not None else 0


def _headline(text: str) -> str | None:
    first, sep, rest = text.partition("\n")
    line = first.strip()
    if not sep or not line or _DATE_MARKER.match(first):
        return None
    if len(line) > _MAX_HEADLINE_CHARS or line.endswith((".", ":", ";", ",")):
        return None
    if not rest.startswith("\n") and not rest.startswith("\r\n"):
        return None
    return line


def _decode(raw: bytes, path: Path, encoding: str) -> str:
    if not raw.strip():
        raise DocumentError("the file is empty", path=path)
    if b"\x00" in raw:
        raise DocumentError("the file is binary (it contains NUL bytes), not text", path=path)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _encoding_error(path, encoding, exc.start, raw[: exc.start].count(b"\n") + 1) from exc


def _encoding_error(path: Path, encoding: str, start: int, line: int) -> DocumentError:
    return DocumentError(
        f"not valid {encoding} at byte {start}; pass --encoding if the file uses another one", path=path, line=line
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror}", path=path) from exc


def load_text_file(path: Path, *, encoding: str = "utf-8") -> Document:
    """Read a ``.txt`` article; its id is the file stem."""
    return text_document(_read(path), path, encoding=encoding)


def text_document(raw: bytes, path: Path, *, encoding: str = "utf-8") -> Document:
    """The article of a ``.txt`` file's bytes (read elsewhere, e.g. once for hashing and parsing)."""
    # newline="" semantics: keep \r\n as is, so offsets match the bytes on disk.
    text = _decode(raw, path, encoding)
    return Document(
        id=path.stem,
        text=text,
        published=parse_published(text),
        headline=_headline(text),
        source=str(path),
    )


def load_jsonl(path: Path, *, encoding: str = "utf-8") -> Iterator[Document | DocumentError]:
    """Read ``{id, text, published}`` records, one per line; blank lines are skipped.

    Streamed: the file is never held whole (a corpus of millions of articles is one file), so memory stays
    flat. It is first checked in pieces, so that a file that cannot be read (empty, binary, another encoding)
    raises ``DocumentError`` before any document is handed out, as a whole file read would; a line that
    cannot be read yields its ``DocumentError`` in place, and the lines after it are still read.
    """
    _check_jsonl(path, encoding)
    return _line_documents(_stream_lines(path, encoding), path)


def jsonl_documents(raw: bytes, path: Path, *, encoding: str = "utf-8") -> Iterator[Document | DocumentError]:
    """The documents of a ``.jsonl`` file's bytes, as ``load_jsonl`` yields them."""
    return _line_documents(iter(_decode(raw, path, encoding).splitlines()), path)


def _line_documents(lines: Iterator[str], path: Path) -> Iterator[Document | DocumentError]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item: Document | DocumentError = _jsonl_document(line, path, number)
        except DocumentError as error:
            item = error
        yield item


def _check_jsonl(path: Path, encoding: str) -> None:
    """What ``_decode`` checks of a whole file (empty, NUL bytes, encoding), a piece at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    consumed = newlines = 0  # bytes and newlines before the current piece
    blank = True
    invalid: DocumentError | None = None  # reported after the NUL check, in _decode's order
    try:
        with path.open("rb") as file:
            while piece := file.read(_CHECK_PIECE_BYTES):
                if b"\x00" in piece:
                    raise DocumentError("the file is binary (it contains NUL bytes), not text", path=path)
                blank = blank and not piece.strip()
                if invalid is None:
                    invalid = _undecodable(decoder, piece, path, encoding, consumed, newlines)
                consumed += len(piece)
                newlines += piece.count(b"\n")
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror}", path=path) from exc
    if blank:
        raise DocumentError("the file is empty", path=path)
    if invalid is None:
        invalid = _undecodable(decoder, b"", path, encoding, consumed, newlines, final=True)
    if invalid is not None:
        raise invalid


def _undecodable(
    decoder: codecs.IncrementalDecoder,
    piece: bytes,
    path: Path,
    encoding: str,
    consumed: int,
    newlines: int,
    *,
    final: bool = False,
) -> DocumentError | None:
    """The error of ``piece`` (after ``consumed`` bytes holding ``newlines``) if it does not decode, else None."""
    pending = len(decoder.getstate()[0])  # bytes of a character the previous piece cut in two
    try:
        decoder.decode(piece, final=final)
    except UnicodeDecodeError as exc:
        line = newlines + bytes(exc.object[: exc.start]).count(b"\n") + 1
        return _encoding_error(path, encoding, consumed - pending + exc.start, line)
    return None


def _stream_lines(path: Path, encoding: str) -> Iterator[str]:
    """The file's lines as ``str.splitlines`` of the whole text would give them, read a line at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as file:
        for raw in file:
            yield from decoder.decode(raw).splitlines()
    yield from decoder.decode(b"", final=True).splitlines()


def _jsonl_document(line: str, path: Path, number: int) -> Document:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"invalid JSON: {exc.msg} (column {exc.colno})", path=path, line=number) from exc
    if not isinstance(record, dict):
        raise DocumentError("each line must be a JSON object", path=path, line=number)
    doc_id, text = record.get("id"), record.get("text")
    if not isinstance(doc_id, str) or not doc_id:
        raise DocumentError("field 'id' must be a non-empty string", path=path, line=number)
    if not isinstance(text, str) or not text.strip():
        raise DocumentError(f"document {doc_id!r}: field 'text' must be non-empty text", path=path, line=number)
    published = record.get("published")
    try:
        date = dt.date.fromisoformat(published[:10]) if published else parse_published(text)
    except (TypeError, ValueError) as exc:
        raise DocumentError(
            f"document {doc_id!r}: field 'published' is not an ISO date: {published!r}", path=path, line=number
        ) from exc
    return Document(id=doc_id, text=text, published=date, headline=_headline(text), source=f"{path}:{number}")


def iter_documents(paths: Iterable[Path], *, encoding: str = "utf-8") -> Iterator[Document | DocumentError]:
    """Documents from files, folders (``*.txt`` and ``*.jsonl``, sorted) and ``.jsonl`` files.

    A file that cannot be read yields its ``DocumentError`` in place, so a job records it and goes on.
    """
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in {".txt", ".jsonl"} and p.is_file())
        elif path.exists():
            files = [path]
        else:
            yield DocumentError("no such file or folder", path=path)
            continue
        for file in files:
            try:
                if file.suffix == ".jsonl":
                    yield from load_jsonl(file, encoding=encoding)
                else:
                    yield load_text_file(file, encoding=encoding)
            except DocumentError as error:
                yield error


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (``--shard 2/4``): the documents whose id hashes to it, so ``count`` machines
    given the same inputs cover every document exactly once and their run folders can be scored together."""

    index: int
    """From 1 to ``count``."""
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.index <= self.count:
            raise ConfigError(f"--shard {self.index}/{self.count}: the shard is a number from 1 to {self.count}")

    @classmethod
    def parse(cls, value: str) -> Shard:
        """``"i/n"`` as a shard."""
        index, slash, count = value.partition("/")
        if not slash or not index.strip().isdigit() or not count.strip().isdigit():
            raise ConfigError(f"--shard {value!r}: write it as i/n, e.g. 2/4 for the second of four shards")
        return cls(int(index), int(count))

    def holds(self, key: str) -> bool:
        """Whether the document with id ``key`` (an unreadable file: its path) is in this shard."""
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def select(self, items: Iterable[Document | DocumentError]) -> Iterator[Document | DocumentError]:
        """The items of this shard, read as they come."""
        for item in items:
            key = item.id if isinstance(item, Document) else str(item.path or item)
            if self.holds(key):
                yield item
