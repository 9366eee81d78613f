"""HTML and Markdown reports rendered from the model's stories (`view` decides what both show)."""

from __future__ import annotations

from pathlib import Path

from storydesk.model import RunResult
from storydesk.report.html import render_html
from storydesk.report.markdown import render_markdown
from storydesk.report.view import ReportView, build_view
from storydesk.report.writer import RunWriter


def report_view(result: RunResult, *, generated_at: str | None = None) -> ReportView:
    """The view of a run's stories and rejected inputs, stamped with this version of storydesk."""
    from storydesk import __version__
    from storydesk.document import SCHEMA_VERSION

    return build_view(result.stories, result.rejected, generated_at=generated_at, version=__version__,
                      schema_version=SCHEMA_VERSION)


def write_reports(result: RunResult, out_dir: Path, *, generated_at: str | None = None) -> dict[str, Path]:
    """Write stories.json, report.html and report.md into `out_dir` (created if needed); return their paths
    by format ("json", "html", "markdown")."""
    from storydesk.document import now

    with RunWriter(out_dir, generated_at=generated_at or now()) as writer:
        for index, story in enumerate(result.stories):
            writer.add(index, story)
        return writer.finish(result.rejected)


__all__ = ["RunWriter", "build_view", "render_html", "render_markdown", "report_view", "write_reports"]
