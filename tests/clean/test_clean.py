"""Cleaning removes scraper debris by general rules, records every removal and never drops prose."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from storydesk.clean import article_id, clean_article, normalize
from storydesk.ingest import read_inputs
from storydesk.model import Article
from storydesk.text import sentences

PROSE = (
    "Shares of the company fell 5% on Monday after the results were published.\n\n"
    "Investors will follow the case closely, analysts said. The regulator fined the firm over tracking "
    "cookies placed without consent.\n\n"
    "Courtesy of the city, residents received free masks.\n\n"
    "Click-through rates rose, and the newsletter industry grew by 12% last year, according to a report."
)


def _clean(text: str) -> Article:
    return clean_article(Article(id="x", text=text))


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> list[tuple[str, Article]]:
    articles, rejected = read_inputs([str(seeds_dir)])
    assert not rejected
    return [(Path(a.path or "").read_text(encoding="utf-8"), clean_article(a)) for a in articles]


def test_prose_survives_untouched() -> None:
    cleaned = _clean(PROSE)
    assert cleaned.text == PROSE
    assert cleaned.removed == []
    assert cleaned.id == article_id(PROSE)


def test_debris_lines_are_removed_with_reasons() -> None:
    body = "The council approved the budget on Tuesday after a long debate, officials said."
    text = "\n".join(
        [
            "Share this article",
            "Tweet | Email | Print",
            body,
            "",
            "Photo: Jane Roe/Reuters",
            "We use cookies to improve your experience. Accept all",
            "Sign up for our free morning newsletter",
            "Advertisement",
            "READ MORE: Council faces budget shortfall",
            "Related: Mayor unveils new plan",
            "Click here to see more pictures",
            body,
            "",
            "The mayor said the vote was a turning point for the city.",
        ]
    )
    cleaned = _clean(text)
    assert cleaned.text == body + "\n\nThe mayor said the vote was a turning point for the city."
    reasons = {r.reason for r in cleaned.removed}
    assert {"share-buttons", "photo-credit", "cookie-prompt", "newsletter-prompt", "advertisement"} <= reasons
    assert {"teaser", "click-here", "repeated"} <= reasons
    assert len(cleaned.removed) == 10


def test_glued_link_teaser_is_cut_and_recorded() -> None:
    line = (
        "Backers such as senator Ann LeeAnn B. LeeLee backs new farm bill Storm hits coast MORE and others "
        "signed the letter, the paper said."
    )
    cleaned = _clean(line)
    assert cleaned.text == "Backers such as senator Ann Lee and others signed the letter, the paper said."
    assert [r.reason for r in cleaned.removed] == ["link-teaser"]
    assert _flat(cleaned.text.replace(" and", cleaned.removed[0].text + " and", 1)) == _flat(line)


def test_caption_glued_to_credit_goes_with_it() -> None:
    text = "Harbour Bridge\nHarbour BridgeCourtesy of City Archive\n\nThe bridge reopened on Monday, it said."
    cleaned = _clean(text)
    assert cleaned.text == "The bridge reopened on Monday, it said."
    assert [r.reason for r in cleaned.removed] == ["caption", "photo-credit"]


def test_lost_currency_is_flagged_not_changed() -> None:
    text = "The chief executive sold nearly 0 million in shares, filings showed."
    cleaned = _clean(text)
    assert cleaned.text == text
    assert [r.reason for r in cleaned.removed] == ["suspect-number"]
    assert "0 million" in cleaned.removed[0].text


def test_normalises_encoding_and_whitespace() -> None:
    broken = "It\u00e2\u20ac\u2122s  done.\u00a0\x07\r\n\r\n\r\n\r\nThe\u200b end  is here ."
    assert normalize(broken).split("\n")[0] == "It’s done."
    assert _clean(broken).text == "It’s done.\n\nThe end is here ."


def test_cleaning_is_idempotent(seeds: list[tuple[str, Article]]) -> None:
    for _, cleaned in seeds:
        again = clean_article(cleaned)
        assert again.text == cleaned.text
        assert again.id == cleaned.id


def test_seed_debris_is_gone(seeds: list[tuple[str, Article]]) -> None:
    ui_words = {"share", "pin it", "tweet", "email", "print", "more"}
    for _, cleaned in seeds:
        lines = [line.strip() for line in cleaned.text.split("\n") if line.strip()]
        assert not [line for line in lines if line.lower() in ui_words]
        # "@Handles" may be camel-case; glued names may not
        glued = re.search(r"(?<![@#\w])[A-Za-z]*[a-z]{2}[A-Z][a-z]", cleaned.text)
        assert not glued, "camel-case name glue remains"
        assert not re.search(r"\bMORE\b", cleaned.text)
        assert not [line for line in lines if re.search(r"^©|Getty Images|Courtesy of", line)]
        assert len(lines) == len(set(lines))
    removed = [r.reason for _, cleaned in seeds for r in cleaned.removed]
    assert {"photo-credit", "link-teaser", "share-buttons", "caption"} <= set(removed)


def test_nothing_is_dropped_silently(seeds: list[tuple[str, Article]]) -> None:
    """Every line of the original is in the cleaned text, or recorded as removed (whole or in runs)."""
    for original, cleaned in seeds:
        kept = _flat(cleaned.text)
        removed_lines = {r.text for r in cleaned.removed}
        runs = [r.text for r in cleaned.removed if r.reason == "link-teaser"]
        for line in normalize(original).split("\n"):
            if not line or line in removed_lines or _flat(line) in kept:
                continue
            for run in runs:
                line = line.replace(run, "")
            assert _flat(line) in kept


def test_every_clean_sentence_comes_from_the_original(seeds: list[tuple[str, Article]]) -> None:
    for original, cleaned in seeds:
        source = _flat(normalize(original))
        for run in (r.text for r in cleaned.removed if r.reason == "link-teaser"):
            source = source.replace(_flat(run), "")
        source = _flat(source)
        for span in sentences(cleaned.text):
            assert _flat(span.text) in source


def test_editor_summaries_keep_every_sentence(eval_dir: Path) -> None:
    """Multi-News editors' summaries are clean prose: cleaning must keep all of it."""
    with (eval_dir / "multinews" / "validation.jsonl").open(encoding="utf-8") as stream:
        summaries = [json.loads(line)["summary"] for _, line in zip(range(120), stream, strict=False)]
    for summary in summaries:
        cleaned = _clean(summary)
        kept = _flat(cleaned.text)
        for span in sentences(normalize(summary)):
            assert _flat(span.text) in kept, [r for r in cleaned.removed if r.reason != "suspect-number"]


def _is_prose(line: str) -> bool:
    return len(line.split()) >= 10 and line[:1].isupper() and bool(re.search(r"[.!?][\"'”’)]*$", line))


def test_news_documents_keep_every_body_sentence(eval_dir: Path) -> None:
    """Real scraped reports (Multi-News documents, read as JSONL like any input): every prose line of the
    original survives ingest and cleaning, unless it is the headline or a removal names it as debris."""
    with (eval_dir / "multinews" / "validation.jsonl").open(encoding="utf-8") as stream:
        clusters = [json.loads(line)["documents"] for _, line in zip(range(120), stream, strict=False)]
    docs = [doc for documents in clusters for doc in documents]
    feed = "\n".join(json.dumps({"text": doc}) for doc in docs)
    articles, rejected = read_inputs(["-"], stdin=io.StringIO(feed))
    assert len(articles) + len(rejected) == len(docs)
    checked = 0
    for article in articles:
        cleaned = clean_article(article)
        kept = _flat(cleaned.text)
        debris = {_flat(r.text) for r in cleaned.removed if r.reason not in {"metadata", "section-label"}}
        runs = [_flat(r.text) for r in cleaned.removed if r.reason in {"link-teaser", "advertisement"}]
        for line in normalize(docs[int((article.path or "").split("#")[1]) - 1]).split("\n"):
            line = _flat(line)
            if not _is_prose(line) or line in debris or line == _flat(article.title or ""):
                continue
            for run in runs:
                line = _flat(line.replace(run, ""))
            assert line in kept, (article.path, line)
            checked += 1
    assert checked > 1000
