"""One streamed job in a process of its own, printing its peak RSS (MB) after ``checkpoint`` documents and at the end.

``python -m bench.memory_job INPUT.jsonl OUT_DIR BASE_URL CHECKPOINT``
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bench.job import run_bench_job
from harness.documents import iter_documents

_CONCURRENCY = 16
_POLL_S = 0.2


def _peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


async def _main(source: Path, out: Path, url: str, checkpoint: int) -> None:
    results = out / "results.jsonl"
    at_checkpoint: list[float] = []

    async def watch() -> None:
        counted, offset = 0, 0
        while not at_checkpoint:
            await asyncio.sleep(_POLL_S)
            if results.exists():
                with results.open("rb") as file:
                    file.seek(offset)
                    chunk = file.read()
                offset += len(chunk)
                counted += chunk.count(b"\n")
                if counted >= checkpoint:
                    at_checkpoint.append(_peak_rss_mb())

    watcher = asyncio.create_task(watch())
    await run_bench_job(iter_documents([source]), out, url, _CONCURRENCY)
    watcher.cancel()
    print(at_checkpoint[0] if at_checkpoint else float("nan"), _peak_rss_mb())


if __name__ == "__main__":
    source, out, url, checkpoint = sys.argv[1:5]
    asyncio.run(_main(Path(source), Path(out), url, int(checkpoint)))
