"""Persistence of articles and stories (SQLAlchemy; SQLite by default, any SQLAlchemy URL works).

Stories go in and come out as `storydesk.model.Story` objects (stored in their stories.json form).
Articles are keyed by their content id and stories by their stable id, so running twice over the same
inputs stores nothing twice: a second run updates rows in place.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, create_engine, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from storydesk.document import story_from_dict, story_to_dict
from storydesk.model import Article, Story


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    path: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text)


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    n_articles: Mapped[int] = mapped_column(Integer)
    first_published: Mapped[dt.date | None] = mapped_column(Date)
    last_published: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    data: Mapped[str] = mapped_column(Text)


class StoryArticleRow(Base):
    __tablename__ = "story_articles"

    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), primary_key=True)


@dataclass
class StorySummary:
    """A line of `storydesk stories`."""

    id: str
    title: str
    n_articles: int
    first_published: dt.date | None
    last_published: dt.date | None


def default_db_path() -> Path:
    """`storydesk.sqlite` in the user's data directory (platformdirs)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("storydesk", appauthor=False)) / "storydesk.sqlite"


def database_url(db: str | Path | None) -> str:
    """A SQLAlchemy URL from a path (SQLite) or a URL given as is (e.g. postgresql+psycopg://...)."""
    if db is not None and "://" in str(db):
        return str(db)
    path = Path(db) if db is not None else default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


class Store:
    """Articles and stories in a relational database."""

    def __init__(self, db: str | Path | None = None) -> None:
        self.engine: Engine = create_engine(database_url(db))
        Base.metadata.create_all(self.engine)

    def save_stories(self, stories: Iterable[Story]) -> None:
        """Insert or update stories and their articles."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with Session(self.engine) as session, session.begin():
            for story in stories:
                data = story_to_dict(story)
                dates = sorted(a.published for a in story.articles if a.published)
                for article, article_data in zip(story.articles, data["articles"], strict=True):
                    session.merge(_article_row(article, article_data))
                session.merge(
                    StoryRow(
                        id=story.id,
                        title=story.title,
                        n_articles=len(story.articles),
                        first_published=dates[0] if dates else None,
                        last_published=dates[-1] if dates else None,
                        updated_at=now,
                        data=json.dumps(data, ensure_ascii=False),
                    )
                )
                for article in story.articles:
                    session.merge(StoryArticleRow(story_id=story.id, article_id=article.id))

    def list_stories(self) -> list[StorySummary]:
        """Stored stories, most recent news first."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(StoryRow).order_by(StoryRow.last_published.desc().nulls_last(), StoryRow.id)
            )
            return [
                StorySummary(r.id, r.title, r.n_articles, r.first_published, r.last_published) for r in rows
            ]

    def find_story(self, key: str) -> Story | None:
        """A stored story by id, unique id prefix, or unique case-insensitive title substring."""
        with Session(self.engine) as session:
            row = session.get(StoryRow, key)
            if row is None:
                matches = session.scalars(select(StoryRow).where(StoryRow.id.startswith(key))).all()
                if not matches:
                    pattern = f"%{key.lower()}%"
                    matches = session.scalars(
                        select(StoryRow).where(func.lower(StoryRow.title).like(pattern))
                    ).all()
                row = matches[0] if len(matches) == 1 else None
            return story_from_dict(json.loads(row.data)) if row is not None else None

    def count(self) -> tuple[int, int]:
        """(articles, stories) stored."""
        with Session(self.engine) as session:
            n_articles = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
            n_stories = session.scalar(select(func.count()).select_from(StoryRow)) or 0
            return n_articles, n_stories


def _article_row(article: Article, data: dict) -> ArticleRow:
    return ArticleRow(
        id=article.id,
        path=article.path,
        url=article.url,
        outlet=article.outlet,
        title=article.title,
        published=article.published,
        language=article.language,
        text=article.text,
        data=json.dumps(data, ensure_ascii=False),
    )
