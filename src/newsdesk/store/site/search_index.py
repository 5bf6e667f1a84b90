"""Full-text search over published stories (SQLite FTS5; PostgreSQL's tsvector).

Migration 0006 creates the ``stories_fts`` table and triggers on ``articles`` that keep
it equal to the latest published version of each story. A later migration that rebuilds
``articles`` (SQLite batch mode copies tables) would drop those triggers, so the site
checks for them at start and recreates them, re-indexing everything, when missing.
On PostgreSQL, migration 0007 adds a generated ``search_vector`` (tsvector) column on
``articles`` with a GIN index: the same query runs there with English stemming.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

# Private-use characters mark the highlighted terms; the web layer escapes the snippet
# and only then turns them into <mark> elements, so stored text can never inject markup.
MARK_START, MARK_END = "\ue000", "\ue001"
_TERM = re.compile(r"\w+", re.UNICODE)
TRIGGERS = ("articles_fts_update", "articles_fts_insert", "articles_fts_delete")

# The triggers also bump the site's change counter (``generation``), by an upsert so that
# no row needs seeding.
_BUMP = (
    " INSERT INTO site_state (id, generation) VALUES (1, 1)"
    " ON CONFLICT (id) DO UPDATE SET generation = site_state.generation + 1; END"
)
_FTS_ROW = """
    INSERT INTO stories_fts(story_id, headline, standfirst, body)
    SELECT a.story_id, a.headline, a.standfirst,
           (SELECT group_concat(j.value, ' ') FROM json_tree(a.body) AS j
             WHERE j.key IN ('text', 'heading', 'aspect', 'detail') AND j.type = 'text')
      FROM articles AS a
     WHERE a.story_id = {story} AND a.published_at IS NOT NULL
     ORDER BY a.version DESC LIMIT 1;
"""
_TRIGGER_SQL = {
    "articles_fts_update": "AFTER UPDATE OF published_at ON articles",
    "articles_fts_insert": "AFTER INSERT ON articles WHEN new.published_at IS NOT NULL",
    "articles_fts_delete": "AFTER DELETE ON articles",
}


@dataclass(frozen=True)
class SearchHit:
    story_id: str
    headline: str
    snippet: str


def match_expression(query: str) -> str | None:
    """The user's words as an FTS5 expression: every word must occur, the last as a prefix.

    Words are quoted, so FTS5 operators typed by a user (NEAR, *, :, ^) are plain text.
    """
    terms = _TERM.findall(query)[:12]
    if not terms:
        return None
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def search(session: Session, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    expression = match_expression(query)
    if expression is None:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return _search_postgresql(session, query, limit, offset)
    rows = session.execute(
        text(
            "SELECT story_id, highlight(stories_fts, 1, :a, :b),"
            " snippet(stories_fts, 3, :a, :b, '…', 24) FROM stories_fts"
            " WHERE stories_fts MATCH :q ORDER BY bm25(stories_fts, 0.0, 10.0, 4.0, 1.0)"
            " LIMIT :limit OFFSET :offset"
        ),
        {"q": expression, "a": MARK_START, "b": MARK_END, "limit": limit, "offset": offset},
    )
    return [SearchHit(story_id, headline, snippet) for story_id, headline, snippet in rows]


def tsquery_expression(query: str) -> str | None:
    """The user's words as a PostgreSQL tsquery: all words, the last as a prefix.

    Only \\w+ words reach to_tsquery, so tsquery operators typed by a user are dropped.
    """
    terms = _TERM.findall(query)[:12]
    if not terms:
        return None
    return " & ".join([*terms[:-1], f"{terms[-1]}:*"])


# Matching rows come from the GIN index first; of those, only a story's latest published
# version counts (an index lookup per match), so the cost follows the matches, not the site.
_PG_SEARCH = text(
    "WITH q AS (SELECT to_tsquery('english', :q) AS query)"
    " SELECT a.story_id,"
    "   ts_headline('english', translate(a.headline, '<>', :swap), q.query, :opts_all),"
    "   ts_headline('english', translate(a.standfirst, '<>', :swap), q.query, :opts)"
    " FROM articles a JOIN stories s ON s.id = a.story_id, q"
    " WHERE a.search_vector @@ q.query AND a.published_at IS NOT NULL"
    "   AND s.merged_into IS NULL"
    "   AND a.version = (SELECT max(b.version) FROM articles b"
    "                     WHERE b.story_id = a.story_id AND b.published_at IS NOT NULL)"
    " ORDER BY ts_rank(a.search_vector, q.query) DESC, a.story_id LIMIT :limit OFFSET :offset"
)


def _search_postgresql(session: Session, query: str, limit: int, offset: int) -> list[SearchHit]:
    expression = tsquery_expression(query)
    if expression is None:
        return []
    marks = f"StartSel={MARK_START}, StopSel={MARK_END}"
    params = {
        "q": expression,
        "opts": f"{marks}, MaxWords=24, MinWords=12",
        "opts_all": f"{marks}, HighlightAll=true",
        "limit": limit,
        "offset": offset,
        "swap": _ANGLE_STAND_INS,
    }
    rows = session.execute(_PG_SEARCH, params)
    return [
        SearchHit(story_id, _restore_angles(headline), _restore_angles(snippet))
        for story_id, headline, snippet in rows
    ]


# ts_headline drops anything that looks like an HTML tag; stand-ins keep such text as
# written (the web layer escapes it like any other text).
_ANGLE_STAND_INS = "\ue002\ue003"


def _restore_angles(text_: str) -> str:
    return text_.replace("\ue002", "<").replace("\ue003", ">")


def ensure_index(engine: Engine) -> bool:
    """Recreate missing triggers and re-index (SQLite only); True when it had to."""
    if engine.dialect.name != "sqlite":
        return False
    with engine.begin() as connection:
        present = set(
            connection.scalars(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p"),
                {"p": "articles_fts_%"},
            )
        )
        if present >= set(TRIGGERS):
            return False
        for name in TRIGGERS:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
            row = "new.story_id" if name != "articles_fts_delete" else "old.story_id"
            connection.execute(
                text(
                    f"CREATE TRIGGER {name} {_TRIGGER_SQL[name]} BEGIN "
                    f"DELETE FROM stories_fts WHERE story_id = {row};"
                    + _FTS_ROW.format(story=row)
                    + _BUMP
                )
            )
        connection.execute(text("DELETE FROM stories_fts"))
        story_ids = connection.scalars(
            text("SELECT DISTINCT story_id FROM articles WHERE published_at IS NOT NULL")
        )
        for story_id in list(story_ids):
            connection.execute(text(_FTS_ROW.format(story=":story")), {"story": story_id})
    return True
