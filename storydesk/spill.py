"""Articles kept on disk and read back by position, so a run's memory does not grow with its texts.

A million cleaned reports are about 4 GB of text; dedup and grouping need each text only for a moment
(to sketch it, to featurise it) and the analysis one story at a time. `ArticleSpill` is the list they
read from: appending writes the article (pickled) to an unnamed temporary file — gone when it is closed,
or when the process ends, crash included — and indexing reads it back.
"""

from __future__ import annotations

import array
import os
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from typing import overload

from storydesk.model import Article


class ArticleSpill(Sequence[Article]):
    """An append-only sequence of articles in a temporary file (in `directory`, default the system's temp
    folder, `TMPDIR`). Memory: 8 bytes a stored article. Not shared between processes: a worker gets
    articles, never the spill."""

    def __init__(self, directory: str | None = None) -> None:
        self._file = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115 - closed by close()
        self._offsets = array.array("q", [0])
        self._unflushed = False

    def append(self, article: Article) -> None:
        self.append_pickled(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL))

    def append_pickled(self, data: bytes) -> None:
        """Append an article already pickled (as Spark's rows carry them), without unpickling it."""
        self._file.write(data)
        self._offsets.append(self._offsets[-1] + len(data))
        self._unflushed = True

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> list[Article]: ...

    def __getitem__(self, index: int | slice) -> Article | list[Article]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("spill index out of range")
        if self._unflushed:
            self._file.flush()
            self._unflushed = False
        start, end = self._offsets[index], self._offsets[index + 1]
        return pickle.loads(os.pread(self._file.fileno(), end - start, start))

    def __iter__(self) -> Iterator[Article]:
        return (self[i] for i in range(len(self)))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ArticleSpill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
