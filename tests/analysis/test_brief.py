"""The brief: verbatim sentences, word budget, complete citations, determinism; made-up and real reports."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from storydesk.analysis.brief import summarize as _summarize
from storydesk.analysis.brief.cite import citations, numbers
from storydesk.analysis.brief.scorer import LengthModel, Trees, load_model
from storydesk.analysis.brief.units import is_candidate, leans, quote_units, split_articles, trim_dateline
from storydesk.clean import clean_article
from storydesk.config import BriefConfig
from storydesk.model import Article, BriefSentence, Evidence, Fact
from storydesk.text import stems


def summarize(articles, max_words=120, **model_changes):
    model = load_model().replace(**model_changes) if model_changes else None
    return _summarize(articles, BriefConfig(max_words=max_words), model=model)

# Invented reports on an invented event: three outlets restate the core facts in their own words.
MADE_UP = [
    Article(
        id="x1",
        text=(
            "HARBORVILLE (Wire) - A fire destroyed the old grain warehouse on the river front "
            "early on Monday.\n\n"
            "Firefighters from three towns fought the blaze for six hours before it was under control.\n\n"
            "The mayor said the city would open an inquiry into the cause of the fire next week.\n\n"
            "Was anyone hurt?\n\nNobody was injured, officials said."
        ),
    ),
    Article(
        id="x2",
        text=(
            "The old grain warehouse on the river front was destroyed by a fire early on Monday, "
            "officials said.\n\n"
            "Crews from three nearby towns fought the blaze for six hours.\n\n"
            "By Jane Example\n\n"
            "Local historians said the building had stood for more than a century and was due for renovation."
        ),
    ),
    Article(
        id="x3",
        text=(
            "Residents watched as smoke rose over the river front on Monday morning.\n\n"
            "A fire destroyed the grain warehouse, and the mayor said an inquiry into the cause "
            "would open next week.\n\n"
            "Traffic on the bridge was diverted for most of the day while the fire burned."
        ),
    ),
]


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> list[Article]:
    return [
        clean_article(Article(id=p.stem, text=p.read_text(encoding="utf-8")))
        for p in sorted(seeds_dir.glob("*.txt"))
    ]


def _best_containment(sentence: str, article: Article) -> float:
    terms = set(stems(sentence))
    return max((len(terms & set(stems(u))) / len(terms) for u in quote_units(article.text)), default=0.0)


def _lifted_from(item: BriefSentence, by_id: dict[str, Article]) -> list[str]:
    """The cited articles in which the sentence occurs verbatim (as a sentence or whole quotation, or a
    dateline-free tail of one)."""
    return [aid for aid in item.sources if any(u.endswith(item.text) for u in quote_units(by_id[aid].text))]


def _check_brief(articles: list[Article], max_words: int) -> list[BriefSentence]:
    brief = summarize(articles, max_words=max_words)
    by_id = {a.id: a for a in articles}
    order = [a.id for a in articles]
    assert sum(len(b.text.split()) for b in brief) <= max_words
    for item in brief:
        assert _lifted_from(item, by_id), f"not verbatim from a cited article: {item.text!r}"
        assert item.sources == sorted(set(item.sources), key=order.index)
        for aid in item.sources:
            assert _best_containment(item.text, by_id[aid]) >= 0.5
            assert numbers(item.text) <= numbers(by_id[aid].text)
    return brief


@pytest.mark.parametrize("max_words", [0, 1, 5, 12, 20, 40, 120])
def test_budget_verbatim_and_citations_made_up(max_words: int) -> None:
    _check_brief(MADE_UP, max_words)


def test_cites_every_report_that_states_the_sentence() -> None:
    brief = summarize(MADE_UP, max_words=60)
    assert brief
    assert any(len(b.sources) >= 2 for b in brief)
    first = next(b for b in brief if "warehouse" in b.text)
    assert {"x1", "x2"} <= set(first.sources)


def _cited(sentence: str, others: list[str]) -> list[int]:
    """Which of the reports [sentence, *others] `citations` gives the first report's sentence."""
    articles = [Article(id=f"c{i}", text=t) for i, t in enumerate([sentence, *others])]
    sents = split_articles(articles)
    return citations([sents[0]], sents, len(articles))[0]


def test_a_different_number_or_speaker_is_never_cited() -> None:
    cost = "City engineers put the cost of repairs at $3.2 million."
    assert _cited(cost, [
        "City engineers put the cost of repairs at $2.3 million.",
        "City engineers put the cost of the repairs at $3.2 million on Tuesday.",
        "The cost of repairs, city engineers said, stands at $3.2 million.",
        "The city's engineers put the cost of repairs at $4.1 million.",
    ]) == [0, 2, 3]
    quote = '"Everyone on this island knows that crew," said Moray.'
    assert _cited(quote, [
        '"Everyone on this island knows that crew," said Halvorsen.',
        '"Everyone on this island knows that crew," said Moray, who runs the harbour.',
        "Moray said everyone on the island knew the crew.",
    ]) == [0, 2]


def test_a_denial_is_not_cited_for_an_assertion() -> None:
    assert _cited("The mayor approved the harbour expansion plan on Monday.", [
        "The mayor did not approve the harbour expansion plan on Monday.",
        "On Monday the mayor approved the harbour expansion plan.",
    ]) == [0, 2]
    assert _cited("The mayor did not approve the harbour expansion plan on Monday.", [
        "The mayor approved the harbour expansion plan on Monday.",
        "On Monday the mayor never approved the harbour expansion plan.",
    ]) == [0, 2]


def test_a_near_verbatim_copy_is_cited_inside_a_longer_quotation() -> None:
    line = "We don’t know what’s going to happen to the ferry service."
    assert _cited(line, [
        "\"We don't know what's going to happen to the ferry service. Nobody has told us,\" she said.",
        "Nobody knows what the ferry service will look like next year.",
    ]) == [0, 1]


def test_skips_questions_bylines_and_short_fragments() -> None:
    texts = [b.text for b in summarize(MADE_UP, max_words=500)]
    assert texts
    assert not any(t.endswith("?") or t.startswith("By ") or len(t.split()) < 6 for t in texts)
    assert not any(b.startswith(a) and a != b for a in texts for b in texts)


def test_tiny_budget_returns_nothing_rather_than_overrun() -> None:
    assert summarize(MADE_UP, max_words=3) == []


def test_deterministic() -> None:
    assert summarize(MADE_UP, max_words=50) == summarize(list(MADE_UP), max_words=50)


def test_empty_and_single_article() -> None:
    assert summarize([], max_words=100) == []
    assert summarize([Article(id="e", text="")], max_words=100) == []
    one = _check_brief(MADE_UP[:1], 40)
    assert one and all(b.sources == ["x1"] for b in one)


def test_tree_walk_follows_thresholds() -> None:
    # Two trees: a depth-2 tree on feature 1 then feature 0, and a stump on feature 0 (padded with leaves).
    trees = Trees(
        base=1.0,
        feature=np.array([[1, 0, 0, 0, 0], [0, 0, 0, 0, 0]]),
        threshold=np.array([[0.5, 2.0, 0.0, 0.0, 0.0], [3.0, 0.0, 0.0, 0.0, 0.0]]),
        left=np.array([[1, 3, -1, -1, -1], [1, -1, -1, -1, -1]]),
        right=np.array([[2, 4, -1, -1, -1], [2, -1, -1, -1, -1]]),
        value=np.array([[0.0, 0.0, 30.0, 10.0, 20.0], [0.0, 100.0, 200.0, 0.0, 0.0]]),
    )
    x = np.array([[1.0, 0.0], [2.5, 0.2], [5.0, 0.9], [2.0, 0.5]])
    assert trees.predict(x).tolist() == [111.0, 121.0, 231.0, 111.0]


def test_shipped_model_scores_lead_sentences_higher() -> None:
    """On made-up reports, the learned scorer prefers a restated lead over an unconfirmed side remark."""
    from storydesk.analysis.brief.features import features
    from storydesk.analysis.brief.units import split_articles

    sents = split_articles(MADE_UP)
    x, rows, _ = features(sents, len(MADE_UP))
    score = dict(zip((sents[i].text for i in rows), load_model().trees.predict(x), strict=True))
    lead = sents[0].text
    side = next(t for t in score if t.startswith("Traffic on the bridge"))
    assert score[lead] > score[side]


def test_dateline_trim_keeps_a_sentence() -> None:
    assert (
        trim_dateline("PARIS (Wire) - The talks ended without a deal.") == "The talks ended without a deal."
    )
    assert trim_dateline("WASHINGTON — Senators voted on Friday.") == "Senators voted on Friday."
    kept = "US officials - speaking privately - denied it."
    assert trim_dateline(kept) == kept
    assert trim_dateline("BEIJING (AP) _ China said it would talk.") == "China said it would talk."
    assert trim_dateline("(CNN) A man pleaded not guilty on Friday.") == "A man pleaded not guilty on Friday."
    aside = "(Weiner's wife works for the campaign.)"
    assert trim_dateline(aside) == aside


def test_list_markers_are_trimmed() -> None:
    assert trim_dateline("• In Wisconsin, they freed 2,000 mink.") == "In Wisconsin, they freed 2,000 mink."
    assert trim_dateline("— According to the paper, it was wrong.") == "According to the paper, it was wrong."
    assert trim_dateline("-5 degrees were measured.") == "-5 degrees were measured."


def test_a_quotation_over_several_sentences_is_one_unit() -> None:
    text = (
        'The mayor spoke first. "The crack is serious. We close the bridge today," Solberg said. '
        "Traffic stopped.\n\n"
        '"This part opens a quote.\n\nThis paragraph never closes it. Nor does this.'
    )
    units = quote_units(text)
    assert units[:3] == [
        "The mayor spoke first.",
        '"The crack is serious. We close the bridge today," Solberg said.',
        "Traffic stopped.",
    ]
    # A quotation left open across a paragraph break stays in pieces, none fit for a brief.
    assert units[3:] == ['"This part opens a quote.', "This paragraph never closes it.", "Nor does this."]
    assert not is_candidate(units[3])
    assert is_candidate(units[1])


def test_copyright_as_a_subject_is_not_debris() -> None:
    assert is_candidate("Paramount claims the copyright over the Klingon language in its court filing.")
    assert not is_candidate("Copyright 2017 The Associated Press, and this material may not be published.")


def test_candidate_filter() -> None:
    assert is_candidate("The council approved the new budget for the school year on Tuesday.")
    assert not is_candidate("What happens to the budget for the school year now?")
    assert not is_candidate("Share this story on your favourite network")
    assert not is_candidate("BREAKING NEWS: COUNCIL APPROVES THE NEW SCHOOL BUDGET TODAY.")
    assert not is_candidate("“We will keep going no matter what the council says.")


@pytest.mark.parametrize("max_words", [25, 60, 120, 300])
def test_seed_reports(seed_articles: list[Article], max_words: int) -> None:
    brief = _check_brief(seed_articles, max_words)
    assert brief
    cited = {aid for b in brief for aid in b.sources}
    if max_words >= 120:  # five reports on one event: a brief of 120 words draws on several
        assert len(cited) >= 3
    first = brief[0].text
    assert '"' not in first and "“" not in first and not first.endswith("?")
    assert not any(leans(b.text) for b in brief)
    assert all("\n" not in b.text and "  " not in b.text for b in brief)


def test_concept_share_grows_with_reports() -> None:
    from storydesk.analysis.brief.select import concept_share

    shares = [concept_share(n, 0.5) for n in range(1, 12)]
    assert shares[0] == shares[1] == 0.0
    assert all(a < b for a, b in itertools.pairwise(shares[1:]))
    assert shares[-1] < 0.5
    assert concept_share(10, 0.0) == 0.0


def test_concept_weight_buys_concept_coverage() -> None:
    """With the blend all on concepts, the brief covers more concept weight than the learned score alone."""
    from storydesk.analysis.brief.features import concept_weights
    from storydesk.analysis.brief.units import split_articles

    articles = MADE_UP * 2  # six reports, so the concept share is not zero
    articles = [Article(id=f"{a.id}-{i}", text=a.text) for i, a in enumerate(articles)]
    sents = split_articles(articles)
    weights = concept_weights(sents, len(articles))
    by_text = {s.text: s.bigrams for s in sents}

    def covered(brief: list[BriefSentence]) -> int:
        return sum(weights[b] for b in set().union(*(by_text[s.text] for s in brief)) if b in weights)

    plain = summarize(articles, 60, concept_weight=0.0)
    blended = summarize(articles, 60, concept_weight=1.5)
    assert blended and covered(blended) > covered(plain)


def test_pieces_of_multi_sentence_quotes_are_not_candidates() -> None:
    from storydesk.analysis.brief.units import is_candidate

    assert not is_candidate('That is not something you watch, that is something you fix," said the director.')
    assert not is_candidate("“The crack is in a primary load-bearing member.")
    assert is_candidate('"A crack is something you fix," said Nadia Solberg, the city transport director.')
    # a quote needs its speaker's name: a title or a pronoun alone is not one
    assert not is_candidate('"A crack is something you fix," said the director of the transport department.')
    assert not is_candidate('"That is something you fix," she said at the briefing on Monday.')


def test_target_words_follows_the_material_within_the_budget() -> None:
    from storydesk.analysis.brief.select import target_words

    MIN_TARGET_WORDS = BriefConfig().min_target_words
    line = LengthModel(intercept=20.0, log_words=20.0, reports=10.0, scale=1.0)
    small = [Article(id="a", text="word " * 150), Article(id="b", text="word " * 150)]
    large = [Article(id=str(i), text="word " * 900) for i in range(12)]
    assert target_words(small, 300, None) == 300
    assert MIN_TARGET_WORDS < target_words(small, 300, line) < target_words(large, 300, line) == 300
    assert target_words(small, 80, line) == 80  # never above the budget
    assert target_words(small, 300, LengthModel(-500.0, 20.0, 10.0, 1.0)) == MIN_TARGET_WORDS


def test_a_learned_length_shortens_the_brief_of_small_material(corpus_dir: Path) -> None:
    from storydesk.ingest import read_inputs

    articles = [clean_article(a) for a in read_inputs([str(corpus_dir)])[0]]
    full = summarize(articles, 300, length=None)
    line = LengthModel(intercept=0.0, log_words=0.0, reports=0.0, scale=1.0)  # expects nothing: the floor
    short = summarize(articles, 300, length=line)
    assert sum(len(s.text.split()) for s in short) <= 100 < sum(len(s.text.split()) for s in full)


FIRE = [
    Article(id="f1", outlet="Wire", text=(
        "A warehouse fire in Ashgrove on Wednesday night injured 14 people, officials said.\n\n"
        "Fire Chief Marcus Oyelaran said crews fought the blaze for nine hours before it was out.\n\n"
        "The Pellham Logistics warehouse on Dock Road was destroyed by the fire overnight.")),
    Article(id="f2", outlet="Herald", text=(
        "The Pellham Logistics warehouse on Dock Road was destroyed by a fire on Wednesday night.\n\n"
        "The fire injured 14 people, including three firefighters.\n\n"
        "The cost of the damage was put at $2 million by the company on Thursday.")),
    Article(id="f3", outlet="Post", text=(
        "Forty-one people were hurt when a fire destroyed the Pellham Logistics warehouse in Ashgrove.\n\n"
        "The company now puts the cost of the damage at $5 million, more than twice its first estimate.\n\n"
        "Fire Chief Marcus Oyelaran said crews fought the blaze for nine hours before it was out.")),
]


def _evidence(article: Article, sentence: str, value: str) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(article.id, sentence, start, start + len(sentence), outlet=article.outlet, value=value)


def test_the_brief_follows_the_fact_sheet() -> None:
    f1, f2, f3 = FIRE

    def first(article: Article, value: str) -> Evidence:
        return _evidence(article, article.text.split("\n\n")[0], value)

    def second(article: Article, value: str) -> Evidence:
        return _evidence(article, article.text.split("\n\n")[1], value)

    injured = Fact("k1", "Ashgrove", "injured", "count", "14", "conflicting", 2,
                   [first(f1, "14"), second(f2, "14"), first(f3, "41")], ["14", "41"])
    cost = Fact("k2", "Pellham Logistics", "cost", "money", "USD 5 million", "updated", 1,
                [_evidence(f2, f2.text.split("\n\n")[2], "USD 2 million"), second(f3, "USD 5 million")],
                ["USD 2 million", "USD 5 million"])
    brief = _summarize(FIRE, BriefConfig(max_words=120), facts=[injured, cost])
    generated = [b for b in brief if b.kind == "conflict"]
    assert [(b.text, b.sources) for b in generated] == [
        ("Reports differ on the number injured: 14 (2 outlets) and 41 (1 outlet).", ["f1", "f2", "f3"])
    ]
    assert brief[0].kind == "report" and brief[1] is generated[0]  # right after the opener
    stated = [b.text for b in brief if b.kind == "report"]
    assert not any("14" in t or "Forty-one" in t or "$2 million" in t for t in stated)
    assert any("$5 million" in t for t in stated)
    # Without the sheet the brief is what it was: report sentences only.
    assert all(b.kind == "report" for b in _summarize(FIRE, BriefConfig(max_words=120)))


def test_the_opener_looks_further_into_an_opening_for_a_main_name() -> None:
    """A caption and a teaser before the lead: the lead, third in its report, opens because it names the
    story's main name; with no main name to find, only a report's first two candidates may open."""
    from storydesk.analysis.brief.order import opener
    from storydesk.analysis.brief.units import Sentence

    texts = [
        (0, "Harbour Lights at dusk over the old quay in Carrow Bay."),
        (0, "Residents of Carrow Bay gathered on the quay on Sunday evening."),
        (0, "Mayor Teodora Vance opened the rebuilt harbour wall on Sunday, two years after the storm."),
        (1, "Teodora Vance cut the ribbon in front of a crowd of several hundred people."),
    ]
    cands = [Sentence(d, i, t, len(t.split()), frozenset(), frozenset(), True)
             for i, (d, t) in enumerate(texts)]
    score = [0.9, 0.8, 0.7, 0.1]  # closeness to the other openings: the caption is closest
    main = frozenset({"Vance"})
    assert opener(cands, score, 40, {}, main) == 2
    assert opener(cands, score, 40, {}, main, named_opening=2) == 3  # report 1's opening names her
    assert opener(cands, score, 40, {}, frozenset()) == 0


def _search_story(found_day: int) -> list[Article]:
    """Three reports of a search on 3 March and one of its end `found_day` days later (invented text)."""
    import datetime as dt

    start = dt.date(2026, 3, 3)
    searches = [
        "Lifeboats from Port Ellery searched the Halden Sound on Tuesday for the ferry worker Maren Tolle, "
        "who went missing after her shift on Sunday. The sound is cold and four miles wide.",
        "Lifeboat crews searched the Halden Sound near Port Ellery for a second day for Maren Tolle, a ferry "
        "worker missing since Sunday. Her family asked for news.",
        "Three lifeboat stations joined the search of the Halden Sound for Maren Tolle, the Port Ellery "
        "ferry worker missing since her Sunday shift. Divers are on standby.",
    ]
    found = ("Maren Tolle was found alive on Skarra Island and taken to hospital with mild hypothermia. "
             "Her brother thanked the volunteers.")
    reports = [Article(id=f"s{n}", text=text, published=start) for n, text in enumerate(searches)]
    return [*reports, Article(id="f", text=found, published=start + dt.timedelta(days=found_day))]


def test_a_developing_story_opens_on_its_latest_development_then_its_core() -> None:
    """Reports more than `latest_days` apart: the brief opens on the latest report's opening and keeps the
    opening the reports share next; within the window the shared opening leads as before."""
    developing = summarize(_search_story(found_day=10))
    assert developing[0].sources == ["f"] and "found alive" in developing[0].text
    assert developing[1].sources[0].startswith("s") and "searched" in developing[1].text
    settled = summarize(_search_story(found_day=2))
    assert settled[0].sources[0].startswith("s") and "searched" in settled[0].text
    wider = _summarize(_search_story(found_day=10), BriefConfig(max_words=120, latest_days=30))
    assert wider[0].sources[0].startswith("s") and "searched" in wider[0].text


def test_a_forced_sentence_that_restates_the_one_before_is_left_out() -> None:
    """The two openers of a developing story are both forced; when the second mostly restates the first
    (novelty under the model's `novelty_min`), only the first is chosen."""
    from storydesk.analysis.brief.select import select
    from storydesk.analysis.brief.units import Sentence

    def sentence(doc: int, text: str) -> Sentence:
        return Sentence(doc, 0, text, len(text.split()), frozenset(stems(text)), frozenset(), True)

    latest = sentence(1, "Maren Tolle was found alive on Skarra Island after a search of the Halden Sound.")
    restated = sentence(0, "Maren Tolle found alive on Skarra Island after the Halden Sound search.")
    other = sentence(0, "Lifeboats from three stations searched the cold sound for two days.")
    cands, score = [latest, restated, other], np.array([0.5, 0.5, 0.5])
    model = load_model()
    assert select(cands, score, 100, model, {}, 0.0, forced=[0, 2])[:2] == [0, 2]
    assert select(cands, score, 100, model, {}, 0.0, forced=[0, 1])[0] == 0
    assert 1 not in select(cands, score, 100, model, {}, 0.0, forced=[0, 1])
