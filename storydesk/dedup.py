"""Collapse exact and near-duplicate copies of a report into one article.

Wire services and syndication put the same text under many URLs; counting each copy as a separate
source would inflate agreement in the brief and the fact sheet. Two articles are copies when:

- exact: their normalised text (lower-cased word tokens, punctuation and spacing ignored) is equal;
- near: the Jaccard similarity of their sets of 5-word shingles is >= `DedupConfig.threshold` (0.7).
  Candidate pairs come from MinHash LSH: 128 permutations of datasketch's "affine32" scheme with a fixed
  seed, cut into the bands datasketch's `MinHashLSH(threshold, 128)` picks (14 bands of 9), two articles being
  candidates when any band is equal; then the exact Jaccard of the shingle sets is checked, so the LSH only
  affects speed, not the answer (beyond its small miss rate near the threshold).

Speed: the words come from a `storydesk.text.Lexicon` (integer ids; the run shares one with grouping, so
each article is tokenised once); each word's CRC-32 is computed once per lexicon and read by id in bulk
(`Lexicon.table`; never Python's per-process `hash()`); exact copies are found by the bytes of their id
arrays; a shingle's hash is a polynomial of its five word hashes, computed with numpy; the MinHash
signatures of all articles are computed together in numpy with datasketch's own permutations
(`minhash_signatures`, equal to `datasketch.MinHash.update_batch` over the same shingle hashes); and the
band buckets are plain dicts keyed by each band's bytes (the candidates `MinHashLSH.query` would return,
without a MinHash object per article).

Copies are grouped transitively; each group becomes its earliest-published article (undated last, ties
by id), whose `copies` list records every other member and the copies those members already carried.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from storydesk.config import DedupConfig
from storydesk.model import Article, Copy
from storydesk.text import Lexicon

SCHEME = "affine32"  # datasketch's permutation scheme: part of the signature's definition, not a knob
_CHUNK = 1 << 13  # shingles per numpy block when sketching: 4 MiB, cache-friendly (~2.5x faster than 32k)
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant for the shingle polynomial


def word_hash(word: str) -> int:
    """A word's CRC-32: the same in every process (unlike `hash()`)."""
    return zlib.crc32(word.encode("utf-8"))


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> np.ndarray:
    """The seeded MinHash permutations (a, b), drawn once per setting (drawing them is slow; a pure cache)."""
    return MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations


def shingles(ids: Sequence[int], lexicon: Lexicon, size: int = 5) -> np.ndarray:
    """Sorted distinct uint32 hashes of every run of `size` words (one hash of the whole when shorter).

    `ids` are the words' ids in `lexicon`.
    """
    hashes = lexicon.table("crc32", word_hash, "uint64")[ids]
    span = min(size, len(hashes))
    mixed = np.zeros(len(hashes) - span + 1, dtype=np.uint64)
    for k in range(span):
        mixed = mixed * _MULTIPLIER + hashes[k : len(hashes) - span + 1 + k]
    values = np.sort(((mixed >> np.uint64(32)) ^ mixed).astype(np.uint32))
    first = np.empty(len(values), dtype=bool)  # np.unique, without its per-call overhead (~15x slower here)
    first[0] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return values[first]


def _fmix32(values: np.ndarray) -> np.ndarray:
    """The MurmurHash3 32-bit finalizer, datasketch's pre-mix for the affine schemes."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def minhash_signatures(sets: list[np.ndarray], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """One MinHash signature (row of `num_perm` uint32) per non-empty set of uint32 hashes, in bulk."""
    a, b = (p[:, None] for p in _permutations(num_perm, seed))
    out = np.empty((len(sets), num_perm), dtype=np.uint32)
    widest = max([_CHUNK, *map(len, sets)])
    buffer = np.empty((num_perm, widest), dtype=np.uint32)  # reused: fresh blocks would cost page faults
    start = 0
    while start < len(sets):
        stop, size = start, 0
        while stop < len(sets) and (stop == start or size + len(sets[stop]) <= _CHUNK):
            size += len(sets[stop])
            stop += 1
        block = sets[start:stop]
        hashes = _fmix32(np.concatenate(block))
        permuted = buffer[:, : len(hashes)]
        np.add(np.multiply(a, hashes[None, :], out=permuted), b, out=permuted)
        offsets = np.cumsum([0] + [len(s) for s in block[:-1]])
        out[start:stop] = np.minimum.reduceat(permuted, offsets, axis=1).T
        start = stop
    return out


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted sets of distinct shingle hashes (the check after LSH)."""
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def find_root(parent: list[int], i: int) -> int:
    """The root of `i` in a union-find `parent` list (halving the path on the way)."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def union(parent: list[int], i: int, j: int) -> None:
    """Join the groups of `i` and `j`: the smaller root leads, so a group's root is its first member."""
    ri, rj = find_root(parent, i), find_root(parent, j)
    if ri != rj:
        parent[max(ri, rj)] = min(ri, rj)


def _as_copy(article: Article) -> Copy:
    return Copy(
        path=article.path, url=article.url, outlet=article.outlet, title=article.title,
        published=article.published, id=article.id,
    )


def merge_copies(group: list[Article]) -> Article:
    """The earliest-published member, carrying every other member (and their copies) as copies."""
    keep = min(group, key=lambda a: (a.published or dt.date.max, a.id))
    copies = list(keep.copies)
    for other in group:
        if other is not keep:
            copies.append(_as_copy(other))
            copies.extend(other.copies)
    return dataclasses.replace(keep, copies=copies)


@lru_cache(maxsize=8)
def band_ranges(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each LSH band of a signature: the bands datasketch's `MinHashLSH(threshold,
    num_perm)` picks. Built once per setting (its band search integrates numerically, ~30 ms), not on every
    call: a stream collapses each small batch."""
    return tuple(MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges)


def band_keys(signatures: np.ndarray, threshold: float) -> list[list[bytes]]:
    """Per LSH band (`band_ranges`), each signature's key: its slice of the band as bytes."""
    keys = []
    for start, end in band_ranges(threshold, signatures.shape[1]):
        band = np.ascontiguousarray(signatures[:, start:end])
        keys.append(band.view(np.dtype((np.void, band.shape[1] * band.itemsize))).ravel().tolist())
    return keys


def collapse_duplicates(
    articles: list[Article], config: DedupConfig | None = None, *, lexicon: Lexicon | None = None
) -> list[Article]:
    """One article per group of exact or near-duplicate copies, in order of each group's first member.

    `lexicon` tokenises the texts (pass the grouper's to tokenise each article once in a run).
    """
    config = config or DedupConfig()
    lexicon = lexicon if lexicon is not None else Lexicon()
    parent = list(range(len(articles)))
    exact: dict[bytes, int] = {}
    sets: list[np.ndarray] = []
    distinct: list[int] = []
    for i, article in enumerate(articles):
        ids = lexicon.ids(article.text)
        key = ids.tobytes()
        if key in exact:
            union(parent, exact[key], i)
        else:
            exact[key] = i
            distinct.append(i)
            sets.append(shingles(ids, lexicon, config.shingle))
    keys_by_band = band_keys(minhash_signatures(sets, config.num_perm, config.seed), config.threshold)
    buckets: list[dict[bytes, list[int]]] = [{} for _ in keys_by_band]
    for n in range(len(sets)):
        earlier: set[int] = set()
        for table, keys in zip(buckets, keys_by_band, strict=True):
            bucket = table.setdefault(keys[n], [])
            earlier.update(bucket)
            bucket.append(n)
        for m in earlier:
            if jaccard(sets[n], sets[m]) >= config.threshold:
                union(parent, distinct[m], distinct[n])
    groups: dict[int, list[Article]] = {}
    for i, article in enumerate(articles):
        groups.setdefault(find_root(parent, i), []).append(article)
    return [merge_copies(group) for group in groups.values()]
