"""Render a report's view-model to one self-contained HTML file with the templates shipped in this package.

Style and script are inlined from ``templates/report.css`` and ``templates/report.js``; the page
declares a Content-Security-Policy that allows no request at all, so it opens offline, from a CI
artifact, or from an e-mail attachment exactly the same way.
"""

from __future__ import annotations

import functools
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from harness.report.model import RecordMark, Report

__all__ = ["render_report"]

TEMPLATE = "report.html.j2"
_ASSETS = ("report.css", "report.js")


def _signed(value: float) -> str:
    """A delta with its sign; a minus sign, not a hyphen."""
    return f"{value:+.3f}".replace("-", "\N{MINUS SIGN}")


def _rate(value: float) -> str:
    return f"{value:.3f}"


@functools.cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("harness.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["signed"] = _signed
    environment.filters["rate"] = _rate
    return environment


@functools.cache
def _asset(name: str) -> Markup:
    """A static file of the templates folder, inlined as it is (it holds no ``</style>`` or ``</script>``)."""
    return Markup((files("harness.report") / "templates" / name).read_text(encoding="utf-8"))


def render_report(report: Report) -> str:
    """The report as one HTML document."""
    css, js = (_asset(name) for name in _ASSETS)
    return _environment().get_template(TEMPLATE).render(report=report, marks=RecordMark, css=css, js=js)
