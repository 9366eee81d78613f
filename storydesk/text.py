"""Text primitives shared by the stages: sentences with offsets, word tokens, stems, stop words.

Kept light to import (no spaCy, no NLTK) so that `storydesk brief` starts fast.
"""

from __future__ import annotations

import array
import importlib.resources
import itertools
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import nupunkt
import Stemmer

from storydesk.model import Span

if TYPE_CHECKING:
    import numpy as np

#: Numbers written as words, as news writes counts ("twelve days", "forty-one injured").
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12,
}  # fmt: skip

#: Characters a terminal or renderer acts on rather than shows: C0/C1 controls but tab and newline, DEL,
#: and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def show_controls(text: str) -> str:
    """`text` with each control or escape character written out ("\\x1b", "\\u202e"), so an article
    cannot clear a screen, retitle a window or reorder what a reader sees."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)
_SPACE = re.compile(r"\s")


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


#: A month as news writes it, in full or abbreviated ("Oct.", "Sept"); capitalised, so that "may" and "march"
#: the verbs are not months (under re.IGNORECASE it matches any case). The one pattern of header dates,
#: datelines and date expressions.
MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?\.?|July?\.?"
    r"|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)

# A leading news dateline that can be cut and leave a whole sentence: "LISBON, March 3 (Wire) - ",
# "FLORENCE, Italy, Feb. 25 (Wire) -- ", "(Wire) - ", "ROME _ " (AP), "(CNN) "; followed by a capital or an
# opening quote.
_DATELINE = re.compile(
    rf"^(?:(?P<place>[A-Z][A-Z.'’\- ]{{1,30}}[A-Z.])"
    rf"(?:,\s(?P<date>{MONTH}\s\d{{1,2}}(?:,\s\d{{4}})?)"  # , March 3(, 2026)
    rf"|,\s[A-Z][A-Za-z.]{{1,12}}(?:\s[A-Z][A-Za-z.]{{1,12}})?(?:\s\d{{1,2}})?){{0,2}}\s*"  # , South Korea
    r"(?:\((?P<agency>[A-Za-z .&/\-]{1,30})\)\s*)?"
    r"|\((?P<agency_alone>[A-Za-z .&/\-]{1,30})\)\s*)(?:[-—–]{1,2}|_)\s+(?=[A-Z\"“‘])"
    r"|^\((?P<wire>CNN|AP|AFP|Reuters|UPI|Bloomberg|Xinhua|dpa)\)\s+(?=[A-Z\"“‘])"
)


@dataclass(frozen=True)
class Dateline:
    """What a leading dateline says: where its text ends, and the date and agency it names if any."""

    end: int
    date: str | None
    agency: str | None


def read_dateline(text: str) -> Dateline | None:
    """The news dateline `text` starts with, or None."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    agency = match.group("agency") or match.group("agency_alone") or match.group("wire")
    return Dateline(match.end(), match.group("date"), agency)


def dateline_end(text: str) -> int:
    """Where a leading news dateline ("LISBON, March 3 (Wire) - ") ends in `text`; 0 when there is none."""
    found = read_dateline(text)
    return found.end if found else 0


def words(text: str) -> list[str]:
    """Word tokens as written (letters and digits, keeping inner apostrophes, dots and hyphens)."""
    return _WORD.findall(text)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words (storydesk/data/stopwords-en.txt, the list sumy ships), lower-case."""
    path = importlib.resources.files("storydesk") / "data" / "stopwords-en.txt"
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
    """An integer id for each string, in order of first sight (`words[id]` is the string).

    Owned by the object whose state it indexes and pickled with it, so ids mean the same words in every
    process that restores that object.
    """

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def __missing__(self, word: str) -> int:
        value = self[word] = len(self.words)
        self.words.append(word)
        return value

    def __reduce__(self):  # a dict subclass with an attribute: rebuild from the word list
        return _vocabulary_of, (self.words,)


def _vocabulary_of(words: list[str]) -> Vocabulary:
    vocabulary = Vocabulary()
    for word in words:
        vocabulary[word]
    return vocabulary


#: Characters a first cut of a text holds per word it must yield (English news averages about six).
_CHARS_PER_WORD = 12

#: Distinct whitespace-separated chunks a lexicon remembers the ids of before it starts over (a pure cache).
_CHUNK_CACHE = 1 << 20


class _ChunkIds(dict):
    """The vocabulary ids of the words of each whitespace-separated chunk of lower-cased text ("said," ->
    the id of "said"), tokenised once per distinct chunk. No word spans whitespace (whitespace is neither a
    letter, a digit nor a joiner), so a text's words are its chunks' words in order; and a chunk's words
    enter the vocabulary the first time the chunk is seen, in order, so ids are handed out as a token-by-
    token pass would."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        super().__init__()
        self.vocabulary = vocabulary

    def __missing__(self, chunk: str) -> tuple[int, ...]:
        found = self[chunk] = tuple(map(self.vocabulary.__getitem__, _WORD.findall(chunk)))
        return found


class Lexicon:
    """Integer ids (int32) of the lower-cased word tokens of texts, `words(text.lower())`, in a vocabulary of
    its own.

    Integer ids let stages look up per-word values (hashes, stems) in bulk with numpy (`table`) instead of
    one dict look-up per token. Dedup and grouping share one lexicon in a run, so each article is tokenised
    once (`ids` keeps the ids of the last `cache_size` texts; the cache is not pickled). A text is read
    chunk by chunk (`_ChunkIds`): news repeats its chunks, so most cost a dict look-up instead of a regex
    match and a look-up per word (10,000 synthetic articles: 2.25 -> 1.48 s).
    """

    def __init__(self, cache_size: int = 16_384) -> None:
        self.vocabulary = Vocabulary()
        self.cache_size = cache_size
        self._cache: OrderedDict[str, array.array] = OrderedDict()
        self._chunks = _ChunkIds(self.vocabulary)
        self._tables: dict[str, WordTable] = {}

    def __getstate__(self) -> dict:
        state = {**self.__dict__, "_cache": OrderedDict()}
        del state["_chunks"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._chunks = _ChunkIds(self.vocabulary)

    def ids(self, text: str, *, cache: bool = True) -> array.array:
        """The vocabulary ids of `text`'s words (do not modify the array; it may be cached)."""
        found = self._cache.get(text) if cache else None
        if found is not None:
            self._cache.move_to_end(text)
            return found
        if len(self._chunks) > _CHUNK_CACHE:
            self._chunks = _ChunkIds(self.vocabulary)
        chunk_ids = map(self._chunks.__getitem__, text.lower().split())
        found = array.array("i", itertools.chain.from_iterable(chunk_ids))
        if cache:
            self._cache[text] = found
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return found

    def lead_ids(self, text: str, count: int) -> array.array:
        """`ids(text)[:count]`, without tokenising the whole of a long text: from the cache when `text` is
        there (dedup's pass tokenised it), else from a prefix that ends before a whitespace character and
        holds `count` words. Whitespace ends every word, and the one context-dependent lower case (Greek
        final sigma) looks no further than it, so such a prefix has the same first words as the whole text.
        Not cached: a lead is not a text."""
        if count < 0:
            raise ValueError(f"a lead has 0 words or more, not {count}")
        found = self._cache.get(text)
        if found is not None:
            self._cache.move_to_end(text)
            return found[:count]
        chars = _CHARS_PER_WORD * (count + 1)
        while chars < len(text):
            space = _SPACE.search(text, chars)
            if space is None:
                break
            tokens = words(text[: space.start()].lower())
            if len(tokens) >= count:
                return array.array("i", map(self.vocabulary.__getitem__, tokens[:count]))
            chars = 2 * space.start()
        return self.ids(text, cache=False)[:count]

    def table(self, name: str, fn: Callable[[str], int], dtype: str) -> WordTable:
        """The table `name` of `fn(word)` per vocabulary word (made on first use, then kept)."""
        if name not in self._tables:
            self._tables[name] = WordTable(self.vocabulary, fn, dtype)
        return self._tables[name]


class WordTable:
    """A value per vocabulary word, `fn(word)`, computed once per word and read by ids in bulk.

    The values sit in an array that grows by doubling, so a look-up after a few new words costs those words,
    not a copy of the whole table: news keeps bringing new words (names, numbers), and copying a table of a
    million words for each article made a million-report run quadratic.

    `fn` must be picklable (a module-level function or an instance of a module-level class).
    """

    def __init__(self, vocabulary: Vocabulary, fn: Callable[[str], int], dtype: str) -> None:
        self._vocabulary = vocabulary
        self._fn = fn
        self._dtype = dtype
        self._values: np.ndarray | None = None  # the first `_known` entries are the words' values
        self._known = 0

    def __getstate__(self) -> dict:
        values = None if self._values is None else self._values[: self._known].copy()
        return {**self.__dict__, "_values": values}

    def __setstate__(self, state: dict) -> None:
        """Restore a table, one pickled before `_known` existed too (a store's stream state): its
        `_values` then held exactly the known words."""
        values = state["_values"]
        state["_known"] = 0 if values is None else len(values)  # pickles keep the known values only
        self.__dict__.update(state)

    def __getitem__(self, ids: Sequence[int]) -> np.ndarray:
        import numpy as np

        words = self._vocabulary.words
        if self._values is None or len(words) > self._known:
            new = words[self._known :]  # words first seen since the last look-up
            values = np.fromiter(map(self._fn, new), dtype=self._dtype, count=len(new))
            end = self._known + len(values)
            if self._values is None or end > len(self._values):
                grown = np.empty(max(1024, 2 * end), dtype=self._dtype)
                if self._values is not None:
                    grown[: self._known] = self._values[: self._known]
                self._values = grown
            self._values[self._known : end] = values
            self._known = end
        return self._values[: self._known][np.asarray(ids, dtype=np.intp)]  # an unknown id raises
