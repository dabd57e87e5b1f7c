"""Golden sets: hand-written reference Articles, the documents they annotate, checking and hashing them.

Checking (``harness.goldens.check``) reads post-processing's date rule, so it is imported on its
own; scoring needs only the schema and the loaded set.
"""

from harness.goldens.files import GoldenIssue, golden_files, load_golden
from harness.goldens.golden_set import GoldenSet, as_golden_set, combine_sets, load_golden_set
from harness.goldens.schema import GoldenArticle, GoldenContact
from harness.goldens.sets import resolve_set, resolve_sets

__all__ = [
    "GoldenArticle",
    "GoldenContact",
    "GoldenIssue",
    "GoldenSet",
    "as_golden_set",
    "combine_sets",
    "golden_files",
    "load_golden",
    "load_golden_set",
    "resolve_set",
    "resolve_sets",
]
