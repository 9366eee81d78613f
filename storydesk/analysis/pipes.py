"""Faster stand-ins, with identical output, for the two rule-based pipes of the shipped spaCy model.

Measured on the 150 Multi-News articles of `bench/floor.py`, en_core_web_sm's attribute ruler (4.6 s) and
lemmatizer (3.4 s) took more time than its parser (3.5 s): the ruler runs all 179 of its patterns through
spaCy's Matcher at every token, though 150 of them are one token with exact values (the tag map, and word
exceptions such as LOWER "ai" with TAG "VBP"), and the lemmatizer recomputes, for every noun, verb and
adjective, a lemma that depends only on the word, its part of speech and its morphology (spaCy caches only
the rule-table path). `speed_up` replaces the ruler by `IndexedAttributeRuler` (those 150 patterns looked up
in a dict per token, the rest through the Matcher, every match applied in the original order) and puts a
bounded cache in front of the lemmatizer. tests/analysis/test_pipes.py checks every token attribute against
the model as shipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens._retokenize import set_token_attrs

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.vocab import Vocab

#: Token attributes a one-token pattern may test by exact string value and still be looked up in a dict.
_EXACT = ("DEP", "LOWER", "TAG")
#: Distinct (word, part of speech, morphology) lemmas remembered before the cache starts over.
_LEMMA_CACHE = 500_000


class IndexedAttributeRuler:
    """spaCy's `AttributeRuler` with its one-token exact-value patterns in dicts (see the module doc).

    The patterns and their attributes live in a plain `AttributeRuler` (`ruler`), so `patterns` reads as
    spaCy's; only matching differs, and the matches are applied sorted by pattern as spaCy applies them
    (a later pattern overrides an earlier one on the same token).
    """

    def __init__(self, vocab: Vocab) -> None:
        self.ruler = AttributeRuler(vocab)
        self._exact: dict[tuple[str, ...], dict[tuple[str, ...], list[int]]] = {}
        self._rest = Matcher(vocab)

    @property
    def patterns(self) -> list[dict[str, Any]]:
        return self.ruler.patterns

    def add_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        for pattern in patterns:
            number = len(self.ruler.attrs)
            self.ruler.add(**pattern)
            alternatives = pattern["patterns"]
            if pattern.get("index", 0) == 0 and all(_exact(p) for p in alternatives):
                for (token,) in alternatives:
                    fields = tuple(sorted(token))
                    table = self._exact.setdefault(fields, {})
                    options = [[v] if isinstance(v, str) else v["IN"] for v in (token[f] for f in fields)]
                    for values in itertools.product(*options):
                        table.setdefault(values, []).append(number)
            else:
                self._rest.add(str(number), alternatives)

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        matches = [(int(strings[key]), start, end) for key, start, end in self._rest(doc, allow_missing=True)]
        tables = list(self._exact.items())
        for k, token in enumerate(doc):
            values = {"DEP": token.dep_, "LOWER": token.lower_, "TAG": token.tag_}
            for fields, table in tables:
                for number in table.get(tuple(values[f] for f in fields), ()):
                    matches.append((number, k, k + 1))
        matches.sort()
        attrs, indices = self.ruler.attrs, self.ruler.indices
        for number, start, end in matches:
            set_token_attrs(doc[start:end][indices[number]], attrs[number])
        return doc


def _exact(alternative: list[dict[str, Any]]) -> bool:
    """Whether a pattern alternative is one token whose `_EXACT` fields only are tested, each for one string
    or for one of a list ("IN"): a dict lookup per combination then finds it."""
    tests = alternative[0].items() if len(alternative) == 1 else [("", None)]
    return all(f in _EXACT and (isinstance(v, str) or _one_of(v)) for f, v in tests)


def _one_of(test: object) -> bool:
    return (isinstance(test, dict) and list(test) == ["IN"] and isinstance(test["IN"], list)
            and all(isinstance(v, str) for v in test["IN"]))


@Language.factory("storydesk_indexed_attribute_ruler")
def make_indexed_attribute_ruler(nlp: Language, name: str) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab)


def speed_up(nlp: Language) -> Language:
    """`nlp` with its attribute ruler indexed and its lemmatizer cached, where it has them (in place)."""
    if "attribute_ruler" in nlp.pipe_names and isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler):
        patterns = nlp.get_pipe("attribute_ruler").patterns
        nlp.replace_pipe("attribute_ruler", "storydesk_indexed_attribute_ruler").add_patterns(patterns)
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        lemmatizer.lemmatize = _cached_lemmas(lemmatizer.lemmatize)
    return nlp


def _cached_lemmas(lemmatize: Callable[[Token], list[str]]) -> Callable[[Token], list[str]]:
    """`lemmatize` remembered by (word, part of speech, morphology): all a rule lemma depends on."""
    cache: dict[tuple[int, int, int], list[str]] = {}

    def cached(token: Token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        found = cache.get(key)
        if found is None:
            if len(cache) >= _LEMMA_CACHE:
                cache.clear()
            found = cache[key] = lemmatize(token)
        return found

    return cached
