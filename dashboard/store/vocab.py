"""The stored vocabulary and title keys (schema v14, issue #17 item 2): paid once per data change, not per process.

Spelling variants (queries.search._fuzzy) and `similar` (document frequencies, typo corrections, title
candidates) read the FTS index's vocabulary and every title. Reading them whole cost every CLI call and every
server start about a second each at 100k articles (BENCHMARKS.md). They are kept in the store instead:

* `vocab(term, docs, first, len)`: every term of articles_fts with the number of articles holding it — the
  same rows as the fts5vocab table `articles_fts_vocab` ('row'), so results read from it are those of a whole
  scan. `first` is the first letter of a term made of letters only (Python's str.isalpha(), NULL otherwise),
  `len` its length: the index (first, len, term) gives _fuzzy and the typo corrections their letter and
  length group in the order of the FTS vocabulary (both sort terms by their UTF-8 bytes).
* `title_keys(id, key, len)`: each article's sorted title words (queries.similar.title_key), kept by triggers
  through the SQL function title_key() (registered on every connection the store opens), so the title scan
  reads only titles whose length can reach its cutoff, in one pass over the table in id order (no index:
  the cutoff's window of lengths holds most titles, and 100k rows read through an index on len took 0.6 s
  where the plain pass takes 0.07 s).

How `vocab` stays exact without tokenizing in Python: FTS5 itself counts the terms of what changed. Every
text that goes into articles_fts goes also into `vocab_in`, every text taken out of it into `vocab_out`:
two contentless FTS5 tables (detail=none: terms only) with the index's tokenizer, filled by triggers beside
articles_fts's own (same conditions) and by store.flush_fts for an import's deferred rows. sync() adds
vocab_in's document counts to `vocab`, subtracts vocab_out's, drops terms at 0 and empties both.
store.flush_fts calls it, so an import syncs every FTS_FLUSH_ROWS articles and before it commits; a
re-extraction syncs before its commit; a reader that finds staged rows (a writer that did not sync) syncs
them itself when it can write, else reads the whole vocabulary as before (ready()).

Stores migrated through v14 get the tables from the migration; a store already at v15 or later skipped v14
(the placeholder was empty when they were made), so open_store runs ensure(), which creates and fills them
when missing (`CREATE … IF NOT EXISTS`, once; about the cost of one whole scan). They are derived data:
`migrate` does not copy them (store.postgres.DERIVED_TABLES); a SQLite target fills them as it loads.
"""
from __future__ import annotations

import sqlite3

from dashboard.store.locks import write_lock

_COLUMNS = "title, body, title_lemmas, body_lemmas"   # store.FTS_COLUMNS (not imported: store imports us)


def _values(row: str) -> str:
    return f"fold({row}title), fold({row}body), {row}title_lemmas, {row}body_lemmas"


def first_letter(term: str | None) -> str | None:
    """The group key of a term for the fuzzy look-ups: its first letter when it is letters only."""
    return term[0] if isinstance(term, str) and term.isalpha() else None


def title_key(title: str | None) -> str:
    """An article's title key (queries.similar.title_key); the import is lazy: store → queries only here,
    at a write, because the key must be the one the title scan compares."""
    from dashboard.queries.similar import title_key as key
    return key(title)


def tables_sql(tokenize: str) -> str:
    """The tables, indexes and triggers (idempotent: IF NOT EXISTS throughout)."""
    staged = f"USING fts5({_COLUMNS}, content='', detail=none, tokenize='{tokenize}')"
    return (
        "CREATE TABLE IF NOT EXISTS vocab (term TEXT PRIMARY KEY, docs INTEGER NOT NULL, first TEXT,"
        " len INTEGER NOT NULL) WITHOUT ROWID;"
        "CREATE INDEX IF NOT EXISTS vocab_shape ON vocab(first, len, term) WHERE first IS NOT NULL;"
        f"CREATE VIRTUAL TABLE IF NOT EXISTS vocab_in {staged};"
        f"CREATE VIRTUAL TABLE IF NOT EXISTS vocab_out {staged};"
        "CREATE VIRTUAL TABLE IF NOT EXISTS vocab_in_terms USING fts5vocab(vocab_in, 'row');"
        "CREATE VIRTUAL TABLE IF NOT EXISTS vocab_out_terms USING fts5vocab(vocab_out, 'row');"
        "CREATE TRIGGER IF NOT EXISTS vocab_ai AFTER INSERT ON articles WHEN NOT fts_deferred() BEGIN"
        f" INSERT INTO vocab_in({_COLUMNS}) VALUES ({_values('new.')}); END;"
        "CREATE TRIGGER IF NOT EXISTS vocab_ad AFTER DELETE ON articles BEGIN"
        f" INSERT INTO vocab_out({_COLUMNS}) VALUES ({_values('old.')}); END;"
        f"CREATE TRIGGER IF NOT EXISTS vocab_au AFTER UPDATE OF {_COLUMNS} ON articles BEGIN"
        f" INSERT INTO vocab_out({_COLUMNS}) VALUES ({_values('old.')});"
        f" INSERT INTO vocab_in({_COLUMNS}) VALUES ({_values('new.')}); END;"
        "CREATE TABLE IF NOT EXISTS title_keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL, len INTEGER NOT NULL);"
        "CREATE TRIGGER IF NOT EXISTS title_keys_ai AFTER INSERT ON articles BEGIN"
        " INSERT OR REPLACE INTO title_keys SELECT new.id, k, length(k) FROM (SELECT title_key(new.title) AS k); END;"
        "CREATE TRIGGER IF NOT EXISTS title_keys_au AFTER UPDATE OF title ON articles BEGIN"
        " INSERT OR REPLACE INTO title_keys SELECT new.id, k, length(k) FROM (SELECT title_key(new.title) AS k); END;"
        "CREATE TRIGGER IF NOT EXISTS title_keys_ad AFTER DELETE ON articles BEGIN"
        " DELETE FROM title_keys WHERE id = old.id; END;"
    )


# Filled from the index itself, once (the v14 migration, or ensure() for a store that skipped it).
FILL = ("DELETE FROM vocab; DELETE FROM title_keys;"
        "INSERT INTO vocab SELECT term, doc, vocab_first(term), length(term) FROM articles_fts_vocab;"
        "INSERT INTO title_keys SELECT id, k, length(k) FROM (SELECT id, title_key(title) AS k FROM articles);")


def migration(tokenize: str) -> str:
    """Schema v14: the tables and triggers, filled from the stored articles."""
    return ("CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts_vocab USING fts5vocab(articles_fts, 'row');"
            + tables_sql(tokenize) + FILL)


def present(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('vocab', 'title_keys', 'vocab_in',"
                        " 'vocab_out', 'vocab_in_terms', 'vocab_out_terms')").fetchone()[0] == 6


def ensure(conn: sqlite3.Connection, tokenize: str, statements) -> None:
    """Create and fill the tables on a writable store past v14 that lacks them (it skipped v14).
    Checked again under the write lock: processes opening the store at once fill it once.
    `statements` splits a script into whole statements (store._statements)."""
    if present(conn):
        return
    with write_lock(conn):
        if not present(conn):
            for statement in statements(migration(tokenize)):
                conn.execute(statement)


def pending(conn: sqlite3.Connection) -> bool:
    """True when texts are staged that `vocab` does not count yet."""
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM vocab_in_docsize) "
                             "OR EXISTS (SELECT 1 FROM vocab_out_docsize)").fetchone()[0])


def sync(conn: sqlite3.Connection) -> None:
    """Fold the staged texts' document counts into `vocab` and empty the staging tables, inside the
    caller's transaction (a no-op when nothing is staged or the store has no vocab tables)."""
    try:
        if not pending(conn):
            return
    except sqlite3.OperationalError:   # no vocab tables: a store not yet ensured (read-only)
        return
    conn.execute("INSERT INTO vocab SELECT term, doc, vocab_first(term), length(term) FROM vocab_in_terms WHERE 1"
                 " ON CONFLICT(term) DO UPDATE SET docs = docs + excluded.docs")
    conn.execute("UPDATE vocab SET docs = docs - o.doc FROM vocab_out_terms o WHERE vocab.term = o.term")
    conn.execute("DELETE FROM vocab WHERE docs <= 0 AND term IN (SELECT term FROM vocab_out_terms)")
    conn.execute("INSERT INTO vocab_in(vocab_in) VALUES ('delete-all')")
    conn.execute("INSERT INTO vocab_out(vocab_out) VALUES ('delete-all')")


def ready(db) -> bool:
    """True when `vocab` and `title_keys` can be read as the index's own: present, nothing staged, or the
    staged rows synced now (a write; never waits for another writer). False: read the index whole."""
    conn = getattr(db, "conn", db)
    try:
        if not present(conn):
            return False
        if not pending(conn):
            return True
        if conn.in_transaction or getattr(db, "readonly", False):
            return False
        with write_lock(conn, wait=False):
            sync(conn)
        return True
    except sqlite3.Error:
        return False
