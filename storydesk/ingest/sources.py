"""What the user named, walked in a deterministic order: files, folders (recursive), globs, "-" for stdin.

Each path becomes articles or a `Rejected` with a reason a person can act on; the CLI reports rejections
rather than dropping them. Folders and globs are sorted; a file reached twice is read once. Hidden entries
of a folder (names starting with ".") are listed as skipped unless `include_hidden`.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any

from storydesk.boundary import reason
from storydesk.config import Config
from storydesk.ingest.formats import CONTAINERS, ReadTask, jsonl_tasks, read_each
from storydesk.model import Article, Rejected

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl", *CONTAINERS})
_KINDS = {stat.S_IFIFO: "named pipe (FIFO)", stat.S_IFSOCK: "socket", stat.S_IFCHR: "character device",
          stat.S_IFBLK: "block device"}


def read_inputs(
    paths: Sequence[str],
    *,
    config: Config | None = None,
    stdin: IO[Any] | None = None,
    progress: Callable[[int], None] | None = None,
    include_hidden: bool = False,
) -> tuple[list[Article], list[Rejected]]:
    """Articles and rejections for `paths` ("-" reads JSONL from `stdin`); `progress` gets a running count."""
    articles: list[Article] = []
    rejected: list[Rejected] = []
    items = iter_inputs(paths, config=config, stdin=stdin, include_hidden=include_hidden)
    for n, item in enumerate(items, 1):
        (articles if isinstance(item, Article) else rejected).append(item)
        if progress:
            progress(n)
    return articles, rejected


def iter_inputs(
    paths: Sequence[str],
    *,
    config: Config | None = None,
    stdin: IO[Any] | None = None,
    include_hidden: bool = False,
) -> Iterator[Article | Rejected]:
    """Streaming form of `read_inputs`: one article or rejection at a time, JSONL read line by line, each
    file inside the boundary (`storydesk.boundary.guard_read`). `stdin` may be a text or a byte stream;
    None reads the process's own (a closed one is a rejection)."""
    config = config or Config()
    yield from read_each(read_tasks(paths, config=config, stdin=stdin, include_hidden=include_hidden), config)


def read_tasks(
    paths: Sequence[str],
    *,
    config: Config,
    stdin: IO[Any] | None = None,
    include_hidden: bool = False,
    batch: int = 1,
) -> Iterator[ReadTask | Rejected]:
    """What `iter_inputs` reads, as units of work in its order (a file, or up to `batch` lines of a JSONL
    file or of stdin, read here), and the rejections met while walking and reading lines: the tasks a pool
    of processes shares (`engines.local.iter_cleaned`). A batch of 1 reads stdin as lines arrive."""
    for source in expand_paths(paths, include_hidden=include_hidden):
        if isinstance(source, Rejected):
            yield source
        elif source == "-":
            stream = stdin if stdin is not None else sys.stdin
            if stream is None or stream.closed:
                yield Rejected("-", "standard input is closed")
                continue
            yield from _jsonl_tasks("-", partial(_byte_lines, stream), config, batch)
        elif source.lower().endswith(".jsonl"):
            yield from _jsonl_tasks(source, partial(_file_lines, source), config, batch)
        else:
            yield ReadTask(source)


def _jsonl_tasks(
    name: str, lines: Callable[[], Iterator[bytes]], config: Config, batch: int
) -> Iterator[ReadTask | Rejected]:
    """`formats.jsonl_tasks` of an input's lines; an input that cannot be read is rejected with the reason,
    after the tasks of the lines read before."""
    try:
        yield from jsonl_tasks(lines(), name, batch, config.ingest.max_bytes)
    except OSError as err:
        yield Rejected(name, f"cannot read: {err.strerror or err}")
    except Exception as error:  # the boundary, as `guard_read` draws it for a whole file
        yield Rejected(name, f"could not be read: {reason(error)}")


def _file_lines(path: str) -> Iterator[bytes]:
    with open(path, "rb") as stream:
        yield from stream


def _byte_lines(stream: IO[Any]) -> Iterator[bytes]:
    """The lines of a stream as bytes, so each line is decoded (and an invalid byte costs one character)
    the way a file's are; a text stream's lines are encoded back."""
    for line in getattr(stream, "buffer", stream):
        yield line.encode("utf-8", errors="surrogatepass") if isinstance(line, str) else line


def expand_paths(paths: Sequence[str], *, include_hidden: bool = False) -> Iterator[str | Rejected]:
    """Files to read ("-" for stdin), in order, each once; folders recursively (hidden entries listed as
    skipped unless `include_hidden`); everything else reached is a rejection saying what it is."""
    seen: set[str] = set()
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        if glob.has_magic(raw) and not os.path.lexists(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield Rejected(raw, "no files match this pattern")
            for match in matches:
                yield from _reach(Path(match), seen, include_hidden, set())
        else:
            yield from _reach(Path(raw), seen, include_hidden, set())


def _reach(path: Path, seen: set[str], include_hidden: bool, folders: set[str]) -> Iterator[str | Rejected]:
    """What one path is: a file to read, a folder to walk, or a rejection with the reason (a dangling link,
    a link loop, a named pipe, a device). `folders` are the real paths of the folders being walked."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        yield Rejected(str(path), _unreachable(path, err))
        return
    if stat.S_ISDIR(mode):
        real = os.path.realpath(path)
        if real in folders:
            yield Rejected(str(path), "symbolic link loop (links back to a folder being read)")
            return
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as err:
            yield Rejected(str(path), f"cannot read folder: {err.strerror or err}")
            return
        for entry in entries:
            child = Path(entry.path)
            if entry.name.startswith(".") and not include_hidden:
                kind = "folder" if entry.is_dir(follow_symlinks=False) else "file"
                yield Rejected(str(child), f"skipped: hidden {kind} (--include-hidden reads it)")
            else:
                yield from _reach(child, seen, include_hidden, folders | {real})
    elif stat.S_ISREG(mode):
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            yield unsupported(str(path)) or str(path)
    else:
        yield Rejected(str(path), f"not a regular file (a {_KINDS.get(stat.S_IFMT(mode), 'special file')})")


def _unreachable(path: Path, err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symbolic link loop (the link never reaches a file)"
    if err.errno == errno.ENOENT and path.is_symlink():
        return f"dangling symbolic link (its target {os.readlink(path)!r} does not exist)"
    if err.errno == errno.ENOENT:
        return "no such file or directory"
    return f"cannot read: {err.strerror or err}"


def unsupported(name: str) -> Rejected | None:
    """The rejection of a file whose suffix names no format storydesk reads (None when it reads it)."""
    suffix = Path(name).suffix
    if suffix.lower() in SUFFIXES or name.lower().endswith(tuple(SUFFIXES)):
        return None
    return Rejected(name, f"unsupported file type ({suffix or 'no extension'})")


