"""The extractive multi-document brief: verbatim sentences, each citing every report that states it.

Sentences are scored by small boosted regression trees over position, length and cross-document centrality
(`features`; trees learned by scripts/train_brief.py into storydesk/data/brief.json and evaluated in
numpy by `scorer`, so no learning library is imported at run time),
then picked greedily under the word budget by score × novelty blended with the weight of not yet covered
concepts (stem pairs several reports state, as in ICSISumm), so what several reports say wins and nothing
is said twice. A sentence cites the reports that state its claim (`cite`).
The concept share of the blend grows with the number of reports (see `concept_share`):
agreement between 10 reports is strong evidence, between 2 it is weak. A brief is as long as its material
calls for, never longer than the budget (see `target_words`). The chosen sentences are read in order of
their earliest source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from storydesk.analysis.brief.cite import citations
from storydesk.analysis.brief.features import concept_weights, features
from storydesk.analysis.brief.scorer import BriefModel, load_model
from storydesk.analysis.brief.select import concept_share, select, target_words
from storydesk.analysis.brief.units import split_articles
from storydesk.config import BriefConfig
from storydesk.model import Article, BriefSentence, Span


def summarize(
    articles: Sequence[Article],
    config: BriefConfig | None = None,
    *,
    model: BriefModel | None = None,
    spans: Sequence[list[Span]] | None = None,
) -> list[BriefSentence]:
    """A brief of at most `config.max_words` words (str.split) of verbatim sentences, with their sources.

    `model` replaces the one `config.model` names (only training needs it); `spans` are the articles'
    sentences when already split.
    """
    config = config or BriefConfig()
    sents = split_articles(articles, config, spans)
    x, rows, _ = features(sents, len(articles), config)
    if len(rows) == 0:
        return []
    model = model or load_model(config.model)
    score = model.trees.predict(x)
    cands = [sents[i] for i in rows]
    chosen = select(
        cands,
        score,
        target_words(articles, config.max_words, model.length, config.min_target_words),
        model,
        concept_weights(sents, len(articles), config),
        concept_share(len(articles), model.concept_weight),
    )
    picked = [sents[rows[k]] for k in chosen]
    brief = list(zip(picked, citations(picked, sents, len(articles), config), strict=True))
    brief.sort(key=lambda item: (_earliest(articles, item[1]), item[0].index, item[0].doc))
    return [BriefSentence(s.text, [articles[d].id for d in cited]) for s, cited in brief]


def _earliest(articles: Sequence[Article], docs: list[int]) -> dt.date:
    """Earliest publication date among a sentence's sources (undated sources sort last)."""
    dates = [articles[d].published for d in docs if articles[d].published]
    return min(dates) if dates else dt.date.max
