"""Group articles into stories: reports about the same real-world events.

Stories are built in one pass over articles sorted by (publication date, id), so the batch function and
the streaming `StoryGrouper` give the same result and a story keeps the id of its first article.

Each article becomes a sparse unit vector of weighted features of its title and first `LEAD_CHARS` (3,000)
characters (news states what happened first; the cap also bounds the cost of very long pages):
- stems of its words (storydesk.text.stems: Porter2, stop words removed), which also carry its numbers
  (years, counts, scores) and its action words;
- names: runs of capitalised words ("Betty Ford Center"), weighted `NAME_WEIGHT` (2) times, because two
  stories on one topic share vocabulary but rarely the same set of people, places and organisations.
A feature weighs (1 + ln tf) * idf with a smoothed idf, ln((n + 1) / (df + 1)) + 1, over the n articles
seen so far (incremental, so a stream needs no second pass).

An article joins the story with the highest mean cosine to its members (average link, computed in one
dot product with the sum of the members' unit vectors) if that mean is at least `LINK_THRESHOLD` (0.175);
else it starts a new story. Average link, unlike nearest-member (single) link, keeps one off-topic report
from chaining two stories together, and unlike cosine to a normalised centroid it does not make big
stories ever easier to join. When both the article and the story carry publication dates and the article
lies more than `DATE_WINDOW_DAYS` (7) days from every member, it must reach `FAR_THRESHOLD` (0.35): later
developments are often new stories unless lexically very close. (Dates written in the text are not used:
on ECB+ they named other days as often as the publication day and lowered F1.)

Candidate stories come from an inverted index (feature -> stories) over the article's `BLOCK_TERMS` (25)
heaviest features already seen elsewhere; only the `SHORTLIST` (5) stories sharing the most of that weight
are scored exactly, so adding an article costs about the same with 10 or 10,000 stories.
Thresholds were chosen on ECB+ dev with a 2-fold split by topic (see storydesk.eval.stories).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from storydesk.model import Article
from storydesk.text import stems, stop_words

LINK_THRESHOLD = 0.175
FAR_THRESHOLD = 0.35
DATE_WINDOW_DAYS = 7
NAME_WEIGHT = 2.0
BLOCK_TERMS = 25
SHORTLIST = 5
LEAD_CHARS = 3000

_NAME = re.compile(r"\b[A-Z][\w'’.\-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w'’.\-]*)*")


def _names(text: str) -> list[str]:
    """Capitalised word runs, without leading stop words ("The", "After"); single stop words dropped."""
    stop = stop_words()
    found = []
    for match in _NAME.finditer(text):
        parts = match.group().lower().split()
        while parts and parts[0] in stop:
            parts.pop(0)
        if parts:
            found.append("@" + " ".join(parts))
    return found


def _features(article: Article) -> Counter[str]:
    """Stem and name counts of the title and the lead (news puts what happened first; tails add noise)."""
    lead = article.text[:LEAD_CHARS]
    text = f"{article.title}\n{lead}" if article.title else lead
    feats = Counter(stems(text))
    for name in _names(text):
        feats[name] += 1
    return feats


@dataclass
class _Story:
    id: str
    articles: list[Article] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=dict)
    days: list[int] = field(default_factory=list)

    def similarity(self, vector: dict[str, float]) -> float:
        """Mean cosine to the members (average link), via the sum of their unit vectors."""
        return sum(w * self.centroid.get(t, 0.0) for t, w in vector.items()) / len(self.articles)

    def gap_days(self, day: int | None) -> int:
        """Days from `day` to the nearest dated member (0 when either side is undated)."""
        if day is None or not self.days:
            return 0
        return max(min(self.days) - day, day - max(self.days), 0)


class StoryGrouper:
    """Streaming story grouping: `add` each article (in date order) and get its story's stable id."""

    def __init__(self, *, threshold: float = LINK_THRESHOLD) -> None:
        self.threshold = threshold
        self._df: Counter[str] = Counter()
        self._n = 0
        self._stories: dict[str, _Story] = {}
        self._postings: dict[str, list[str]] = {}

    def _vector(self, feats: Counter[str]) -> dict[str, float]:
        vec = {}
        for term, tf in feats.items():
            idf = math.log((self._n + 1) / (self._df[term] + 1)) + 1.0
            vec[term] = (1.0 + math.log(tf)) * idf * (NAME_WEIGHT if term[0] == "@" else 1.0)
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {t: w / norm for t, w in vec.items()}

    def _candidates(self, vector: dict[str, float]) -> list[str]:
        """The `SHORTLIST` stories sharing most weight of the article's heaviest seen features (blocking)."""
        seen = [t for t in vector if self._df[t] > 1]
        overlap: Counter[str] = Counter()
        for term in sorted(seen, key=lambda t: (-vector[t], t))[:BLOCK_TERMS]:
            for sid in self._postings.get(term, ()):
                overlap[sid] += vector[term]
        return [sid for sid, _ in sorted(overlap.items(), key=lambda x: (-x[1], x[0]))[:SHORTLIST]]

    def _best(self, vector: dict[str, float], day: int | None) -> str | None:
        best, best_sim = None, 0.0
        for sid in self._candidates(vector):
            story = self._stories[sid]
            need = self.threshold if story.gap_days(day) <= DATE_WINDOW_DAYS else FAR_THRESHOLD
            sim = story.similarity(vector)
            if sim >= need and (sim > best_sim or (sim == best_sim and best is not None and sid < best)):
                best, best_sim = sid, sim
        return best

    def add(self, article: Article) -> str:
        """Put `article` in a story and return that story's id ("s" + the id of its first article)."""
        feats = _features(article)
        self._n += 1
        self._df.update(feats.keys())
        vector = self._vector(feats)
        day = article.published.toordinal() if article.published else None
        sid = self._best(vector, day)
        if sid is None:
            sid = story_id([article])
            while sid in self._stories:
                sid += "'"
            self._stories[sid] = _Story(sid)
        story = self._stories[sid]
        story.articles.append(article)
        if day is not None:
            story.days.append(day)
        for term, w in vector.items():
            if term not in story.centroid:
                story.centroid[term] = 0.0
                self._postings.setdefault(term, []).append(sid)
            story.centroid[term] += w
        return sid

    @property
    def stories(self) -> list[list[Article]]:
        """The stories so far, in the order they were started, each in the order its articles came."""
        return [list(s.articles) for s in self._stories.values()]


def sort_key(article: Article) -> tuple[dt.date, str]:
    """Stream order: publication date (undated last), then id."""
    return (article.published or dt.date.max, article.id)


def story_id(articles: list[Article]) -> str:
    """A story's stable id: "s" + the id of its first article in stream order (later joiners keep it)."""
    return "s" + min(articles, key=sort_key).id


def group_stories(articles: list[Article], *, threshold: float = LINK_THRESHOLD) -> list[list[Article]]:
    """Stories of `articles`, independent of input order (they are streamed in `sort_key` order)."""
    grouper = StoryGrouper(threshold=threshold)
    for article in sorted(articles, key=sort_key):
        grouper.add(article)
    return grouper.stories
