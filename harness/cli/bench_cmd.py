"""``harness bench``: the benchmark suite, where it is at hand; argument passing only.

The suite (``bench/``) lives in harness's repository, not in the installed package: it needs the goldens
and the test endpoint beside it. From a checkout this runs ``python -m bench`` with the same arguments.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import typer

from harness.errors import ConfigError

__all__ = ["bench"]

_CHECKOUT = Path(__file__).resolve().parents[2]
"""The repository root when harness runs from a checkout (``bench/`` beside ``harness/``)."""


def bench(ctx: typer.Context) -> None:
    """Measure throughput, memory and start-up figures against a loopback endpoint and write bench/RESULTS.md.

    Needs a checkout of harness's repository (the suite is not in the installed package). Options are those
    of `python -m bench` (e.g. --only 2,6 --no-write); see `harness bench --help-suite`.
    """
    if importlib.util.find_spec("bench") is None and (_CHECKOUT / "bench" / "figures.py").is_file():
        sys.path.insert(0, str(_CHECKOUT))
    if importlib.util.find_spec("bench") is None or importlib.util.find_spec("bench.figures") is None:
        raise ConfigError(
            "the benchmark suite is not installed with harness: it lives in the bench/ folder of harness's "
            "repository; run `harness bench` (or `python -m bench`) from a checkout of it"
        )
    from bench.__main__ import main

    arguments = ["--help" if argument == "--help-suite" else argument for argument in ctx.args]
    main(arguments)
