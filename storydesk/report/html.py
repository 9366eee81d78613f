"""The self-contained HTML report: one file, inline CSS and SVG, every string from a report escaped."""

from __future__ import annotations

from functools import lru_cache

import jinja2
from markupsafe import Markup

from storydesk.model import Rejected
from storydesk.report.svg import timeline_svg
from storydesk.report.view import STATUSES, ReportHeader, ReportView, StoryView, human_date
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


def html_head(header: ReportHeader) -> str:
    """The page up to its first story."""
    return _environment().get_template("report_head.html.j2").render(head=header)


def html_story(story: StoryView) -> str:
    """One story's section of the page, ending in a newline (which Jinja strips from a template's end)."""
    return _environment().get_template("story.html.j2").render(story=story, statuses=STATUSES) + "\n"


def html_tail(rejected: list[Rejected]) -> str:
    """The page after its last story."""
    return _environment().get_template("report_tail.html.j2").render(rejected=rejected)


def render_html(view: ReportView) -> str:
    """The report as one self-contained HTML page."""
    return html_head(view.header) + "".join(map(html_story, view.stories)) + html_tail(view.rejected)
