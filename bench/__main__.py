"""``python -m bench``: measure every figure, print the table, write ``bench/RESULTS.md``.

``--only 1,2`` measures some figures (numbered as in RESULTS.md); ``--memory-documents N`` sizes figure 4's job.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import load_corpus
from bench.figures import FIGURES, Figure

_RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _table(figures: list[Figure]) -> str:
    lines = ["| figure | value | target | met | load (1 min) | how |", "|---|---|---|---|---|---|"]
    for figure in figures:
        met = "yes" if figure.met else "**no**"
        value = f"{figure.value:,.2f} {figure.unit}"
        lines.append(f"| {figure.name} | {value} | {figure.target} | {met} | {figure.load} | {figure.detail} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Measure the figures chosen in ``argv`` (default: the command line's arguments)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", default="", help="comma-separated figure numbers (1-8, 7a=7, 7b=8)")
    # 100,000 documents take about 10 minutes on 2 shared cores (the loopback server's CPU included), the whole
    # suite's limit; 40,000 show the growth per document from 10,000 on, which the note extrapolates.
    parser.add_argument("--memory-documents", type=int, default=40_000)
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md as it is")
    arguments = parser.parse_args(argv)
    chosen = {int(number) for number in arguments.only.split(",") if number}
    corpus = load_corpus()
    figures: list[Figure] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="harness-bench-") as work:
        for number, measure in enumerate(FIGURES(arguments.memory_documents), start=1):
            if chosen and number not in chosen:
                continue
            figure = measure(corpus, Path(work))
            print(f"{figure.name}: {figure.value:,.2f} {figure.unit} (target {figure.target}) - {figure.detail}")
            figures.append(figure)
    total = time.perf_counter() - started
    table = _table(figures)
    print(table)
    if arguments.no_write:
        return
    command = " ".join(["python -m bench", *(sys.argv[1:] if argv is None else argv)])
    machine = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    _RESULTS.write_text(
        f"# Benchmark results\n\n`{command}` on {dt.date.today()}: {machine}; {total:.0f} s in all.\n\n{table}\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
