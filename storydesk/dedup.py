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

import array
import dataclasses
import datetime as dt
import hashlib
import itertools
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np

from storydesk.config import DedupConfig
from storydesk.model import Article, Copy
from storydesk.text import Lexicon

SCHEME = "affine32"  # datasketch's permutation scheme: part of the signature's definition, not a knob
_CHUNK = 1 << 13  # shingles per numpy block when sketching: 4 MiB, cache-friendly (~2.5x faster than 32k)
_SKETCH_BATCH = 1024  # texts whose MinHash signatures are computed together
_SENT_TEXTS = 250  # texts of a candidate set another process may check (about 1.25 MB of text a set)
_PROGRESS_EVERY = 1000  # texts between two progress reports (a report is a terminal redraw)
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant for the shingle polynomial


def word_hash(word: str) -> int:
    """A word's CRC-32: the same in every process (unlike `hash()`)."""
    return zlib.crc32(word.encode("utf-8"))


def word_digest(word: str) -> int:
    """A word's 64-bit BLAKE2b: a text's sequence of these tells exact copies apart in any process (a
    collision among a million words has odds of about 1 in 10^7)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


#: What datasketch draws for a setting, kept: the permutations by (num_perm, seed), the LSH bands by
#: (threshold, num_perm). Pure caches (drawing is slow, and importing datasketch takes about 0.35 s, which
#: a worker spares when it adopts a scheme: `minhash_scheme`, `adopt_minhash_scheme`).
_PERMUTATIONS: dict[tuple[int, int], np.ndarray] = {}
_BANDS: dict[tuple[float, int], tuple[tuple[int, int], ...]] = {}


def _permutations(num_perm: int, seed: int) -> np.ndarray:
    """The seeded MinHash permutations (a, b) of datasketch's `SCHEME`, drawn once per setting."""
    if (num_perm, seed) not in _PERMUTATIONS:
        from datasketch import MinHash

        _PERMUTATIONS[num_perm, seed] = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return _PERMUTATIONS[num_perm, seed]


#: The MinHash permutations and LSH bands of a `DedupConfig` (`minhash_scheme`).
MinHashScheme = tuple[np.ndarray, tuple[tuple[int, int], ...]]


def minhash_scheme(config: DedupConfig) -> MinHashScheme:
    """The permutations and LSH bands of `config`, for another process to adopt."""
    return _permutations(config.num_perm, config.seed), band_ranges(config.threshold, config.num_perm)


def adopt_minhash_scheme(config: DedupConfig, scheme: MinHashScheme) -> None:
    """Take `minhash_scheme(config)` from another process instead of drawing it here."""
    _PERMUTATIONS[config.num_perm, config.seed], _BANDS[config.threshold, config.num_perm] = scheme


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


class CopyCheck:
    """Whether two texts are copies: the exact Jaccard of their shingle sets against the threshold, each
    text's set loaded by `load` on first use and kept (`sets`)."""

    def __init__(self, load: Callable[[int], np.ndarray], threshold: float) -> None:
        self._load, self._threshold = load, threshold
        self.sets: dict[int, np.ndarray] = {}

    def __call__(self, a: int, b: int) -> bool:
        for n in (a, b):
            if n not in self.sets:
                self.sets[n] = self._load(n)
        return jaccard(self.sets[a], self.sets[b]) >= self._threshold


def join_bucket(
    parent: list[int], groups: list[list[int]], number: int, copies: Callable[[int, int], bool]
) -> None:
    """Add text `number` to one LSH bucket whose earlier texts are `groups` (each a connected set in the
    union-find `parent`; updated in place), joining it to every group it copies.

    A group is checked member by member only until one is a copy, and not at all when `number` is already
    in it: the groups found are those of checking every pair of the bucket (a pair already joined stays
    joined whatever its Jaccard, and each group is connected), while a bucket of k copies of one wire story
    costs about k checks instead of k²/2, in any order of arrival."""
    by_root: dict[int, list[int]] = {}
    for members in groups:  # unions since the last call may have joined two groups
        root = find_root(parent, members[0])
        by_root[root] = _merged(by_root[root], members) if root in by_root else members
    apart: list[list[int]] = []
    joined: list[int] = []
    for root, members in by_root.items():
        if find_root(parent, root) == find_root(parent, number) or any(copies(m, number) for m in members):
            union(parent, root, number)
            joined = _merged(joined, members)
        else:
            apart.append(members)
    joined.append(number)
    groups[:] = [*apart, joined]


def join_members(parent: list[int], members: Sequence[int], copies: Callable[[int, int], bool]) -> None:
    """Join the copies among the texts of one LSH bucket known whole (`join_bucket` of each in turn)."""
    groups: list[list[int]] = []
    for number in members:
        join_bucket(parent, groups, number, copies)


def _merged(one: list[int], other: list[int]) -> list[int]:
    """The longer list extended by the shorter: a text moves O(log k) times over a bucket of k."""
    if len(one) < len(other):
        one, other = other, one
    one.extend(other)
    return one


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


def band_ranges(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each LSH band of a signature: the bands datasketch's `MinHashLSH(threshold,
    num_perm)` picks. Built once per setting (its band search integrates numerically, ~30 ms), not on every
    call: a stream collapses each small batch."""
    if (threshold, num_perm) not in _BANDS:
        from datasketch import MinHashLSH

        _BANDS[threshold, num_perm] = tuple(MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges)
    return _BANDS[threshold, num_perm]


def band_keys(signatures: np.ndarray, threshold: float) -> list[list[bytes]]:
    """Per LSH band (`band_ranges`), each signature's key: its slice of the band as bytes."""
    keys = []
    for start, end in band_ranges(threshold, signatures.shape[1]):
        band = np.ascontiguousarray(signatures[:, start:end])
        keys.append(band.view(np.dtype((np.void, band.shape[1] * band.itemsize))).ravel().tolist())
    return keys


class DuplicateIndex:
    """Groups of exact and near-duplicate copies, kept between calls: after any sequence of `add` calls its
    `groups` are those a single `collapse_duplicates` of all the texts finds (the same LSH bands, the same
    Jaccard check, `join_bucket` in both), while each call tokenises only its new texts and the few stored
    texts it checks them against. The stream (`storydesk ingest`) keeps one with its state so that a batch
    does not re-read every report it stored before. Picklable; holds no text, only the signatures' band keys
    (14 bands of 36 bytes a distinct text), each band's texts (one text as its number, most bands; more as
    their groups of copies), a digest per distinct text and the union-find.
    """

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        self._exact: dict[bytes, int] = {}  # digest of a text's words -> its distinct-text number
        self._holder: list[str] = []  # distinct-text number -> the key of one text that has it
        self._parent: list[int] = []  # union-find over distinct-text numbers
        self._buckets: list[dict[bytes, int | list[list[int]]]] = [  # band key -> its text, or its groups
            {} for _ in band_ranges(self.config.threshold, self.config.num_perm)
        ]
        self._text_of: dict[str, int] = {}  # key -> distinct-text number, in order of addition

    def __len__(self) -> int:
        return len(self._text_of)

    def __contains__(self, key: object) -> bool:
        return key in self._text_of

    def add(
        self,
        texts: Sequence[tuple[str, str]],
        read: Callable[[list[str]], dict[str, str]] | None = None,
        *,
        lexicon: Lexicon | None = None,
    ) -> None:
        """Add `(key, text)` pairs (keys not added before). `read(keys)` gives the texts of keys added by an
        earlier call that a new text is checked against (the index keeps no text), one key a call, as the
        checks need them; `lexicon` tokenises."""
        config = self.config
        lexicon = lexicon if lexicon is not None else Lexicon()
        fresh: list[int] = []
        sets: dict[int, np.ndarray] = {}
        for key, text in texts:
            ids = lexicon.ids(text)
            digest = text_digest(ids, lexicon)
            number = self._exact.get(digest)
            if number is None:
                number = self._exact[digest] = len(self._holder)
                self._holder.append(key)
                self._parent.append(number)
                fresh.append(number)
                sets[number] = shingles(ids, lexicon, config.shingle)
            self._text_of[key] = number
        if not fresh:
            return
        signatures = minhash_signatures([sets[n] for n in fresh], config.num_perm, config.seed)
        keys_by_band = band_keys(signatures, config.threshold)

        def load(number: int) -> np.ndarray:
            if read is None:
                raise ValueError("texts added by an earlier call are LSH candidates: `add` needs `read`")
            key = self._holder[number]
            return shingles(lexicon.ids(read([key])[key]), lexicon, config.shingle)

        copies = CopyCheck(load, config.threshold)
        copies.sets.update(sets)
        for row, number in enumerate(fresh):
            for table, keys in zip(self._buckets, keys_by_band, strict=True):
                held = table.get(keys[row])
                if held is None:
                    table[keys[row]] = number  # most bands hold one text: no list for it
                    continue
                groups = [[held]] if isinstance(held, int) else held
                join_bucket(self._parent, groups, number, copies)
                table[keys[row]] = groups

    def __setstate__(self, state: dict) -> None:
        """An index pickled before buckets held groups (one flat list of members each) gets them grouped."""
        for table in state["_buckets"]:
            for key, members in table.items():
                if isinstance(members, list) and isinstance(members[0], int):
                    grouped: dict[int, list[int]] = {}
                    for m in members:
                        grouped.setdefault(find_root(state["_parent"], m), []).append(m)
                    table[key] = members[0] if len(members) == 1 else list(grouped.values())
        self.__dict__.update(state)

    def groups(self) -> list[list[str]]:
        """The keys in groups of copies: each group in order of addition, groups by their first key."""
        groups: dict[int, list[str]] = {}
        for key, number in self._text_of.items():
            groups.setdefault(find_root(self._parent, number), []).append(key)
        return list(groups.values())


def text_digest(ids: Sequence[int], lexicon: Lexicon) -> bytes:
    """The 20-byte BLAKE2b of a text's word sequence (`ids` in `lexicon`): equal for exact copies."""
    return hashlib.blake2b(lexicon.table("blake64", word_digest, "uint64")[ids].tobytes(),
                           digest_size=20).digest()


def band_hashes(signatures: np.ndarray, threshold: float) -> np.ndarray:
    """Per signature (row) and LSH band (`band_ranges`, column), a 64-bit hash of the band's values: 8 bytes
    where `band_keys` keeps a bytes object. Two equal bands hash equal; two unequal ones collide with odds of
    about 2^-64, which only adds a candidate pair that the Jaccard check then rejects."""
    ranges = band_ranges(threshold, signatures.shape[1])
    out = np.zeros((len(signatures), len(ranges)), dtype=np.uint64)
    for column, (start, end) in enumerate(ranges):
        for k in range(start, end):
            out[:, column] = out[:, column] * _MULTIPLIER + signatures[:, k].astype(np.uint64)
    return out


def _buckets(hashes: np.ndarray) -> list[list[int]]:
    """The rows (ascending) of every band bucket (any column of `hashes`) that holds two or more texts, each
    distinct set of rows once (copies share most of their bands): found by sorting instead of bucket dicts,
    the buckets `DuplicateIndex` checks."""
    n = len(hashes)
    pairs = [np.zeros(0, dtype=np.int64)]
    larger: dict[bytes, list[int]] = {}
    for column in hashes.T:
        order = np.argsort(column, kind="stable")
        ranked = column[order]
        starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
        sizes = np.diff(np.r_[starts, n])
        two = starts[sizes == 2]  # most shared bands join two texts: all at once
        low, high = np.minimum(order[two], order[two + 1]), np.maximum(order[two], order[two + 1])
        pairs.append(low * n + high)
        for start, size in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist(), strict=True):
            members = np.sort(order[start : start + size])
            larger.setdefault(members.tobytes(), members.tolist())
    codes = np.unique(np.concatenate(pairs))
    return np.stack([codes // n, codes % n], axis=1).tolist() + list(larger.values())


#: Sketches of articles, in order: per article, the digest of its words (`text_digest`) and its row of
#: `band_hashes`, what `duplicate_groups` compares. `sketch_here` computes them in this process,
#: `engines.local.GroupingWorkers.sketches` in worker processes: both with `text_sketches`.
Sketch = Callable[[Iterator[Article]], Iterator[tuple[bytes, np.ndarray]]]


def text_sketches(
    texts: Sequence[str], config: DedupConfig, lexicon: Lexicon
) -> tuple[list[bytes], np.ndarray]:
    """The digest of each text's words and its band hashes (one row a text). Both are functions of the
    words alone (word hashes, not ids), so any process's lexicon gives the same."""
    ids = [lexicon.ids(text) for text in texts]
    signatures = minhash_signatures([shingles(i, lexicon, config.shingle) for i in ids], config.num_perm,
                                    config.seed)
    return [text_digest(i, lexicon) for i in ids], band_hashes(signatures, config.threshold)


def sketch_here(articles: Iterator[Article], config: DedupConfig, lexicon: Lexicon
                ) -> Iterator[tuple[bytes, np.ndarray]]:
    """A `Sketch` in this process (with `config` and `lexicon` bound), `_SKETCH_BATCH` texts at a time (their
    signatures computed together). Exact copies are sketched too (about 20 µs each), so that a batch's
    sketches need no knowledge of the texts before it, wherever it is sketched."""
    for batch in iter(lambda: list(itertools.islice(articles, _SKETCH_BATCH)), []):
        digests, hashes = text_sketches([article.text for article in batch], config, lexicon)
        yield from zip(digests, hashes, strict=True)


#: A connected set of LSH candidates: its buckets (lists of text numbers, ascending) and its texts by number.
Component = tuple[list[list[int]], Mapping[int, str]]

#: Copies among candidate texts: given each `Component`, in order, back `component_copies` of each, in
#: order. `copies_here` computes them in this process, `engines.local.GroupingWorkers.copies` in workers.
CheckCopies = Callable[[Iterator[Component]], Iterator[list[list[int]]]]


def component_copies(
    buckets: list[list[int]], texts: Mapping[int, str], config: DedupConfig, lexicon: Lexicon
) -> list[list[int]]:
    """The groups of two or more copies (text numbers, ascending) among one connected set of candidates:
    `join_members` of each bucket in turn over a union-find of these texts alone, each text's shingle set
    computed once. Components share no text, so this equals the same joins over every text at once, and
    it may run in any process (the shingles are functions of the words alone)."""
    numbers = sorted(texts)
    local = {number: i for i, number in enumerate(numbers)}  # ascending: the smaller root still leads
    parent = list(range(len(numbers)))
    copies = CopyCheck(lambda i: shingles(lexicon.ids(texts[numbers[i]]), lexicon, config.shingle),
                       config.threshold)
    for bucket in buckets:
        join_members(parent, [local[number] for number in bucket], copies)
    groups: dict[int, list[int]] = {}
    for i, number in enumerate(numbers):
        groups.setdefault(find_root(parent, i), []).append(number)
    return [group for group in groups.values() if len(group) > 1]


class _Texts(Mapping[int, str]):
    """The texts of some text numbers, each read when asked for (a component's texts are not held at once:
    its shingle sets are)."""

    def __init__(self, numbers: list[int], read: Callable[[int], str]) -> None:
        self._numbers, self._read = numbers, read

    def __getitem__(self, number: int) -> str:
        return self._read(number)

    def __iter__(self) -> Iterator[int]:
        return iter(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)


def copies_here(config: DedupConfig, lexicon: Lexicon) -> CheckCopies:
    """The `CheckCopies` of this process."""
    return lambda components: (component_copies(buckets, texts, config, lexicon)
                               for buckets, texts in components)


def duplicate_groups(
    articles: Sequence[Article], config: DedupConfig | None = None, *, lexicon: Lexicon | None = None,
    progress: Callable[[int, int], None] | None = None, sketch: Sketch | None = None,
    check: CheckCopies | None = None,
) -> list[list[int]]:
    """The positions of `articles` in groups of copies (each group in position order, groups by their first
    position): the groups `DuplicateIndex` finds over the same texts.

    Each text is read twice at most: once to sketch it (its digest and band hashes, kept: 20 + 8 bytes a
    band a distinct text) and again only if it shares a band with another, for the Jaccard check, one
    connected set of candidates at a time. So `articles` may be an `ArticleSpill`: a million texts are
    deduplicated without holding them, or their shingle sets, together. `progress(done, total)` follows the
    sketching, the pass whose time grows with the texts, and reports the end once the copies are known.
    `sketch` may sketch the texts elsewhere, and `check` check the candidates elsewhere
    (`engines.local.GroupingWorkers`; by default `sketch_here` and `copies_here`, with `lexicon`): the
    same groups. `check` is given the sets of at most `_SENT_TEXTS` texts, their texts read: a larger
    set (a wire story copied a thousand times) is checked here, its texts read one at a time."""
    config = config or DedupConfig()
    lexicon = lexicon if lexicon is not None else Lexicon()
    exact: dict[bytes, int] = {}  # digest of a text's words -> its distinct-text number
    holder = array.array("q")  # distinct-text number -> the position of its first text
    text_of = array.array("q")  # position -> distinct-text number
    bands = array.array("Q")  # the band hashes of each distinct text, one after another
    texts = (articles[position] for position in range(len(articles)))
    sketched = sketch(texts) if sketch is not None else sketch_here(texts, config, lexicon)
    for position, (digest, row) in enumerate(sketched):
        if progress is not None and position % _PROGRESS_EVERY == 0:
            progress(position, len(articles))
        number = exact.get(digest)
        if number is None:
            number = exact[digest] = len(holder)
            holder.append(position)
            bands.frombytes(row.tobytes())
        text_of.append(number)
    del exact
    parent = list(range(len(holder)))
    if holder:
        hashes = np.frombuffer(bands, dtype=np.uint64).reshape(len(holder), -1)

        def read(number: int) -> str:
            return articles[holder[number]].text

        sent: list[tuple[list[list[int]], list[int]]] = []  # (buckets, their texts' numbers) of each set
        kept: list[tuple[list[list[int]], list[int]]] = []  # sets share no text: their order is free
        for component in _components(_buckets(hashes), len(holder)):
            numbers = sorted({number for bucket in component for number in bucket})
            (sent if check is not None and len(numbers) <= _SENT_TEXTS else kept).append((component, numbers))
        found = itertools.chain(
            check(((c, {n: read(n) for n in numbers}) for c, numbers in sent)) if check else (),
            copies_here(config, lexicon)((c, _Texts(numbers, read)) for c, numbers in kept))
        for copies in found:
            for group in copies:
                for number in group[1:]:
                    union(parent, group[0], number)
    if progress is not None:  # done once the copies are known
        progress(len(articles), len(articles))
    groups: dict[int, list[int]] = {}
    for position, number in enumerate(text_of):
        groups.setdefault(find_root(parent, number), []).append(position)
    return list(groups.values())


def _components(buckets: list[list[int]], n: int) -> list[list[list[int]]]:
    """`buckets` split by the connected sets of texts they hold (so a text's shingles are computed once)."""
    parent = list(range(n))
    for bucket in buckets:
        for m in bucket[1:]:
            union(parent, bucket[0], m)
    components: dict[int, list[list[int]]] = {}
    for bucket in buckets:
        components.setdefault(find_root(parent, bucket[0]), []).append(bucket)
    return list(components.values())


def collapse_duplicates(
    articles: Sequence[Article], config: DedupConfig | None = None, *, lexicon: Lexicon | None = None
) -> list[Article]:
    """One article per group of exact or near-duplicate copies, in order of each group's first member.

    `lexicon` tokenises the texts (pass the grouper's to tokenise each article once in a run).
    """
    return [merge_copies([articles[i] for i in group])
            for group in duplicate_groups(articles, config, lexicon=lexicon)]
