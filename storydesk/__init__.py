"""storydesk: many news reports about the same events in, one cited account out.

>>> import storydesk
>>> result = storydesk.run(["examples/"])          # doctest: +SKIP
>>> [s.title for s in result.stories]              # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from storydesk.model import RunResult


def run(paths: list[str], **options: Any) -> RunResult:
    """Run the whole pipeline over files, folders or globs; see `storydesk.pipeline.run`."""
    from storydesk.pipeline import run as _run

    return _run(paths, **options)


__all__ = ["__version__", "run"]
