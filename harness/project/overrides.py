"""How a path setting is overridden from outside the project file: its ``HARNESS_*`` variable and its option.

Apart from ``harness.project.settings`` (and its pydantic models) so that the command line can name and document
its options while it loads, without loading what reads the settings.
"""

from __future__ import annotations

__all__ = ["PATH_SETTINGS", "env_variable", "option_name"]

PATH_SETTINGS = ("prompts_dir", "baselines_dir", "runs_dir")
"""The settings an environment variable (``HARNESS_<KEY>``) or a command-line option (``--<key>``) overrides too;
golden sets and tolerances are chosen per command (``--goldens``, ``--tolerance``)."""


def env_variable(key: str) -> str:
    """The environment variable that overrides a path setting: ``runs_dir`` -> ``HARNESS_RUNS_DIR``."""
    return f"HARNESS_{key.upper()}"


def option_name(key: str) -> str:
    """The command-line option that overrides a path setting: ``runs_dir`` -> ``--runs-dir``."""
    return "--" + key.replace("_", "-")
