"""Scraper-debris removal (placeholder until the cleaning stage lands: only assigns the content id)."""

from __future__ import annotations

import dataclasses
import hashlib

from storydesk.model import Article


def article_id(text: str) -> str:
    """A stable id from the article's text, so the same report is stored once."""
    return "a" + hashlib.blake2b(" ".join(text.split()).encode("utf-8"), digest_size=6).hexdigest()


def clean_article(article: Article) -> Article:
    return dataclasses.replace(article, id=article_id(article.text))
