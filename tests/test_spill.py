from __future__ import annotations

import datetime as dt

import pytest

from storydesk.model import Article, Copy
from storydesk.spill import ArticleSpill


def _article(n: int) -> Article:
    return Article(id=f"a{n}", text=f"Report {n}: " + "é" * n, published=dt.date(2025, 1, 1 + n % 28),
                   outlet="Wire", path=f"wire/{n}.txt",
                   copies=[Copy(path=f"copy/{n}.txt", outlet="Gull", published=None, id=f"c{n}")])


def test_a_spill_reads_back_each_article_as_appended(tmp_path) -> None:
    articles = [_article(n) for n in range(30)]
    with ArticleSpill(str(tmp_path)) as spill:
        for n, article in enumerate(articles):
            spill.append(article)
            assert spill[n] == article  # readable at once: appends are flushed before a read
        assert len(spill) == 30
        assert list(spill) == articles
        assert spill[-1] == articles[-1] and spill[3:9:2] == articles[3:9:2]
        with pytest.raises(IndexError):
            spill[30]
        with pytest.raises(IndexError):
            spill[-31]
    assert not list(tmp_path.iterdir())  # unnamed: nothing left in the folder, open or closed


def test_an_empty_spill_is_an_empty_sequence() -> None:
    with ArticleSpill() as spill:
        assert len(spill) == 0 and list(spill) == [] and spill[:] == []


def test_an_article_appended_pickled_reads_back_as_itself() -> None:
    """Spark's rows carry articles pickled by its workers (default protocol): stored as they are."""
    import pickle

    with ArticleSpill() as spill:
        spill.append(_article(1))
        spill.append_pickled(pickle.dumps(_article(2)))
        assert list(spill) == [_article(1), _article(2)]
