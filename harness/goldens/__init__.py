"""Golden sets: hand-written reference Articles, the documents they annotate, checking and hashing them.

Checking (``harness.goldens.check``) reads post-processing's date rule, so it is imported on its
own; scoring needs only the schema and the loaded set.
"""

from harness.goldens.files import GoldenIssue, golden_files, load_golden
from harness.goldens.golden_set import GoldenSet, as_golden_set, load_golden_set
from harness.goldens.schema import GoldenArticle, GoldenContact

__all__ = [
    "GoldenArticle",
    "GoldenContact",
    "GoldenIssue",
    "GoldenSet",
    "as_golden_set",
    "golden_files",
    "load_golden",
    "load_golden_set",
]
