"""Near-duplicate collapse on small invented reports: exact copies, edited copies, and look-alikes."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from storydesk.dedup import collapse_duplicates
from storydesk.model import Article, Copy
from storydesk.text import Lexicon

LEXICON = Lexicon()


def _shingles(text: str) -> np.ndarray:
    from storydesk.dedup import shingles

    return shingles(LEXICON.ids(text), LEXICON)

FERRY = (
    "The harbour ferry Marigold ran aground on a sandbar outside Port Quillan on Monday evening, "
    "stranding 212 passengers for almost five hours before tugboats pulled the vessel free. Coast guard "
    "officer Hana Veldt said nobody was hurt and the hull showed no sign of damage. The operator, Quillan "
    "Sound Lines, blamed an unusually low tide and said it would review its evening timetable. Passengers "
    "were given blankets and water while they waited, and several praised the crew for keeping them calm. "
    "The ferry resumed service on Tuesday morning after divers inspected the propellers."
)
FERRY_EDITED = (
    FERRY.replace("almost five hours", "nearly five hours")
    .replace("several praised", "many praised")
    + " Hana Veldt added that an inquiry would follow."
)
FERRY_FOLLOW_UP = (
    "Quillan Sound Lines will cut two evening crossings of the ferry Marigold after an inquiry led by "
    "coast guard officer Hana Veldt found the vessel had been steered too close to the Port Quillan "
    "sandbar. The company said new depth sensors would be fitted to its fleet by spring, at a cost of "
    "about 40,000 crowns, and that the captain had been moved to shore duties pending a review."
)


def article(id_: str, text: str, day: int | None, outlet: str) -> Article:
    published = dt.date(2025, 3, day) if day else None
    return Article(id=id_, text=text, published=published, outlet=outlet, path=f"{outlet}/{id_}.txt")


def test_exact_copy_collapses_into_the_earliest() -> None:
    shouty = "  " + FERRY.upper().replace(". ", ".\n\n")
    out = collapse_duplicates([article("a2", shouty, 4, "Gull Times"), article("a1", FERRY, 3, "Wire")])
    assert len(out) == 1
    assert out[0].id == "a1"
    copy = Copy(path="Gull Times/a2.txt", outlet="Gull Times", published=dt.date(2025, 3, 4), id="a2")
    assert out[0].copies == [copy]
    assert out[0].outlets == ["Wire", "Gull Times"]


def test_near_duplicate_with_edits_collapses_but_follow_up_stays() -> None:
    items = [
        article("a1", FERRY, 3, "Wire"),
        article("a2", FERRY_EDITED, 3, "Gull Times"),
        article("a3", FERRY_FOLLOW_UP, 9, "Wire"),
    ]
    out = collapse_duplicates(items)
    assert [a.id for a in out] == ["a1", "a3"]
    assert [c.outlet for c in out[0].copies] == ["Gull Times"]
    assert out[1].copies == []


def test_copies_of_copies_are_kept_and_undated_copies_lose_ties() -> None:
    earlier = Copy(path="old/path.txt", outlet="Archive")
    items = [
        article("a0", FERRY_EDITED, None, "Blog"),
        Article(id="a9", text=FERRY, published=dt.date(2025, 3, 3), outlet="Wire", copies=[earlier]),
    ]
    (out,) = collapse_duplicates(items)
    assert out.id == "a9"
    assert earlier in out.copies
    assert {c.outlet for c in out.copies} == {"Archive", "Blog"}


def test_result_does_not_depend_on_input_order() -> None:
    items = [
        article("a1", FERRY, 3, "Wire"),
        article("a2", FERRY_EDITED, 3, "Gull Times"),
        article("a3", FERRY_FOLLOW_UP, 9, "Wire"),
        article("a4", FERRY, 5, "Harbour Post"),
    ]

    def groups(order: list[Article]) -> set[tuple[str, frozenset[str | None]]]:
        return {(a.id, frozenset(c.outlet for c in a.copies)) for a in collapse_duplicates(order)}

    expected = groups(items)
    assert expected == {("a1", frozenset({"Gull Times", "Harbour Post"})), ("a3", frozenset())}
    for seed in range(5):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        assert groups(shuffled) == expected


def test_bulk_signatures_equal_datasketch_minhash() -> None:
    from datasketch import MinHash

    from storydesk.dedup import SCHEME, minhash_signatures

    sets = [_shingles(text) for text in (FERRY, FERRY_FOLLOW_UP, "Short note.")]
    for signature, hashes in zip(minhash_signatures(sets), sets, strict=True):
        reference = MinHash(num_perm=128, seed=1, scheme=SCHEME, hashfunc=int)
        reference.update_batch([int(h) for h in hashes])
        assert signature.tolist() == reference.hashvalues.tolist()


def test_shingles_ignore_case_and_punctuation_but_not_word_order() -> None:

    base = _shingles(FERRY)
    assert _shingles(FERRY.upper().replace(",", " ;")).tolist() == base.tolist()
    swapped = FERRY.replace("ran aground on a sandbar", "ran a sandbar on aground")
    assert 0 < len(set(_shingles(swapped).tolist()) & set(base.tolist())) < len(base)


def test_band_buckets_give_the_candidates_of_datasketch_lsh() -> None:
    from datasketch import MinHash, MinHashLSH

    from storydesk import dedup

    texts = [FERRY, FERRY_EDITED, FERRY_FOLLOW_UP, FERRY.upper(), FERRY_EDITED + " Updated at noon.", "Short"]
    signatures = dedup.minhash_signatures([_shingles(t) for t in texts])
    keys = dedup.band_keys(signatures, 0.7)
    ours = {(m, n) for n in range(len(texts)) for m in range(n) if any(k[m] == k[n] for k in keys)}
    lsh = MinHashLSH(threshold=0.7, num_perm=128)
    theirs = set()
    for n, signature in enumerate(signatures):
        sketch = MinHash(hashvalues=signature, permutations=dedup._permutations(128, 1), scheme=dedup.SCHEME)
        theirs |= {(m, n) for m in lsh.query(sketch)}
        lsh.insert(n, sketch)
    assert ours == theirs and (0, 3) in ours


def test_shingles_are_sorted_and_distinct() -> None:
    from storydesk.dedup import shingles

    repeated = _shingles(" ".join([FERRY] * 3))
    assert np.array_equal(repeated, np.unique(repeated)) and len(repeated) > 1
    assert _shingles("").tolist() == shingles((), LEXICON).tolist() and len(shingles((), LEXICON)) == 1


def test_signatures_do_not_depend_on_the_block_size(monkeypatch: pytest.MonkeyPatch) -> None:
    from storydesk import dedup

    sets = [_shingles(t) for t in (FERRY, FERRY_FOLLOW_UP, "Short note.", FERRY_EDITED)]
    whole = dedup.minhash_signatures(sets)
    monkeypatch.setattr(dedup, "_CHUNK", 16)  # smaller than most sets: one set a block, some wider than it
    assert np.array_equal(dedup.minhash_signatures(sets), whole)


def test_lexicon_tables_read_per_word_values_in_bulk() -> None:
    from storydesk.text import Lexicon, words

    lexicon = Lexicon()
    lengths = lexicon.table("length", len, "int64")
    first = "Ferry Marigold ran aground."
    assert lengths[lexicon.ids(first)].tolist() == [len(w) for w in words(first.lower())]
    later = "Zephyrlike quarterdecks, unseen until now, re-anchored."  # words the table has not met
    assert lengths[lexicon.ids(later)].tolist() == [len(w) for w in words(later.lower())]
    assert list(lexicon.ids("The ferry, THE FERRY")) == list(lexicon.ids("the ferry the ferry"))
    assert lexicon.table("length", len, "int64") is lengths


def test_an_index_fed_in_batches_finds_the_groups_of_one_pass_reading_only_candidates() -> None:
    import pickle

    from storydesk.dedup import DuplicateIndex

    rng = random.Random(3)
    vocabulary = [f"w{n}" for n in range(2000)]
    originals = [" ".join(rng.choices(vocabulary, k=120)) for _ in range(40)]
    texts = {f"o{n}": text for n, text in enumerate(originals)}
    for n in range(0, 40, 4):  # an edited copy (a word changed), an exact copy, a copy of the copy
        words = originals[n].split()
        words[60] = "edited"
        texts[f"e{n}"] = " ".join(words)
        texts[f"x{n}"] = originals[n].upper()
        texts[f"c{n}"] = " ".join(words[:-2])
    keys = list(texts)
    rng.shuffle(keys)
    whole = DuplicateIndex()
    whole.add([(k, texts[k]) for k in keys])
    expected = {frozenset(g) for g in whole.groups()}
    assert len(expected) == 40 and {len(g) for g in expected} == {1, 4}

    index, asked = DuplicateIndex(), []

    def read(wanted: list[str]) -> dict[str, str]:
        asked.extend(wanted)
        return {k: texts[k] for k in wanted}

    for start in range(0, len(keys), 7):
        index = pickle.loads(pickle.dumps(index))  # as the stream keeps it between batches
        batch = keys[start:start + 7]
        assert not any(k in index for k in batch)
        before = set(keys[:start])
        index.add([(k, texts[k]) for k in batch], read)
        assert set(asked) <= before
    assert {frozenset(g) for g in index.groups()} == expected
    assert len(index) == len(keys)
    copies = {k for g in expected if len(g) > 1 for k in g}
    assert set(asked) <= copies  # a text with no copy is never read again


def _copy_corpus() -> dict[str, str]:
    """40 random texts; every fourth with an edited copy, an exact (upper-cased) copy and a copy of that."""
    rng = random.Random(5)
    vocabulary = [f"w{n}" for n in range(2000)]
    texts = {}
    for n in range(40):
        texts[f"o{n}"] = original = " ".join(rng.choices(vocabulary, k=120))
        if n % 4 == 0:
            words = original.split()
            words[60] = "edited"
            texts[f"e{n}"] = " ".join(words)
            texts[f"x{n}"] = original.upper()
            texts[f"c{n}"] = " ".join(words[:-2])
    return texts


def test_duplicate_groups_over_a_spill_are_the_groups_of_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sketched in several batches and read back from disk, the positions group as `DuplicateIndex` groups
    the same texts; only texts sharing a band are read a second time."""
    from storydesk import dedup
    from storydesk.spill import ArticleSpill

    monkeypatch.setattr(dedup, "_SKETCH_BATCH", 7)
    texts = _copy_corpus()
    keys = list(texts)
    random.Random(2).shuffle(keys)
    index = dedup.DuplicateIndex()
    index.add([(k, texts[k]) for k in keys])
    expected = {frozenset(g) for g in index.groups()}
    assert {len(g) for g in expected} == {1, 4}

    class Counted(ArticleSpill):
        reads: list[int]

        def __getitem__(self, position):  # type: ignore[override]
            self.reads.append(position)
            return super().__getitem__(position)

    with Counted() as spill:
        spill.reads = []
        for k in keys:
            spill.append(article(k, texts[k], 1, "Wire"))
        groups = dedup.duplicate_groups(spill)
    assert {frozenset(keys[p] for p in g) for g in groups} == expected
    assert all(g == sorted(g) for g in groups) and [g[0] for g in groups] == sorted(g[0] for g in groups)
    again = spill.reads[len(keys):]
    assert again and {keys[p] for p in again} <= {k for g in expected if len(g) > 1 for k in g}


def test_band_hashes_are_equal_where_band_keys_are() -> None:
    from storydesk import dedup

    texts = list(_copy_corpus().values())
    signatures = dedup.minhash_signatures([_shingles(t) for t in texts])
    keys, hashes = dedup.band_keys(signatures, 0.7), dedup.band_hashes(signatures, 0.7)
    assert hashes.shape == (len(texts), len(keys))
    for column, band in enumerate(keys):
        for m in range(len(texts)):
            for n in range(m):
                assert (band[m] == band[n]) == (hashes[m, column] == hashes[n, column])


def test_joining_a_bucket_gives_the_groups_of_checking_every_pair() -> None:
    """Over random buckets and a random "is a copy" relation, texts added in any order end in the connected
    sets of the graph of every same-bucket pair that is a copy, though not every pair is checked."""
    from storydesk.dedup import find_root, join_bucket

    for trial in range(60):
        rng = random.Random(trial)
        n = rng.randrange(2, 40)
        copy = {(a, b) for a in range(n) for b in range(a) if rng.random() < rng.choice([0.05, 0.3, 0.9])}
        buckets = [rng.sample(range(n), rng.randrange(1, n + 1)) for _ in range(rng.randrange(1, 6))]
        edges = [(a, b) for bucket in buckets for a in bucket for b in bucket if (a, b) in copy]
        expected = list(range(n))
        for a, b in edges:
            expected[find_root(expected, a)] = find_root(expected, b)
        parent, groups = list(range(n)), [[] for _ in buckets]
        checked: list[tuple[int, int]] = []

        def copies(a: int, b: int, copy: set = copy, checked: list = checked) -> bool:
            checked.append((a, b))
            return (max(a, b), min(a, b)) in copy

        arrivals = [(k, m) for k, bucket in enumerate(buckets) for m in bucket]
        rng.shuffle(arrivals)
        seen: list[set[int]] = [set() for _ in buckets]
        for k, m in arrivals:  # each bucket's texts in a random order, the buckets interleaved
            join_bucket(parent, groups[k], m, copies)
            seen[k].add(m)
            assert sorted(x for g in groups[k] for x in g) == sorted(seen[k])
        same = {(a, b) for a in range(n) for b in range(n)
                if find_root(parent, a) == find_root(parent, b)}
        assert same == {(a, b) for a in range(n) for b in range(n)
                        if find_root(expected, a) == find_root(expected, b)}, trial
        pairs = sum(len(b) * (len(b) - 1) // 2 for b in buckets)
        assert len(checked) <= pairs


def _wire_copies(k: int) -> dict[str, str]:
    """`k` copies of one 300-word story, each with one word changed: every pair a copy."""
    rng = random.Random(9)
    story = [rng.choice([f"w{n}" for n in range(3000)]) for _ in range(300)]
    texts = {}
    for i in range(k):
        words = list(story)
        words[rng.randrange(300)] = f"edit{i}"
        texts[f"k{i}"] = " ".join(words)
    return texts


def test_copies_of_one_wire_story_cost_one_check_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bucket of k copies is checked about k times, not k²/2, in one pass and fed to the index in batches
    (200 copies: 199 checks where every pair would be 19,900)."""
    from storydesk import dedup

    texts = _wire_copies(200)
    checks = []
    jaccard = dedup.jaccard
    monkeypatch.setattr(dedup, "jaccard", lambda a, b: checks.append(1) or jaccard(a, b))
    groups = dedup.duplicate_groups([article(k, t, 1, "Wire") for k, t in texts.items()])
    assert len(groups) == 1 and len(checks) < 2 * len(texts)
    checks.clear()
    index, keys = dedup.DuplicateIndex(), list(texts)
    for start in range(0, len(keys), 25):
        index.add([(k, texts[k]) for k in keys[start:start + 25]], lambda ks: {k: texts[k] for k in ks})
    assert index.groups() == [keys] and len(checks) < 2 * len(texts)


def test_an_index_pickled_with_flat_buckets_keeps_grouping() -> None:
    """A store's index pickled before buckets held groups loads with them grouped and goes on as one built
    now: the same groups after the same later texts."""
    import pickle

    from storydesk import dedup

    texts = _copy_corpus()
    keys = list(texts)
    old, new = dedup.DuplicateIndex(), dedup.DuplicateIndex()
    for index in (old, new):
        index.add([(k, texts[k]) for k in keys[:30]])
    old._buckets = [{key: [held] if isinstance(held, int) else [m for g in held for m in g]  # before 12-07
                     for key, held in table.items()} for table in old._buckets]
    old = pickle.loads(pickle.dumps(old))
    assert old._buckets == new._buckets
    for index in (old, new):
        index.add([(k, texts[k]) for k in keys[30:]], lambda ks: {k: texts[k] for k in ks})
    assert old.groups() == new.groups()
