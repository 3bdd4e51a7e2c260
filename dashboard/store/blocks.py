"""Stored near-duplicate blocking keys (schema v17), so that a pass compares new articles with the store.

`near_dup_keys` holds one row per (blocking key, article) — the keys `queries.similar` makes of a body's
LSH bands, its lead and its title — clustered by key, so the articles sharing a key are one index range.
`near_dup_articles` holds, per article, the same keys as one int64 BLOB (to take them away again when the
article changes or goes), `short` (a stub or a short body: one title key pairs it) and `pending`, the number of changes since its keys were stored: triggers on
`articles` count an insert, a change of title, body or is_stub, and a deletion, the one place every writer
goes through. A pass keys the pending articles, compares them with the store and takes away what it
read (`pending - n`), so a change made while a long pass ran stays pending for the next one.
`near_dup_state` holds the threshold of the last pass: the stored links are a whole pass's at that
threshold. It is derived data: `migrate` does not copy it (store.postgres.DERIVED_TABLES); a SQLite
target's insert trigger marks every article pending, and its first pass is a whole one.
"""
from __future__ import annotations

MIGRATION = (
    "CREATE TABLE IF NOT EXISTS near_dup_keys (key INTEGER NOT NULL, article_id INTEGER NOT NULL,"
    " PRIMARY KEY (key, article_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS near_dup_articles (article_id INTEGER PRIMARY KEY, keys BLOB,"
    " short INTEGER NOT NULL DEFAULT 0, pending INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX IF NOT EXISTS near_dup_articles_pending ON near_dup_articles (article_id) WHERE pending > 0;"
    "CREATE TABLE IF NOT EXISTS near_dup_state (id INTEGER PRIMARY KEY CHECK (id = 1), threshold REAL NOT NULL,"
    " passed_at TEXT NOT NULL);"
    "INSERT OR IGNORE INTO near_dup_articles (article_id) SELECT id FROM articles;"
    "CREATE TRIGGER IF NOT EXISTS near_dup_ai AFTER INSERT ON articles BEGIN"
    " INSERT INTO near_dup_articles (article_id) VALUES (new.id)"
    " ON CONFLICT (article_id) DO UPDATE SET pending = pending + 1; END;"
    "CREATE TRIGGER IF NOT EXISTS near_dup_au AFTER UPDATE OF title, body, is_stub ON articles BEGIN"
    " UPDATE near_dup_articles SET pending = pending + 1 WHERE article_id = new.id; END;"
    "CREATE TRIGGER IF NOT EXISTS near_dup_ad AFTER DELETE ON articles BEGIN"
    " UPDATE near_dup_articles SET pending = pending + 1 WHERE article_id = old.id; END;"
)

TABLES = ("near_dup_keys", "near_dup_articles", "near_dup_state")


def ensure(conn) -> None:
    """Create the tables when the store lacks them: a store that reached schema v17/v18 on a build where v17
    was still a reserved placeholder skipped MIGRATION. It is idempotent; every article then starts pending."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'near_dup_state'").fetchone():
        return
    conn.executescript("BEGIN IMMEDIATE;" + MIGRATION + "COMMIT;")


def last_threshold(conn) -> float | None:
    """The threshold of the last stored pass, None before the first."""
    row = conn.execute("SELECT threshold FROM near_dup_state WHERE id = 1").fetchone()
    return row[0] if row else None


def set_state(conn, threshold: float, when: str) -> None:
    conn.execute("INSERT INTO near_dup_state (id, threshold, passed_at) VALUES (1, ?, ?) "
                 "ON CONFLICT (id) DO UPDATE SET threshold = excluded.threshold, passed_at = excluded.passed_at",
                 [float(threshold), when])


def pending(conn) -> dict[int, tuple[int, bytes | None]]:
    """article id → (pending count, its stored keys BLOB or None), for the articles changed since their keys
    were stored (deleted ones included)."""
    return {a: (n, k) for a, n, k in conn.execute(
        "SELECT article_id, pending, keys FROM near_dup_articles WHERE pending > 0")}


def pending_count(conn) -> int:
    return conn.execute("SELECT count(*) FROM near_dup_articles WHERE pending > 0").fetchone()[0]
