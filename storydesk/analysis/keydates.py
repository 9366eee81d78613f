"""Key dates of a long-running story: the days that matter and the sentences that tell them.

`build_timeline` lists every dated event of a story; a story of hundreds or thousands of reports over
months needs the few days a reader should know, each told in a sentence or two. Days are found with the
product's own date reading (`storydesk.analysis.temporal`: date expressions with the tense-aware
resolution of "on Tuesday", "last week", "yesterday", the clauses they date, datelines and stamps left
out), so the key dates, the fact sheet and the story's timeline agree on what a report's words mean.
Undated reports are dated by `temporal.publication` first, as in the story pipeline. The tense comes from
the cheap reader of auxiliaries (no spaCy parse): a key-dates timeline reads hundreds to thousands of
reports.

Method (DATEWISE-style, Ghalandari & Ifrim 2020):

* Only reports published in [start, end] take part, and with a query only those naming it
  (`query_terms`: the query's words, a folder-style keyword such as "bpoil", "MJ", "IraqWar" or "Finan"
  read against the reports' own vocabulary).
* A day's importance is the number of reports naming it (day precision, inside the window; every
  sentence counts) plus, at `published_weight`, the reports published on it or the day after
  (`published_lag`): news tells what happened today or yesterday, often without writing the date.
* Candidates for a day are the sentences of `min_words`..`max_words` words that name it, and the
  undated sentences among the first `lead_sentences` of reports published that day or the day after.
  The chosen ones are those whose sum lies nearest the candidates' TF-IDF centroid (greedy, news-tls's
  CentroidOpt), skipping near-repeats (`duplicate_cosine`).

Settings are `KeyDatesConfig` (storydesk.config).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from storydesk.analysis.context import StoryContext
from storydesk.analysis.temporal.publication import infer_publication_dates
from storydesk.config import Config, KeyDatesConfig
from storydesk.model import Article
from storydesk.text import stems, stop_words


@dataclass
class KeyDate:
    """A day of the story, the sentences that tell it (verbatim) and the reports that name it."""

    date: dt.date
    sentences: list[str]
    #: 0-based positions in the list of articles given to `key_dates`, in order.
    sources: list[int]


@dataclass
class _Sentence:
    text: str
    article: int
    published: dt.date | None
    days: frozenset[dt.date]  # days this sentence names (day precision)
    position: int  # 0 for the report's first sentence


# --- the query -----------------------------------------------------------------------------------


_TOKEN = re.compile(r"[a-z0-9]+")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")


def _vocabulary(texts: Sequence[str]) -> Counter[str]:
    """In how many of `texts` each lower-case word occurs."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(_TOKEN.findall(text.lower())))
    return counts


def _split_over(word: str, frequent: set[str]) -> list[str] | None:
    """`word` cut into the fewest frequent words of two or more letters, none a stop word, or None."""
    stop = stop_words()
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(2, len(word) + 1):
        for begin in range(end - 1):
            head, piece = best[begin], word[begin:end]
            if head is None or piece not in frequent or piece in stop:
                continue
            if best[end] is None or len(head) + 1 < len(best[end]):  # type: ignore[arg-type]
                best[end] = [*head, piece]
    return best[-1] if best[-1] and len(best[-1]) > 1 else None


def query_terms(query: str, texts: Sequence[str], frequent_share: float = 0.1) -> list[tuple[str, ...]]:
    """The query as terms to look for in the reports, each a tuple of words that occur together.

    Each word of the query is read against the reports' vocabulary (`texts`): as itself when the reports
    use it; a camel-case word by its parts ("IraqWar" -> iraq, war); an acronym as the frequent
    capitalised name it abbreviates ("MJ" -> Michael Jackson); a truncated word as the frequent words it
    begins ("Finan" -> financial, finance); run-together words split over the frequent vocabulary
    ("bpoil" -> bp, oil). A report names the query when it names any of the terms (`query_matcher`).
    """
    vocabulary = _vocabulary(texts)
    floor = max(1.0, frequent_share * len(texts))
    frequent = {w for w, n in vocabulary.items() if n >= floor}
    terms: list[tuple[str, ...]] = []
    for word in re.findall(r"[A-Za-z0-9]+", query):
        parts = re.findall(r"[A-Z][a-z]+|[a-z]+|[A-Z0-9]+(?![a-z])|\d+", word)
        camel = [p.lower() for p in parts]
        if len(camel) > 1 and all(p.isalpha() and len(p) >= 3 for p in camel):
            terms.extend(t for p in camel for t in _read_word(p, texts, vocabulary, frequent))
            continue
        terms.extend(_read_word(word, texts, vocabulary, frequent))
    return list(dict.fromkeys(terms))


def _read_word(
    word: str, texts: Sequence[str], vocabulary: Counter[str], frequent: set[str]
) -> list[tuple[str, ...]]:
    """One query word as terms: itself, the name an acronym abbreviates, the words a truncated word begins,
    or the frequent words it runs together (see `query_terms`)."""
    lower = word.lower()
    if lower in frequent:
        return [(lower,)]
    if word.isupper() and 2 <= len(word) <= 5 and word.isalpha():
        names: Counter[str] = Counter()
        for text in texts:
            names.update({" ".join(m.split()) for m in _NAME.findall(text)})
        for name, _ in names.most_common():
            if "".join(w[0] for w in name.split()).lower() == lower:
                return [tuple(name.lower().split())]
    if len(lower) >= 4:
        begun = [w for w in sorted(frequent, key=lambda w: -vocabulary[w]) if w.startswith(lower)]
        if begun:
            return [(w,) for w in begun[:3]]
    parts = _split_over(lower, frequent)
    if parts:
        return [tuple(parts)]
    return [(lower,)]


def _word_pattern(word: str) -> re.Pattern[str]:
    """A query word as a whole word; from four letters on also a longer form or a shorter whole word it
    begins with ("syrian" finds "Syria" and "Syrians", "iraq" finds "Iraqi"), never "war" in "warning"."""
    if len(word) < 4:
        return re.compile(r"\b" + re.escape(word) + r"\b", re.IGNORECASE)
    shorter = [re.escape(word[:i]) for i in range(len(word) - 1, 3, -1)]
    return re.compile(r"\b(?:" + "|".join([re.escape(word) + r"\w*", *shorter]) + r")\b", re.IGNORECASE)


def query_matcher(terms: Sequence[tuple[str, ...]]) -> Callable[[str], bool]:
    """Whether a text names any term (every word of a term, in any case; see `_word_pattern`)."""
    patterns = [[_word_pattern(w) for w in term] for term in terms]

    def names(text: str) -> bool:
        return any(all(p.search(text) for p in term) for term in patterns)

    return names


# --- reading the reports ---------------------------------------------------------------------------


def _read(ctx: StoryContext, article: Article, index: int) -> list[_Sentence]:
    """The article's sentences with the days each names, resolved against its publication day."""
    spans = ctx.sentences(article.id)
    starts = [s.start for s in spans]
    days: dict[int, set[dt.date]] = defaultdict(set)
    if article.published is not None:
        for mention in ctx.events(article.id):
            resolved = mention.date.resolve(article.published, article.published_precision)
            if resolved.precision == "day" and resolved.start is not None:
                i = bisect.bisect_right(starts, mention.date.span.start) - 1
                if i >= 0:
                    days[i].add(resolved.start)
    return [
        _Sentence(s.text, index, article.published, frozenset(days.get(i, ())), i)
        for i, s in enumerate(spans)
    ]


# --- selection -------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(stems(text))


def _tfidf(texts: Sequence[str]) -> np.ndarray | None:
    """Unit-length TF-IDF rows of `texts` over their content stems (raw counts, smoothed idf
    ln((1 + n) / (1 + df)) + 1, as scikit-learn's TfidfVectorizer); None when there is no content word."""
    tokens = [_tokens(t) for t in texts]
    vocabulary = {w: i for i, w in enumerate(dict.fromkeys(w for ts in tokens for w in ts))}
    if not vocabulary:
        return None
    counts = np.zeros((len(texts), len(vocabulary)))
    for row, ts in enumerate(tokens):
        np.add.at(counts[row], [vocabulary[w] for w in ts], 1.0)
    df = np.count_nonzero(counts, axis=0)
    weights = counts * (np.log((1 + len(texts)) / (1 + df)) + 1.0)
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    return np.divide(weights, norms, out=np.zeros_like(weights), where=norms > 0)


def _select(candidates: Sequence[str], k: int, duplicate_cosine: float) -> list[str]:
    """Up to `k` sentences whose sum lies nearest the TF-IDF centroid of `candidates` (greedy, as news-tls's
    CentroidOpt), skipping near-repeats of a chosen one."""
    unique = list(dict.fromkeys(candidates))
    if len(unique) <= 1:
        return unique[:k]
    vectors = _tfidf(unique)
    if vectors is None:  # no content words at all
        return unique[:k]
    centroid = vectors.mean(axis=0)
    to_centroid = vectors @ centroid  # each sentence's dot product with the centroid
    gram = vectors @ vectors.T  # rows are unit length: cosines
    total_dot, total_norm2 = 0.0, 0.0
    summed = np.zeros(len(unique))  # each sentence's dot product with the chosen ones' sum
    open_ = np.ones(len(unique), dtype=bool)
    chosen: list[int] = []
    while open_.any() and len(chosen) < k:
        norms = np.sqrt(total_norm2 + 2 * summed + 1.0)
        score = np.where(open_, (total_dot + to_centroid) / norms, -np.inf)
        best = int(np.argmax(score))
        open_[best] = False
        if chosen and gram[best, chosen].max() >= duplicate_cosine:
            continue
        chosen.append(best)
        total_norm2 += 2 * summed[best] + 1.0
        total_dot += to_centroid[best]
        summed += gram[best]
    return [unique[i] for i in chosen]


def key_dates(
    articles: Sequence[Article],
    *,
    dates: int = 10,
    sentences: int = 1,
    start: dt.date | None = None,
    end: dt.date | None = None,
    query: str | None = None,
    config: Config | None = None,
) -> list[KeyDate]:
    """At most `dates` key days of the story told in at most `sentences` sentences each, by date.

    Only reports published in [`start`, `end`] take part (either bound may be open) and, with `query`,
    only those naming it; days outside the window are not chosen. See the module doc for the method.
    """
    ctx = StoryContext(articles, config, parse=False)
    rules: KeyDatesConfig = ctx.config.key_dates
    if any(a.published is None for a in ctx.articles):
        ctx = ctx.with_articles(infer_publication_dates(ctx))
    articles = ctx.articles
    lo, hi = start or dt.date.min, end or dt.date.max
    bounded = start is not None or end is not None
    window = [
        i
        for i, a in enumerate(articles)
        if ((lo <= a.published <= hi) if a.published is not None else not bounded)
    ]
    if query:
        names = query_matcher(query_terms(query, [articles[i].text for i in window], rules.frequent_share))
        window = [i for i in window if names(articles[i].text)]
    pool = [s for i in window for s in _read(ctx, articles[i], i)]
    candidates: dict[dt.date, list[tuple[str, int]]] = defaultdict(list)
    naming: dict[dt.date, set[int]] = defaultdict(set)
    published_on: dict[dt.date, set[int]] = defaultdict(set)
    for s in pool:
        usable = rules.min_words <= len(s.text.split()) <= rules.max_words
        for day in s.days:
            if lo <= day <= hi:
                naming[day].add(s.article)
                if usable:
                    candidates[day].append((s.text, s.article))
        if s.published is not None:
            for lag in range(rules.published_lag + 1):
                day = s.published - dt.timedelta(days=lag)
                published_on[day].add(s.article)
                if usable and s.position < rules.lead_sentences and not s.days:
                    candidates[day].append((s.text, s.article))
    score = {d: len(naming[d]) + rules.published_weight * len(published_on.get(d, ())) for d in naming}
    chosen: list[KeyDate] = []
    for day in sorted(score, key=lambda d: (-score[d], d)):
        if len(chosen) == dates:
            break
        picked = _select([text for text, _ in candidates[day]], sentences, rules.duplicate_cosine)
        if picked:
            told = {i for text, i in candidates[day] if text in picked}
            chosen.append(KeyDate(day, picked, sorted(naming[day] | told)))
    chosen.sort(key=lambda k: k.date)
    return chosen
