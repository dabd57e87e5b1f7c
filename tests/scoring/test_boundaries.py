"""Scoring reads predictions and goldens only: it never loads the extraction side."""

from __future__ import annotations

import subprocess
import sys

EXTRACTION_SIDE = ["harness.run.extract", "harness.backends", "harness.run.jobs", "instructor", "openai"]
SCORING_MODULES = ["harness.scoring", "harness.scoring.loading", "harness.scoring.tables", "harness.cli.score_cmd"]

PROBE = f"""
import importlib, sys
for name in {SCORING_MODULES!r}:
    importlib.import_module(name)
print(sorted(name for name in sys.modules if name in {EXTRACTION_SIDE!r}))
"""


def test_importing_scoring_loads_no_extraction_module() -> None:
    process = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=False)
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "[]"
