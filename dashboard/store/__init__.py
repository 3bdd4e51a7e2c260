"""The SQLite store of articles and events (sqlite-utils over sqlite3).

Tables (see ARCHITECTURE.md for every column):
  articles, articles_fts (FTS5, external content, kept in sync by triggers),
  article_links, mentions, article_pairs, events, edits, notes, imports,
  saved_views, event_days (store.rollups), vocab and title_keys (store.vocab), near_dup_keys, near_dup_articles
  and near_dup_state (store.blocks), summaries (store.version), schema_version.

The store path comes from `--db`, else the DASHBOARD_DB environment variable,
else `data/relations.db` beside the project (see `default_path`).
Connections: one per thread (`thread_db`), never shared across threads, in WAL
mode with a busy timeout so that readers keep answering while an import writes.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path



def _import_sqlite_utils():
    """sqlite-utils, imported with pandas and numpy hidden when they are not loaded yet.

    sqlite-utils imports both at its own import, only to map their value types in its insert helpers,
    which the store never hands such values; loading them costs about 0.3 s of every command line
    call (issue #17). They stay importable: the entries are removed again right after.
    """
    hidden = [m for m in ("pandas", "numpy") if m not in sys.modules]
    for m in hidden:
        sys.modules[m] = None       # an import of it raises ImportError, which sqlite-utils expects
    try:
        import sqlite_utils
    finally:
        for m in hidden:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
    return sqlite_utils


sqlite_utils = _import_sqlite_utils()

from dashboard.analysis.language import detect_language
from dashboard.analysis.textnorm import fold
from dashboard.store import blocks, rollups, vocab
from dashboard.store.locks import write_lock

SCHEMA_VERSION = 18
PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUSY_TIMEOUT_MS = 10_000
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"


class StoreError(Exception):
    """The store file cannot be opened: not SQLite, corrupt, or from a newer version.

    `problem` says what is wrong and what to do without naming the file (the pages show it to
    browsers, which must not learn server paths); str() adds the path, for the command line.
    """

    def __init__(self, problem: str, path: str | os.PathLike | None = None):
        self.problem, self.path = problem, path
        super().__init__(f"{path}: {problem}" if path else problem)


class StoreCorrupt(StoreError):
    """PRAGMA quick_check found damage: the store is neither read nor written."""


class StoreReadOnly(StoreError):
    """A write was asked of a store opened read-only (file or folder not writable)."""


READ_ONLY_PROBLEM = ("the store is read-only (its file or folder cannot be written): imports, edits and notes "
                     "are off; copy it to a writable folder to change it")


def default_path() -> Path | str:
    """The store path: $DASHBOARD_DB if set, else `<project>/data/relations.db` (a postgresql:// URL is
    returned as text: a Path would fold its `//`)."""
    env = os.environ.get("DASHBOARD_DB")
    if env and is_url(env):
        return env
    return Path(env) if env else PROJECT_ROOT / "data" / "relations.db"


def is_url(where) -> bool:
    """True for a PostgreSQL store's address (postgresql://… or postgres://…), False for a SQLite file."""
    return isinstance(where, str) and where.startswith(("postgresql://", "postgres://"))


SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    url TEXT,
    source TEXT,
    title TEXT NOT NULL,
    published_at TEXT,          -- ISO 8601 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD'
    date_note TEXT,             -- how the date was obtained when not read directly
    section TEXT,
    author TEXT,
    language TEXT,              -- en | ru | other, detected from the text (analysis.language, v10)
    body TEXT NOT NULL DEFAULT '',
    is_stub INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT NOT NULL,
    title_key TEXT NOT NULL,    -- casefolded title words: matches stubs to full pages
    import_id INTEGER,
    extra TEXT                  -- JSON of columns the importer kept but has no field for
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_url ON articles(url) WHERE url IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published_at);
CREATE INDEX IF NOT EXISTS articles_title_key ON articles(title_key);

CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, body, content='articles', content_rowid='id', tokenize='{FTS_TOKENIZE}'
);
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, body)
    VALUES (new.id, fold(new.title), fold(new.body));
END;
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body)
    VALUES ('delete', old.id, fold(old.title), fold(old.body));
END;
CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body)
    VALUES ('delete', old.id, fold(old.title), fold(old.body));
    INSERT INTO articles_fts(rowid, title, body)
    VALUES (new.id, fold(new.title), fold(new.body));
END;

CREATE TABLE IF NOT EXISTS article_links (
    from_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,         -- editorial_similar | near_duplicate
    score REAL,
    PRIMARY KEY (from_id, to_id, kind)
);
CREATE INDEX IF NOT EXISTS article_links_to ON article_links(to_id);

CREATE TABLE IF NOT EXISTS mentions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,        -- ISO 3166-1 alpha-3, or EU / NATO
    count INTEGER NOT NULL,
    kind TEXT NOT NULL,         -- name | adjective | capital | leader | organisation
    PRIMARY KEY (article_id, actor)
);
CREATE INDEX IF NOT EXISTS mentions_actor ON mentions(actor, article_id);

CREATE TABLE IF NOT EXISTS article_pairs (
    pair_a TEXT NOT NULL,       -- the two actor codes, sorted
    pair_b TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    weight INTEGER NOT NULL,    -- min of the two mention counts
    PRIMARY KEY (pair_a, pair_b, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_pairs_article ON article_pairs(article_id);

CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,       -- extracted | gdelt | acled | icews | polecat | manual
    source_event_id TEXT NOT NULL,
    article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
    date TEXT,                  -- YYYY-MM-DD (the calendar date in the source's own zone)
    date_precision TEXT,        -- day | week | month | year
    year_inferred INTEGER NOT NULL DEFAULT 0,
    actor1 TEXT,
    actor2 TEXT,
    pair_a TEXT,
    pair_b TEXT,
    cameo_code TEXT,
    root_code TEXT,
    quad_class INTEGER,
    goldstein REAL,
    intensity REAL,
    avg_tone REAL,
    num_mentions INTEGER,
    num_sources INTEGER,
    num_articles INTEGER,
    evidence TEXT,
    char_start INTEGER,
    char_end INTEGER,
    spans TEXT,                 -- JSON list of [start, end] evidence spans
    confidence REAL,
    warning TEXT,
    geo TEXT,
    url TEXT,
    extra TEXT,
    import_id INTEGER,
    edited INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS events_source_key ON events(source, source_event_id);
CREATE INDEX IF NOT EXISTS events_pair_date ON events(pair_a, pair_b, date);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE INDEX IF NOT EXISTS events_article ON events(article_id);

CREATE TABLE IF NOT EXISTS edits (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,       -- event
    source TEXT NOT NULL,
    source_event_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT,
    note TEXT,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS edits_key ON edits(source, source_event_id);

CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY,
    pair_a TEXT NOT NULL,
    pair_b TEXT NOT NULL,
    date TEXT NOT NULL,
    text TEXT NOT NULL,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    format TEXT,
    started_at TEXT,
    finished_at TEXT,
    status TEXT,                -- ok | failed | duplicate
    imported INTEGER DEFAULT 0,
    duplicates INTEGER DEFAULT 0,
    failed INTEGER DEFAULT 0,
    errors TEXT                 -- JSON list of {{line, field, message}}
);
CREATE INDEX IF NOT EXISTS imports_sha ON imports(sha256);

CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
"""


# Connections (by id) importing with deferred FTS5 indexing → the largest article id indexed so far.
_DEFERRED: dict[int, list[int]] = {}


def _configure(conn: sqlite3.Connection, readonly: bool) -> None:
    # The FTS triggers call fold(): every connection that writes articles needs it.
    conn.create_function("fold", 1, lambda s: fold(s) if s is not None else None, deterministic=True)
    # articles_ai (v6) skips rows that an import indexes itself, in bulk (defer_fts).
    # v10 fills articles.language of the stored articles with it (the importer calls it itself).
    conn.create_function("detect_language", 2, lambda t, b: detect_language(t or "", b or ""), deterministic=True)
    # v11 fills the lemma columns of the stored articles with it (the importer calls it itself).
    conn.create_function("lemmatise", 1, _lemmatise, deterministic=True)
    # v14 (store.vocab): the stored vocabulary's letter group and each article's title key.
    conn.create_function("vocab_first", 1, vocab.first_letter, deterministic=True)
    conn.create_function("title_key", 1, vocab.title_key, deterministic=True)
    key = id(conn)
    conn.create_function("fts_deferred", 0, lambda: int(key in _DEFERRED))
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")


def _lemmatise(text: str | None) -> str | None:
    from dashboard.analysis.lemmas import lemmatise   # pymorphy3 loads only when a text has Cyrillic
    return lemmatise(text)


# The columns of articles_fts (v11), each with what indexes it from a row of articles (`new.`, `old.` or
# none): the title and body folded (textnorm.fold), and the dictionary forms of their Russian words
# (analysis.lemmas), which the importer stores in articles.title_lemmas / body_lemmas.
FTS_COLUMNS = ("title", "body", "title_lemmas", "body_lemmas")


def _fts_values(row: str = "") -> str:
    return f"fold({row}title), fold({row}body), {row}title_lemmas, {row}body_lemmas"


def open_store(path: str | os.PathLike | None = None, *, readonly: bool = False) -> sqlite_utils.Database:
    """Open (creating if missing) the store at `path` and migrate it to SCHEMA_VERSION.

    Returns a sqlite_utils.Database bound to a connection for the calling thread only; its
    `readonly` attribute is True when it was asked for, or when the file or its folder cannot be
    written (SQLite needs the folder for its -wal/-journal files).
    Raises StoreCorrupt when PRAGMA quick_check finds damage (checked once per file state), and
    StoreError with a plain message when the file is not a SQLite database, was written by a
    newer version of the dashboard, or cannot be created.
    """
    if is_url(path) or (not path and is_url(default_path())):
        # a PostgreSQL store (issue #20): the same interface through store.pgstore
        from dashboard.store.pgstore import open_pg_store
        return open_pg_store(path or default_path(), readonly=readonly)
    p = Path(path) if path else default_path()
    memory = str(p) == ":memory:"
    if not memory:
        _make_folder(p)
        if not readonly and not _writable(p):
            if not p.exists():
                raise StoreError("cannot create the store: its folder is read-only; "
                                 "point --db or DASHBOARD_DB at a writable place", p)
            readonly = True
    conn = None
    try:
        conn = _connect(p, readonly) if not memory else sqlite3.connect(":memory:")
        if not memory:  # before _configure, which may write (journal mode)
            check_integrity(conn, p)
        _configure(conn, readonly)
        db = sqlite_utils.Database(conn)
        if not readonly:
            migrate(db)
            vocab.ensure(conn, FTS_TOKENIZE, _statements)   # a store past v14 that skipped it (store.vocab)
        else:
            check_version(db)
    except (StoreError, sqlite3.DatabaseError) as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, StoreError):
            raise
        raise StoreError(f"not a usable SQLite store ({exc}). "
                         "Point --db or DASHBOARD_DB at another file, or move this one away.", p) from exc
    db.readonly = readonly  # type: ignore[attr-defined]
    return db


def new_store_at(path: str | os.PathLike, version: int) -> sqlite_utils.Database:
    """A new SQLite store at `path` built by the migrations up to `version` only: the layout an older store
    had, for `migrate --upgrade` to read an older PostgreSQL store into before migrating it (store.transfer)."""
    p = Path(path)
    conn = _connect(p, False)
    _configure(conn, False)
    db = sqlite_utils.Database(conn)
    migrate(db, until=version)
    db.readonly = False  # type: ignore[attr-defined]
    return db


def _make_folder(p: Path) -> None:
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the store's folder ({exc.strerror})", p) from exc


def _writable(p: Path) -> bool:
    """Whether SQLite can write the store: the file (when it exists) and its folder, where
    SQLite keeps its -wal, -shm and -journal files."""
    return os.access(p.parent, os.W_OK) and (not p.exists() or os.access(p, os.W_OK))


def _connect(p: Path, readonly: bool) -> sqlite3.Connection:
    timeout = BUSY_TIMEOUT_MS / 1000   # the integrity check may meet a writer's lock
    if not readonly:
        return sqlite3.connect(str(p), timeout=timeout)
    # A URI, percent-encoded, so that a path holding '?' or '#' still names the file.
    uri = p.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        # A WAL store read-only needs its -shm file, which a read-only folder cannot hold. With
        # no -wal file beside it, every change is in the main file, and nobody can write one
        # (the folder is read-only): reading it as immutable is then exact.
        conn.close()
        if os.access(p.parent, os.W_OK) or Path(f"{p}-wal").exists():
            raise
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout)


# Store files (resolved path) → ((size, mtime), the problem found or None, time.monotonic() of the check).
_CHECKED: dict[str, tuple[tuple[int, int], str | None, float]] = {}
QUICK_CHECK_ROWS = 5
# A store that passed is checked again when its size or mtime changed, but at most this often: while
# an import writes, every checkpoint changes the file, and Streamlit opens a connection per rerun.
RECHECK_SECONDS = 60.0


def check_integrity(conn: sqlite3.Connection, p: Path) -> None:
    """Run PRAGMA quick_check on a freshly opened store, once per file state (path, size,
    mtime; a good store at most every RECHECK_SECONDS): Streamlit opens a connection per
    thread, and a check reads the whole file (0.55 s for 253 MiB, page cache warm; 1.4 GB at
    100k articles took 6 s on a busy machine). A good state is also remembered across processes
    (checked_states), so a CLI call or a server start after another process checked the same file
    does not read it again. Raises StoreCorrupt naming what to do. quick_check skips what
    integrity_check adds (index entries against their rows) at a fifth of its time."""
    try:
        st = p.stat()
    except FileNotFoundError:
        return
    key, state = str(p.resolve()), (st.st_size, st.st_mtime_ns)
    if st.st_size == 0:
        return
    known = _CHECKED.get(key)
    fresh = known is not None and (known[0] == state or
                                   (known[1] is None and time.monotonic() - known[2] < RECHECK_SECONDS))
    if not fresh and _remembered_good(checked_states().get(key), st):
        known, fresh = _CHECKED.setdefault(key, (state, None, time.monotonic())), True
    if not fresh:
        try:
            rows = [r[0] for r in conn.execute(f"PRAGMA quick_check({QUICK_CHECK_ROWS})")]
        except sqlite3.DatabaseError as exc:
            if "malformed" not in str(exc):
                raise   # not a database at all: open_store says so
            rows = [str(exc)]
        known = _CHECKED[key] = (state, None if rows == ["ok"] else _corrupt_problem(rows), time.monotonic())
        if known[1] is None:
            _remember_good(key, [*state, st.st_ino, int(time.time())])
    if known[1]:
        raise StoreCorrupt(known[1], p)


CHECKED_STATES_KEPT = 64
# quick_check reads the whole file: 0.65 s at 253 MiB, ≈ 40 s at 14 GB (1M articles) with the file cached,
# 2.5 min without. A state is (size, mtime), and every write moves it: the WAL checkpoint at a connection's
# close, even a kept store-wide answer (store.version.memo). A small store is checked again at each new
# state; a large one once per file (inode) and then once a week, as long as it is the same file: its
# changes are this dashboard's own writes through SQLite, and damage met by a query later is still shown
# as damage (app.ui.guard). Otherwise every process start after any write would wait for the whole check.
LARGE_STORE_BYTES = 1 << 30
LARGE_RECHECK_SECONDS = 7 * 24 * 3600


def _remembered_good(entry, st: os.stat_result) -> bool:
    """Whether a remembered good check ([size, mtime_ns, inode, checked_at]) still stands for the file."""
    if not isinstance(entry, list) or len(entry) < 3:
        return False
    if entry[:3] == [st.st_size, st.st_mtime_ns, st.st_ino]:
        return True
    checked_at = entry[3] if len(entry) > 3 else 0
    return (st.st_size > LARGE_STORE_BYTES and entry[2] == st.st_ino
            and 0 <= time.time() - checked_at < LARGE_RECHECK_SECONDS)


def checks_file() -> Path:
    """Where the file states that passed quick_check are remembered between processes:
    $DASHBOARD_CACHE_DIR, else $XDG_CACHE_HOME/relations-dashboard, else ~/.cache/relations-dashboard."""
    base = os.environ.get("DASHBOARD_CACHE_DIR")
    if not base:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
                            "relations-dashboard")
    return Path(base) / "checked-stores.json"


def checked_states() -> dict[str, list[int]]:
    """Store path → [size, mtime_ns, inode, checked_at] of its last state that passed quick_check ({} when none
    or unreadable; checked_at in seconds since the epoch)."""
    import json
    try:
        data = json.loads(checks_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remember_good(key: str, state: list[int]) -> None:
    """Add a good state (the newest CHECKED_STATES_KEPT stores are kept); a cache that cannot be written is
    no error: the next process checks again."""
    import json
    import tempfile
    states = {k: v for k, v in checked_states().items() if k != key}
    states[key] = state
    states = dict(list(states.items())[-CHECKED_STATES_KEPT:])
    path = checks_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".checked-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(states, out)
        os.replace(tmp, path)      # whole or not at all, whatever another process does at the same time
    except OSError:
        pass


def _corrupt_problem(rows: list[str]) -> str:
    lines = [ln.strip() for r in rows for ln in str(r).splitlines() if ln.strip() and not ln.startswith("***")]
    # quick_check stops at QUICK_CHECK_ROWS problems
    found = f"{'at least ' if len(lines) >= QUICK_CHECK_ROWS else ''}{len(lines)} problems, first: " if len(lines) > 1 else ""
    return (f"the store is damaged (SQLite quick_check: {found}{lines[0][:160] if lines else 'unknown'}); "
            "it was not opened and nothing was written. Restore it from a backup, or salvage what SQLite can "
            "read with `sqlite3 STORE .recover | sqlite3 recovered.db` and point --db or DASHBOARD_DB at "
            "recovered.db")


def check_writable(db: sqlite_utils.Database) -> None:
    """Raise StoreReadOnly before a write (import, edit, note) to a store opened read-only."""
    if getattr(db, "readonly", False):
        raise StoreReadOnly(READ_ONLY_PROBLEM)


def current_version(db: sqlite_utils.Database) -> int:
    """The schema version recorded in the store (0 for an empty file)."""
    if "schema_version" not in db.table_names():
        return 0
    row = db.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def check_version(db: sqlite_utils.Database) -> None:
    """Raise StoreError if the store was written by a newer dashboard."""
    v = current_version(db)
    if v > SCHEMA_VERSION:
        raise StoreError(f"store schema version {v} is newer than this dashboard ({SCHEMA_VERSION}); upgrade the dashboard")


# Forward-only migrations: MIGRATIONS[n] takes a store from version n to n+1.
MIGRATIONS: dict[int, str] = {
    0: SCHEMA,
    # v2: the FTS5 vocabulary table that spelling-variant matching reads (search.py).
    1: "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts_vocab USING fts5vocab(articles_fts, 'row');",
    # v3: the calendar date in the source's own zone, for date filters and the timeline (case C18).
    2: "ALTER TABLE articles ADD COLUMN published_date TEXT;"
       "UPDATE articles SET published_date = substr(published_at, 1, 10);"
       "CREATE INDEX IF NOT EXISTS articles_published_date ON articles(published_date);",
    # v4: events_article only over events that have an article (GDELT/ACLED/ICEWS rows only added
    # index work to every import).
    3: "DROP INDEX IF EXISTS events_article;"
       "CREATE INDEX events_article ON events(article_id) WHERE article_id IS NOT NULL;",
    # v5: events_pair_date covers the timeline's default aggregate (source filter, QuadClass counts,
    # mean Goldstein), so it reads the index alone (BENCHMARKS.md: p50 93 → 21 ms at 100k); adding
    # actor1, year_inferred and confidence (direction and "hide uncertain") cost GDELT imports 25%,
    # these five columns 4%. article_pairs carries the article's dates, so a pair + date filter and
    # its newest-first page read one index.
    4: "DROP INDEX IF EXISTS events_pair_date;"
       "CREATE INDEX events_pair_date ON events(pair_a, pair_b, date, source, quad_class, goldstein);"
       "ALTER TABLE article_pairs ADD COLUMN published_date TEXT;"
       "ALTER TABLE article_pairs ADD COLUMN published_at TEXT;"
       "UPDATE article_pairs SET (published_date, published_at) ="
       " (SELECT a.published_date, a.published_at FROM articles a WHERE a.id = article_pairs.article_id);"
       "CREATE INDEX article_pairs_date ON article_pairs(pair_a, pair_b, published_at, article_id, published_date);",
    # v6: the insert trigger leaves the rows of an import with deferred indexing to the import,
    # which indexes them in one statement (store.defer_fts).
    5: "DROP TRIGGER IF EXISTS articles_ai;"
       "CREATE TRIGGER articles_ai AFTER INSERT ON articles WHEN NOT fts_deferred() BEGIN"
       " INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, fold(new.title), fold(new.body));"
       " END;",
    # v7: what an article is about (analysis.salience): each link's salience, and `about`, which the
    # pair filter's default reads through a partial index of the about-links alone. Links stored
    # before v7 are not scored (salience NULL) and stay about = 1, as every link was, until
    # `python -m dashboard reextract` scores them.
    6: "ALTER TABLE article_pairs ADD COLUMN salience REAL;"
       "ALTER TABLE article_pairs ADD COLUMN about INTEGER NOT NULL DEFAULT 1;"
       "CREATE INDEX article_pairs_about ON article_pairs(pair_a, pair_b, published_at, article_id, published_date,"
       " salience) WHERE about = 1;"
       # the same links most salient first: the Articles page's default order with a pair reads it in order
       "CREATE INDEX article_pairs_salience ON article_pairs(pair_a, pair_b, salience DESC, published_at DESC,"
       " article_id DESC, published_date) WHERE about = 1;",
    # v8: one event, counted once (store.repeats): an extracted event that a near-duplicate article
    # reported earlier points at that report (repeat_of); every event query keeps `repeat_of IS NULL`,
    # which the timeline's covering index now holds. SET NULL: a deleted first report never hides its
    # repeats. Stores migrated here mark their repeats at the next `python -m dashboard duplicates`.
    7: "ALTER TABLE events ADD COLUMN repeat_of INTEGER REFERENCES events(id) ON DELETE SET NULL;"
       "DROP INDEX IF EXISTS events_pair_date;"
       "CREATE INDEX events_pair_date ON events(pair_a, pair_b, date, source, quad_class, goldstein, repeat_of);"
       # the other reports of an event (Events list, CSV), and the look-up SET NULL makes on every delete
       "CREATE INDEX events_repeat_of ON events(repeat_of) WHERE repeat_of IS NOT NULL;",
    # v9 (issue #16): revised_at, the source's own version time of an event (ACLED's `timestamp`,
    # epoch seconds): a re-import replaces a stored row only with a newer version, analyst edits
    # re-applied. imports keeps what an import updated and deleted, the encoding a legacy file was
    # read in, and its warnings (JSON, first 20: an item kept without a date, …).
    8: "ALTER TABLE events ADD COLUMN revised_at INTEGER;"
       "ALTER TABLE imports ADD COLUMN updated INTEGER DEFAULT 0;"
       "ALTER TABLE imports ADD COLUMN deleted INTEGER DEFAULT 0;"
       "ALTER TABLE imports ADD COLUMN encoding TEXT;"
       "ALTER TABLE imports ADD COLUMN warnings TEXT;",
    # v10 (issue #19): articles.language is the language detected from the text ('en', 'ru' or 'other':
    # analysis.language), no longer the tag a feed or page declared; the language filter reads it.
    9: "UPDATE articles SET language = detect_language(title, body);"
       "CREATE INDEX articles_language ON articles(language, published_date);",
    # v11 (issue #19): a Russian word in any form finds every form. articles keeps the dictionary forms of
    # the Cyrillic words of title and body (analysis.lemmas; NULL for a text without Cyrillic), and
    # articles_fts indexes them as two more columns: FTS5 cannot add a column, so the index is made anew
    # (the triggers and the vocabulary with it) and filled from every stored article.
    10: "ALTER TABLE articles ADD COLUMN title_lemmas TEXT;"
        "ALTER TABLE articles ADD COLUMN body_lemmas TEXT;"
        "UPDATE articles SET title_lemmas = lemmatise(title), body_lemmas = lemmatise(body);"
        "DROP TRIGGER IF EXISTS articles_ai; DROP TRIGGER IF EXISTS articles_ad; DROP TRIGGER IF EXISTS articles_au;"
        "DROP TABLE IF EXISTS articles_fts_vocab; DROP TABLE articles_fts;"
        f"CREATE VIRTUAL TABLE articles_fts USING fts5({', '.join(FTS_COLUMNS)}, content='articles',"
        f" content_rowid='id', tokenize='{FTS_TOKENIZE}');"
        f"INSERT INTO articles_fts(rowid, {', '.join(FTS_COLUMNS)}) SELECT id, {_fts_values()} FROM articles;"
        f"CREATE TRIGGER articles_ai AFTER INSERT ON articles WHEN NOT fts_deferred() BEGIN"
        f" INSERT INTO articles_fts(rowid, {', '.join(FTS_COLUMNS)}) VALUES (new.id, {_fts_values('new.')}); END;"
        f"CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN"
        f" INSERT INTO articles_fts(articles_fts, rowid, {', '.join(FTS_COLUMNS)})"
        f" VALUES ('delete', old.id, {_fts_values('old.')}); END;"
        f"CREATE TRIGGER articles_au AFTER UPDATE OF title, body, title_lemmas, body_lemmas ON articles BEGIN"
        f" INSERT INTO articles_fts(articles_fts, rowid, {', '.join(FTS_COLUMNS)})"
        f" VALUES ('delete', old.id, {_fts_values('old.')});"
        f" INSERT INTO articles_fts(rowid, {', '.join(FTS_COLUMNS)}) VALUES (new.id, {_fts_values('new.')}); END;"
        "CREATE VIRTUAL TABLE articles_fts_vocab USING fts5vocab(articles_fts, 'row');",
    # v12 (issue #16): coordinates for maps, WGS 84 decimal degrees. lat/lon: where the event took place
    # (GDELT ActionGeo_Lat/Long, ACLED latitude/longitude, ICEWS and POLECAT Latitude/Longitude);
    # actor1_lat … actor2_lon: GDELT's Actor1Geo/Actor2Geo. Rows stored before v12: ACLED and ICEWS
    # kept their coordinates in `extra`, copied here (a value outside -90…90 / -180…180 or the
    # placeholder 0,0 stays NULL); GDELT rows had none: importing the file again (--force) fills them in
    # (write.fill_coordinates), changing nothing else.
    11: "ALTER TABLE events ADD COLUMN lat REAL;"
        "ALTER TABLE events ADD COLUMN lon REAL;"
        "ALTER TABLE events ADD COLUMN actor1_lat REAL;"
        "ALTER TABLE events ADD COLUMN actor1_lon REAL;"
        "ALTER TABLE events ADD COLUMN actor2_lat REAL;"
        "ALTER TABLE events ADD COLUMN actor2_lon REAL;"
        "UPDATE events SET"
        " lat = CAST(json_extract(extra, CASE source WHEN 'acled' THEN '$.latitude' ELSE '$.Latitude' END) AS REAL),"
        " lon = CAST(json_extract(extra, CASE source WHEN 'acled' THEN '$.longitude' ELSE '$.Longitude' END) AS REAL)"
        " WHERE source IN ('acled', 'icews') AND extra IS NOT NULL AND json_valid(extra);"
        "UPDATE events SET lat = NULL, lon = NULL WHERE lat IS NOT NULL AND (lat NOT BETWEEN -90 AND 90"
        " OR lon IS NULL OR lon NOT BETWEEN -180 AND 180 OR (lat = 0 AND lon = 0));"
        "UPDATE events SET lon = NULL WHERE lat IS NULL AND lon IS NOT NULL;",
    # v13 (issue #18): saved views, a named filter set to come back to (queries/views.py): the page
    # ('timeline', …) and its URL query parameters as a JSON object, read again as a shared link is.
    12: "CREATE TABLE IF NOT EXISTS saved_views ("
        " id INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL UNIQUE,"
        " page TEXT NOT NULL,"
        " params TEXT NOT NULL,"
        " created_at TEXT NOT NULL);",
    # v14 (issue #17 item 2): the FTS vocabulary (term → articles) and the title keys stored, kept by triggers
    # and store.flush_fts, so variants and `similar` read their group instead of the whole index per process
    # (store.vocab). Stores already at v15 or later skipped this: open_store's vocab.ensure makes them there.
    13: vocab.migration(FTS_TOKENIZE),
    # v15 (issue #17): event_days, the events counted per pair, day, source and QuadClass, kept exact by
    # triggers on events; the timeline reads it for the filters it answers (store.rollups).
    14: rollups.MIGRATION,
    # v16 (issue #20, team server): who made each edit, pinned each note, saved each view and ran each
    # import (dashboard.app.auth: the signed-in user, or the local account for the CLI and a loopback server).
    15: "ALTER TABLE edits ADD COLUMN by TEXT;"
        "ALTER TABLE notes ADD COLUMN by TEXT;"
        "ALTER TABLE saved_views ADD COLUMN by TEXT;"
        "ALTER TABLE imports ADD COLUMN by TEXT;",
    # v17 (issue #17): the near-duplicate blocking keys, stored so that `duplicates` compares the articles
    # added since its last pass with the store (store.blocks).
    16: blocks.MIGRATION,
    # v18 (issue #17): store-wide answers (actor counts, totals, top pairs, sources) kept with the store
    # version they were computed at (store.version.memo keep=True): the next process reads them instead
    # of reading every event again. Derived data: `migrate` does not copy it.
    17: "CREATE TABLE IF NOT EXISTS summaries ("
        " name TEXT NOT NULL,"
        " args TEXT NOT NULL,"
        " version TEXT NOT NULL,"
        " value TEXT NOT NULL,"
        " PRIMARY KEY (name, args));",
}


def stream(db, sql: str, params=()):
    """A cursor over `sql` for rows read in batches (fetchmany) whatever their number: sqlite3's cursor
    steps through the result anyway; a PostgreSQL store (store.pgstore) fetches from a server-side cursor."""
    streaming = getattr(db, "stream", None)
    return streaming(sql, params) if streaming else db.execute(sql, params)


def last_import_id(db) -> int:
    """The id of the newest `imports` row (0 for none): sign_imports marks the rows written after it."""
    return db.execute("SELECT coalesce(max(id), 0) FROM imports").fetchone()[0]


def sign_imports(db, after_id: int, by: str) -> None:
    """Record who ran the imports written since `after_id` (schema v16), once the import is over: the
    importer itself does not know who runs it. A read-only store is left as it is."""
    if getattr(db, "readonly", False):
        return
    with db.conn:
        db.execute("UPDATE imports SET by = ? WHERE id > ? AND by IS NULL", [by, int(after_id)])


def migrate(db: sqlite_utils.Database, until: int = SCHEMA_VERSION) -> None:
    """Apply forward-only migrations until the store is at SCHEMA_VERSION (or at `until`: `migrate --upgrade`
    builds a work copy at an older PostgreSQL store's version, store.transfer.upgrade).

    Each step reads the version again after taking the write lock (BEGIN IMMEDIATE): several server
    processes opening an older store at once (`serve --workers`) would otherwise each apply the step
    they read before another one committed it ("duplicate column name", or the version set back)."""
    check_version(db)
    conn = db.conn
    while current_version(db) < until:
        with write_lock(conn):
            v = current_version(db)
            if v < until:
                for statement in _statements(MIGRATIONS[v]):
                    conn.execute(statement)
                conn.execute("DELETE FROM schema_version")
                conn.execute(f"INSERT INTO schema_version VALUES ({v + 1})")


def _statements(script: str) -> list[str]:
    """The statements of a migration script, each whole (a trigger's body holds ';' too): executescript,
    which runs a script at once, commits the transaction it finds open first."""
    found, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n\t;"):
                found.append(pending.strip())
            pending = ""
    if pending.strip(" \n\t;"):
        found.append(pending)   # not a whole statement: SQLite says what is wrong with it
    return found


_local = threading.local()


def thread_db(path: str | os.PathLike | None = None) -> sqlite_utils.Database:
    """A store connection owned by the calling thread, opened once per thread and path.

    Streamlit runs each session's script in its own thread: this keeps a sqlite3
    connection from ever crossing threads (see shared case C15).
    """
    key = _key(path)
    cache = getattr(_local, "dbs", None)
    if cache is None:
        cache = _local.dbs = {}
    db = cache.get(key)
    if db is None:
        db = cache[key] = open_store(key)
    return db


def _key(path) -> str:
    where = path or default_path()
    return where if is_url(where) else str(Path(where))


def forget_thread_db(path: str | os.PathLike | None = None) -> None:
    """Close and drop the calling thread's cached connection to `path` (after the file was replaced)."""
    key = _key(path)
    db = getattr(_local, "dbs", {}).pop(key, None)
    if db is not None:
        db.conn.close()


@contextlib.contextmanager
def defer_fts(db: sqlite_utils.Database):
    """Within this block, articles inserted on `db`'s connection are not indexed by the insert
    trigger but by flush_fts, in one statement. The caller must call flush_fts before it commits
    and before it updates or deletes an article inserted in the block (their triggers assume an
    indexed row).

    Why: FTS5 writes its pending terms to disk at every savepoint, and a trigger runs inside one,
    so indexing through the trigger makes a new index segment per article — twice the cost of
    the same rows in one INSERT … SELECT (BENCHMARKS.md: ≈ 300 vs 140 µs an article).
    """
    conn = db.conn
    _DEFERRED[id(conn)] = [conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]]
    try:
        yield
    finally:
        _DEFERRED.pop(id(conn), None)


def flush_fts(db: sqlite_utils.Database) -> None:
    """Index the articles inserted since defer_fts began (or since the last flush), then count the
    terms of what changed into the stored vocabulary (store.vocab.sync, also outside defer_fts).
    Call it inside the writer's transaction, before it commits."""
    state = _DEFERRED.get(id(db.conn))
    if state is not None:
        top = db.conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        if top > state[0]:
            db.conn.execute(f"INSERT INTO articles_fts(rowid, {', '.join(FTS_COLUMNS)}) SELECT id, {_fts_values()} "
                            "FROM articles WHERE id > ? ORDER BY id", [state[0]])
            if vocab.present(db.conn):
                db.conn.execute(f"INSERT INTO vocab_in({', '.join(FTS_COLUMNS)}) SELECT {_fts_values()} "
                                "FROM articles WHERE id > ? ORDER BY id", [state[0]])
            state[0] = top
    vocab.sync(db.conn)


def fts_in_sync(db: sqlite_utils.Database) -> bool:
    """True when the FTS index holds exactly one entry per article.

    FTS5's own 'integrity-check' re-tokenizes the unfolded content table and so
    reports folded rows (Łódź indexed as lodz) as corrupt; the docsize shadow
    table lists the rowids the index really holds.
    """
    missing = db.execute(
        "SELECT count(*) FROM articles a WHERE NOT EXISTS "
        "(SELECT 1 FROM articles_fts_docsize d WHERE d.id = a.id)").fetchone()[0]
    extra = db.execute(
        "SELECT count(*) FROM articles_fts_docsize d WHERE NOT EXISTS "
        "(SELECT 1 FROM articles a WHERE a.id = d.id)").fetchone()[0]
    return missing == 0 and extra == 0
