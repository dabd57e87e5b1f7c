"""The defaults harness ships inside its package: the prompt versions and the seed golden set.

They are package data (``harness/defaults/``), so a wheel installed anywhere can extract and score
with no project of its own, and ``harness init`` copies a new project's starting files from them.
This repository's own ``[tool.harness]`` points at the same folder: one copy, byte for byte.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BUILTIN_GOLDENS_DIR",
    "BUILTIN_GOLDEN_SET",
    "BUILTIN_PROMPTS_DIR",
    "DEFAULT_PROMPT",
    "EXAMPLE_GOLDEN",
    "GUIDELINES_FILE",
]

_DEFAULTS = Path(__file__).resolve().parent.parent / "defaults"

BUILTIN_PROMPTS_DIR = _DEFAULTS / "prompts"
"""``prompts/<name>/v<N>.md``: the prompt versions harness ships."""
DEFAULT_PROMPT = "extract@v5"
"""The prompt every command extracts with unless told otherwise, and the one ``harness init`` copies: the best on
the dev set and not worse on the seeds (README, "How extraction works"); the earlier versions stay runnable by
name."""
BUILTIN_GOLDENS_DIR = _DEFAULTS / "goldens"
"""The five seed articles (their text byte for byte: every golden offset indexes it) and their goldens."""
BUILTIN_GOLDEN_SET = "seeds"
"""The name of the built-in golden set."""
GUIDELINES_FILE = "GUIDELINES.md"
"""The annotation guidelines, beside the seed goldens; ``harness init`` copies them into a new project."""
EXAMPLE_GOLDEN = "000_16f2693d727d1e4c"
"""The seed golden ``harness init`` copies as a new project's example: the shortest article (four actors, a call)."""
