"""Folders of this repository that tests read, for test modules and helpers to import (a fixture cannot
reach a ``parametrize`` list or a helper module)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["GOLDENS"]

GOLDENS = Path(__file__).resolve().parent.parent / "goldens"
"""The five golden documents: ``<doc_id>.txt`` (the article) beside ``<doc_id>.json`` (its annotation)."""
