"""The SQL that differs between the store's two engines, in one place (issue #20).

The queries layer writes SQLite's SQL with `?` placeholders; the PostgreSQL store (store.pgstore) turns
the placeholders into psycopg's. What cannot be written once for both lives here, as one Dialect per
engine: date bucketing, counting the rows where a condition holds, string aggregation, and full-text
search (FTS5's MATCH / bm25 / snippet / highlight against PostgreSQL's tsvector @@ tsquery / ts_rank_cd /
ts_headline). A query asks `of(db)` for its store's dialect; no page or CLI command knows which engine
it talks to. The SQLite texts are the ones the queries used before, unchanged (same plans, same speed).
"""
from __future__ import annotations

from dataclasses import dataclass, field

SNIPPET_OPEN, SNIPPET_CLOSE = "\ue000", "\ue001"   # queries.search's markers (kept here: no import cycle)
# The PostgreSQL text search configuration the `fts` column and every tsquery use (store.postgres):
# English snowball stems without stop words, accents folded by unaccent when the cluster has it.
TS_CONFIG = "dashboard"


@dataclass(frozen=True)
class Dialect:
    name: str
    period_sql: dict = field(default_factory=dict)   # period → SQL of the first day of the period of `{d}`
    # Whether the timeline reads event_days (store.rollups) when it can: a table kept by triggers on SQLite;
    # on PostgreSQL a view, whose double GROUP BY costs more than one over the events' covering index
    # (7.9 against ~2 ms for a pair's five years at 10k)
    rollups: bool = True
    # how keyword matches are ranked, as the Articles page names its order
    ranking: str = "BM25"

    # --- plain SQL ---------------------------------------------------------------------------------
    def count_if(self, cond: str) -> str:
        """The number of rows of the group where `cond` holds (SQLite sums its 0/1 comparisons)."""
        return f"sum({cond})"

    def group_concat(self, expr: str, sep: str, order: str = "") -> str:
        """`expr` of the group's rows joined by `sep` (a literal without quotes); `order`: ORDER BY terms,
        for SQLite given by the caller's subquery instead (its group_concat takes no ORDER BY)."""
        return f"group_concat({expr}, '{sep}')"

    def smaller(self, a: str, b: str) -> str:
        """The smaller of two values, NULL when either is (SQLite's scalar min)."""
        return f"min({a}, {b})"

    def larger(self, a: str, b: str) -> str:
        return f"max({a}, {b})"

    # --- full-text search --------------------------------------------------------------------------
    # The keyword query's text (search.Query): FTS5's MATCH expression, or the tsquery string.
    def keyword(self, q) -> str | None:
        return q.match

    @property
    def join(self) -> str:
        """The join that keeps the written order (SQLite's CROSS JOIN … ON; PostgreSQL plans joins itself)."""
        return "CROSS JOIN"

    def fts_from(self, keyword: str) -> tuple[str, list]:
        """The FROM item whose rows are the articles' index entries (id: fts_id) and its parameters."""
        return "articles_fts", []

    fts_id = "articles_fts.rowid"

    def fts_match(self, keyword: str) -> tuple[str, list]:
        """The WHERE part keeping the entries that match, and its parameters."""
        return "articles_fts MATCH ?", [keyword]

    def rank(self, title_weight: float, body_weight: float) -> str:
        """The relevance of the current entry, lower is better (FTS5's bm25 is negative)."""
        return f"bm25(articles_fts, {title_weight}, {body_weight}, {title_weight}, {body_weight})"

    def snippet(self, tokens: int) -> tuple[str, list]:
        """The passage of the body around the matches; SQL NULL: cut it from highlight()'s body."""
        return f"snippet(articles_fts, 1, ?, ?, '…', {tokens})", [SNIPPET_OPEN, SNIPPET_CLOSE]

    def highlight(self) -> tuple[str, list]:
        """The title and the body, every matched passage between the markers (two columns)."""
        return ("highlight(articles_fts, 0, ?, ?), highlight(articles_fts, 1, ?, ?)",
                [SNIPPET_OPEN, SNIPPET_CLOSE] * 2)

    def article_ids_matching(self) -> str:
        """SQL of the ids of the articles matching the one `?` parameter (the keyword)."""
        return "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"


SQLITE = Dialect("sqlite", {
    "day": "{d}",
    "week": "date({d}, '-6 days', 'weekday 1')",
    "month": "substr({d}, 1, 7) || '-01'",
    "quarter": "substr({d}, 1, 5) || printf('%02d', ((CAST(substr({d}, 6, 2) AS INTEGER) - 1) / 3) * 3 + 1) || '-01'",
    "year": "substr({d}, 1, 4) || '-01-01'",
})


@dataclass(frozen=True)
class _Postgres(Dialect):
    def count_if(self, cond: str) -> str:
        return f"count(*) FILTER (WHERE {cond})"

    def group_concat(self, expr: str, sep: str, order: str = "") -> str:
        return f"string_agg(({expr})::text, '{sep}'{' ORDER BY ' + order if order else ''})"

    def smaller(self, a: str, b: str) -> str:   # least() skips a NULL where SQLite's min() gives NULL
        return f"CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL ELSE least({a}, {b}) END"

    def larger(self, a: str, b: str) -> str:
        return f"CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL ELSE greatest({a}, {b}) END"

    def keyword(self, q) -> str | None:
        return q.tsquery

    @property
    def join(self) -> str:
        return "JOIN"

    # The keyword's tsquery is made once, as a one-row FROM item `tsq` that the match, the rank and the
    # headlines read; the articles themselves are the index entries (`ft`, the GIN index on ft.fts).
    def fts_from(self, keyword: str) -> tuple[str, list]:
        return f"to_tsquery('{TS_CONFIG}', ?) AS tsq CROSS JOIN articles ft", [keyword]

    fts_id = "ft.id"

    def fts_match(self, keyword: str) -> tuple[str, list]:
        return "ft.fts @@ tsq", []

    def rank(self, title_weight: float, body_weight: float) -> str:
        # ts_rank_cd (cover density) with the weights {D, C, B, A}: the title is A, the body B (store.postgres)
        return (f"-ts_rank_cd('{{0, 0, {body_weight / title_weight:g}, 1}}', ft.fts, tsq)")

    def snippet(self, tokens: int) -> tuple[str, list]:
        # NULL: the snippet is cut from the highlighted body (queries.articles.snippet_of): ts_headline parses
        # the whole body at each call, and a page asks for both (measured at 10k: 47 ms of 70 for 50 rows)
        return "NULL", []

    def highlight(self) -> tuple[str, list]:
        opts = f"'StartSel={SNIPPET_OPEN}, StopSel={SNIPPET_CLOSE}, HighlightAll=true'"
        return (f"ts_headline('{TS_CONFIG}', ft.title, tsq, {opts}), ts_headline('{TS_CONFIG}', ft.body, tsq, {opts})",
                [])

    def article_ids_matching(self) -> str:
        return f"SELECT id FROM articles WHERE fts @@ to_tsquery('{TS_CONFIG}', ?)"


POSTGRES = _Postgres("postgresql", rollups=False, ranking="ts_rank_cd", period_sql={
    "day": "{d}",
    "week": "to_char(date_trunc('week', ({d})::date), 'YYYY-MM-DD')",
    "month": "substr({d}, 1, 7) || '-01'",
    "quarter": "to_char(date_trunc('quarter', ({d})::date), 'YYYY-MM-DD')",
    "year": "substr({d}, 1, 4) || '-01-01'",
})


def of(db) -> Dialect:
    """The dialect of `db` (a store from store.open_store): PostgreSQL's for a PostgreSQL store, else SQLite's."""
    return getattr(db, "dialect", None) or SQLITE
