"""The language of a report (py3langid's model, offline)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np


def detect_language(text: str, *, max_chars: int = 5000) -> str | None:
    """ISO 639-1 code of the text's language, None when there are no letters; reads `max_chars` at most.

    Scores only the n-gram features present in the text: py3langid's own `classify` multiplies the whole
    feature vector (7,480 counts, mostly zero) by its float table, which took most of ingest's time.
    The argmax, hence the answer, is the same.
    """
    if not any(c.isalpha() for c in text):
        return None
    model = _langid()
    emitted = np.array(_extractor().indexes(text[:max_chars]), dtype=np.int64)
    present, counts = np.unique(emitted, return_counts=True)
    scores = counts.astype(np.float64) @ model.nb_ptc[present] + model.nb_pc
    return str(model.nb_classes[int(np.argmax(scores))])


#: A word and the space after it: the pieces `_Features` remembers the automaton's walk over.
_PIECE = re.compile(rb"[^ ]* ?")

#: (state, piece) walks `_Features` keeps before it starts over (about 250 bytes each: 65 MB at most).
_WALKS = 1 << 18

#: Longest piece whose walk is kept: words are shorter; a long run (a URL, an encoded blob) is walked anew.
_WALK_BYTES = 32


class _Features:
    """py3langid's `instance2fv` without its byte-by-byte Python loop for words seen before: the feature
    extractor is an automaton (`tk_nextmove`) that emits features (`tk_output`) at each state it enters,
    so a word read from a given state always ends in the same state with the same features. Each (state,
    word) walk is taken once and remembered (a pure cache, bounded): the same features, in the same
    counts, as `instance2fv` (tests/ingest/test_ingest.py compares them), with 2.3x less CPU once the walks
    are warm (3,000 synthetic texts)."""

    def __init__(self, model: Any) -> None:
        self._moves, self._output = model.tk_nextmove, model.tk_output
        self._walks: dict[tuple[int, bytes], tuple[int, tuple[int, ...]]] = {}

    def indexes(self, text: str) -> list[int]:
        """The feature index of every emission, in order (a feature emitted n times appears n times)."""
        state, found = 0, []
        if len(self._walks) > _WALKS:
            self._walks.clear()
        for piece in _PIECE.findall(text.encode("utf8", errors="surrogatepass")):
            walk = self._walks.get((state, piece))
            if walk is None:
                walk = self._walk(state, piece)
                if len(piece) <= _WALK_BYTES:
                    self._walks[state, piece] = walk
            state = walk[0]
            found.extend(walk[1])
        return found

    def _walk(self, state: int, piece: bytes) -> tuple[int, tuple[int, ...]]:
        moves, output, emitted = self._moves, self._output, []
        for byte in piece:
            state = moves[(state << 8) + byte]
            emitted.extend(output.get(state, ()))
        return state, tuple(emitted)


@lru_cache(maxsize=1)
def _extractor() -> _Features:
    """The model's feature extractor, one per process (its walks are a pure cache)."""
    return _Features(_langid())


@lru_cache(maxsize=1)
def _langid() -> Any:
    """The model, loaded once per process (it never changes, so the cache cannot change a result)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE)
