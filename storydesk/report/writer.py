"""A run's stories.json, report.html and report.md written story by story, so a large run's memory does not
grow with its stories.

Each story's piece of each file goes to an anonymous spool file as soon as the story is analysed (in any
order: worker processes finish stories out of order), and only its line in the contents stays in memory.
`finish` writes each file in story order — head, the stories' pieces, tail — beside its final name and
moves it there, so a run stopped half way never leaves a half-written report. The files are the same bytes
as `json.dumps(build_document(...), indent=2)`, `render_html` and `render_markdown` of all the stories.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from storydesk.document import SCHEMA_VERSION, document_head, rejected_to_list, story_to_dict
from storydesk.model import Rejected, Story
from storydesk.report.html import html_head, html_story, html_tail
from storydesk.report.markdown import markdown_head, markdown_story, markdown_tail
from storydesk.report.view import HeaderTally, story_view

#: Output file of each format.
FILES = {"json": "stories.json", "html": "report.html", "markdown": "report.md"}


class RunWriter:
    """Use as a context manager: `add` every story by its place in the run, then `finish`."""

    def __init__(self, out_dir: Path, *, generated_at: str) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.generated_at = generated_at
        # Closed in __exit__; anonymous, so gone even when the run is killed.
        self._spools: dict[str, IO[bytes]] = {
            fmt: tempfile.TemporaryFile(dir=self.out_dir) for fmt in FILES  # noqa: SIM115
        }
        #: Story index → (offset, length) of its piece in each spool, in FILES order.
        self._pieces: dict[int, list[tuple[int, int]]] = {}
        self._tally = HeaderTally()

    def __enter__(self) -> RunWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        for spool in self._spools.values():
            spool.close()

    def add(self, index: int, story: Story) -> None:
        """Spool story `index` (0-based place in the run) in every format."""
        if index in self._pieces:
            raise ValueError(f"story {index} was already added")
        view = story_view(index + 1, story)
        texts = {"json": _json_piece(story_to_dict(story), 2), "html": html_story(view),
                 "markdown": markdown_story(view)}
        places = []
        for fmt, text in texts.items():
            spool = self._spools[fmt]
            spool.seek(0, os.SEEK_END)
            data = text.encode("utf-8")
            places.append((spool.tell(), len(data)))
            spool.write(data)
        self._pieces[index] = places
        self._tally.add(index, view, story)

    def finish(self, rejected: list[Rejected]) -> dict[str, Path]:
        """Write the three files (stories 0 … n-1 must all have been added); return their paths by format."""
        from storydesk import __version__

        order = sorted(self._pieces)
        if order != list(range(len(order))):
            missing = sorted(set(range(order[-1] + 1)) - set(order))
            raise ValueError(f"stories missing from the run: {missing[:5]}")
        header = self._tally.header(len(rejected), generated_at=self.generated_at, version=__version__,
                                    schema_version=SCHEMA_VERSION)
        head = json.dumps(document_head(self.generated_at), ensure_ascii=False, indent=2)
        frames = {
            "json": (head[:-2] + ',\n  "stories": [', ",",
                     ("\n  ]" if order else "]") + ',\n  "rejected": '
                     + _json_piece(rejected_to_list(rejected), 1).lstrip() + "\n}"),
            "html": (html_head(header), "", html_tail(rejected)),
            "markdown": (markdown_head(header), "", markdown_tail(rejected)),
        }
        paths = {}
        for k, (fmt, name) in enumerate(FILES.items()):
            start, between, end = frames[fmt]
            paths[fmt] = self._write(name, start, between, end, [self._pieces[i][k] for i in order],
                                     self._spools[fmt])
        return paths

    def _write(self, name: str, start: str, between: str, end: str, places: list[tuple[int, int]],
               spool: IO[bytes]) -> Path:
        path = self.out_dir / name
        partial = path.with_name(f".{name}.partial")
        with partial.open("wb") as out:
            out.write(start.encode("utf-8"))
            for n, (offset, length) in enumerate(places):
                if n:
                    out.write(between.encode("utf-8"))
                spool.seek(offset)
                out.write(spool.read(length))
            out.write(end.encode("utf-8"))
        partial.replace(path)
        return path


def _json_piece(value: Any, level: int) -> str:
    """`value` as it appears `level` levels deep in the indented document, on a line of its own."""
    pad = "  " * level
    return "\n" + pad + json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)
