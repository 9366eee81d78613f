"""HTML and Markdown reports rendered from the stories document (the dict that becomes stories.json)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storydesk.report.html import render_html
from storydesk.report.markdown import render_markdown


def write_reports(doc: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write report.html and report.md into `out_dir` (created if needed); return their paths by format."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"html": out_dir / "report.html", "markdown": out_dir / "report.md"}
    paths["html"].write_text(render_html(doc), encoding="utf-8")
    paths["markdown"].write_text(render_markdown(doc), encoding="utf-8")
    return paths


__all__ = ["render_html", "render_markdown", "write_reports"]
