"""A PostgreSQL store behind the interface the queries use on SQLite (issue #20): `--db postgresql://…`.

The queries layer calls `db.execute(sql, params)` with SQLite's `?` placeholders and reads rows as tuples
(fetchone, fetchall, fetchmany, iteration, description); writes go through `with db.conn:` blocks. PgStore
gives exactly that over one psycopg 3 connection (autocommit: a read holds no transaction open, so a
`migrate --replace` or another process is never blocked by an idle page; `with db.conn:` is one
transaction). Placeholders are rewritten once per SQL text; SQL that differs between the engines is not
rewritten here but written per engine in store.dialect. PostgreSQL's numeric (sum of integers, avg of
integers) comes back as int when whole, else float, as SQLite gives them.
"""
from __future__ import annotations

import functools
import itertools
import re
import threading
from decimal import Decimal

from dashboard.store import dialect
from dashboard.store import postgres as pg


@functools.lru_cache(maxsize=4096)
def placeholders(sql: str) -> str:
    """SQLite's SQL with `?` placeholders → psycopg's `%s` (a `%` escaped as `%%`); `?` inside a quoted
    string or identifier is left alone."""
    out, quote = [], None
    for c in sql:
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "?":
            out.append("%s")
            continue
        out.append("%%" if c == "%" else c)
    return "".join(out)


# The tables numbered by an identity column `id` (SQLite's rowid alias): an INSERT into one returns the new
# row's id, which `cursor.lastrowid` gives as sqlite3's does.
_INSERT = re.compile(r"\s*INSERT\s+INTO\s+\"?(\w+)", re.I)
ID_TABLES = frozenset({"articles", "events", "edits", "notes", "imports", "saved_views"})


class _Cursor:
    """A psycopg cursor with sqlite3's `lastrowid` (the id an INSERT … RETURNING id gave)."""

    def __init__(self, cur, lastrowid=None):
        self._cur, self.lastrowid = cur, lastrowid

    def __getattr__(self, name):
        return getattr(self._cur, name)

    def __iter__(self):
        return iter(self._cur)


def _numeric_loader():
    from psycopg.adapt import Loader

    class NumericLoader(Loader):
        def load(self, data):
            d = Decimal(bytes(data).decode())
            return int(d) if d == d.to_integral_value() else float(d)

    return NumericLoader


class _Transaction:
    """`db.conn` of a PgStore: `with db.conn:` is one transaction (committed, or rolled back on an error),
    as a sqlite3 connection's `with` block is; execute/executemany/close as on sqlite3."""

    def __init__(self, store: "PgStore"):
        self._store = store
        self._tx = []

    def __enter__(self):
        tx = self._store.raw.transaction()
        tx.__enter__()
        self._tx.append(tx)
        return self

    def __exit__(self, *exc):
        return self._tx.pop().__exit__(*exc)

    def execute(self, sql, params=()):
        return self._store.execute(sql, params)

    def executemany(self, sql, rows):
        with self._store.raw.cursor() as cur:
            cur.executemany(placeholders(sql), [list(r) for r in rows])

    def commit(self):   # autocommit: every statement outside a `with` block is committed already
        pass

    def close(self):
        self._store.close()


class PgStore:
    """A store in PostgreSQL, read and written through the queries layer (see the module docstring)."""

    dialect = dialect.POSTGRES
    # Imports (ingest) write through SQLite's FTS5, deferred indexing and BEGIN IMMEDIATE: in this version they
    # run on a SQLite store, copied here by migrate (the Import page and `import` say so).
    import_refused = ("imports run on a SQLite store in this version: import there, then copy it here with "
                      "`python -m dashboard migrate --replace`")

    def __init__(self, url: str, *, readonly: bool = False):
        self.url = url
        self.shown = pg.shown_url(url)
        self.raw = _take(url)
        self.conn = _Transaction(self)
        self.readonly = readonly

    def execute(self, sql: str, params=()):
        cur = self.raw.cursor()
        m = _INSERT.match(sql)
        if m and m.group(1).lower() in ID_TABLES and "RETURNING" not in sql.upper():
            cur.execute(placeholders(sql.rstrip().rstrip(";")) + " RETURNING id", list(params or ()))
            rows = cur.fetchall()
            return _Cursor(cur, rows[-1][0] if rows else None)
        cur.execute(placeholders(sql), list(params or ()))
        return cur

    def stream(self, sql: str, params=(), batch: int = 2000):
        """A cursor that fetches the rows in batches from the server (an export of the whole store stays in
        constant memory here): a named cursor WITH HOLD, which may outlive the statement's transaction."""
        cur = self.raw.cursor(name=f"stream_{next(_STREAMS)}", withhold=True)
        cur.itersize = batch
        cur.execute(placeholders(sql), list(params or ()))
        return cur

    def table_names(self) -> list[str]:
        return [r[0] for r in self.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")]

    def close(self) -> None:
        raw, self.raw = self.raw, None
        if raw is not None:
            _give_back(self.url, raw)

    def __del__(self):   # Streamlit's rerun threads drop their store (store.thread_db): its connection goes back
        try:
            self.close()
        except Exception:  # noqa: BLE001 — interpreter shutdown
            pass


# Idle connections kept per URL for the next PgStore. Streamlit runs every rerun on a new thread and
# store.thread_db opens a store per thread: without them each page run would connect again (a new server
# process, authentication, the numeric loader). A connection comes back only when it is idle (no
# transaction open or failed); at most POOL_IDLE are kept, the others are closed.
POOL_IDLE = 8
_idle: dict[str, list] = {}
_idle_lock = threading.Lock()


def _take(url: str):
    with _idle_lock:
        pool = _idle.get(url, [])
        while pool:
            raw = pool.pop()
            if not raw.closed:
                return raw
    raw = pg.connect(url)
    raw.autocommit = True
    raw.adapters.register_loader("numeric", _numeric_loader())
    return raw


def _give_back(url: str, raw) -> None:
    from psycopg.pq import TransactionStatus
    keep = not raw.closed and raw.info.transaction_status == TransactionStatus.IDLE
    if keep:
        try:
            raw.execute("CLOSE ALL")   # an export's stream cursor (WITH HOLD) left unread
        except Exception:  # noqa: BLE001 — a connection that cannot do this is not kept
            keep = False
    with _idle_lock:
        pool = _idle.setdefault(url, [])
        if keep and len(pool) < POOL_IDLE:
            pool.append(raw)
            return
    raw.close()


def close_idle() -> None:
    """Close every kept connection (tests, and a `migrate --replace` that wants no session on the store)."""
    with _idle_lock:
        conns = [raw for pool in _idle.values() for raw in pool]
        _idle.clear()
    for raw in conns:
        raw.close()


def open_pg_store(url: str, *, readonly: bool = False) -> PgStore:
    """Open the PostgreSQL store at `url` (made by `python -m dashboard migrate --to URL`). Raises
    StoreError when the database cannot be reached, holds no store, or holds another schema version."""
    from dashboard.store import SCHEMA_VERSION, StoreError
    db = PgStore(url, readonly=readonly)
    if url in _CHECKED:   # Streamlit opens a connection per rerun thread: check the store once per process
        return db
    try:
        if db.execute("SELECT to_regclass('schema_version')").fetchone()[0] is None:
            raise StoreError(f"{db.shown} holds no store: copy one there with "
                             f"`python -m dashboard migrate --from data/relations.db --to URL`")
        v = db.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
        if v != SCHEMA_VERSION:
            raise StoreError(f"{db.shown} holds a store at schema version {v}; this dashboard reads version "
                             f"{SCHEMA_VERSION}: upgrade it with `python -m dashboard migrate --upgrade URL`"
                             + (" (stop the dashboard's older processes first)" if v < SCHEMA_VERSION else ""))
        pg.ensure_derived(db.raw)
    except BaseException:
        db.close()
        raise
    _CHECKED.add(url)
    return db


_CHECKED: set[str] = set()
_STREAMS = itertools.count(1)   # URLs whose store was found at SCHEMA_VERSION by this process
