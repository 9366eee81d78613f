"""The language of a report (py3langid's model, offline)."""

from __future__ import annotations

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
    counts = model.instance2fv(text[:max_chars])
    present = np.flatnonzero(counts)
    scores = counts[present].astype(np.float64) @ model.nb_ptc[present] + model.nb_pc
    return str(model.nb_classes[int(np.argmax(scores))])


@lru_cache(maxsize=1)
def _langid() -> Any:
    """The model, loaded once per process (it never changes, so the cache cannot change a result)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE)
