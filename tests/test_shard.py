"""``--shard I/N``: each document id belongs to exactly one shard, decided by its hash alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.documents import Document, Shard
from harness.errors import ConfigError, DocumentError


def documents(count: int) -> list[Document]:
    return [Document(id=f"doc-{index}", text=f"Text {index}.") for index in range(count)]


def test_the_shards_of_a_corpus_cover_every_document_exactly_once() -> None:
    corpus = documents(300)
    shards = [[item.id for item in Shard(index, 3).select(corpus)] for index in (1, 2, 3)]
    assert sorted(doc_id for shard in shards for doc_id in shard) == sorted(item.id for item in corpus)
    assert all(shard for shard in shards)


def test_a_document_lands_in_the_same_shard_whatever_else_is_in_the_input() -> None:
    alone = [item.id for item in Shard(2, 4).select(documents(50)[10:20])]
    among_others = [item.id for item in Shard(2, 4).select(documents(50))]
    assert set(alone) <= set(among_others)


def test_an_unreadable_file_is_recorded_by_one_shard_only() -> None:
    error = DocumentError("the file is empty", path=Path("empty.txt"))
    assert sum(len(list(Shard(index, 5).select([error]))) for index in range(1, 6)) == 1


def test_shard_selection_reads_its_input_as_it_comes() -> None:
    pulled: list[int] = []

    def stream():
        for index in range(10**9):
            pulled.append(index)
            yield Document(id=f"doc-{index}", text="Text.")

    first = next(iter(Shard(1, 2).select(stream())))
    assert first.id.startswith("doc-") and len(pulled) < 100


@pytest.mark.parametrize("value", ["2", "0/4", "5/4", "a/b", "1/0"])
def test_a_malformed_or_out_of_range_shard_is_a_usage_error(value: str) -> None:
    with pytest.raises(ConfigError, match="--shard"):
        Shard.parse(value)
