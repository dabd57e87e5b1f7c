"""A golden set: the goldens of one folder, the documents they annotate, and the hash that pins them.

The documents are the folder's ``.txt`` files (the id is the file stem) and the lines of its
``.jsonl`` files (``{id, text, published}``), so a set can keep its articles either way. Every
file is read once: the same bytes are parsed and hashed, so the hash a baseline keeps is the hash
of exactly what was scored. Figures are only comparable over the same goldens, so a baseline
blessed before a golden was corrected is refused rather than silently misread.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.documents import Document, jsonl_documents, text_document
from harness.errors import DocumentError, GoldenError
from harness.goldens.files import golden_files, load_golden
from harness.goldens.schema import GoldenArticle

__all__ = ["FolderSources", "GoldenSet", "as_golden_set", "combine_sets", "load_golden_set", "read_sources"]

_DOCUMENT_SUFFIXES = (".txt", ".jsonl")


@dataclass(frozen=True)
class GoldenSet:
    """The goldens of a folder and the documents they annotate, both keyed by document id, in file-name order."""

    name: str
    """The set's name (``[tool.harness.golden_sets]``), or its folder's name."""
    goldens: dict[str, GoldenArticle]
    documents: dict[str, Document]
    """The annotated documents only: a text without a golden is not part of the set."""
    sha256: str
    """Hash of the names and bytes of every golden and document file of the folder."""

    @property
    def texts(self) -> dict[str, str]:
        """Each golden's source text."""
        return {doc_id: document.text for doc_id, document in self.documents.items()}


@dataclass(frozen=True)
class FolderSources:
    """The document files of a golden folder, each read once: its bytes (hashed), its documents, its faults."""

    contents: dict[Path, bytes]
    documents: dict[str, Document]
    """By id; a ``.txt`` file wins over a ``.jsonl`` line of the same id."""
    unreadable: list[DocumentError]
    """Files that could not be read and ``.jsonl`` lines that could not be parsed, in file order."""


def read_sources(folder: Path) -> FolderSources:
    """Every ``.txt`` and ``.jsonl`` document of ``folder``; what cannot be read is collected, not raised, so a
    check can report it beside the goldens it concerns."""
    paths = sorted(path for path in folder.iterdir() if path.suffix in _DOCUMENT_SUFFIXES and path.is_file())
    contents: dict[Path, bytes] = {}
    unreadable: list[DocumentError] = []
    for path in paths:
        try:
            contents[path] = path.read_bytes()
        except OSError as exc:
            unreadable.append(DocumentError(f"cannot read: {exc.strerror}", path=path))
    documents: dict[str, Document] = {}
    for path in sorted(contents, key=lambda path: path.suffix == ".txt"):  # .jsonl first: a .txt overrides
        try:
            items = (
                [text_document(contents[path], path)]
                if path.suffix == ".txt"
                else jsonl_documents(contents[path], path)
            )
            for item in items:
                if isinstance(item, DocumentError):
                    unreadable.append(item)
                else:
                    documents[item.id] = item
        except DocumentError as error:
            unreadable.append(error)
    return FolderSources(contents, documents, unreadable)


def load_golden_set(folder: Path, name: str | None = None) -> GoldenSet:
    """Every ``<doc_id>.json`` golden of ``folder`` and the document it annotates, as the set ``name`` (default:
    the folder's name)."""
    golden_paths = golden_files(folder)
    sources = read_sources(folder)
    if sources.unreadable:
        raise sources.unreadable[0]
    contents = dict(sources.contents)
    for path in golden_paths:
        try:
            contents[path] = path.read_bytes()
        except OSError as exc:
            raise GoldenError(f"cannot read: {exc.strerror}", path=path) from exc
    digest = hashlib.sha256()
    for path in sorted(contents):
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(contents[path]).digest())
    goldens: dict[str, GoldenArticle] = {}
    for file in golden_paths:
        golden = load_golden(file, contents[file])
        if golden.doc_id != file.stem:
            raise GoldenError(f"doc_id {golden.doc_id!r} differs from the file name's {file.stem!r}", path=file)
        if golden.draft:  # scored against, a model's own answer would pass for a hand-checked golden
            raise GoldenError('draft: still a draft; correct it, then remove "draft": true', path=file)
        if file.stem not in sources.documents:
            raise GoldenError(f"its source text {file.stem}.txt is missing", path=file)
        goldens[file.stem] = golden
    documents = {doc_id: sources.documents[doc_id] for doc_id in goldens}
    return GoldenSet(name or folder.resolve().name, goldens, documents, digest.hexdigest())


def combine_sets(sets: Sequence[GoldenSet], name: str = "all") -> GoldenSet:
    """Several sets scored as one; ``GoldenError`` when two of them annotate the same document id."""
    goldens: dict[str, GoldenArticle] = {}
    documents: dict[str, Document] = {}
    digest = hashlib.sha256()
    for golden_set in sets:
        shared = sorted(set(goldens) & set(golden_set.goldens))
        if shared:
            raise GoldenError(f"golden set {golden_set.name!r} annotates documents of another set too: {shared}")
        goldens |= golden_set.goldens
        documents |= golden_set.documents
        digest.update(golden_set.name.encode() + b"\0" + bytes.fromhex(golden_set.sha256))
    return GoldenSet(name, goldens, documents, digest.hexdigest())


def as_golden_set(goldens: GoldenSet | Path) -> GoldenSet:
    """A golden set as given, or loaded from its folder."""
    return goldens if isinstance(goldens, GoldenSet) else load_golden_set(goldens)
