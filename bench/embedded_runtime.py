"""The embedded model's runtime, old against new, in one run on one machine: seconds, tokens and scores per article.

    python -m bench.embedded_runtime [--goldens seeds] [--prompt extract@v5] [--old-prompt extract@v1]
                                     [--out bench/RESULTS-runtime.md]

Old: llama-cpp-python's server (``python -m llama_cpp.server``, the runtime before xllamacpp), asked as harness
asked it then (``response_format`` ``{"type": "json_object", "schema": ...}``, which its server compiles into a
grammar that allows whitespace), with ``--old-prompt`` (default: the same prompt as the new, which measures the
runtime alone; ``extract@v1`` was the default then, though with today's draft, which has no aliases). New:
harness's embedded backend as it is (xllamacpp in a child process, the one-line llguidance grammar) with
``--prompt``. Both use greedy decoding, one request at a time, each article's answer then post-processed and
scored exactly as a job does; no response cache is read or written. The old runtime is skipped, with a note, where
llama-cpp-python is not installed (``pip install 'llama-cpp-python[server]==0.3.36'``; it compiles for 6-9
minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import os
import platform
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

import instructor
import openai

from harness.backends.client import Backend, DecodingParams, connect
from harness.backends.local_server import LocalServer, free_loopback_port
from harness.backends.models import resolve_model
from harness.goldens import GoldenSet, load_golden_set, resolve_set
from harness.postprocess import postprocess
from harness.project.builtin import DEFAULT_PROMPT
from harness.prompts import Prompt, load_prompt
from harness.run.extract import ExtractionError, extract_draft
from harness.scoring import score_run
from schemas import Article

_STARTUP_S = 180.0


@dataclass
class ArticleCost:
    doc_id: str
    seconds: float
    prompt_tokens: int
    completion_tokens: int
    failed: str | None = None


def _json_object_schema(create: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """How harness asked llama-cpp-python's server: ``json_object`` with the schema (its grammar allows whitespace)."""

    @wraps(create)
    async def constrained(*args: Any, **kwargs: Any) -> Any:
        response_format = kwargs.get("response_format")
        if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
            kwargs["response_format"] = {"type": "json_object", "schema": response_format["json_schema"]["schema"]}
        return await create(*args, **kwargs)

    return constrained


def _old_backend(base_url: str, model_id: str) -> Backend:
    sdk = openai.AsyncOpenAI(base_url=base_url, api_key="not-needed", max_retries=0, timeout=3600)
    mode = instructor.Mode.JSON_SCHEMA
    create = _json_object_schema(sdk.chat.completions.create)
    client = instructor.AsyncInstructor(
        client=sdk, create=instructor.patch(create=create, mode=mode), mode=mode, provider=instructor.Provider.OPENAI
    )
    return Backend(kind="embedded", model_id=model_id, model_sha256=None, base_url=base_url, client=client, send=create)


def _start_old_server(model_path: Path, model_id: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_loopback_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path), "--model_alias", model_id]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192", "--chat_format", "chatml"]
    command += ["--n_threads", str(len(os.sched_getaffinity(0)))]
    with log.open("ab") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + _STARTUP_S
    while time.monotonic() < deadline:
        try:
            import httpx

            if httpx.get(f"{base_url}/models", timeout=1).status_code == 200:
                return process, base_url
        except httpx.TransportError:
            time.sleep(0.25)
    process.kill()
    raise RuntimeError(f"llama-cpp-python's server did not start; see {log}")


async def _extract_all(backend: Backend, golden_set: GoldenSet, prompt: Prompt) -> tuple[list[ArticleCost], dict]:
    costs: list[ArticleCost] = []
    articles: dict[str, Article | None] = {}
    for doc_id, document in golden_set.documents.items():
        started = time.perf_counter()
        try:
            extraction = await extract_draft(backend, document, prompt, decoding=DecodingParams(), max_retries=2)
        except ExtractionError as error:
            costs.append(
                ArticleCost(
                    doc_id,
                    time.perf_counter() - started,
                    error.usage.prompt_tokens,
                    error.usage.completion_tokens,
                    error.reason,
                )
            )
            articles[doc_id] = None
            continue
        seconds = time.perf_counter() - started
        usage = extraction.usage
        costs.append(ArticleCost(doc_id, seconds, usage.prompt_tokens, usage.completion_tokens))
        articles[doc_id] = postprocess(extraction.draft, document)
        print(f"  {doc_id}: {seconds:.1f} s, {usage.prompt_tokens} + {usage.completion_tokens} tokens", flush=True)
    return costs, articles


def _figures(golden_set: GoldenSet, articles: dict) -> dict[str, float]:
    flat = score_run(articles, golden_set.goldens, golden_set.texts).to_flat_dict()
    keys = (
        "contacts.detection.precision",
        "contacts.detection.recall",
        "contacts.detection.f1",
        "contacts.strict.f1",
        "actors.persons.recall",
    )
    return {key: flat[key] for key in keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goldens", default="seeds")
    parser.add_argument("--prompt", default=DEFAULT_PROMPT)
    parser.add_argument("--old-prompt", default=None, help="the old runtime's prompt (default: --prompt)")
    parser.add_argument("--out", type=Path, default=Path("bench/RESULTS-runtime.md"))
    args = parser.parse_args()
    name, folder = resolve_set(args.goldens)
    golden_set = load_golden_set(folder, name)
    prompt = load_prompt(args.prompt)
    old_prompt = load_prompt(args.old_prompt or args.prompt)
    model = resolve_model(None)
    logs = Path("runs/bench")
    logs.mkdir(parents=True, exist_ok=True)
    results: dict[str, tuple[list[ArticleCost], dict[str, float]]] = {}
    load_before = os.getloadavg()[0]

    server = LocalServer(model.path, logs, model_alias=model.id, chat_format=model.chat_format, n_ctx=model.n_ctx)
    with server:
        backend = connect("embedded", server.base_url, "not-needed", model.id, model.sha256, server=server)
        print(f"new: {backend.runtime}, {prompt.ref}", flush=True)
        costs, articles = asyncio.run(_extract_all(backend, golden_set, prompt))
    results[f"{backend.runtime}, {prompt.ref}"] = (costs, _figures(golden_set, articles))

    if importlib.util.find_spec("llama_cpp") is not None:
        from importlib.metadata import version

        old_name = f"llama-cpp-python {version('llama_cpp_python')}, {old_prompt.ref}"
        print(f"old: {old_name}", flush=True)
        process, base_url = _start_old_server(model.path, model.id, logs / "llama-cpp-python.log")
        try:
            costs, articles = asyncio.run(_extract_all(_old_backend(base_url, model.id), golden_set, old_prompt))
        finally:
            process.kill()
            process.wait()
        results[old_name] = (costs, _figures(golden_set, articles))
    else:
        print("old: llama-cpp-python is not installed; only the new runtime is measured", flush=True)

    lines = [
        f"# Embedded runtime: {' vs '.join(results)}",
        "",
        f"`python -m bench.embedded_runtime --goldens {args.goldens} --prompt {args.prompt}"
        + (f" --old-prompt {args.old_prompt}" if args.old_prompt else "")
        + "`, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
        f"load {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; model {model.id}, "
        f"golden set {name} ({len(golden_set.goldens)} articles), "
        "greedy, no response cache, one request at a time.",
        "",
        "| runtime | s/article | prompt tok/article | completion tok/article | failed | detection P | R | F1 "
        "| strict F1 | persons R |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for runtime, (costs, figures) in results.items():
        n = len(costs)
        lines.append(
            f"| {runtime} | {sum(c.seconds for c in costs) / n:.1f} | {sum(c.prompt_tokens for c in costs) / n:.0f} "
            f"| {sum(c.completion_tokens for c in costs) / n:.0f} | {sum(c.failed is not None for c in costs)} | "
            + " | ".join(f"{value:.3f}" for value in figures.values())
            + " |"
        )
    if len(results) == 2:
        (new_costs, _), (old_costs, _) = results.values()
        ratio = sum(c.seconds for c in new_costs) / sum(c.seconds for c in old_costs)
        lines += ["", f"Seconds per article, new / old: **{ratio:.2f}** (target <= 0.33)."]
    lines += ["", "Per article (seconds, completion tokens):", ""]
    lines.append("| document | " + " | ".join(results) + " |")
    lines.append("|---|" + "---|" * len(results))
    by_runtime = [dict((c.doc_id, c) for c in costs) for costs, _ in results.values()]
    for doc_id in golden_set.goldens:
        cells = [
            f"{r[doc_id].seconds:.1f} s, {r[doc_id].completion_tokens}" + (" (failed)" if r[doc_id].failed else "")
            for r in by_runtime
        ]
        lines.append(f"| {doc_id} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
