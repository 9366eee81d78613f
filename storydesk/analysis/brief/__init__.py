"""The extractive multi-document brief: verbatim sentences, each citing every report that states it.

Sentences are scored by small boosted regression trees over position, length and cross-document centrality
(`features`; trees learned by scripts/train_brief.py into storydesk/data/brief.json and evaluated in
numpy by `scorer`, so no learning library is imported at run time),
then picked greedily under the word budget by score × novelty blended with the weight of not yet covered
concepts (stem pairs several reports state, as in ICSISumm), so what several reports say wins and nothing
is said twice. A sentence cites the reports that state its claim (`cite`).
The concept share of the blend grows with the number of reports (see `concept_share`):
agreement between 10 reports is strong evidence, between 2 it is weak. A brief is as long as its material
calls for, never longer than the budget (see `target_words`). Only sentences that stand alone are
candidates (`units`: no pronoun or connective opener, no quote without a named speaker, no debris); the
brief opens on the story's event (its latest development when its reports span weeks) and reads as `order`
says, and a sentence using a short name the brief never gave in full is replaced by another.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storydesk.analysis.brief.cite import citations
from storydesk.analysis.brief.facts import conflict_lines, unsettled
from storydesk.analysis.brief.features import FEATURES, concept_weights, features
from storydesk.analysis.brief.order import (
    latest_reports,
    main_names,
    opener,
    reading_order,
    short_names,
    unresolved,
)
from storydesk.analysis.brief.scorer import BriefModel, load_model
from storydesk.analysis.brief.select import concept_share, select, target_words
from storydesk.analysis.brief.units import split_articles
from storydesk.config import BriefConfig
from storydesk.model import Article, BriefSentence, Fact, Span


def summarize(
    articles: Sequence[Article],
    config: BriefConfig | None = None,
    *,
    model: BriefModel | None = None,
    spans: Sequence[list[Span]] | None = None,
    facts: Sequence[Fact] = (),
) -> list[BriefSentence]:
    """A brief of at most `config.max_words` words (str.split) of verbatim sentences, with their sources.

    `model` replaces the one `config.model` names (only training needs it); `spans` are the articles'
    sentences when already split; `facts` is the story's fact sheet (`storydesk.analysis.facts`), whose
    outdated and disputed values the brief does not state as settled (`facts` module).
    """
    config = config or BriefConfig()
    sents = split_articles(articles, config, spans)
    x, rows, _ = features(sents, len(articles), config)
    if len(rows) == 0:
        return []
    model = model or load_model(config.model)
    score = model.trees.predict(x)
    cands = [sents[i] for i in rows]
    budget = target_words(articles, config.max_words, model.length, config.min_target_words)
    conflicts = [c for c in conflict_lines(facts, articles, config) if len(c[0].split()) <= budget]
    budget -= sum(len(text.split()) for text, _ in conflicts)
    stale = unsettled(sents, articles, facts)
    skip: set[int] = {k for k, i in enumerate(rows) if i in stale}
    names = short_names(sents)
    lead = x[:, FEATURES.index("lead_sim")] + 1e-6 * (score - score.min()) / (np.ptp(score) + 1e-9)
    lead[list(skip)] = -1.0  # a sentence stating an outdated or disputed value cannot open
    main = main_names(sents, names, len(articles), config.main_names)
    recent = latest_reports(articles, config.latest_days)  # none unless the story is still developing

    def open_on(closeness: np.ndarray) -> int | None:
        return opener(cands, closeness, int(config.opener_share * budget), names, main,
                      opening=config.opening_candidates, named_opening=config.named_opening_candidates)

    core = open_on(lead)  # what the reports' openings share
    first = open_on(np.where([s.doc in recent for s in cands], lead, -1.0)) if recent else None
    first = core if first is None else first  # a developing story's latest development, then its core
    forced = [k for k in dict.fromkeys((first, core)) if k is not None]
    concepts = concept_weights(sents, len(articles), config)
    share = concept_share(len(articles), model.concept_weight)
    for _ in range(config.max_reselections + 1):
        chosen = select(cands, score, budget, model, concepts, share, forced=forced, skip=frozenset(skip))
        picked = [cands[k] for k in chosen]
        cited = citations(picked, sents, len(articles), config)
        order = reading_order(picked, cited, articles, cands[first] if first is not None else None)
        before, dropped = "", set()
        for i in order:
            if unresolved(picked[i].text, names, before):
                dropped.add(chosen[i])
            else:
                before += " " + picked[i].text
        if not dropped:
            break
        skip |= dropped
    brief = [
        BriefSentence(" ".join(picked[i].text.split()), [articles[d].id for d in cited[i]])
        for i in order
        if chosen[i] not in dropped
    ]
    at = int(bool(brief) and first is not None and chosen[order[0]] == first)  # after the opener
    brief[at:at] = [
        BriefSentence(text, [articles[d].id for d in docs], "conflict") for text, docs in conflicts
    ]
    return brief
