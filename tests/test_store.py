"""The store on a real SQLite database: idempotent saves, listing, lookup by id, prefix or title."""

from __future__ import annotations

from pathlib import Path

from storydesk.document import story_from_dict
from storydesk.model import Story
from storydesk.store import Store, database_url


def _story(story_id: str, title: str, article_ids: list[str], dates: list[str | None]) -> Story:
    return story_from_dict({
        "id": story_id,
        "title": title,
        "articles": [
            {
                "id": a,
                "path": f"{a}.txt",
                "url": None,
                "outlet": "Test",
                "title": None,
                "published": d,
                "text": f"text of {a}",
            }
            for a, d in zip(article_ids, dates, strict=True)
        ],
        "brief": [],
        "entities": [],
        "facts": [],
        "timeline": [],
    })


def test_saving_twice_stores_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    stories = [
        _story("s1", "Bridge closes", ["a1", "a2"], ["2026-03-01", "2026-03-04"]),
        _story("s2", "Debate night", ["a3"], [None]),
    ]
    store.save_stories(stories)
    store.save_stories(stories)
    assert store.count() == (3, 2)
    listed = store.list_stories()
    assert [s.id for s in listed] == ["s1", "s2"]
    assert str(listed[0].first_published) == "2026-03-01" and str(listed[0].last_published) == "2026-03-04"


def test_find_story_by_id_prefix_and_title(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    store.save_stories(
        [
            _story("sabc123", "Bridge closes", ["a1"], [None]),
            _story("sabd456", "Debate night", ["a2"], [None]),
        ]
    )
    assert store.find_story("sabc123").title == "Bridge closes"
    assert store.find_story("sabd").title == "Debate night"
    assert store.find_story("sab") is None  # ambiguous prefix
    assert store.find_story("debate").id == "sabd456"
    assert store.find_story("nothing") is None


def test_database_url_accepts_paths_and_urls(tmp_path: Path) -> None:
    assert database_url(tmp_path / "x.sqlite") == f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert database_url("postgresql+psycopg://u@127.0.0.1:5433/db").startswith("postgresql")
