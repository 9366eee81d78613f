"""Baseline briefs on the same sentences storydesk sees: lead, lead round-robin, sumy's graph/LSA methods,
and re-implementations of the strongest published extractive systems on DUC 2004 (ICSI concept ILP,
Lin & Bilmes submodular).

Each baseline maps articles to sentences in reading order and stops once `max_words` is reached (the ILP
and submodular ones never exceed it); the harness cuts every system to the budget the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import zip_longest

import numpy as np

from storydesk.analysis.brief.features import concept_weights
from storydesk.analysis.brief.units import Sentence, split_articles
from storydesk.model import Article
from storydesk.text import sentences, words

ICSI_MIN_WORDS = 10
LIN_BILMES = {"alpha": 5.0, "lambda": 6.0, "cluster_share": 0.2, "r": 0.3}


def _fill(sents: Sequence[str], max_words: int) -> list[str]:
    """Sentences in the given order until the budget is reached (the last one may overrun it)."""
    out: list[str] = []
    used = 0
    for sent in sents:
        if used >= max_words:
            break
        out.append(sent)
        used += len(sent.split())
    return out


def lead(articles: Sequence[Article], max_words: int) -> list[str]:
    """The first sentences of the first article."""
    return _fill([s.text for s in sentences(articles[0].text)] if articles else [], max_words)


def lead_round_robin(articles: Sequence[Article], max_words: int) -> list[str]:
    """First sentence of each article, then the second of each, and so on."""
    per_doc = [[s.text for s in sentences(a.text)] for a in articles]
    return _fill([s for row in zip_longest(*per_doc) for s in row if s], max_words)


class _Tokenizer:
    """sumy's tokenizer interface over storydesk.text (sumy's own needs NLTK data, unavailable offline)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s.text for s in sentences(paragraph)]

    def to_words(self, sentence: str) -> list[str]:
        return words(sentence)


def _sumy(method: str) -> Callable[[Sequence[Article], int], list[str]]:
    """A sumy summarizer ranking all sentences of the concatenated articles, filled up to the budget."""

    def run(articles: Sequence[Article], max_words: int) -> list[str]:
        from sumy.nlp.stemmers import Stemmer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.lsa import LsaSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words

        cls = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer, "lsa": LsaSummarizer}[method]
        summarizer = cls(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        doc = PlaintextParser.from_string("\n\n".join(a.text for a in articles), _Tokenizer()).document

        def budget(infos: list) -> list:  # infos come best-rated first
            kept = _fill([str(i.sentence) for i in infos], max_words)
            return list(infos)[: len(kept)]

        try:
            return [str(s) for s in summarizer(doc, budget)]
        except np.linalg.LinAlgError:  # LSA's SVD fails on some degenerate matrices: an empty summary
            return []

    return run


def icsi(articles: Sequence[Article], max_words: int) -> list[str]:
    """ICSISumm (Gillick & Favre 2009): the sentences that cover the most concept weight within the budget.

    The exact integer program ICSISumm solves: maximise the weight of covered concepts (stem pairs, see
    `concept_weights`) under the word budget, a concept being covered iff a chosen sentence contains it.
    Sentences shorter than 10 words are left out, as in the original.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    sents = split_articles(articles)
    weights = concept_weights(sents, len(articles))
    cands = [s for s in sents if ICSI_MIN_WORDS <= s.n_words <= max_words and s.bigrams & weights.keys()]
    if not cands:
        return []
    concepts = sorted({b for s in cands for b in s.bigrams if b in weights})
    col = {b: i for i, b in enumerate(concepts)}
    n, m = len(cands), len(concepts)
    sent_of, concept_of = (
        np.array(v)
        for v in zip(*((j, col[b]) for j, s in enumerate(cands) for b in s.bigrams if b in col), strict=True)
    )
    pairs = np.arange(len(sent_of))
    ones = np.ones(len(pairs))
    # Variables: n sentence indicators, then m concept indicators.
    contains = coo_matrix(  # s_j - c_i <= 0 for every occurrence of concept i in sentence j
        (np.r_[ones, -ones], (np.r_[pairs, pairs], np.r_[sent_of, n + concept_of])), shape=(len(pairs), n + m)
    )
    covers = coo_matrix(  # c_i - sum of its sentences <= 0
        (np.r_[-ones, np.ones(m)], (np.r_[concept_of, np.arange(m)], np.r_[sent_of, n + np.arange(m)])),
        shape=(m, n + m),
    )
    lengths = np.r_[[s.n_words for s in cands], np.zeros(m)][None, :]
    result = milp(
        c=-np.r_[np.zeros(n), [weights[b] for b in concepts]],
        constraints=[
            LinearConstraint(lengths, -np.inf, max_words),
            LinearConstraint(contains, -np.inf, 0),
            LinearConstraint(covers, -np.inf, 0),
        ],
        integrality=np.ones(n + m),
        bounds=Bounds(0, 1),
        options={"time_limit": 10.0},
    )
    if result.x is None:
        return []
    return [cands[j].text for j in range(n) if result.x[j] > 0.5]


def submodular(articles: Sequence[Article], max_words: int) -> list[str]:
    """Lin & Bilmes (2011): greedy maximisation of coverage + λ · diversity, gain scaled by cost^r.

    Coverage L(S) = Σ_i min(C_i(S), α/N · C_i(V)), C_i(S) the summed TF-IDF cosine of sentence i to S;
    diversity R(S) = Σ_k sqrt(Σ_{j ∈ S ∩ P_k} mean similarity of j), over K = 0.2 N k-means clusters P_k.
    Parameters as the paper reports for DUC 2004 (α = 5/N, λ = 6, r = 0.3); the best single sentence wins
    if it beats the greedy set, which gives the paper's approximation guarantee.
    """
    from sklearn.cluster import KMeans

    sents = [s for s in split_articles(articles) if s.terms]
    if not sents:
        return []
    sim = _tfidf_similarity(sents)
    n = len(sents)
    whole = sim.sum(axis=0)
    cap = LIN_BILMES["alpha"] / n * whole
    reward = whole / n
    k = max(1, min(n, round(LIN_BILMES["cluster_share"] * n)))
    part = KMeans(n_clusters=k, n_init=3, random_state=0).fit_predict(sim) if k > 1 else np.zeros(n, int)
    cost = np.array([s.n_words for s in sents], dtype=float)

    def value(cover: np.ndarray, mass: np.ndarray) -> float:
        return float(np.minimum(cover, cap).sum() + LIN_BILMES["lambda"] * np.sqrt(mass).sum())

    chosen: list[int] = []
    cover, mass, used = np.zeros(n), np.zeros(k), 0.0
    left = set(range(n))
    while left:
        now = value(cover, mass)
        best, best_gain = -1, 0.0
        for j in sorted(left):
            if used + cost[j] > max_words:
                continue
            gain = (value(cover + sim[j], _add(mass, part[j], reward[j])) - now) / cost[j] ** LIN_BILMES["r"]
            if gain > best_gain:
                best, best_gain = j, gain
        if best < 0:
            break
        chosen.append(best)
        cover, mass, used = cover + sim[best], _add(mass, part[best], reward[best]), used + cost[best]
        left.discard(best)
    fits = [j for j in range(n) if cost[j] <= max_words]
    if fits:
        single = max(fits, key=lambda j: value(sim[j], _add(np.zeros(k), part[j], reward[j])))
        if value(sim[single], _add(np.zeros(k), part[single], reward[single])) > value(cover, mass):
            chosen = [single]
    return [sents[j].text for j in sorted(chosen)]


def _add(mass: np.ndarray, cluster: int, amount: float) -> np.ndarray:
    out = mass.copy()
    out[cluster] += amount
    return out


def _tfidf_similarity(sents: Sequence[Sentence]) -> np.ndarray:
    """Cosine similarity of the sentences' TF-IDF vectors over content stems (IDF over the sentences)."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, s in enumerate(sents):
        for t in s.terms:
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(1.0)
    tf = np.zeros((len(sents), len(vocab)))
    np.add.at(tf, (rows, cols), vals)
    idf = np.log(len(sents) / (tf > 0).sum(axis=0))
    vec = tf * idf
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)
    return vec @ vec.T


BASELINES: dict[str, Callable[[Sequence[Article], int], list[str]]] = {
    "lead": lead,
    "lead_round_robin": lead_round_robin,
    "lexrank": _sumy("lexrank"),
    "textrank": _sumy("textrank"),
    "lsa": _sumy("lsa"),
    "icsi": icsi,
    "submodular": submodular,
}
