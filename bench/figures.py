"""The seven figures of the benchmark suite, each measured in one run against a loopback endpoint process.

Every function returns a ``Figure``: what was measured, the value, the target, and a note on how.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import Corpus
from bench.endpoint import serving
from bench.job import BENCH_MODEL, run_bench_job

__all__ = ["FIGURES", "Figure"]

_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Figure:
    """One measured ratio and its target."""

    name: str
    value: float
    target: str
    met: bool
    unit: str
    detail: str
    load: str = ""
    """The machine's 1-minute load average when the figure was taken (2 cores, shared)."""


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _timed_job(corpus: Corpus, count: int, latency_s: float, concurrency: int, work: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of this process, and ok documents of a ``count``-document job."""
    out = Path(tempfile.mkdtemp(dir=work))
    with serving(latency_s, corpus.answers, work) as url:
        # One job of the goldens first: what a process does once (imports, tables, caches) is not per document.
        asyncio.run(run_bench_job(corpus.documents_named(len(corpus.documents), "warm"), out / "warm", url, 8))
        cpu, wall = time.process_time(), time.perf_counter()
        summary = asyncio.run(run_bench_job(corpus.documents_named(count), out, url, concurrency))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    shutil.rmtree(out)
    return wall, cpu, summary.manifest.totals.ok


class Orchestration:
    """Figure 1: 2,000 documents at 200 ms latency and concurrency 64 against n x latency / concurrency."""

    documents, latency_s, concurrency = 2000, 0.2, 64
    wall_s = 0.0

    def __call__(self, corpus: Corpus, work: Path) -> Figure:
        load = _load()
        wall, cpu, ok = _timed_job(corpus, self.documents, self.latency_s, self.concurrency, work)
        Orchestration.wall_s = wall
        limit = self.documents * self.latency_s / self.concurrency
        ratio = wall / limit
        return Figure(
            "1. orchestration: wall / limit",
            ratio,
            "<= 1.10",
            ratio <= 1.10,
            "x",
            f"{self.documents} docs, {self.latency_s * 1000:.0f} ms latency, concurrency {self.concurrency}: "
            f"{wall:.2f} s wall vs {limit:.2f} s limit; client CPU {cpu:.1f} s ({cpu / self.documents * 1000:.2f} ms "
            f"per doc); {ok} ok",
            load,
        )


def client_throughput(corpus: Corpus, work: Path) -> Figure:
    """Figure 2: documents per second against a zero-latency server, one client process."""
    count, concurrency = 1000, 8
    load = _load()
    wall, cpu, ok = _timed_job(corpus, count, 0.0, concurrency, work)
    rate = count / wall
    return Figure(
        "2. client throughput (zero latency)",
        rate,
        ">= 300 docs/s",
        rate >= 300,
        "docs/s",
        f"{count} docs, concurrency {concurrency}: {wall:.2f} s wall, {cpu / count * 1000:.2f} ms client CPU per doc "
        f"({count / cpu:.0f} docs per CPU-second); server in its own process on the same 2 cores; warmed up by one "
        f"job of the goldens; {ok} ok",
        load,
    )


def sequential_speedup(corpus: Corpus, work: Path) -> Figure:
    """Figure 3: a hand-written sequential instructor loop (50 docs, extrapolated to 2,000) vs figure 1's wall."""
    import instructor
    import openai

    from harness.prompts import load_prompt
    from harness.sentences import split_sentences
    from schemas.draft import ArticleDraft

    count = 50
    prompt = load_prompt("extract@v1")
    load = _load()
    with serving(Orchestration.latency_s, corpus.answers, work) as url:
        client = instructor.from_openai(openai.OpenAI(base_url=url, api_key="none"), mode=instructor.Mode.JSON_SCHEMA)
        started = time.perf_counter()
        for document in corpus.documents_named(count):
            client.chat.completions.create(
                model=BENCH_MODEL,
                response_model=ArticleDraft,
                messages=prompt.render(document),
                context={"sentences": len(split_sentences(document.text))},
                max_retries=2,
            )
        sequential = (time.perf_counter() - started) / count * Orchestration.documents
    harness_wall = Orchestration.wall_s or float("nan")
    speedup = sequential / harness_wall
    return Figure(
        "3. speed-up over a sequential instructor loop",
        speedup,
        ">= 30x",
        speedup >= 30,
        "x",
        f"sequential loop: {count} docs at {Orchestration.latency_s * 1000:.0f} ms, extrapolated to "
        f"{Orchestration.documents}: {sequential:.0f} s; harness at concurrency 64 (figure 1): {harness_wall:.2f} s",
        load,
    )


class _StreamedFigure:
    """A figure over one ``.jsonl`` input of ``documents`` articles, measured while the endpoint serves."""

    def __init__(self, documents: int) -> None:
        self.documents = documents

    @contextmanager
    def _streamed(self, corpus: Corpus, work: Path, name: str, extra: int = 0) -> Iterator[tuple[Path, Path, str]]:
        """The input file (``extra`` documents beyond ``documents``), the run folder and the endpoint's URL;
        both files are removed afterwards, so 100,000-document figures do not fill the disk."""
        source = corpus.write_jsonl(work / f"{name}.jsonl", self.documents + extra)
        out = work / f"{name}-run"
        try:
            with serving(0.0, corpus.answers, work) as url:
                yield source, out, url
        finally:
            source.unlink()
            shutil.rmtree(out, ignore_errors=True)


class Memory(_StreamedFigure):
    """Figure 4: peak RSS of a job streamed from a .jsonl, at 10,000 documents and at the end."""

    checkpoint = 10_000

    def __call__(self, corpus: Corpus, work: Path) -> Figure:
        load = _load()
        with self._streamed(corpus, work, "memory") as (source, out, url):
            command = [sys.executable, "-m", "bench.memory_job", str(source), str(out), url, str(self.checkpoint)]
            started = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=_ROOT)
            wall = time.perf_counter() - started
        at_checkpoint, at_end = (float(value) for value in result.stdout.split())
        growth = at_end - at_checkpoint
        per_doc = growth * 2**20 / max(self.documents - self.checkpoint, 1)
        flat = at_checkpoint + per_doc * 90_000 / 2**20 <= 1.1 * at_checkpoint  # within 10% at 100,000
        return Figure(
            "4. memory: peak RSS of a streamed job",
            at_end,
            "< 300 MB, flat 10k -> 100k",
            at_end < 300 and flat,
            "MB",
            f"{self.documents:,} docs from one .jsonl: {at_checkpoint:.0f} MB at {self.checkpoint:,}, "
            f"{at_end:.0f} MB at the end ({growth:+.0f} MB, {per_doc:.0f} bytes per document after "
            f"{self.checkpoint:,}: {at_checkpoint + per_doc * 90_000 / 2**20:.0f} MB at 100,000); {wall:.0f} s",
            load,
        )


class Resume(_StreamedFigure):
    """Figure 5: seconds from `harness extract` starting on a folder of N finished documents to its first new result."""

    def __call__(self, corpus: Corpus, work: Path) -> Figure:
        load = _load()
        with self._streamed(corpus, work, "resume", extra=100) as (source, out, url):
            _finished_folder(corpus, out, url, self.documents, work)
            results = out / "results.jsonl"
            size = results.stat().st_size
            command = [sys.executable, "-m", "harness", "extract", str(source), "--out", str(out)]
            command += ["--base-url", url, "--model", BENCH_MODEL, "--no-cache"]
            started = time.perf_counter()
            process = subprocess.Popen(command, cwd=_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            while results.stat().st_size == size and process.poll() is None:
                time.sleep(0.005)
            seconds = time.perf_counter() - started
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        return Figure(
            "5. resume: start to first new result",
            seconds,
            "< 5 s",
            seconds < 5,
            "s",
            f"a folder of {self.documents:,} finished documents plus 100 new ones in one .jsonl; "
            "from process start (imports included) to the first new line in results.jsonl",
            load,
        )


def _finished_folder(corpus: Corpus, out: Path, url: str, count: int, work: Path) -> None:
    """A run folder of ``count`` finished documents: one real job of the goldens, its lines repeated under new ids."""
    import json

    seed = Path(tempfile.mkdtemp(dir=work))
    summary = asyncio.run(run_bench_job(corpus.documents_named(len(corpus.documents)), seed, url, 8))
    lines = (seed / "results.jsonl").read_text(encoding="utf-8").splitlines()
    out.mkdir()
    with (out / "results.jsonl").open("w", encoding="utf-8") as file:
        for index, document in enumerate(corpus.documents_named(count)):
            record = json.loads(lines[index % len(lines)])
            record["doc_id"] = record["article"]["doc_id"] = document.id
            record["document_sha256"] = document.sha256
            file.write(json.dumps(record) + "\n")
    shutil.copy(seed / "manifest.json", out / "manifest.json")
    del summary
    shutil.rmtree(seed)


def scorer(corpus: Corpus, work: Path) -> Figure:
    """Figure 6: scoring 10,000 article pairs (predictions: post-processed drafts of the goldens)."""
    from harness.goldens import combine_sets, load_golden_set, resolve_sets
    from harness.run.results import read_results
    from harness.scoring import score_run

    count = 10_000
    everything = combine_sets([load_golden_set(folder, name) for name, folder in resolve_sets([]).items()])
    seed = Path(tempfile.mkdtemp(dir=work))
    with serving(0.0, corpus.answers, work) as url:
        asyncio.run(run_bench_job(list(everything.documents.values()), seed, url, 8))
    records = read_results(seed / "results.jsonl")
    shutil.rmtree(seed)
    ids = list(everything.goldens)
    predictions, goldens, texts = {}, {}, {}
    for index in range(count):
        doc_id = ids[index % len(ids)]
        name = f"{doc_id}-{index}"
        article = records[doc_id].article
        predictions[name] = article.model_copy(update={"doc_id": name}) if article else None
        goldens[name] = everything.goldens[doc_id].model_copy(update={"doc_id": name})
        texts[name] = everything.documents[doc_id].text
    load = _load()
    started = time.perf_counter()
    score = score_run(predictions, goldens, texts)
    seconds = time.perf_counter() - started
    del score
    return Figure(
        "6. scorer: 10,000 article pairs",
        seconds,
        "< 10 s",
        seconds < 10,
        "s",
        f"{count:,} pairs cycling the {len(ids)} goldens against their post-processed drafts "
        f"({seconds / count * 1000:.2f} ms per pair)",
        load,
    )


def help_time(corpus: Corpus, work: Path) -> Figure:
    """Figure 7a: `harness --help`, best of 5 (a fresh interpreter each time)."""
    load = _load()
    seconds = min(_wall([sys.executable, "-m", "harness", "--help"]) for _ in range(5))
    return Figure("7a. harness --help", seconds, "< 0.5 s", seconds < 0.5, "s", "best of 5 fresh processes", load)


def cached_eval(corpus: Corpus, work: Path) -> Figure:
    """Figure 7b: `harness eval --goldens seeds` again with every answer cached (new folder, warm cache)."""
    environment = os.environ | {"HARNESS_CACHE_DIR": str(work / "cache")}
    load = _load()
    with serving(0.0, corpus.answers, work) as url:
        base = [sys.executable, "-m", "harness", "eval", "--goldens", "seeds", "--base-url", url]
        base += ["--model", BENCH_MODEL]
        subprocess.run([*base, "--out", str(work / "eval-1")], env=environment, capture_output=True, check=True)
        seconds = min(
            _wall([*base, "--out", str(work / f"eval-again-{attempt}")], env=environment) for attempt in range(3)
        )
    return Figure(
        "7b. cached re-run of harness eval (seeds)",
        seconds,
        "< 1 s",
        seconds < 1,
        "s",
        "five goldens, every answer from the response cache, into a new folder; best of 3 "
        "(a remote endpoint is only asked for its model list; the embedded server would not start)",
        load,
    )


def _wall(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=_ROOT, env=env, capture_output=True, check=True)
    return time.perf_counter() - started


FIGURES: Callable[[int], list[Callable[[Corpus, Path], Figure]]] = lambda memory_documents: [  # noqa: E731
    Orchestration(),
    client_throughput,
    sequential_speedup,
    Memory(memory_documents),
    Resume(100_000),
    scorer,
    help_time,
    cached_eval,
]
"""Every figure in order, the memory job with ``memory_documents`` documents."""
