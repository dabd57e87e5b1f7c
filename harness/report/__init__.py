"""The HTML report: one self-contained file per run (or comparison) to read what a run got right and wrong.

``build_report`` reads a run, its goldens and optionally a baseline into a typed view-model (``model``);
``render_report`` turns it into HTML with the jinja2 templates shipped in ``templates/``. Reads results,
scores and comparisons; never imports the extraction side.
"""

from harness.report.build import build_report, write_report
from harness.report.model import Report
from harness.report.render import render_report

__all__ = ["Report", "build_report", "render_report", "write_report"]
