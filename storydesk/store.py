"""Persistence of articles and stories (SQLAlchemy; SQLite by default, any SQLAlchemy URL works).

Stories go in and come out as `storydesk.model.Story` objects (stored in their stories.json form).
Articles are keyed by their content id and stories by their stable id, so running twice over the same
inputs stores nothing twice: a second run updates rows in place.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import sqlite3
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import QueuePool

from storydesk import fulltext
from storydesk.document import article_to_dict, articles_from_dicts, story_from_dict, story_to_dict
from storydesk.model import (
    Article,
    EntityStories,
    SearchHit,
    StoredStory,
    Story,
    StoryEvent,
    StoryPage,
    StorySummary,
)


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


class StoryEntityRow(Base):
    """An entity a story names (for `Store.query_stories(entity=...)` and `Store.entity`)."""

    __tablename__ = "story_entities"

    story_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(32))
    variants: Mapped[str] = mapped_column(Text)  # JSON: spelling -> count


class StoryOutletRow(Base):
    """An outlet carrying a report of a story (its own or a copy's), for listings and the outlet filter."""

    __tablename__ = "story_outlets"

    story_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    outlet: Mapped[str] = mapped_column(String(200), primary_key=True)
    outlet_key: Mapped[str] = mapped_column(String(200), index=True)  # lower-cased


class IndexedStoryRow(Base):
    """A story whose entity, outlet and full-text rows are written (stores made before them lack some)."""

    __tablename__ = "indexed_stories"

    story_id: Mapped[str] = mapped_column(String(32), primary_key=True)


class ReportRow(Base):
    """A report as read and cleaned, before deduplication: what `storydesk ingest` was given, each once
    (keyed by `stream.report_key`), from which its stories can always be rebuilt."""

    __tablename__ = "reports"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    article_id: Mapped[str] = mapped_column(String(32), index=True)
    data: Mapped[str] = mapped_column(Text)


class StreamStateRow(Base):
    """The persisted stream state (`stream.StreamState`, pickled; the row is named "grouper", as it was when
    the grouper was all it held) and its version: a batch commits only if the version it
    read is still the current one, so two writers never overwrite each other's work."""

    __tablename__ = "stream_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class StoryHistoryRow(Base):
    """A merge or split of stories: which id became which, when (`model.StoryEvent`)."""

    __tablename__ = "story_history"

    n: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(16))
    from_id: Mapped[str] = mapped_column(String(64), index=True)
    to_id: Mapped[str] = mapped_column(String(64), index=True)


@dataclass
class StreamSnapshot:
    """What a batch of `storydesk ingest` starts from: the state version, the pickled stream state
    (`stream.StreamState`; None before the first batch), every stored report by key, and every stored
    story's articles."""

    version: int
    state: bytes | None
    reports: dict[str, Article]
    stories: dict[str, list[Article]]
    taken_ids: set[str]


class _Conflict(Exception):
    """The stream state moved on since it was read: the batch is redone, nothing of it written."""


class BadCursor(ValueError):
    """A listing cursor this store did not hand out."""


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


class StoreError(Exception):
    """The database cannot be opened, read or written: one line naming it and the driver's reason (the
    SQL stays on the exception's cause, shown only under --debug)."""


#: Seconds a SQLite connection waits for another writer before giving up (then: one clear line).
_BUSY_SECONDS = 60


@contextmanager
def _failures(action: str, where: str) -> Iterator[None]:
    """Database and file errors of `action` as one `StoreError` line."""
    try:
        yield
    except (SQLAlchemyError, OSError) as error:
        cause = getattr(error, "orig", None) or error
        detail = " ".join(str(getattr(cause, "strerror", None) or cause).split()) or type(cause).__name__
        if Path(where).is_dir():
            detail += " (it is a folder)"
        raise StoreError(f"cannot {action} database {where}: {detail}") from error


def _create_schema(engine: Engine, attempts: int = 3) -> None:
    """The store's tables, created when missing. Two processes opening a new file at once both find a
    table missing and both create it; the slower one's "already exists" means the schema is there now,
    so it looks again instead of failing."""
    for attempt in range(attempts):
        try:
            Base.metadata.create_all(engine)
            fulltext.create(engine)
            return
        except OperationalError as error:
            if "already exists" not in str(error) or attempt == attempts - 1:
                raise


class Store:
    """Articles and stories in a relational database. On SQLite, writers wait for each other (a busy
    timeout, and each write transaction takes the write lock when it starts), so two runs writing one
    file both succeed in turn."""

    def __init__(self, db: str | Path | None = None) -> None:
        where = str(db) if db is not None else "storydesk.sqlite"
        with _failures("open", where):
            url = database_url(db)
            sqlite = url.startswith("sqlite")
            args = {"timeout": _BUSY_SECONDS} if sqlite else {}
            self.engine: Engine = create_engine(url, connect_args=args)
            self.where = self.engine.url.render_as_string(hide_password=True) if not sqlite else where
            _create_schema(self.engine)

    def save_stories(self, stories: Iterable[Story]) -> None:
        """Insert or update stories and their articles (one transaction)."""
        with _failures("write to", self.where), Session(self.engine) as session, session.begin():
            self._lock_for_writing(session)
            self._write_stories(session, stories)

    def _lock_for_writing(self, session: Session) -> None:
        """On SQLite, take the write lock first: a transaction that read before another writer committed
        would otherwise insert rows that writer just inserted (merge reads, then writes)."""
        if self.engine.dialect.name == "sqlite":
            session.execute(text("BEGIN IMMEDIATE"))

    def _write_stories(self, session: Session, stories: Iterable[Story]) -> None:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
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
            self._index_story(session, story)

    def list_stories(self) -> list[StorySummary]:
        """Stored stories, most recent news first."""
        with _failures("read", self.where), Session(self.engine) as session:
            rows = session.scalars(
                select(StoryRow).order_by(StoryRow.last_published.desc().nulls_last(), StoryRow.id)
            )
            return [
                StorySummary(r.id, r.title, r.n_articles, r.first_published, r.last_published) for r in rows
            ]

    def find_story(self, key: str) -> Story | None:
        """A stored story by id, unique id prefix, or unique case-insensitive title substring."""
        with _failures("read", self.where), Session(self.engine) as session:
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


    # Queries and indexes of `storydesk serve` (the HTTP API and web app) ------------------------------

    def _index_story(self, session: Session, story: Story) -> None:
        """Replace the story's entity, outlet and full-text rows, and drop links to articles it lost."""
        sid = story.id
        for table in (StoryEntityRow, StoryOutletRow):
            session.execute(delete(table).where(table.story_id == sid))
        session.execute(
            delete(StoryArticleRow).where(
                StoryArticleRow.story_id == sid,
                StoryArticleRow.article_id.not_in([a.id for a in story.articles]),
            )
        )
        entities = {e.id: e for e in story.entities}
        session.add_all(
            StoryEntityRow(story_id=sid, entity_id=e.id, name=e.name, type=e.type,
                           variants=json.dumps(e.variants, ensure_ascii=False))
            for e in entities.values()
        )
        outlets = {name[:200]: None for article in story.articles for name in article.outlets}
        session.add_all(
            StoryOutletRow(story_id=sid, outlet=name, outlet_key=name.lower()) for name in outlets
        )
        fulltext.replace(session, [sid], _search_documents(story))
        session.merge(IndexedStoryRow(story_id=sid))
        session.flush()

    def _delete_stories(self, session: Session, story_ids: list[str]) -> None:
        if not story_ids:
            return
        for table in (StoryArticleRow, StoryEntityRow, StoryOutletRow, IndexedStoryRow):
            session.execute(delete(table).where(table.story_id.in_(story_ids)))
        session.execute(delete(StoryRow).where(StoryRow.id.in_(story_ids)))
        fulltext.replace(session, story_ids, [])

    def index_missing(self) -> int:
        """Write the search rows of stories saved before this store had them; how many there were."""
        with Session(self.engine) as session, session.begin():
            missing = session.scalars(
                select(StoryRow).where(StoryRow.id.not_in(select(IndexedStoryRow.story_id)))
            ).all()
            for row in missing:
                self._index_story(session, story_from_dict(json.loads(row.data)))
            return len(missing)

    def use_concurrently(self) -> None:
        """Settings for many readers beside one writer (a server): on SQLite, write-ahead logging (readers
        never wait for the writer) and a busy timeout instead of an immediate "database is locked"."""
        if self.engine.dialect.name != "sqlite":
            return

        def pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        event.listen(self.engine, "connect", pragmas)
        self.engine.dispose()

    @functools.cached_property
    def reads(self) -> Engine:
        """The engine of the service's reads. On a SQLite file, a pool of read-only connections of its own
        (`mode=ro`): with write-ahead logging a reader never waits for the writer, and it cannot take the
        write lock or change the file whatever it runs. Elsewhere (PostgreSQL, in-memory SQLite) the store's
        engine."""
        path = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
            return self.engine
        uri = f"file:{urllib.parse.quote(str(Path(path).resolve()))}?mode=ro"
        return create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
            poolclass=QueuePool, pool_size=8, max_overflow=8,
        )

    def story_json(self, story_id: str) -> str | None:
        """A story's stories.json object as stored (JSON text), by exact id."""
        with self.reads.connect() as conn:
            return conn.scalar(select(StoryRow.data).where(StoryRow.id == story_id))

    def story_document(self, story_id: str) -> StoredStory | None:
        """A story's stories.json object as stored, as UTF-8 bytes the database itself encodes (never
        decoded to a str here), with its revision: one primary-key read."""
        body = "convert_to(data, 'UTF8')" if self.reads.dialect.name == "postgresql" else "CAST(data AS BLOB)"
        row = self._read_row(f"SELECT updated_at, n_articles, {body} FROM stories WHERE id = {{}}", story_id)
        return StoredStory(bytes(row[2]), _revision(row[0], row[1])) if row else None

    def story_revision(self, story_id: str) -> str | None:
        """What changes whenever the story is saved again (None when there is no such story)."""
        row = self._read_row("SELECT updated_at, n_articles FROM stories WHERE id = {}", story_id)
        return _revision(row[0], row[1]) if row else None

    def _read_row(self, sql: str, value: str) -> tuple | None:
        """The first row of `sql` (its `{}` the one parameter) on a pooled read connection, through the
        driver itself: the hottest reads of the service skip building and compiling a statement."""
        raw = self.reads.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(sql.format("?" if self.reads.dialect.paramstyle == "qmark" else "%s"), (value,))
            row = cursor.fetchone()
            cursor.close()
        finally:
            raw.close()
        return tuple(row) if row else None

    def query_stories(
        self,
        *,
        since: dt.date | None = None,
        entity: str | None = None,
        outlet: str | None = None,
        q: str | None = None,
        cursor: str | None = None,
        limit: int = 20,
    ) -> StoryPage:
        """Stories newest news first (undated last, then by id), filtered, one page at a time.

        `since`: a report published on or after that day; `entity`: names that entity id; `outlet`: a
        report or copy from that outlet (any case); `q`: an article or the brief contains every word.
        `cursor` is the `next_cursor` of the previous page (BadCursor when it is not one).
        """
        newest = func.coalesce(StoryRow.last_published, dt.date.min)
        query = select(StoryRow).order_by(newest.desc(), StoryRow.id).limit(limit + 1)
        with Session(self.reads) as session:
            if since is not None:
                query = query.where(StoryRow.last_published >= since)
            if entity:
                query = query.where(
                    StoryRow.id.in_(select(StoryEntityRow.story_id).where(StoryEntityRow.entity_id == entity))
                )
            if outlet:
                query = query.where(StoryRow.id.in_(
                    select(StoryOutletRow.story_id).where(StoryOutletRow.outlet_key == outlet.lower())
                ))
            params = {}
            if q is not None:
                params["fts_q"] = fulltext.bind_query(session, q)
                if params["fts_q"] is None:
                    return StoryPage([], None)
                query = query.where(StoryRow.id.in_(text(fulltext.matching_stories_sql(session))))
            if cursor:
                day, last_id = _read_cursor(cursor)
                query = query.where(or_(newest < day, (newest == day) & (StoryRow.id > last_id)))
            rows = session.scalars(query, params).all()
            page = self._summaries(session, rows[:limit])
        more = len(rows) > limit
        return StoryPage(page, _write_cursor(page[-1]) if more and page else None)

    def _summaries(self, session: Session, rows: Iterable[StoryRow]) -> list[StorySummary]:
        rows = list(rows)
        outlets: dict[str, list[str]] = {}
        found = session.execute(
            select(StoryOutletRow.story_id, StoryOutletRow.outlet)
            .where(StoryOutletRow.story_id.in_([r.id for r in rows]))
            .order_by(StoryOutletRow.story_id, StoryOutletRow.outlet)
        )
        for sid, name in found:
            outlets.setdefault(sid, []).append(name)
        return [
            StorySummary(r.id, r.title, r.n_articles, r.first_published, r.last_published,
                         outlets.get(r.id, []), r.updated_at)
            for r in rows
        ]

    def search(self, query: str, *, limit: int = 20, snippet_words: int = 24) -> list[SearchHit]:
        """Articles and briefs containing every word of `query`, best first."""
        with self.reads.connect() as conn:
            return fulltext.search(conn, query, limit=limit, snippet_words=snippet_words)

    def briefs(self, story_ids: list[str]) -> dict[str, str]:
        """Each story's brief as one text (for feeds), by story id."""
        with Session(self.reads) as session:
            return fulltext.briefs(session, story_ids)

    def story_containing(self, article_id: str) -> str | None:
        """The story an article (or a copy of it) is in now: where a merged story's link leads."""
        with Session(self.reads) as session:
            found = session.scalar(
                select(StoryArticleRow.story_id).where(StoryArticleRow.article_id == article_id)
            )
            if found is None:
                pattern = f'%"id": "{article_id}"%'
                found = session.scalar(select(StoryRow.id).where(StoryRow.data.like(pattern)).limit(1))
            return found

    def entity(self, entity_id: str) -> EntityStories | None:
        """An entity by id with its spellings summed over the stories naming it, newest story first."""
        with Session(self.reads) as session:
            rows = session.scalars(select(StoryEntityRow).where(StoryEntityRow.entity_id == entity_id)).all()
            if not rows:
                return None
            variants: dict[str, int] = {}
            for row in rows:
                for form, n in json.loads(row.variants).items():
                    variants[form] = variants.get(form, 0) + n
            newest = func.coalesce(StoryRow.last_published, dt.date.min)
            stories = session.scalars(
                select(StoryRow).where(StoryRow.id.in_([r.story_id for r in rows]))
                .order_by(newest.desc(), StoryRow.id)
            ).all()
            summaries = self._summaries(session, stories)
        ordered = dict(sorted(variants.items(), key=lambda kv: (-kv[1], kv[0])))
        return EntityStories(entity_id, rows[0].name, rows[0].type, ordered, summaries)


    # The stream (storydesk.stream: `storydesk ingest`, `storydesk watch`, HTTP writes) ----------------

    def stream_snapshot(self) -> StreamSnapshot:
        """Everything a batch reads, in one read transaction (a consistent view beside a writer)."""
        with _failures("read", self.where), Session(self.engine) as session, session.begin():
            state = session.get(StreamStateRow, "grouper")
            rows = session.execute(select(ReportRow.key, ReportRow.data).order_by(ReportRow.key)).all()
            reports = dict(zip([r.key for r in rows],
                               articles_from_dicts([json.loads(r.data) for r in rows]), strict=True))
            links = session.execute(
                select(StoryArticleRow.story_id, ArticleRow.data)
                .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
                .order_by(StoryArticleRow.story_id, ArticleRow.id)
            ).all()
            stories: dict[str, list[Article]] = {sid: [] for sid in session.scalars(select(StoryRow.id))}
            for link, article in zip(links, articles_from_dicts([json.loads(r.data) for r in links]),
                                     strict=True):
                stories.setdefault(link.story_id, []).append(article)
            taken = set(stories) | set(session.scalars(select(StoryHistoryRow.from_id))) | set(
                session.scalars(select(StoryHistoryRow.to_id)))
            version, data = (state.version, state.data) if state else (0, None)
        return StreamSnapshot(version, data, reports, stories, taken)

    def commit_stream(
        self,
        version: int,
        state: bytes,
        reports: dict[str, Article],
        save: list[Story],
        remove: list[str],
        history: list[StoryEvent],
    ) -> bool:
        """In one transaction: move the state from `version` on (False, and nothing written, when another
        writer moved it first), add the new reports, save and remove stories, record the history."""
        with _failures("write to", self.where):
            try:
                with Session(self.engine) as session, session.begin():
                    # The state row is written first: the transaction takes the write lock before it reads.
                    if version == 0:
                        session.add(StreamStateRow(name="grouper", version=1, data=state))
                        session.flush()
                    elif session.execute(
                        update(StreamStateRow)
                        .where(StreamStateRow.name == "grouper", StreamStateRow.version == version)
                        .values(version=version + 1, data=state)
                    ).rowcount != 1:
                        raise _Conflict
                    session.add_all(
                        ReportRow(key=key, article_id=a.id,
                                  data=json.dumps(article_to_dict(a), ensure_ascii=False))
                        for key, a in reports.items()
                    )
                    saved = {s.id for s in save}
                    self._delete_stories(session, [sid for sid in remove if sid not in saved])
                    self._write_stories(session, save)
                    session.add_all(StoryHistoryRow(at=e.at, kind=e.kind, from_id=e.from_id, to_id=e.to_id)
                                    for e in history)
                    session.execute(
                        delete(ArticleRow).where(ArticleRow.id.not_in(select(StoryArticleRow.article_id)))
                    )
            except (_Conflict, IntegrityError):  # another writer created or moved the state first
                return False
        return True

    def resolve_story_id(self, key: str) -> str | None:
        """The id a story has now: `key` itself while it is a story, else the story it was merged into
        (followed through later merges); None when no story ever had that id."""
        with Session(self.engine) as session:
            for _ in range(1000):  # a chain of merges is far shorter; the bound only guards a cycle
                if session.get(StoryRow, key) is not None:
                    return key
                merged = session.scalar(
                    select(StoryHistoryRow.to_id)
                    .where(StoryHistoryRow.from_id == key, StoryHistoryRow.kind == "merged")
                    .order_by(StoryHistoryRow.n.desc()).limit(1)
                )
                if merged is None:
                    return None
                key = merged
        return None

    def story_history(self, story_id: str | None = None) -> list[StoryEvent]:
        """Merges and splits in the order they happened (those naming `story_id`, when given)."""
        query = select(StoryHistoryRow).order_by(StoryHistoryRow.n)
        if story_id is not None:
            query = query.where(or_(StoryHistoryRow.from_id == story_id, StoryHistoryRow.to_id == story_id))
        with Session(self.engine) as session:
            return [StoryEvent(r.at, r.kind, r.from_id, r.to_id) for r in session.scalars(query)]  # type: ignore[arg-type]

    def report_count(self) -> int:
        """Reports stored by `storydesk ingest` (each once)."""
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(ReportRow)) or 0


def _pairs(session: Session, query) -> dict:  # type: ignore[no-untyped-def]
    return {key: value for key, value in session.execute(query).tuples()}


def _revision(updated_at: object, n_articles: int) -> str:
    """A story's revision from its row as the driver returns it (SQLite: the stored text of the time),
    with no space, so it can stand in an ETag."""
    return f"{str(updated_at).replace(' ', 'T')}/{n_articles}"


def _search_documents(story: Story) -> list[fulltext.Document]:
    """One search document per article (headline and text) and one for the brief (title and brief)."""
    docs = [fulltext.Document(story.id, a.id, "article", a.title or "", a.text) for a in story.articles]
    if story.brief:
        docs.append(fulltext.Document(story.id, None, "brief", story.title,
                                      " ".join(s.text for s in story.brief)))
    return docs


def _write_cursor(last: StorySummary) -> str:
    raw = json.dumps([last.last_published.isoformat() if last.last_published else "", last.id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[dt.date, str]:
    try:
        day, last_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return (dt.date.fromisoformat(day) if day else dt.date.min), str(last_id)
    except (ValueError, TypeError) as error:
        raise BadCursor(f"not a cursor of this listing: {cursor[:40]!r}") from error


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
