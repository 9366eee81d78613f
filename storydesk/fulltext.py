"""Full-text search over the store's articles and briefs, in the database's own engine.

SQLite: an FTS5 table (Porter stemming over unicode61 tokens, diacritics folded) ranked by bm25, the
snippet cut by FTS5 itself. PostgreSQL: a table with a stored `tsvector` (the `english` configuration)
under a GIN index, ranked by `ts_rank_cd`, the snippet cut by `ts_headline`. Either way a query is read as
its words, all required (punctuation and operators are not syntax), so no input can make the query fail.

One document per article (its headline and text) and one per story brief (the story's title and brief),
keyed by story, so the store replaces a story's documents in the transaction that saves the story.
The engines mark the matched words of a snippet with MARK_START / MARK_END (control characters, which
cleaned article text never contains); a `SearchHit` carries the plain snippet and the spans of those words, so
every renderer escapes the text and draws the marks itself. A search is one query: the matches, their
snippets and their story and article titles (joined from the store's tables).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Row, text
from sqlalchemy.orm import Session

from storydesk.model import SearchHit

MARK_START, MARK_END = "\x02", "\x03"
_WORD = re.compile(r"\w+")
#: Words of a query kept: more never narrows a news search usefully, and it bounds the query's cost.
_MAX_QUERY_WORDS = 32


@dataclass
class Document:
    """What one search document holds."""

    story_id: str
    article_id: str | None
    kind: str  # "article" or "brief"
    title: str
    body: str


def _unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet without its marks, and the (start, end) of each marked run in it."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    size, start = 0, None
    for part in re.split(f"([{MARK_START}{MARK_END}])", marked):
        if part == MARK_START:
            start = size
        elif part == MARK_END:
            if start is not None and size > start:
                spans.append((start, size))
            start = None
        else:
            plain.append(part)
            size += len(part)
    return "".join(plain), spans


def _hit(row: Row, score: float) -> SearchHit:
    snippet, spans = _unmark(row.snippet or "")
    return SearchHit(
        row.story_id, row.story_title, row.kind, row.article_id, row.title, snippet, spans, score
    )


def query_words(query: str) -> list[str]:
    """The words a query searches for (lower-cased, at most `_MAX_QUERY_WORDS`)."""
    return [w.lower() for w in _WORD.findall(query)][:_MAX_QUERY_WORDS]


def _postgres(bind: Engine | Connection | Session) -> bool:
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return engine.dialect.name == "postgresql"


def create(engine: Engine) -> None:
    """Create the search table if it is missing."""
    with engine.begin() as conn:
        if _postgres(conn):
            conn.execute(
                text(
                    "CREATE TABLE IF NOT EXISTS search_docs (story_id varchar(32) NOT NULL, "
                    "article_id varchar(32), kind varchar(16) NOT NULL, title text NOT NULL, "
                    "body text NOT NULL, "
                    "tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || body)) STORED)"
                )
            )
            conn.execute(text("CREATE INDEX IF NOT EXISTS search_docs_tsv ON search_docs USING gin (tsv)"))
            conn.execute(text("CREATE INDEX IF NOT EXISTS search_docs_story ON search_docs (story_id)"))
        else:
            conn.execute(
                text(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(story_id UNINDEXED, "
                    "article_id UNINDEXED, kind UNINDEXED, title, body, "
                    "tokenize = 'porter unicode61 remove_diacritics 2')"
                )
            )


def replace(session: Session, story_ids: list[str], documents: list[Document]) -> None:
    """Drop the documents of `story_ids` and add `documents`, inside the caller's transaction."""
    table = "search_docs" if _postgres(session) else "search_fts"
    for sid in story_ids:
        session.execute(text(f"DELETE FROM {table} WHERE story_id = :sid"), {"sid": sid})
    if documents:
        session.execute(
            text(
                f"INSERT INTO {table} (story_id, article_id, kind, title, body) "
                "VALUES (:story_id, :article_id, :kind, :title, :body)"
            ),
            [vars(d) for d in documents],
        )


#: The titles of a hit, joined from the store's tables: its story's, and its article's headline (the
#: story's title for a brief).
_TITLES = (
    "JOIN stories ON stories.id = {d}.story_id LEFT JOIN articles ON articles.id = {d}.article_id",
    "stories.title AS story_title, "
    "CASE WHEN {d}.article_id IS NULL THEN stories.title ELSE articles.title END AS title",
)


def search(bind: Connection | Session, query: str, *, limit: int, snippet_words: int) -> list[SearchHit]:
    """The best `limit` documents matching every word of `query` with their titles, in one query."""
    words = query_words(query)
    if not words:
        return []
    if _postgres(bind):
        join, titles = (part.format(d="best") for part in _TITLES)
        rows = bind.execute(
            text(
                "SELECT best.story_id, best.article_id, best.kind, ts_headline('english', best.title || ' ' "
                f"|| best.body, best.q, :options) AS snippet, best.score, {titles} FROM (SELECT story_id, "
                "article_id, kind, title, body, q, ts_rank_cd(tsv, q) AS score FROM search_docs, "
                "plainto_tsquery('english', :q) AS q WHERE tsv @@ q ORDER BY score DESC, story_id, "
                f"article_id LIMIT :limit) AS best {join} "
                "ORDER BY best.score DESC, best.story_id, best.article_id"
            ),
            {
                "q": " ".join(words),
                "limit": limit,
                "options": (
                    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={snippet_words}, "
                    f"MinWords={max(1, snippet_words // 2)}, MaxFragments=1, FragmentDelimiter=…"
                ),
            },
        )
        return [_hit(r, float(r.score)) for r in rows]
    # The best rows are chosen first, so FTS5 cuts a snippet (re-reading a whole report) for those alone.
    join, titles = (part.format(d="search_fts") for part in _TITLES)
    rows = bind.execute(
        text(
            "SELECT search_fts.story_id, search_fts.article_id, search_fts.kind, "
            "snippet(search_fts, -1, :start, :end, '…', :words) AS snippet, bm25(search_fts) AS score, "
            f"{titles} FROM search_fts {join} WHERE search_fts MATCH :q AND search_fts.rowid IN "
            "(SELECT rowid FROM search_fts WHERE search_fts MATCH :q "
            "ORDER BY bm25(search_fts), story_id, article_id LIMIT :limit) "
            "ORDER BY score, search_fts.story_id, search_fts.article_id"
        ),
        {
            "q": fts5_query(words),
            "limit": limit,
            "start": MARK_START,
            "end": MARK_END,
            "words": min(snippet_words, 64),
        },
    )
    return [_hit(r, -float(r.score)) for r in rows]


def briefs(session: Session, story_ids: list[str]) -> dict[str, str]:
    """The brief text of each of these stories that has one."""
    table = "search_docs" if _postgres(session) else "search_fts"
    found: dict[str, str] = {}
    for sid in story_ids:
        row = session.execute(
            text(f"SELECT body FROM {table} WHERE story_id = :sid AND kind = 'brief'"), {"sid": sid}
        ).first()
        if row:
            found[sid] = row.body
    return found


def matching_stories_sql(session: Session) -> str:
    """SQL selecting the story ids whose documents match every word of the bound parameter :fts_q
    (bind it with `bind_query`)."""
    if _postgres(session):
        return "SELECT story_id FROM search_docs WHERE tsv @@ plainto_tsquery('english', :fts_q)"
    return "SELECT story_id FROM search_fts WHERE search_fts MATCH :fts_q"


def bind_query(session: Session, query: str) -> str | None:
    """The value of :fts_q for `query` in this database (None when the query has no word)."""
    words = query_words(query)
    if not words:
        return None
    return " ".join(words) if _postgres(session) else fts5_query(words)


def fts5_query(words: list[str]) -> str:
    """An FTS5 query requiring each word, each quoted so it is a plain term, never an operator."""
    return " ".join(f'"{w}"' for w in words)
