"""Group articles into stories: reports about the same real-world events.

Two passes. The streaming pass (`StoryGrouper.add`) reads articles in (publication date, id) order and
puts each in a story at once, under a stable id. The refinement (`StoryGrouper.refined`) then moves each
article, once and all together, to the story it fits best now that later articles are known: a single
pass cannot undo an early mistake (a story started by a vague report, a report that arrived before its
story had formed). `group_stories` is the streaming pass followed by the refinement.

What the stream guarantees: the id `add` returns for an article is final ("s" + the id of the first
article of its story; it never changes when later articles arrive), and `StoryGrouper.refined()` after
any prefix of the stream equals `group_stories` of that prefix (in any input order). Refinement is a batch
step: it may move an article away from the story `add` named, and names each refined story by
`story_id` of its members. On ECB+ dev it is worth +0.016 B-cubed F1 in-sample (0.908 -> 0.924).

Each article becomes a sparse unit vector of weighted features of its title and lead (its first
`lead_words` (500) words; names from its first `lead_chars` (3,000) characters): news states what
happened first, and the cap bounds the cost of very long pages:
- stems of its words (Porter2, stop words removed), which also carry its numbers (counts, magnitudes,
  scores) and its action words;
- names: runs of capitalised words on one line ("Betty Ford Center"), weighted `name_weight` (2),
  because two stories on one topic share vocabulary but rarely the same people, places and organisations;
- years written in the text (1900-2099), weighted `year_weight` (2) on top of their stem: two events of
  one kind (two earthquakes, two arrests) are often told apart only by when they happened.
A feature weighs (1 + ln tf) * idf with a smoothed idf, ln((n + 1) / (df + 1)) + 1, over the n articles
seen so far (incremental, so a stream needs no second pass over the text).

Streaming pass: an article joins the story with the highest mean cosine to its members (average link,
one dot product with the sum of the members' unit vectors) if that mean is at least `link_threshold`
(0.175); else it starts a new story. Average link, unlike nearest-member (single) link, keeps one
off-topic report from chaining two stories together, and unlike cosine to a normalised centroid it does
not make big stories ever easier to join. When both the article and the story carry publication dates and
the article lies more than `date_window_days` (7) days from every member, it must reach `far_threshold`
(0.35): later developments are often new stories unless lexically very close.

Refinement: with the vectors of the streaming pass, each article's mean cosine to every candidate story is
recomputed (to its own story without itself); it moves to the best story if that mean passes the same
thresholds and beats its own story, else it stays. All moves are decided before any is made, so the result
does not depend on the order articles are visited.

Candidate stories come from an inverted index (feature -> stories) over the article's `block_terms` (25)
heaviest features already seen elsewhere, each feature's list read from its latest `block_postings` (1,000)
stories (block purging, as entity-resolution blocking does: at a million reports common features' lists
grow with the stories, and a feature shared by more stories tells them apart less); only the `shortlist`
(3) stories sharing the most of that weight are scored exactly, so adding an article costs about the same
with 10 or 100,000 stories.
`link_threshold` is the knob `storydesk eval stories --folds 5` tunes on the training topics of each fold;
on ECB+ dev it picks 0.175 in every fold (held-out B-cubed F1 0.913, in docs/benchmarks.md).

State: the grouper owns its vocabularies (`Featurizer`: words, features, names), so its state pickles and a
restored grouper in another process assigns new articles exactly as the original would. Speed: features
are integer ids; an article's words come from the featurizer's `Lexicon` (shared with dedup in a run: a
text dedup's pass left in its cache is not tokenised again, and otherwise only its lead is) and each word's
stem and year feature from a `WordTable` (stemmed once per word), or, on a run of `[engine]
group_workers_from` reports or more, from worker processes (`group_story_positions(featurize=...)`,
`FeatureKeys`); vectors are numpy arrays (ids, weights); candidate stories' shared weights are summed
(`np.add.at`) into a scratch array by story index from postings kept as int32 arrays, with no sort of the
postings; a story's centroid is a pair of arrays (feature ids, summed weights), and its dot product with an
article reads the article's vector spread out in a dense scratch array.
"""

from __future__ import annotations

import array
import datetime as dt
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from storydesk.config import ClusterConfig
from storydesk.model import Article
from storydesk.text import Lexicon, Vocabulary, WordTable, content_stems, stop_words

#: A capitalised run: `\b[A-Z]...` written as `[A-Z](?<!\w.)...`, the same matches, because a pattern that
#: starts with a character class lets the regex engine skip ahead to the next capital (twice as fast).
_NAME = re.compile(r"[A-Z](?<!\w.)[\w'’.\-]*(?:[ \t]+(?:of[ \t]+|the[ \t]+|de[ \t]+)?[A-Z][\w'’.\-]*)*")
#: Distinct capitalised runs remembered per featurizer before its name cache starts over (bounds memory).
_NAME_CACHE = 1_000_000
_PROGRESS_EVERY = 1000  # articles between two progress reports (a report is a terminal redraw)
_DOT_BLOCK = 10_000  # the longest dot product OpenBLAS (numpy's BLAS) computes on one thread


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """`a @ b`, summed in blocks of `_DOT_BLOCK` numbers when longer: OpenBLAS splits a longer dot product
    across its threads, which makes the sum, so a story's mean cosine, so the stories, depend on how many
    cores the machine has (the centroids of large stories at a million reports are longer), and leaves its
    threads spinning on the other core beside the single-threaded grouping."""
    if len(a) <= _DOT_BLOCK:
        return float(a @ b)
    return sum(float(a[k : k + _DOT_BLOCK] @ b[k : k + _DOT_BLOCK]) for k in range(0, len(a), _DOT_BLOCK))


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and digits.isdigit() and digits[:2] in ("19", "20")


class _StemFeature:
    """A word's feature: the id of its stem; -1 for a stop word. (A class, so a grouper pickles.)"""

    def __init__(self, features: Vocabulary) -> None:
        self.features = features

    def __call__(self, word: str) -> int:
        stem = content_stems([word])
        return self.features[stem[0]] if stem else -1


class _YearFeature(_StemFeature):
    """The feature id of the year ("#" + stem) a word writes; -1 when it writes none."""

    def __call__(self, word: str) -> int:
        stem = content_stems([word]) if word[:2] in ("19", "20") else []
        return self.features["#" + stem[0]] if stem and _is_year(stem[0]) else -1


class _NameFeatures(dict):
    """Capitalised run -> the feature of "@" + its lower-cased words without leading stop words ("The",
    "After"); -1 when only stop words. Computed once per distinct run (a dict, so that a look-up of a known
    run costs no Python call)."""

    def __init__(self, features: Vocabulary, known: dict[str, int] | None = None) -> None:
        super().__init__(known or {})
        self.features = features

    def __missing__(self, run: str) -> int:
        stop = stop_words()
        parts = run.lower().split()
        while parts and parts[0] in stop:
            parts.pop(0)
        found = self[run] = self.features["@" + " ".join(parts)] if parts else -1
        return found


class Featurizer:
    """Feature ids of articles (stems as they are, names as "@...", years as "#...") in vocabularies of its
    own: the same articles in the same order get the same ids in any process, and the ids travel (pickled)
    with the grouper that owns this featurizer."""

    def __init__(self, config: ClusterConfig, lexicon: Lexicon | None = None) -> None:
        self.config = config
        self.lexicon = lexicon if lexicon is not None else Lexicon()
        self.features = Vocabulary()
        self._stems = WordTable(self.lexicon.vocabulary, _StemFeature(self.features), "int64")
        self._years = WordTable(self.lexicon.vocabulary, _YearFeature(self.features), "int64")
        self._names = _NameFeatures(self.features)
        self.source: str | None = None  # names this featurizer's ids in the keys it writes (from the first)
        self._told = 0  # features already written out in its keys (their ids are known downstream)
        self._foreign: dict[str, tuple[np.ndarray, int]] = {}  # source -> its ids in ours, how many known

    def __setstate__(self, state: dict) -> None:
        """Restore a featurizer, one pickled when its name cache was a plain dict too, or before it wrote
        and read keys by id (a store's stream state)."""
        if not isinstance(state["_names"], _NameFeatures):
            state["_names"] = _NameFeatures(state["features"], state["_names"])
        state["source"], state["_told"] = None, 0  # a copy writes keys as a source of its own (`new_source`)
        state.setdefault("_foreign", {})
        self.__dict__.update(state)

    def counts(self, article: Article) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Feature ids of the title and the lead in first-seen order (stems, then years, then names), their
        counts, and their kind weights."""
        config = self.config
        words = np.frombuffer(self.lexicon.lead_ids(article.text, config.lead_words), dtype=np.int32)
        if article.title:  # not cached: titles would push texts out of the cache
            title = np.frombuffer(self.lexicon.ids(article.title, cache=False), dtype=np.int32)
            words = np.concatenate([title, words])
        stems, years = self._stems[words], self._years[words]
        head = article.text[: config.lead_chars]
        runs = _NAME.findall(f"{article.title}\n{head}" if article.title else head)
        if len(self._names) > _NAME_CACHE:  # bounds memory; the cache is pure
            self._names = _NameFeatures(self.features)
        names = np.fromiter(map(self._names.__getitem__, runs), dtype=np.int64, count=len(runs))
        parts = [(stems[stems >= 0], 1.0), (years[years >= 0], config.year_weight),
                 (names[names >= 0], config.name_weight)]
        seq = np.concatenate([ids for ids, _ in parts])
        kinds = np.concatenate([np.full(len(ids), weight) for ids, weight in parts])
        ids, first, counts = np.unique(seq, return_index=True, return_counts=True)
        order = np.argsort(first)
        return ids[order], counts[order], kinds[first[order]]

    def keys(self, article: Article) -> FeatureKeys:
        """`counts` of `article` in this featurizer's ids, with the features it has not written out in
        earlier keys: what `from_keys` of any featurizer with the same config, given this one's keys in
        the order they were written, turns into that featurizer's `counts` of the article."""
        ids, counts, kinds = self.counts(article)
        if self.source is None:
            self.source = os.urandom(8).hex()
        words = self.features.words
        start, self._told = self._told, len(words)
        return FeatureKeys(self.source, start, "\n".join(words[start:]), ids.astype(np.int32).tobytes(),
                           counts.astype(np.int32).tobytes(), kinds.tobytes())

    def new_source(self) -> None:
        """Write later keys as a new source, every feature written out again: for another reader."""
        self.source, self._told = None, 0

    def from_keys(self, keys: FeatureKeys) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The `counts` that `keys` (from `keys`, maybe in another process) stand for, in this featurizer's
        ids: a table by source maps its ids to these, extended by the features each key writes out (so
        an article costs one array look-up, not a look-up a feature). The ids differ from those `counts`
        would have handed out when features first appear in another order, which groups alike: features
        are ordered by first sight, never by id. Raises ValueError on keys out of their source's order."""
        table, known = self._foreign.get(keys.source, (np.zeros(0, dtype=np.int64), 0))
        if keys.start != known:
            raise ValueError(f"features of {keys.source} out of order: {keys.start} written out before this "
                             f"article, {known} read")
        if keys.new:
            new = keys.new.split("\n")
            if known + len(new) > len(table):
                table = np.concatenate([table[:known], np.zeros(max(len(table), 1024, len(new)), np.int64)])
            table[known:known + len(new)] = np.fromiter(map(self.features.__getitem__, new), dtype=np.int64,
                                                         count=len(new))
            known += len(new)
            self._foreign[keys.source] = (table, known)
        theirs = np.frombuffer(keys.ids, dtype=np.int32)
        if len(theirs) and int(theirs.max()) >= known:
            raise ValueError(f"features of {keys.source} name ids it has not written out")
        ids = table[theirs]
        return ids, np.frombuffer(keys.counts, dtype=np.int32).astype(np.int64), np.frombuffer(keys.kinds)


class FeatureKeys(NamedTuple):
    """An article's features as `Featurizer.counts` gives them, in the ids of the featurizer that wrote
    them (`source`, maybe in another process), with the features it first wrote out for this article: a
    grouper's featurizer reads each source's keys in order (`Featurizer.from_keys`) and so knows every id."""

    source: str  #: the writing featurizer's `source`
    start: int  #: features that featurizer had written out before this article's
    new: str  #: the features it writes out here, in id order, one a line (no feature holds a line break)
    ids: bytes  #: the article's features in first-seen order, int32 ids of the source
    counts: bytes  #: their counts, int32
    kinds: bytes  #: their kind weights, float64


def features(article: Article, config: ClusterConfig | None = None) -> Counter[str]:
    """Stems, names ("@...") and written years ("#...") of the title and the lead, with their counts."""
    featurizer = Featurizer(config or ClusterConfig())
    ids, counts, _ = featurizer.counts(article)
    words = featurizer.features.words
    return Counter(dict(zip(map(words.__getitem__, ids.tolist()), counts.tolist(), strict=True)))


class _Vector(NamedTuple):
    """A unit feature vector, heaviest feature first."""

    ids: np.ndarray
    weights: np.ndarray


@dataclass
class _Story:
    """A story's members and the sum of their unit vectors (its centroid, sparse: ids and sums)."""

    sid: str
    members: list[int] = field(default_factory=list)
    days: list[int] = field(default_factory=list)  # the first and last dated members' days
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sums: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def gap_days(self, day: int | None) -> int:
        """Days from `day` to the span of the dated members (0 when inside it or either side is undated)."""
        if day is None or not self.days:
            return 0
        return max(min(self.days) - day, day - max(self.days), 0)


class StoryGrouper:
    """Story grouping over a stream: `add` each article (in `sort_key` order) and get its story's id.

    Guarantees: the id `add` returns for an article never changes as later articles arrive (it is "s" +
    the id of the story's first article), and `stories` lists the streaming assignment. `refined()` is
    the batch answer for the articles added so far (equal to `group_stories` of them); it may move
    articles between stories, so its stories are named by `story_id` of their members, not by `add`.
    """

    def __init__(
        self, config: ClusterConfig | None = None, *, lexicon: Lexicon | None = None, remember: bool = False,
        on_disk: bool = False,
    ) -> None:
        """`remember` keeps each article's features (about 2 KB an article) so that `restarted` can regroup
        without featurising again: the stream's persisted grouper does, a one-off batch grouping need not.
        `on_disk` (a one-off batch grouping: `group_story_positions`) keeps neither the articles nor their
        vectors in memory: the vectors go to a temporary file that `refined_positions` reads back by range,
        so memory grows with the stories, not the articles; such a grouper answers only in positions
        (`stories` and `refined` need the articles) and does not pickle."""
        self.config = config or ClusterConfig()
        self.remember = remember
        self.on_disk = on_disk
        self.featurizer = Featurizer(self.config, lexicon)
        self._df = np.zeros(1024, dtype=np.int64)  # by feature id, grown on demand
        self._dense = np.zeros(1024)  # scratch: one vector spread out by feature id, zero between uses
        self._overlap = np.zeros(1024)  # scratch: blocking weight by story index, zero between uses
        self._stories: list[_Story] = []
        self._sids: set[str] = set()
        self._postings: dict[int, array.array] = {}  # feature id -> indexes of the stories having it
        self._articles: list[Article] = []
        self._added = 0
        self._vectors: list[_Vector] | _VectorFile = _VectorFile() if on_disk else []
        self._days: list[int | None] = []
        self._home: list[int] = []
        self._counts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # each article's features
        self._known: dict[tuple[str, str | None], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def __setstate__(self, state: dict) -> None:
        """Restore a pickled grouper, one pickled before `on_disk` and `_overlap` existed too (a store's
        stream state)."""
        state.setdefault("on_disk", False)
        state.setdefault("_added", len(state["_articles"]))
        state.setdefault("_overlap", np.zeros(max(1024, 2 * len(state["_stories"]))))
        self.__dict__.update(state)

    def _count(self, ids: np.ndarray) -> None:
        """Add one article's distinct features to the document frequencies."""
        if len(ids) and ids.max() >= len(self._df):
            size = max(2 * len(self._df), int(ids.max()) + 1)
            self._df = np.concatenate([self._df, np.zeros(size - len(self._df), dtype=np.int64)])
            self._dense = np.zeros(size)
        self._df[ids] += 1

    def _vector(self, ids: np.ndarray, counts: np.ndarray, kinds: np.ndarray) -> _Vector:
        """Unit (1 + ln tf) * idf * kind-weight vector, heaviest features first (ties in first-seen order)."""
        idf_base = math.log(self._added + 1) + 1.0
        weights = (idf_base - np.log(self._df[ids] + 1.0)) * kinds * (1.0 + np.log(counts))
        weights /= math.sqrt(dot(weights, weights)) or 1.0
        order = np.argsort(-weights, kind="stable")
        return _Vector(ids[order], weights[order])

    def _candidates(self, vector: _Vector) -> list[int]:
        """The `shortlist` stories sharing most weight of the article's `block_terms` heaviest features
        found in other articles (blocking). Ties go to the smaller story id."""
        seen = self._df[vector.ids] > 1  # in another article, so in some story's postings
        cap = self.config.block_postings
        lists = [self._postings[t] for t in vector.ids[seen][: self.config.block_terms].tolist()]
        lists = [p if len(p) <= cap else p[-cap:] for p in lists]  # a slice copies: only the long ones
        if not lists:
            return []
        listed = np.frombuffer(b"".join(lists), dtype=np.int32)  # a story at most once a list
        # Summed per story in a scratch array by story index, heaviest feature first, over the stories in
        # the lists only: a sum over every story so far made each article cost as much as the number of
        # stories (quadratic at a million articles), and sorting the lists to find their stories (np.unique)
        # cost most of a grouping at 400,000.
        overlap = self._overlap
        np.add.at(overlap, listed, np.repeat(vector.weights[seen][: len(lists)], [len(p) for p in lists]))
        sums = overlap[listed]
        overlap[listed] = 0.0
        weighed = sums > 0.0  # not a story listed only through features weighted 0 (a kind weight of 0)
        listed, sums = listed[weighed], sums[weighed]
        # A story is listed at most len(lists) times, so the entries at or above the (shortlist *
        # len(lists))-th largest sum hold every story of the shortlist and its ties.
        shortlist, rank = self.config.shortlist, self.config.shortlist * len(lists)
        if len(listed) > rank:
            keep = sums >= np.partition(sums, -rank)[-rank]
            listed, sums = listed[keep], sums[keep]
        shared, first = np.unique(listed, return_index=True)
        ranked = sorted(zip((-sums[first]).tolist(), shared.tolist(), strict=True),
                        key=lambda pair: (pair[0], self._stories[pair[1]].sid))
        return [index for _, index in ranked[:shortlist]]

    def _need(self, story: _Story, day: int | None) -> float:
        config = self.config
        near = story.gap_days(day) <= config.date_window_days
        return config.link_threshold if near else config.far_threshold

    def _best(self, vector: _Vector, day: int | None, own: int | None = None) -> int | None:
        """The candidate story with the highest mean cosine that passes its threshold (`own` without self).

        Ties go to the smaller id. `own` (the article's current story, in refinement) must only be beaten.
        Each mean is a dot product of the story's centroid with the vector spread out in `_dense`.
        """
        dense = self._dense
        dense[vector.ids] = vector.weights
        best, best_sim = own, -1.0
        if own is not None and len(self._stories[own].members) > 1:
            story = self._stories[own]
            best_sim = (dot(story.sums, dense[story.ids]) - 1.0) / (len(story.members) - 1)
        for index in self._candidates(vector):
            if index == own:
                continue
            story = self._stories[index]
            sim = dot(story.sums, dense[story.ids]) / len(story.members)
            if sim < self._need(story, day):
                continue
            tie = sim == best_sim and best is not None and story.sid < self._stories[best].sid
            if sim > best_sim or tie:
                best, best_sim = index, sim
        dense[vector.ids] = 0.0
        return best

    def add(self, article: Article, keys: FeatureKeys | None = None) -> str:
        """Put `article` in a story and return that story's id ("s" + the id of its first article).
        `keys`, when given, are its features (`Featurizer.keys`, computed in another process)."""
        given = self.featurizer.from_keys(keys) if keys is not None else None  # read in order, even if known
        known = self._known.pop((article.id, article.title), None) if self._known else None
        if known is None:
            ids, counts, kinds = given if given is not None else self.featurizer.counts(article)
            if self.remember:
                self._counts.append((ids.astype(np.int32), counts.astype(np.int32), kinds))
        else:
            ids, counts, kinds = known[0].astype(np.int64), known[1].astype(np.int64), known[2]
            self._counts.append(known)  # only a remembering grouper's restart knows features
        self._count(ids)
        vector = self._vector(ids, counts, kinds)
        day = article.published.toordinal() if article.published else None
        index = self._best(vector, day)
        if index is None:
            sid = story_id([article])
            while sid in self._sids:
                sid += "'"
            self._sids.add(sid)
            index = len(self._stories)
            self._stories.append(_Story(sid))
            if index == len(self._overlap):
                self._overlap = np.zeros(2 * index)
        story = self._stories[index]
        story.members.append(self._added)
        self._added += 1
        if not self.on_disk:
            self._articles.append(article)
        self._vectors.append(vector)
        self._days.append(day)
        self._home.append(index)
        if day is not None:  # only the span counts: two days, so a long story's check stays cheap
            story.days = [min([*story.days, day]), max([*story.days, day])]
        self._add_to_centroid(index, vector)
        return story.sid

    def _add_to_centroid(self, index: int, vector: _Vector) -> None:
        """Add `vector` to story `index`'s centroid, and the story to the postings of its new features."""
        story, dense = self._stories[index], self._dense
        dense[story.ids] = story.sums
        new = vector.ids[dense[vector.ids] == 0.0]  # sums of unit-vector weights are positive
        for term in new.tolist():
            self._postings.setdefault(term, array.array("i")).append(index)
        dense[vector.ids] += vector.weights
        story.ids = np.concatenate([story.ids, new])
        story.sums = dense[story.ids]
        dense[story.ids] = 0.0

    def restarted(self) -> StoryGrouper:
        """An empty grouper with this one's featurizer that knows the features of every article this one was
        given (by id and title; when it remembers them), so that adding them again in another order (the
        stream's replay) skips tokenising them. It groups exactly as a new grouper would: features are
        ordered by first sight in the text, never by their ids."""
        fresh = StoryGrouper(self.config, remember=self.remember)
        fresh.featurizer = self.featurizer
        if self.remember:
            fresh._known = {(a.id, a.title): c for a, c in zip(self._articles, self._counts, strict=True)}
        return fresh

    def compact(self) -> None:
        """Drop what a persisted grouper no longer needs: the texts of its articles (it keeps each one's id,
        title and date, what it is asked about later; the stream maps the articles `stories` and
        `refined()` give back to its own by id) and the known features `restarted` carried over but no
        article used."""
        self._articles = [Article(id=a.id, text="", title=a.title, published=a.published)
                          for a in self._articles]
        self._known = {}

    @property
    def stories(self) -> list[list[Article]]:
        """The streaming stories so far, in the order they were started, each in arrival order."""
        return [[self._articles[i] for i in s.members] for s in self._stories]

    def refined(self) -> list[list[Article]]:
        """The stories after moving each article once to the story it now fits best (see module doc)."""
        return [[self._articles[i] for i in story] for story in self.refined_positions()]

    def refined_positions(
        self, progress: Callable[[int, int], None] | None = None, spread: SpreadRanges | None = None
    ) -> list[list[int]]:
        """`refined()` as the articles' positions in the order they were added; `progress(done, total)`
        follows the pass. Each article's move reads the grouper and changes nothing (its scratch arrays
        end as zeros), so `spread` may run the pass's ranges of articles in other processes that hold a
        copy of it (`engines.local.GroupingWorkers.forked`): the same moves."""
        step = _PROGRESS_EVERY  # a range is a progress report, and a task of about a second
        ranges = [(start, min(start + step, self._added)) for start in range(0, self._added, step)]
        moved: list[int | None] = []
        if isinstance(self._vectors, _VectorFile):
            self._vectors.index()
        if progress is not None:
            progress(0, self._added)
        for part in (spread or _one_by_one)(self._moves, ranges):
            moved.extend(part)
            if progress is not None:
                progress(len(moved), self._added)
        groups: dict[int | None, list[int]] = {}
        for position, index in enumerate(moved):
            groups.setdefault(index, []).append(position)
        return list(groups.values())

    def _moves(self, start: int, stop: int) -> list[int | None]:
        """The story each article added in [start, stop) fits best now (its own unless another beats it)."""
        vectors = (self._vectors[start:stop] if isinstance(self._vectors, list)
                   else self._vectors.read(start, stop))
        days, homes = self._days[start:stop], self._home[start:stop]
        return [self._best(vector, day, own=home)
                for vector, day, home in zip(vectors, days, homes, strict=True)]


def _one_by_one(
    work: Callable[[int, int], list[int | None]], ranges: list[tuple[int, int]]
) -> Iterator[list[int | None]]:
    """The `SpreadRanges` of one process."""
    return (work(start, stop) for start, stop in ranges)


#: Runs `work(start, stop)` over each range and yields the results in the ranges' order, wherever it runs
#: them (`StoryGrouper.refined_positions`).
SpreadRanges = Callable[[Callable[[int, int], list[int | None]], list[tuple[int, int]]],
                        Iterator[list[int | None]]]


def sort_key(article: Article) -> tuple[dt.date, str]:
    """Stream order: publication date (undated last), then id."""
    return (article.published or dt.date.max, article.id)


def story_id(articles: list[Article]) -> str:
    """A story's stable id: "s" + the id of its first article in stream order (later joiners keep it)."""
    return "s" + min(articles, key=sort_key).id


def group_stories(
    articles: Sequence[Article], config: ClusterConfig | None = None, *, lexicon: Lexicon | None = None
) -> list[list[Article]]:
    """Stories of `articles`, independent of input order: streamed in `sort_key` order, then refined.

    `lexicon` tokenises the texts (pass dedup's to tokenise each article once in a run)."""
    positions = group_story_positions(articles, config, lexicon=lexicon)
    return [[articles[i] for i in story] for story in positions]


#: Featurises articles for a grouper: each article given, in order, with its `FeatureKeys`, or with None
#: for the grouper to featurise it (`engines.local.GroupingWorkers` does it in worker processes).
Featurize = Callable[[Iterator[Article]], Iterator[tuple[Article, FeatureKeys | None]]]


def featurize_here(articles: Iterator[Article]) -> Iterator[tuple[Article, FeatureKeys | None]]:
    """The `Featurize` of one process: every article left to the grouper."""
    return ((article, None) for article in articles)


def group_story_positions(
    articles: Sequence[Article], config: ClusterConfig | None = None, *, lexicon: Lexicon | None = None,
    progress: Callable[[str, int, int], None] | None = None, featurize: Featurize | None = None,
    spread: SpreadRanges | None = None,
) -> list[list[int]]:
    """`group_stories` as positions in `articles`, which may be a sequence that reads each article from disk
    when indexed (`ArticleSpill`): each is read twice (for its `sort_key`, then to featurise it) and none is
    kept, nor its vector (an `on_disk` grouper). `featurize` may featurise the articles elsewhere (the same
    stories: the features are the same), and `spread` run the refinement's ranges elsewhere (the same
    moves). `progress(stage, done, total)` follows the two passes, "group" and "refine"."""
    report = progress or (lambda stage, done, total: None)
    order = sorted(range(len(articles)), key=lambda i: sort_key(articles[i]))
    grouper = StoryGrouper(config, lexicon=lexicon, on_disk=True)
    featurized = (featurize or featurize_here)(articles[i] for i in order)
    for n, (article, keys) in enumerate(featurized):
        if n % _PROGRESS_EVERY == 0:
            report("group", n, len(order))
        grouper.add(article, keys)
    report("group", len(order), len(order))
    moved = grouper.refined_positions(lambda done, total: report("refine", done, total), spread)
    return [[order[p] for p in story] for story in moved]


class _VectorFile:
    """The vectors of an `on_disk` grouper's articles, in order of addition, in an unnamed temporary file
    (ids as int32, weights as float64: 12 bytes a feature), read back a range of articles at a time."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - gone with the grouper
        self._sizes = array.array("i")
        self._offsets: np.ndarray | None = None  # byte offset of each vector, made when first read

    def append(self, vector: _Vector) -> None:
        self._file.write(vector.ids.astype(np.int32).tobytes())
        self._file.write(vector.weights.tobytes())
        self._sizes.append(len(vector.ids))

    def __len__(self) -> int:
        return len(self._sizes)

    def index(self) -> None:
        """Write out what is buffered and find each vector's offset: before `read`, and before a fork (a
        child writing the buffer out too would write it twice)."""
        self._file.flush()
        sizes = np.frombuffer(self._sizes, dtype=np.int32).astype(np.int64)
        self._offsets = np.concatenate([[0], np.cumsum(sizes * 12)])

    def read(self, start: int, stop: int) -> list[_Vector]:
        """The vectors of articles [start, stop), read at their offsets (`os.pread`: the file's position,
        which a forked process shares, does not move)."""
        if self._offsets is None or len(self._offsets) != len(self._sizes) + 1:
            self.index()
        length = int(self._offsets[stop] - self._offsets[start])
        data = os.pread(self._file.fileno(), length, int(self._offsets[start]))
        if len(data) != length:
            raise OSError(f"the grouper's vector file ended early: {len(data)} of {length} bytes")
        vectors, at = [], 0
        for size in self._sizes[start:stop]:
            ids = np.frombuffer(data, dtype=np.int32, count=size, offset=at).astype(np.int64)
            weights = np.frombuffer(data, dtype=np.float64, count=size, offset=at + 4 * size)
            vectors.append(_Vector(ids, weights))
            at += 12 * size
        return vectors

