"""Paths the tests share: the seed goldens and the prompts, both the built-in ones harness ships (this repository's
settings point at them, so they are what `harness eval` reads here and what a wheel carries)."""

from __future__ import annotations

from harness.project.builtin import BUILTIN_GOLDENS_DIR, BUILTIN_PROMPTS_DIR

__all__ = ["GOLDENS", "PROMPTS"]

GOLDENS = BUILTIN_GOLDENS_DIR
"""The five seed articles and their goldens (the golden set ``seeds``)."""
PROMPTS = BUILTIN_PROMPTS_DIR
"""``<name>/v<N>.md``: the prompt versions."""
