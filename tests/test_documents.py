"""Reading a ``.jsonl`` corpus as a stream: the same documents and the same refusals as reading it whole.

A corpus file can be far larger than memory, so ``load_jsonl`` checks it a piece at a time and then reads it
line by line; these files are larger than one piece, with what matters beyond the first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.documents import jsonl_documents, load_jsonl
from harness.errors import DocumentError

LINES = 4000  # about 2 MB: more than one 1 MiB read piece


def corpus_bytes(lines: int = LINES) -> bytes:
    """Lines of documents whose texts are full of two- and three-byte characters, so pieces cut through them."""
    text = "Zürich \u2013 Genève № {} "
    records = (json.dumps({"id": f"d{n}", "text": text.format(n) * 20}, ensure_ascii=False) for n in range(lines))
    return ("\n".join(records) + "\n").encode("utf-8")


def test_a_large_jsonl_streams_the_same_documents_as_its_bytes_read_whole(tmp_path: Path) -> None:
    raw = corpus_bytes()
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(raw)
    assert list(load_jsonl(path)) == list(jsonl_documents(raw, path))


def test_a_byte_in_another_encoding_past_the_first_piece_refuses_the_whole_file_naming_byte_and_line(
    tmp_path: Path,
) -> None:
    raw = corpus_bytes() + '{"id": "last", "text": "Zürich"}\n'.encode("latin-1")
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(raw)
    with pytest.raises(DocumentError) as whole:
        list(jsonl_documents(raw, path))
    with pytest.raises(DocumentError) as streamed:
        load_jsonl(path)
    assert str(streamed.value) == str(whole.value)
    assert streamed.value.line == LINES + 1


def test_a_nul_byte_past_the_first_piece_refuses_the_file_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(corpus_bytes() + b"\x00")
    with pytest.raises(DocumentError, match=r"the file is binary \(it contains NUL bytes\), not text"):
        load_jsonl(path)


def test_a_jsonl_of_blank_lines_is_refused_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.jsonl"
    path.write_bytes(b" \n\n \r\n")
    with pytest.raises(DocumentError, match="the file is empty"):
        load_jsonl(path)
