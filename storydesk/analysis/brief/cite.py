"""Which reports a brief sentence cites: those that state its claim, not those that share its words.

A report states a sentence when one of its sentences (quote units) agrees with it:

- every number of the sentence is there (a count, an amount, a day: "$3.2 million" is not stated by a
  report that says "$2.3 million", whatever else they share);
- every name is there (a capitalised word after the first: "said Moray" is not stated by a report quoting
  someone else);
- a negation is there when the sentence has one, and absent when it has none (unless the other holds the
  whole sentence word for word and denies something else beside it);
- a quotation's words are there near word for word (a quote is what someone said, not a paraphrase);
- most of its content stems are there (`BriefConfig.cite_min_content`), or the whole sentence is there near
  word for word (`near_verbatim`: share of its character n-grams).

The report a sentence was lifted from is always cited. Numbers, names and negation are read by the light
rules below, so the brief stays fast; `storydesk eval citations` checks the result with its own, stricter
aligner.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from storydesk.analysis.brief.units import Sentence
from storydesk.config import BriefConfig
from storydesk.text import NUMBER_WORDS, stop_words

_NUMBER = re.compile(
    r"(?<![\w.])(\d+(?:[.,]\d+)*)(?:\s*(million|billion|trillion|thousand|percent|%))?", re.IGNORECASE
)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_NEGATION = frozenset({"not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "without"})
_QUOTED = re.compile(r"[\"“]([^\"”]{12,})[\"”]")
_SCALE = {"%": "percent"}


def numbers(text: str) -> frozenset[str]:
    """The numbers a text states, normalised ("1,200" → "1200", "three" → "3", "$3.2 million" → "3.2
    million")."""
    out = {
        m.group(1).replace(",", "") + (" " + _SCALE.get(m.group(2).lower(), m.group(2).lower()) if m.group(2)
                                       else "")
        for m in _NUMBER.finditer(text)
    }
    out |= {str(NUMBER_WORDS[w]) for w in _tokens(text) if w in NUMBER_WORDS and w not in {"one", "hundred"}}
    return frozenset(out)


def _tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def names(text: str) -> frozenset[str]:
    """Capitalised words after the first that are not stop words, lower-cased: the names a sentence
    commits to (the first word is capitalised whatever it is)."""
    stop = stop_words()
    raw = _TOKEN.findall(text)[1:]
    return frozenset(
        w.lower().replace("’", "'")
        for w in raw
        if w[0].isupper() and w.lower() not in stop and w.lower() not in NUMBER_WORDS
    )


def negated(tokens: Sequence[str]) -> bool:
    """Whether a sentence denies something ("not", "never", "didn't")."""
    return any(t in _NEGATION or t.endswith("n't") for t in tokens)


def flatten(text: str) -> str:
    """The text lower-cased with every run of non-letters made one space."""
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def shingles(text: str, n: int) -> frozenset[str]:
    """Character n-grams of the flattened text."""
    flat = flatten(text)
    return frozenset(flat[i : i + n] for i in range(max(len(flat) - n + 1, 1)))


def share_in(part: frozenset, whole: frozenset) -> float:
    """Share of `part` found in `whole` (1 for an empty part)."""
    return len(part & whole) / len(part) if part else 1.0


@dataclass
class Claim:
    """What a sentence commits to, read once: numbers, names, negation, quoted words, shingles."""

    text: str
    n: int

    @cached_property
    def tokens(self) -> frozenset[str]:
        return frozenset(_tokens(self.text))

    @cached_property
    def numbers(self) -> frozenset[str]:
        return numbers(self.text)

    @cached_property
    def names(self) -> frozenset[str]:
        return names(self.text)

    @cached_property
    def negated(self) -> bool:
        return negated(list(self.tokens))

    @cached_property
    def flat(self) -> str:
        return flatten(self.text)

    @cached_property
    def shingles(self) -> frozenset[str]:
        return shingles(self.text, self.n)

    @cached_property
    def quoted(self) -> frozenset[str]:
        return frozenset().union(*(shingles(q, self.n) for q in _QUOTED.findall(self.text)))


def states(claim: Claim, other: Claim, content: float, config: BriefConfig) -> bool:
    """Whether `other` states `claim`: numbers, names, negation and quotation agree, and most of its
    content (share `content` of its stems) or nearly all its characters are there."""
    if not claim.numbers <= numbers(other.text) or not claim.names <= other.tokens:
        return False
    if claim.negated != other.negated and not (other.negated and claim.flat in other.flat):
        return False  # a denial elsewhere in a unit that holds the whole sentence is not about it
    if claim.quoted and share_in(claim.quoted, other.shingles) < config.cite_near_verbatim:
        return False
    return content >= config.cite_min_content or near_verbatim(claim, other, config)


def near_verbatim(claim: Claim, other: Claim, config: BriefConfig) -> bool:
    """Whether `other` carries `claim` near word for word (share of its character n-grams)."""
    return share_in(claim.shingles, other.shingles) >= config.cite_near_verbatim


def citations(
    chosen: Sequence[Sentence],
    sents: Sequence[Sentence],
    n_docs: int,
    config: BriefConfig | None = None,
) -> list[list[int]]:
    """For each chosen sentence, the reports (indices) that state it, its own report always among them.

    Only sentences that share at least `cite_min_content` of its stems (or half, for a near-verbatim copy
    whose wording differs in small words) are compared in full, so a brief's citations stay cheap.
    """
    config = config or BriefConfig()
    post: dict[str, list[int]] = {}
    for i, s in enumerate(sents):
        for t in s.terms:
            post.setdefault(t, []).append(i)
    claims: dict[int, Claim] = {}
    floor = min(config.cite_min_content, 0.5)
    out = []
    for s in chosen:
        cited = {s.doc}
        if s.terms:
            claim = Claim(s.text, config.cite_shingle_chars)
            overlap = np.bincount(np.concatenate([post[t] for t in s.terms]), minlength=len(sents))
            for i in np.flatnonzero(overlap >= floor * len(s.terms)):
                other = sents[i]
                if other.doc in cited:
                    continue
                if i not in claims:
                    claims[i] = Claim(other.text, config.cite_shingle_chars)
                if states(claim, claims[i], overlap[i] / len(s.terms), config):
                    cited.add(other.doc)
        out.append(sorted(d for d in cited if d < n_docs))
    return out
