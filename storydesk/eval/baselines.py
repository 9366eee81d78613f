"""Baseline briefs on the same sentences storydesk sees: lead, lead round-robin and sumy's graph/LSA methods.

Each baseline maps articles to sentences in reading order and stops once `max_words` is reached; the
harness cuts every system to the budget the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import zip_longest

import numpy as np

from storydesk.model import Article
from storydesk.text import sentences, words


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


BASELINES: dict[str, Callable[[Sequence[Article], int], list[str]]] = {
    "lead": lead,
    "lead_round_robin": lead_round_robin,
    "lexrank": _sumy("lexrank"),
    "textrank": _sumy("textrank"),
    "lsa": _sumy("lsa"),
}
