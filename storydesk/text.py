"""Text primitives shared by the stages: sentences with offsets, word tokens, stems, stop words.

Kept light to import (no spaCy, no NLTK) so that `storydesk brief` starts fast.
"""

from __future__ import annotations

import array
import importlib.resources
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import nupunkt
import Stemmer

from storydesk.model import Span

if TYPE_CHECKING:
    import numpy as np

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)


def sentences(text: str) -> list[Span]:
    """Split text into sentences (nupunkt), never across paragraph breaks, with exact offsets."""
    spans: list[Span] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        base = para.start()
        for _, (start, end) in nupunkt.sent_spans_with_text(para.group()):
            raw = para.group()[start:end]
            lead = len(raw) - len(raw.lstrip())
            trail = len(raw.rstrip())
            if trail > lead:
                spans.append(Span(base + start + lead, base + start + trail, raw[lead:trail]))
    return spans


_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’\- ]{1,30}[A-Z.](?:,\s[A-Z][A-Za-z.]{1,12}(?:\s\d{1,2})?)?\s*"
    r"(?:\([A-Za-z .&/\-]{1,30}\)\s*)?"
    r"|\([A-Za-z .&/\-]{1,30}\)\s*)(?:[-—–]{1,2}|_)\s+(?=[A-Z\"“‘])"
    r"|^\((?:CNN|AP|AFP|Reuters|UPI|Bloomberg|Xinhua|dpa)\)\s+(?=[A-Z\"“‘])"
)


def dateline_end(text: str) -> int:
    """Where a leading news dateline ("LISBON, March 3 (Wire) - ") ends in `text`; 0 when there is none."""
    match = _DATELINE.match(text)
    return match.end() if match else 0


def words(text: str) -> list[str]:
    """Word tokens as written (letters and digits, keeping inner apostrophes, dots and hyphens)."""
    return _WORD.findall(text)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words (the list sumy ships), lower-case."""
    path = importlib.resources.files("sumy") / "data" / "stopwords" / "english.txt"
    return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8").split() if w.strip())


def stems(text: str, *, drop_stop_words: bool = True) -> list[str]:
    """Lower-cased Porter2 stems of the words of `text`, optionally without stop words."""
    toks = [w.lower() for w in words(text)]
    return content_stems(toks) if drop_stop_words else _stemmer().stemWords(toks)


def content_stems(tokens: Iterable[str]) -> list[str]:
    """Porter2 stems of lower-case tokens that are not stop words (`stems` for pre-split text)."""
    stop = stop_words()
    return _stemmer().stemWords([w for w in tokens if w not in stop])


class Vocabulary(dict):
    """An integer id for each string, in order of first sight (`words[id]` is the string); ids are stable."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def __missing__(self, word: str) -> int:
        value = self[word] = len(self.words)
        self.words.append(word)
        return value


_VOCABULARY = Vocabulary()  # process-wide, of lower-case words


def word_ids(text: str) -> array.array:
    """Process-wide vocabulary ids (int32) of the lower-cased word tokens of `text`: `words(text.lower())`.

    Integer ids let stages look up per-word values (hashes, stems) in bulk with numpy (`WordTable`) instead
    of one dict look-up per token. The vocabulary is never cleared (ids must stay valid).
    """
    return array.array("i", map(_VOCABULARY.__getitem__, words(text.lower())))


@lru_cache(maxsize=16_384)
def cached_word_ids(text: str) -> array.array:
    """`word_ids(text)`, cached per text (do not modify the array): dedup and grouping both read every
    article's words, so each article is tokenised once (the cache holds 4 bytes a token)."""
    return word_ids(text)


class WordTable:
    """A value per vocabulary word, `fn(word)`, computed once per word per process and read by ids in bulk."""

    def __init__(self, fn: Callable[[str], int], dtype: str) -> None:
        self._fn = fn
        self._dtype = dtype
        self._values: np.ndarray | None = None

    def __getitem__(self, ids: Sequence[int]) -> np.ndarray:
        import numpy as np

        known = 0 if self._values is None else len(self._values)
        new = _VOCABULARY.words[known:]  # words first seen since the last look-up
        if self._values is None or new:
            values = np.fromiter(map(self._fn, new), dtype=self._dtype, count=len(new))
            self._values = values if self._values is None else np.concatenate([self._values, values])
        return self._values[np.asarray(ids, dtype=np.intp)]
