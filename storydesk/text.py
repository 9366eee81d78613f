"""Text primitives shared by the stages: sentences with offsets, word tokens, stems, stop words.

Kept light to import (no spaCy, no NLTK) so that `storydesk brief` starts fast.
"""

from __future__ import annotations

import importlib.resources
import re
import sys
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import nupunkt
import Stemmer

from storydesk.model import Span

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


def words(text: str) -> list[str]:
    """Word tokens as written (letters and digits, keeping inner apostrophes, dots and hyphens)."""
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(text.split())


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


@lru_cache(maxsize=16_384)
def lower_words(text: str) -> tuple[str, ...]:
    """Lower-cased word tokens of `text` (as `words`), interned and cached per text.

    Dedup and story grouping both read every article's words; the cache lets them tokenise each article
    once (about 4 KB a 500-word article: tokens are interned, so the cache holds pointers).
    """
    return tuple(map(sys.intern, words(text.lower())))


def content_stems(tokens: Iterable[str]) -> list[str]:
    """Porter2 stems of lower-case tokens that are not stop words (`stems` for pre-split text)."""
    stop = stop_words()
    return _stemmer().stemWords([w for w in tokens if w not in stop])


class _StemCache(dict):
    """Porter2 stem of each lower-case word (None for a stop word), computed once per word per process."""

    def __missing__(self, word: str) -> str | None:
        if len(self) > 1_000_000:
            self.clear()
        value = self[word] = None if word in stop_words() else _stemmer().stemWord(word)
        return value


_STEMS = _StemCache()


def content_stem_counts(tokens: Iterable[str]) -> Counter[str]:
    """`Counter(content_stems(tokens))` (same counts, same first-seen order), about 3x faster.

    Each distinct word is stemmed once per process; after that a token costs one dict look-up in C.
    """
    counts = Counter(map(_STEMS.__getitem__, tokens))
    counts.pop(None, None)
    return counts
