"""HTML and Markdown reports rendered from the model's stories (`view` decides what both show)."""

from __future__ import annotations

from pathlib import Path

from storydesk.model import RunResult
from storydesk.report.html import render_html, write_html
from storydesk.report.markdown import render_markdown
from storydesk.report.view import ReportView, build_view


def report_view(result: RunResult, *, generated_at: str | None = None) -> ReportView:
    """The view of a run's stories and rejected inputs, stamped with this version of storydesk."""
    from storydesk import __version__
    from storydesk.document import SCHEMA_VERSION

    return build_view(result.stories, result.rejected, generated_at=generated_at, version=__version__,
                      schema_version=SCHEMA_VERSION)


def write_reports(result: RunResult, out_dir: Path, *, generated_at: str | None = None) -> dict[str, Path]:
    """Write report.html and report.md into `out_dir` (created if needed); return their paths by format."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    view = report_view(result, generated_at=generated_at)
    paths = {"html": out_dir / "report.html", "markdown": out_dir / "report.md"}
    write_html(view, paths["html"])
    paths["markdown"].write_text(render_markdown(view), encoding="utf-8")
    return paths


__all__ = ["build_view", "render_html", "render_markdown", "report_view", "write_reports"]
