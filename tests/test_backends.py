"""Backends: the embedded server's lifecycle, choosing and checking an endpoint, and what reaches the server.

The embedded tests run the real llama.cpp server (xllamacpp) on the 135M smoke-test model.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from loopback_http import TINY_MODEL, RecordingProxy, Reply, ScriptedEndpoint, chat_completion
from pydantic import BaseModel

from harness.backends.client import API_KEY_ENV, BASE_URL_ENV, compact_json_grammar, connect, open_backend
from harness.backends.local_server import LOG_FILE, LocalServer, free_loopback_port
from harness.backends.models import resolve_model
from harness.backends.strict import strict_schema
from harness.errors import ConfigError
from schemas.draft import ArticleDraft


class City(BaseModel):
    """A small answer model: backends work for any schema, not only articles."""

    name: str
    country: str


CITY_QUESTION = [{"role": "user", "content": "Name one city in France, as JSON."}]


@pytest.fixture(autouse=True)
def no_endpoint_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BASE_URL_ENV, raising=False)
    monkeypatch.delenv(API_KEY_ENV, raising=False)


def tiny_local_server(log_dir: Path) -> LocalServer:
    model = resolve_model(TINY_MODEL)
    return LocalServer(model.path, log_dir, model_alias=model.id, chat_format=model.chat_format, n_ctx=model.n_ctx)


def answers(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/models", timeout=2).status_code == httpx.codes.OK
    except httpx.TransportError:
        return False


# --- the embedded server's lifecycle -------------------------------------------------------------------------


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_server_answers_on_loopback_and_lists_the_model_alias(tiny_server: LocalServer) -> None:
    listed = httpx.get(f"{tiny_server.base_url}/models", timeout=5).json()
    assert tiny_server.base_url.startswith("http://127.0.0.1:")
    assert [model["id"] for model in listed["data"]] == [TINY_MODEL]


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_server_writes_its_log_into_the_given_folder(tiny_server: LocalServer) -> None:
    assert tiny_server.log_path.name == LOG_FILE
    assert f"serving {TINY_MODEL} at" in tiny_server.log_path.read_text()


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_server_is_stopped_when_the_context_exits(tmp_path: Path) -> None:
    with tiny_local_server(tmp_path) as server:
        url = server.base_url
        assert answers(url)
    assert not server.running
    assert not answers(url)


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_server_is_stopped_when_the_body_raises(tmp_path: Path) -> None:
    server = tiny_local_server(tmp_path)
    with pytest.raises(RuntimeError, match="job failed"), server:
        raise RuntimeError("job failed")
    assert not server.running


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_server_is_stopped_when_the_job_is_cancelled(tmp_path: Path) -> None:
    server = tiny_local_server(tmp_path)

    async def job() -> None:
        async with server:
            await asyncio.sleep(3600)

    async def cancel_soon() -> None:
        task = asyncio.create_task(job())
        while not server.running:
            await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_soon())
    assert not server.running


SERVE_AND_WAIT = """
import sys, time
from pathlib import Path
from harness.backends.local_server import LocalServer
from harness.backends.models import resolve_model

model = resolve_model(sys.argv[1])
with LocalServer(model.path, Path(sys.argv[2]), model_alias=model.id, n_ctx=model.n_ctx) as server:
    print(server.base_url, flush=True)
    time.sleep(3600)
"""


@pytest.mark.model
@pytest.mark.needs_llama_cpp
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_server_dies_with_a_harness_killed_by_sigkill(tmp_path: Path) -> None:
    """``kill -9`` runs no clean-up in harness; the kernel still takes the server down with it."""
    parent = subprocess.Popen(
        [sys.executable, "-c", SERVE_AND_WAIT, TINY_MODEL, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    url = parent.stdout.readline().strip()
    assert answers(url)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while answers(url) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not answers(url)


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_server_that_dies_while_starting_is_a_config_error_quoting_its_log(tmp_path: Path) -> None:
    not_a_model = tmp_path / "broken.gguf"
    not_a_model.write_bytes(b"GGUF but nothing else")
    server = LocalServer(not_a_model, tmp_path, model_alias="broken")
    with pytest.raises(ConfigError, match="exited with code") as caught:
        server.start()
    assert "its log ends" in str(caught.value)
    assert not server.running


def test_free_loopback_port_is_not_listened_on() -> None:
    port = free_loopback_port()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/", timeout=2)


# --- what reaches the server ---------------------------------------------------------------------------------


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_embedded_request_carries_the_schema_for_the_grammar_not_in_the_prompt(tiny_server: LocalServer) -> None:
    with RecordingProxy(tiny_server.base_url) as proxy:
        backend = connect("embedded", proxy.base_url, "unused", TINY_MODEL, None)
        city = asyncio.run(
            backend.client.create(
                response_model=City, messages=CITY_QUESTION, model=TINY_MODEL, max_retries=0, max_tokens=64
            )
        )
    (request,) = proxy.posts()
    assert request.body is not None
    assert "response_format" not in request.body
    assert request.body["grammar"] == compact_json_grammar(City.model_json_schema())
    assert request.body["messages"] == CITY_QUESTION
    assert isinstance(city, City)


def test_remote_request_carries_the_schema_as_openai_json_schema() -> None:
    answer = chat_completion(json.dumps({"name": "Lyon", "country": "France"}))
    with ScriptedEndpoint([answer]) as endpoint:
        backend = connect("compatible", endpoint.base_url, "test-key", "test-model", None)
        asyncio.run(backend.client.create(response_model=City, messages=CITY_QUESTION, model="test-model"))
    (request,) = endpoint.posts()
    assert request.body is not None
    response_format = request.body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["schema"] == City.model_json_schema()


def test_openai_gets_a_strict_schema_every_object_closed_and_fully_required() -> None:
    """OpenAI's strict mode refuses optional properties, open objects and string lengths; pydantic still checks them."""
    answer = chat_completion(json.dumps({"name": "Lyon", "country": "France"}))
    with ScriptedEndpoint([answer]) as endpoint:
        backend = connect("openai", endpoint.base_url, "test-key", "test-model", None)
        city = asyncio.run(backend.client.create(response_model=City, messages=CITY_QUESTION, model="test-model"))
    assert (city.name, city.country) == ("Lyon", "France")
    (request,) = endpoint.posts()
    assert request.body is not None
    spec = request.body["response_format"]["json_schema"]
    assert spec["strict"] is True
    assert (spec["schema"]["required"], spec["schema"]["additionalProperties"]) == (["name", "country"], False)


def test_the_article_draft_schema_made_strict_keeps_to_the_strict_subset() -> None:
    schema = strict_schema(ArticleDraft.model_json_schema())
    objects = [schema, *schema["$defs"].values()]
    for node in objects:
        if "properties" in node:
            assert node["required"] == list(node["properties"]) and node["additionalProperties"] is False
    assert not {"minLength", "maxLength", "default"} & set(json.dumps(schema).replace('"', " ").split())


# --- choosing and checking the backend -----------------------------------------------------------------------


async def open_and_describe(
    model: str | None, base_url: str | None, api_key: str | None, log_dir: Path
) -> tuple[str, str, str | None, str]:
    async with open_backend(model, base_url, api_key, log_dir) as backend:
        return backend.kind, backend.model_id, backend.model_sha256, backend.base_url


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_without_a_base_url_the_embedded_model_is_served_from_the_first_call_and_stopped_after(tmp_path: Path) -> None:
    async def open_and_call() -> tuple[str, str, str | None, str, bool, bool]:
        async with open_backend(TINY_MODEL, None, None, tmp_path) as backend:
            started_before_a_call = backend.server is not None and backend.server.running
            backend.ensure_started()
            await backend.client.create(
                response_model=City, messages=CITY_QUESTION, model=TINY_MODEL, max_retries=0, max_tokens=64
            )
            served = answers(backend.base_url)
            return backend.kind, backend.model_id, backend.model_sha256, backend.base_url, started_before_a_call, served

    kind, model_id, sha256, base_url, started_before_a_call, served = asyncio.run(open_and_call())
    assert (kind, model_id, sha256) == ("embedded", TINY_MODEL, resolve_model(TINY_MODEL).sha256)
    assert not started_before_a_call  # a run whose answers all come from the cache starts no server
    assert served
    assert (tmp_path / LOG_FILE).is_file()
    assert not answers(base_url)


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_an_api_key_alone_keeps_the_embedded_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(API_KEY_ENV, "sk-test-not-a-real-key")
    kind, *_ = asyncio.run(open_and_describe(TINY_MODEL, None, None, tmp_path))
    assert kind == "embedded"


def test_loopback_endpoint_needs_no_key_and_its_only_model_is_chosen(tmp_path: Path) -> None:
    with ScriptedEndpoint(models=("served-model",)) as endpoint:
        described = asyncio.run(open_and_describe(None, endpoint.base_url, None, tmp_path))
    assert described == ("compatible", "served-model", None, endpoint.base_url)


def test_base_url_is_read_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with ScriptedEndpoint() as endpoint:
        monkeypatch.setenv(BASE_URL_ENV, endpoint.base_url)
        kind, model_id, *_ = asyncio.run(open_and_describe("test-model", None, None, tmp_path))
    assert (kind, model_id) == ("compatible", "test-model")


def test_an_endpoint_serving_several_models_needs_model(tmp_path: Path) -> None:
    with ScriptedEndpoint(models=("a", "b")) as endpoint, pytest.raises(ConfigError, match=r"pass --model.*a, b"):
        asyncio.run(open_and_describe(None, endpoint.base_url, None, tmp_path))


def test_remote_endpoint_without_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing API key"):
        asyncio.run(open_and_describe("gpt-test", "https://models.example.com/v1", None, tmp_path))


def test_unreachable_base_url_is_a_config_error(tmp_path: Path) -> None:
    base_url = f"http://127.0.0.1:{free_loopback_port()}/v1"
    with pytest.raises(ConfigError, match="cannot reach"):
        asyncio.run(open_and_describe("test-model", base_url, None, tmp_path))


def test_rejected_key_is_a_config_error(tmp_path: Path) -> None:
    denied = Reply(401, body={"error": {"message": "invalid api key"}})
    with ScriptedEndpoint(models_reply=denied) as endpoint, pytest.raises(ConfigError, match="rejected the API key"):
        asyncio.run(open_and_describe("test-model", endpoint.base_url, "sk-wrong", tmp_path))


def test_the_api_key_is_not_in_the_backend_repr(tmp_path: Path) -> None:
    backend = connect("compatible", "http://127.0.0.1:9/v1", "sk-secret-key", "test-model", None)
    assert "sk-secret-key" not in repr(backend)


def test_the_embedded_grammar_closes_every_object_and_keeps_the_answer_on_one_line() -> None:
    """JSON Schema allows unlisted keys by default; a small model then invents keys and can loop on them."""
    grammar = compact_json_grammar(ArticleDraft.model_json_schema())
    header, _, body = grammar.partition("start: %json ")
    schema = json.loads(body)
    objects = [schema, *schema["$defs"].values()]
    assert header.startswith("%llguidance")
    assert all(node["additionalProperties"] is False for node in objects if "properties" in node)
    assert schema["x-guidance"] == {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}
    assert set(schema["required"]) == {"actors", "contacts"}  # optional fields stay optional: omitted, not null
