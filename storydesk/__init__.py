"""storydesk: many news reports about the same events in, one cited account out.

>>> import storydesk
>>> result = storydesk.run(["examples/"])                       # doctest: +SKIP
>>> [s.title for s in result.stories]                           # doctest: +SKIP
>>> config = storydesk.Config().replace("brief", max_words=300)
>>> result = storydesk.run(["examples/"], config=config)        # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storydesk.config import Config

__version__ = "0.1.0"

if TYPE_CHECKING:
    from storydesk.model import RunResult


def run(paths: list[str], *, config: Config | None = None, **options: Any) -> RunResult:
    """Run the whole pipeline over files, folders or globs; see `storydesk.pipeline.run`."""
    from storydesk.pipeline import run as _run

    return _run(paths, config=config, **options)


__all__ = ["Config", "__version__", "run"]
