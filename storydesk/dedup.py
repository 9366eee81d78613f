"""Collapse exact and near-duplicate copies of a report into one article.

Wire services and syndication put the same text under many URLs; counting each copy as a separate
source would inflate agreement in the brief and the fact sheet. Two articles are copies when:

- exact: their normalised text (lower-cased word tokens, punctuation and spacing ignored) is equal;
- near: the Jaccard similarity of their sets of 5-word shingles is >= `NEAR_THRESHOLD` (0.7). Candidate
  pairs come from MinHash LSH (datasketch, 128 permutations with a fixed seed, shingles hashed with CRC-32,
  never Python's per-process `hash()`), then the exact Jaccard of the shingle sets is checked, so the
  LSH only affects speed, not the answer (beyond its small miss rate near the threshold).

Copies are grouped transitively; each group becomes its earliest-published article (undated last, ties
by id), whose `copies` list records every other member and the copies those members already carried.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zlib
from functools import lru_cache

from datasketch import MinHash, MinHashLSH

from storydesk.model import Article, Copy
from storydesk.text import words

NEAR_THRESHOLD = 0.7
SHINGLE = 5
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"


@lru_cache(maxsize=1)
def _permutations() -> tuple:
    """The seeded MinHash permutations, drawn once per process (drawing them per article is slow)."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def _tokens(text: str) -> list[str]:
    return [w.lower() for w in words(text)]


def _shingles(tokens: list[str]) -> set[int]:
    """CRC-32 of every run of `SHINGLE` words (the whole text when shorter)."""
    if len(tokens) <= SHINGLE:
        return {zlib.crc32(" ".join(tokens).encode("utf-8"))}
    return {
        zlib.crc32(" ".join(tokens[i : i + SHINGLE]).encode("utf-8"))
        for i in range(len(tokens) - SHINGLE + 1)
    }


def _jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], i: int, j: int) -> None:
    ri, rj = _find(parent, i), _find(parent, j)
    if ri != rj:
        parent[max(ri, rj)] = min(ri, rj)


def _as_copy(article: Article) -> Copy:
    return Copy(
        path=article.path, url=article.url, outlet=article.outlet, title=article.title,
        published=article.published,
    )


def _merge(group: list[Article]) -> Article:
    """The earliest-published member, carrying every other member (and their copies) as copies."""
    keep = min(group, key=lambda a: (a.published or dt.date.max, a.id))
    copies = list(keep.copies)
    for other in group:
        if other is not keep:
            copies.append(_as_copy(other))
            copies.extend(other.copies)
    return dataclasses.replace(keep, copies=copies)


def collapse_duplicates(articles: list[Article], *, threshold: float = NEAR_THRESHOLD) -> list[Article]:
    """One article per group of exact or near-duplicate copies, in order of each group's first member."""
    parent = list(range(len(articles)))
    exact: dict[str, int] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    shingle_sets: list[set[int]] = []
    for i, article in enumerate(articles):
        tokens = _tokens(article.text)
        shingles = _shingles(tokens)
        shingle_sets.append(shingles)
        key = " ".join(tokens)
        if key in exact:
            _union(parent, exact[key], i)
            continue
        exact[key] = i
        sketch = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=_permutations(), scheme=SCHEME)
        sketch.update_batch(list(shingles))
        for j in lsh.query(sketch):
            if _jaccard(shingles, shingle_sets[j]) >= threshold:
                _union(parent, j, i)
        lsh.insert(i, sketch)
    groups: dict[int, list[Article]] = {}
    for i, article in enumerate(articles):
        groups.setdefault(_find(parent, i), []).append(article)
    return [_merge(group) for group in groups.values()]
