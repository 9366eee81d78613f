"""The self-contained HTML report: one file, inline CSS and SVG, every string from a report escaped."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from storydesk.report.svg import timeline_svg
from storydesk.report.view import STATUSES, ReportView, human_date
from storydesk.text import show_controls


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """Autoescape is on for every template: article text is hostile until proven otherwise; control
    characters are written out (`show_controls`) in every value shown."""
    env = jinja2.Environment(
        finalize=_shown,
        loader=jinja2.PackageLoader("storydesk.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["human_date"] = human_date
    env.globals["timeline_svg"] = lambda entries: Markup(timeline_svg(entries))
    return env


def _shown(value: object) -> object:
    return show_controls(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _stream(view: ReportView) -> jinja2.environment.TemplateStream:
    """The report page as it renders, piece by piece."""
    return _environment().get_template("report.html.j2").stream(view=view, statuses=STATUSES)


def render_html(view: ReportView) -> str:
    """The report as one self-contained HTML page."""
    return "".join(_stream(view))


def write_html(view: ReportView, path: Path) -> None:
    """`render_html` written to `path` piece by piece, never whole in memory (a large run's page is tens of
    megabytes, and a Python string of it up to four times that)."""
    with path.open("w", encoding="utf-8") as handle:
        _stream(view).dump(handle)
