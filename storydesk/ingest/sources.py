"""What the user named, walked in a deterministic order: files, folders (recursive), globs, "-" for stdin.

Each path becomes articles or a `Rejected` with a reason a person can act on; the CLI reports rejections
rather than dropping them. Folders and globs are sorted; a file reached twice is read once.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from storydesk.config import Config
from storydesk.ingest.formats import CONTAINERS, read_file, read_jsonl_line
from storydesk.model import Article, Rejected

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl", *CONTAINERS})


def read_inputs(
    paths: Sequence[str],
    *,
    config: Config | None = None,
    stdin: TextIO | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Article], list[Rejected]]:
    """Articles and rejections for `paths` ("-" reads JSONL from `stdin`); `progress` gets a running count."""
    articles: list[Article] = []
    rejected: list[Rejected] = []
    for n, item in enumerate(iter_inputs(paths, config=config, stdin=stdin), 1):
        (articles if isinstance(item, Article) else rejected).append(item)
        if progress:
            progress(n)
    return articles, rejected


def iter_inputs(
    paths: Sequence[str],
    *,
    config: Config | None = None,
    stdin: TextIO | None = None,
) -> Iterator[Article | Rejected]:
    """Streaming form of `read_inputs`: one article or rejection at a time, JSONL read line by line."""
    config = config or Config()
    for source in _expand(paths):
        if isinstance(source, Rejected):
            yield source
        elif source == "-":
            stream = stdin if stdin is not None else sys.stdin
            for n, line in enumerate(stream, 1):
                yield from read_jsonl_line(line.encode("utf-8"), f"-#{n}", config)
        else:
            yield from read_file(Path(source), config)


def _expand(paths: Sequence[str]) -> Iterator[str | Rejected]:
    """Files to read ("-" for stdin), in order, each once; folders recursively, without hidden entries."""
    seen: set[str] = set()
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
        elif path.is_file():
            files = [path]
        elif glob.has_magic(raw):
            files = [Path(p) for p in sorted(glob.glob(raw, recursive=True)) if Path(p).is_file()]
            if not files:
                yield Rejected(raw, "no files match this pattern")
        else:
            yield Rejected(raw, "no such file or directory")
            continue
        for file in files:
            key = os.path.realpath(file)
            if key in seen:
                continue
            seen.add(key)
            yield unsupported(str(file)) or str(file)


def unsupported(name: str) -> Rejected | None:
    """The rejection of a file whose suffix names no format storydesk reads (None when it reads it)."""
    suffix = Path(name).suffix
    if suffix.lower() in SUFFIXES or name.lower().endswith(tuple(SUFFIXES)):
        return None
    return Rejected(name, f"unsupported file type ({suffix or 'no extension'})")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
