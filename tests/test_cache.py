"""The response cache: what its key depends on, and how answers are stored."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from harness.backends.client import DecodingParams, connect
from harness.backends.models import CACHE_DIR_ENV
from harness.documents import Document
from harness.prompts import load_prompt
from harness.run.cache import (
    CachedResponse,
    ResponseCache,
    cache_key_for,
    default_cache_root,
    draft_schema_sha256,
    response_cache_key,
)
from harness.run.usage import Usage
from schemas import schema_sha256
from schemas.draft import ArticleDraft

LEDGER: dict[str, Any] = {
    "model_id": "smollm2-135m",
    "model_sha256": "a" * 64,
    "prompt_sha256": "b" * 64,
    "schema_sha256": "c" * 64,
    "document_sha256": "d" * 64,
    "decoding": {"temperature": 0.0, "seed": 0, "max_tokens": 1024},
}

ANSWER = CachedResponse(
    draft=ArticleDraft.model_validate(
        {
            "actors": [
                {"id": "a", "name": "Ann Example", "kind": "person"},
                {"id": "b", "name": "Bob Example", "kind": "person"},
            ],
            "contacts": [{"participants": ["a", "b"], "mode": "phone_call", "evidence": [1]}],
        }
    ),
    usage=Usage(prompt_tokens=120, completion_tokens=45),
    attempts=2,
)


@pytest.mark.parametrize(
    ("component", "other"),
    [
        ("model_id", "qwen2.5-0.5b"),
        ("model_sha256", None),
        ("prompt_sha256", "e" * 64),
        ("schema_sha256", "e" * 64),
        ("document_sha256", "e" * 64),
        ("decoding", {"temperature": 0.2, "seed": 0, "max_tokens": 1024}),
    ],
)
def test_the_key_changes_with_each_ledger_component(component: str, other: Any) -> None:
    assert response_cache_key(**LEDGER) != response_cache_key(**{**LEDGER, component: other})


def test_the_key_of_an_answer_does_not_depend_on_the_api_key() -> None:
    document = Document(id="call", text="Anna Veld telephoned Piet Brand on Monday.")
    prompt, decoding = load_prompt("extract@v1"), DecodingParams()
    keys = {
        cache_key_for(
            connect("compatible", "http://127.0.0.1:8000/v1", api_key, "a-model", None), prompt, document, decoding
        )
        for api_key in ("sk-one", "sk-two")
    }
    assert len(keys) == 1


def test_the_key_of_an_answer_changes_with_the_document() -> None:
    prompt, decoding = load_prompt("extract@v1"), DecodingParams()
    backend = connect("compatible", "http://127.0.0.1:8000/v1", "sk-one", "a-model", None)
    first, second = (Document(id="call", text=text) for text in ("Anna Veld called.", "Piet Brand called."))
    assert cache_key_for(backend, prompt, first, decoding) != cache_key_for(backend, prompt, second, decoding)


def test_the_key_does_not_depend_on_the_order_of_decoding_parameters() -> None:
    reordered = dict(reversed(list(LEDGER["decoding"].items())))
    assert response_cache_key(**LEDGER) == response_cache_key(**{**LEDGER, "decoding": reordered})


def test_the_key_is_a_sha256_hex_digest() -> None:
    key = response_cache_key(**LEDGER)
    assert len(key) == 64
    assert int(key, 16) >= 0


def test_the_schema_hash_is_that_of_the_draft_schema() -> None:
    assert draft_schema_sha256() == schema_sha256(ArticleDraft.model_json_schema())


def test_put_then_get_round_trips_the_answer(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    key = response_cache_key(**LEDGER)
    cache.put(key, ANSWER)
    assert cache.get(key) == ANSWER


def test_get_of_an_unknown_key_is_none(tmp_path: Path) -> None:
    assert ResponseCache(tmp_path).get(response_cache_key(**LEDGER)) is None


def test_answers_are_one_json_file_per_key_sharded_by_its_first_two_hex_digits(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    key = response_cache_key(**LEDGER)
    cache.put(key, ANSWER)
    assert [path.relative_to(tmp_path) for path in tmp_path.rglob("*") if path.is_file()] == [
        Path(key[:2]) / f"{key}.json"
    ]


def test_put_replaces_an_answer_without_leaving_temporary_files(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    key = response_cache_key(**LEDGER)
    cache.put(key, ANSWER)
    better = ANSWER.model_copy(update={"attempts": 1})
    cache.put(key, better)
    assert cache.get(key) == better
    assert os.listdir(cache.path_for(key).parent) == [f"{key}.json"]


def test_an_unreadable_answer_is_a_miss(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = ResponseCache(tmp_path)
    key = response_cache_key(**LEDGER)
    cache.path_for(key).parent.mkdir(parents=True)
    cache.path_for(key).write_text('{"draft": {"actors": [', encoding="utf-8")
    assert cache.get(key) is None
    assert str(cache.path_for(key)) in caplog.text


def test_the_default_folder_is_responses_under_the_cache_dir_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    assert default_cache_root() == tmp_path / "responses"
    assert ResponseCache().root == tmp_path / "responses"


def test_without_the_variable_the_default_folder_is_under_the_home_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    assert default_cache_root() == Path.home() / ".cache" / "harness" / "responses"


def test_an_answer_that_cannot_be_stored_is_a_warning_not_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    cache = ResponseCache(blocked)
    key = response_cache_key(**LEDGER)
    cache.put(key, ANSWER)
    assert cache.get(key) is None
    assert "cannot store the answer in the cache" in caplog.text
