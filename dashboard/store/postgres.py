"""The store's schema on PostgreSQL (issue #20), derived from the SQLite store's so that the two cannot drift.

Tables, columns, types, NOT NULL, defaults, primary keys, foreign keys and indexes are read from a fresh
SQLite store at SCHEMA_VERSION (PRAGMA table_info, foreign_key_list, index_list, index_xinfo): a migration
that adds a column to SQLite adds it here too. PostgreSQL adds what it has instead of FTS5: a stored
`tsvector` column `fts` on articles with a GIN index, and pg_trgm / unaccent when the cluster has contrib.
The queries read it through store.pgstore (`--db postgresql://…`), with the SQL that differs in store.dialect.

psycopg 3 (the `team` extra) is imported only here, and only when a PostgreSQL URL is used.
"""
from __future__ import annotations

import functools
import re
import sqlite3
from typing import NamedTuple

URL_PREFIXES = ("postgresql://", "postgres://")

# SQLite's declared types → PostgreSQL's (SQLite stores REAL as 8-byte IEEE doubles, INTEGER up to 64 bits).
_TYPES = {"INTEGER": "BIGINT", "REAL": "DOUBLE PRECISION", "TEXT": "TEXT"}
# SQLite default expressions → PostgreSQL's; an unknown one is an error, so a new default cannot slip through.
_DEFAULTS = {"strftime('%Y-%m-%dT%H:%M:%SZ', 'now')":
             "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"}
EXTENSIONS = ("pg_trgm", "unaccent")
# What PostgreSQL indexes for full-text search: title and its Russian dictionary forms weighted A, the body
# B, through the text search configuration `dashboard` (TS_CONFIG_SQL). queries use store.dialect.
TS_CONFIG = "dashboard"
FTS_COLUMN = ("fts tsvector GENERATED ALWAYS AS ("
              f"setweight(to_tsvector('{TS_CONFIG}', coalesce(title, '') || ' ' || coalesce(title_lemmas, '')), 'A') || "
              f"setweight(to_tsvector('{TS_CONFIG}', coalesce(body, '') || ' ' || coalesce(body_lemmas, '')), 'B')) STORED")
# FTS5 indexes every word (porter stems, no stop words) with diacritics removed: the nearest PostgreSQL has
# is English snowball stems without a stop word list, after unaccent (when the cluster has it).
_WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def ts_config_sql(unaccent: bool) -> list[str]:
    return [f"CREATE TEXT SEARCH DICTIONARY {TS_CONFIG}_stem (TEMPLATE = snowball, Language = english)",
            f"CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = english)",
            f"ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG} ALTER MAPPING FOR {_WORD_TOKENS} WITH "
            + ("unaccent, " if unaccent else "") + f"{TS_CONFIG}_stem"]


# event_days (store.rollups) on PostgreSQL: a view computing what SQLite's trigger-kept table holds, so the
# timeline's SQL is the same on both engines (a GROUP BY over the pair's events, served by events_pair_date).
EVENT_DAYS_VIEW = ("CREATE OR REPLACE VIEW event_days AS SELECT pair_a, pair_b, date, source, "
                   "coalesce(quad_class, 0) AS quad_class, count(*) AS events, "
                   "coalesce(sum(goldstein), 0.0) AS goldstein_sum, count(goldstein) AS goldstein_n FROM events "
                   "WHERE repeat_of IS NULL AND pair_a IS NOT NULL AND pair_b IS NOT NULL AND date IS NOT NULL "
                   "GROUP BY 1, 2, 3, 4, 5")


def ensure_derived(conn) -> None:
    """The event_days view, made when a store copied by an earlier version lacks it."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('event_days')")
        if cur.fetchone()[0] is None:
            cur.execute(EVENT_DAYS_VIEW)


def is_url(target: str) -> bool:
    return str(target).startswith(URL_PREFIXES)


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    url = re.sub(r"^(postgres(?:ql)?://[^:/@]*):[^@/]*@", r"\1:***@", url)
    # libpq also takes the password as a parameter: ?password=… or &password=…
    return re.sub(r"([?&]password=)[^&#]*", r"\1***", url, flags=re.IGNORECASE)


def connect(url: str):
    """A psycopg 3 connection (not autocommit: everything a migration writes is one transaction)."""
    from dashboard.store import StoreError
    try:
        import psycopg
    except ImportError:
        raise StoreError("PostgreSQL needs psycopg 3: pip install -e '.[team]' (or pip install 'psycopg[binary]')") from None
    try:
        return psycopg.connect(url)
    except psycopg.Error as exc:   # a wrong address, password or database: one line, the password not shown
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
        raise StoreError(f"cannot connect to {shown_url(url)}: {first}") from None


def q(name: str) -> str:
    """A quoted identifier (the store has columns named `by`, `date`, `text`: reserved or not, quote all)."""
    return '"' + name.replace('"', '""') + '"'


class Column(NamedTuple):
    name: str
    type: str          # the SQLite declared type
    notnull: bool
    default: str | None
    pk: int            # position in the primary key (0: not in it)


class Table(NamedTuple):
    name: str
    columns: tuple[Column, ...]
    foreign_keys: tuple[tuple[str, str, str, str], ...]   # (column, parent table, parent column, on delete)
    indexes: tuple[str, ...]                               # PostgreSQL CREATE INDEX statements


@functools.cache
def store_tables() -> tuple[Table, ...]:
    """The store's tables (not FTS5's), parents before the tables that point at them, read from a fresh
    SQLite store at SCHEMA_VERSION."""
    from dashboard.store import open_store
    db = open_store(":memory:")
    try:
        return tables_of(db.conn)
    finally:
        db.conn.close()


# Tables derived from others (store.rollups, store.vocab, store.blocks, memo's summaries): not copied; a SQLite
# target rebuilds them itself.
DERIVED_TABLES = ("event_days", "summaries", "vocab", "title_keys", "near_dup_keys", "near_dup_articles",
                  "near_dup_state")


def tables_of(conn: sqlite3.Connection) -> tuple[Table, ...]:
    """The store tables of the SQLite store on `conn` (at whatever version it is), parents first."""
    return tuple(_table(conn, name) for name in _ordered(conn))


def _ordered(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                        "ORDER BY rowid").fetchall()
    rows = [(n, sql) for n, sql in rows if n not in DERIVED_TABLES]
    virtual = [n for n, sql in rows if sql.upper().startswith("CREATE VIRTUAL")]
    names = [n for n, _ in rows if not any(n == v or n.startswith(v + "_") for v in virtual)]
    parents = {n: {r[2] for r in conn.execute(f"PRAGMA foreign_key_list({q(n)})")} - {n} for n in names}
    out: list[str] = []
    while len(out) < len(names):
        out += [n for n in names if n not in out and parents[n] <= set(out)]
    return out


def _table(conn: sqlite3.Connection, name: str) -> Table:
    cols = tuple(Column(r[1], (r[2] or "TEXT").upper(), bool(r[3]), r[4], r[5])
                 for r in conn.execute(f"PRAGMA table_info({q(name)})"))
    fks = tuple((r[3], r[2], r[4], r[6]) for r in conn.execute(f"PRAGMA foreign_key_list({q(name)})"))
    return Table(name, cols, fks, tuple(_indexes(conn, name)))


def _indexes(conn: sqlite3.Connection, table: str) -> list[str]:
    out = []
    for _, index, unique, origin, partial in conn.execute(f"PRAGMA index_list({q(table)})"):
        if origin == "pk":
            continue
        keys = [(r[2], r[3]) for r in conn.execute(f"PRAGMA index_xinfo({q(index)})") if r[5] and r[2]]
        where = ""
        if partial:
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [index]).fetchone()[0]
            where = " WHERE " + re.split(r"\bWHERE\b", sql, maxsplit=1, flags=re.I)[1].strip()
        name = index if not index.startswith("sqlite_autoindex_") else f"{table}_{'_'.join(k for k, _ in keys)}_key"
        cols = ", ".join(q(k) + (" DESC" if desc else "") for k, desc in keys)
        out.append(f"CREATE {'UNIQUE ' if unique else ''}INDEX {q(name)} ON {q(table)} ({cols}){where}")
    return out


def column_sql(c: Column, table: Table) -> str:
    pg_type = _TYPES.get(c.type)
    if pg_type is None:
        raise ValueError(f"{table.name}.{c.name}: no PostgreSQL type for SQLite's {c.type!r}")
    single_id = c.pk == 1 and c.type == "INTEGER" and sum(1 for x in table.columns if x.pk) == 1
    if single_id:   # SQLite's rowid alias: numbered by PostgreSQL too for rows added there
        return f"{q(c.name)} BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    out = f"{q(c.name)} {pg_type}"
    if c.notnull:
        out += " NOT NULL"
    if c.default is not None:
        default = c.default if re.fullmatch(r"-?\d+(\.\d+)?|'[^']*'", c.default) else _DEFAULTS.get(c.default)
        if default is None:
            raise ValueError(f"{table.name}.{c.name}: no PostgreSQL form of the default {c.default!r}")
        out += f" DEFAULT {default}"
    return out


def create_table_sql(t: Table) -> str:
    parts = [column_sql(c, t) for c in t.columns]
    pk = [c.name for c in sorted(t.columns, key=lambda c: c.pk) if c.pk]
    if len(pk) > 1:
        parts.append(f"PRIMARY KEY ({', '.join(q(k) for k in pk)})")
    for col, parent, parent_col, on_delete in t.foreign_keys:
        # checked at commit: a copy loads each table whole, and events.repeat_of may point at a later row
        action = f" ON DELETE {on_delete}" if on_delete and on_delete != "NO ACTION" else ""
        parts.append(f"FOREIGN KEY ({q(col)}) REFERENCES {q(parent)} ({q(parent_col)}){action} DEFERRABLE INITIALLY DEFERRED")
    if t.name == "articles":
        parts.append(FTS_COLUMN)
    return f"CREATE TABLE {q(t.name)} (\n    " + ",\n    ".join(parts) + "\n)"


def drop_tables(cur) -> None:
    for t in reversed(store_tables()):
        cur.execute(f"DROP TABLE IF EXISTS {q(t.name)} CASCADE")


def create_tables(cur) -> list[str]:
    """CREATE EXTENSION (each if the cluster has it) and the tables, without their secondary indexes
    (create_indexes, after a bulk load: building an index once is faster than keeping it up per row).
    Returns notes on what was skipped."""
    notes = []
    for ext in EXTENSIONS:
        try:
            with cur.connection.transaction():   # a savepoint: a missing extension must not abort the copy
                cur.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
        except Exception as exc:   # psycopg.Error; the cluster lacks contrib or the right to create it
            notes.append(f"extension {ext} not created ({str(exc).splitlines()[0]}); fuzzy variants / accent "
                         "folding on PostgreSQL need it (Debian: postgresql-contrib)")
    cur.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [TS_CONFIG])
    if cur.fetchone() is None:
        for sql in ts_config_sql(has_extension(cur, "unaccent")):
            cur.execute(sql)
    for t in store_tables():
        cur.execute(create_table_sql(t))
    cur.execute(EVENT_DAYS_VIEW)
    return notes


def has_extension(cur, name: str) -> bool:
    cur.execute("SELECT 1 FROM pg_extension WHERE extname = %s", [name])
    return cur.fetchone() is not None


def create_indexes(cur) -> None:
    for t in store_tables():
        for sql in t.indexes:
            cur.execute(sql)
        if any(c.pk == 1 and c.type == "INTEGER" for c in t.columns) and sum(1 for c in t.columns if c.pk) == 1:
            pk = next(c.name for c in t.columns if c.pk)
            # the identity continues after the copied ids
            cur.execute(f"SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max({q(pk)}), 0) + 1, false) "
                        f"FROM {q(t.name)}", [q(t.name), pk])
    cur.execute('CREATE INDEX "articles_fts_gin" ON "articles" USING gin (fts)')
    if has_extension(cur, "pg_trgm"):
        cur.execute('CREATE INDEX "articles_title_trgm" ON "articles" USING gin (title gin_trgm_ops)')


def existing_rows(cur) -> dict[str, int]:
    """The store's tables that exist in the database → whether they hold a row (1) or not (0)."""
    out = {}
    for t in store_tables():
        cur.execute("SELECT to_regclass(%s)", [q(t.name)])
        if cur.fetchone()[0] is not None:
            cur.execute(f"SELECT EXISTS (SELECT 1 FROM {q(t.name)})")
            out[t.name] = int(cur.fetchone()[0])
    return out
