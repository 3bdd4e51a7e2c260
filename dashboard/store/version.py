"""The one answer to "has the store changed?", and the memo of store-wide aggregates keyed on it.

Every cache of the queries layer keys on `store_version`: the memo below (top pairs, actor
counts, store totals, sources), search.py's index vocabulary and similar.py's title index and
results. Each cache reads the parts it depends on (the vocabulary and the title index only
`store`, `articles` and `index`), so an event import does not throw away a second of vocabulary work.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from typing import NamedTuple

from dashboard.store.locks import write_lock


class StoreVersion(NamedTuple):
    """What the store holds, in a few index look-ups.

    store: the file path ('memory:<id>' for an in-memory store). articles: the largest article id
    (seen at once by the connection that inserts). index: FTS5's structure record (id 10 of
    articles_fts_data), whose leading cookie every flushed write to the index changes (a stub
    upgraded in place, a delete), where count(*) over articles costs ~7 ms at 100k and misses
    in-place upgrades. events, edits, links: the largest rowid of each table.
    """
    store: str
    articles: int | None
    index: bytes | None
    events: int | None
    edits: int | None
    links: int | None


_lock = threading.Lock()
# Connection id → (connection, its fingerprint, the version read then); a few connections per thread.
_BY_CONNECTION: dict[int, tuple[sqlite3.Connection, tuple[int, int], StoreVersion]] = {}


def store_version(db) -> StoreVersion:
    """The store's version: changes whenever an import, a re-extraction's new events, an analyst
    edit or new links change what the store holds.

    Cheap on every call: the table look-ups run again only when the connection's fingerprint
    moved — its own changes (total_changes) or another connection's commit (PRAGMA data_version,
    which reads no table). `db` is a sqlite_utils Database or a sqlite3 connection.
    A PostgreSQL store (store.pgstore) has no such fingerprint: its version is read each time (_pg_version)."""
    if getattr(db, "dialect", None) is not None:
        return _pg_version(db)
    conn = getattr(db, "conn", db)
    seen = (conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
    hit = _BY_CONNECTION.get(id(conn))
    if hit and hit[0] is conn and hit[1] == seen:
        return hit[2]
    version = _read_version(conn)
    with _lock:
        _BY_CONNECTION[id(conn)] = (conn, seen, version)
        if len(_BY_CONNECTION) > 64:
            _BY_CONNECTION.pop(next(iter(_BY_CONNECTION)))
    return version


def _read_version(conn: sqlite3.Connection) -> StoreVersion:
    path = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
    row = conn.execute("SELECT (SELECT max(id) FROM articles), (SELECT block FROM articles_fts_data WHERE id = 10), "
                       "(SELECT max(rowid) FROM events), "
                       "(SELECT max(id) FROM edits), (SELECT max(rowid) FROM article_links)").fetchone()
    return StoreVersion(path or f"memory:{id(conn)}", *row)


def _pg_version(db) -> StoreVersion:
    """A PostgreSQL store's version: the largest ids, and for `index` the cluster's WAL insert position,
    which every committed write anywhere in the cluster moves (an in-place upgrade of an article, a
    deleted link): caches are thrown away more often than needed, never kept too long."""
    row = db.execute("SELECT (SELECT max(id) FROM articles), pg_current_wal_insert_lsn()::text, "
                     "(SELECT max(id) FROM events), (SELECT max(id) FROM edits)").fetchone()
    return StoreVersion(db.shown, row[0], row[1].encode(), row[2], row[3], None)


_MEMO: dict = {}


def memo(db, name: str, args: tuple, compute, *, keep: bool = False):
    """compute() cached per store version: for store-wide aggregates that every page run would
    otherwise recompute (GROUP BY over all events or pairs). Returns compute()'s value.

    keep: also kept in the store's `summaries` table, so that the next process (a CLI call, a server
    start) reads the answer instead of computing it again: paid once per change of the store, not once
    per process. For answers of a few rows made of str, int, float, None, lists, tuples and dicts."""
    version = store_version(db)
    key = (version.store, name, args)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] == version:
        return hit[1]
    # kept on SQLite only: PostgreSQL's shared server answers these from its own caches
    keep = keep and isinstance(getattr(db, "conn", db), sqlite3.Connection)
    value = _kept(db, name, args, version) if keep else _MISSING
    if value is _MISSING:
        value = compute()
        if keep:
            _keep(db, name, args, version, value)
    with _lock:
        if len(_MEMO) > 256:
            _MEMO.clear()
        _MEMO[key] = (version, value)
    return value


_MISSING = object()


def _version_text(version: StoreVersion) -> str:
    """The version without the file's path: a copied or moved store keeps its summaries."""
    return json.dumps([version.articles, version.index.hex() if version.index else None,
                       version.events, version.edits, version.links])


def _pack(value):
    # JSON has no tuples: rows are tuples in our answers, and their callers compare them as tuples
    if isinstance(value, tuple):
        return {"tuple": [_pack(v) for v in value]}
    if isinstance(value, list):
        return [_pack(v) for v in value]
    if isinstance(value, dict):
        return {"dict": [[k, _pack(v)] for k, v in value.items()]}
    return value


def _unpack(value):
    if isinstance(value, list):
        return [_unpack(v) for v in value]
    if isinstance(value, dict):
        if "tuple" in value:
            return tuple(_unpack(v) for v in value["tuple"])
        return {k: _unpack(v) for k, v in value["dict"]}
    return value


def _kept(db, name: str, args: tuple, version: StoreVersion):
    conn = getattr(db, "conn", db)
    try:
        row = conn.execute("SELECT version, value FROM summaries WHERE name = ? AND args = ?",
                           [name, json.dumps(_pack(args))]).fetchone()
    except sqlite3.OperationalError:   # a store from before schema v18 opened read-only: no table
        return _MISSING
    if not row or row[0] != _version_text(version):
        return _MISSING
    return _unpack(json.loads(row[1]))


def _keep(db, name: str, args: tuple, version: StoreVersion, value) -> None:
    """Write the answer if the store can take it at once: a read-only store, a connection inside a
    transaction or a store another process is writing to keeps nothing (the page must not wait)."""
    conn = getattr(db, "conn", db)
    if getattr(db, "readonly", False) or conn.in_transaction:
        return
    try:
        with write_lock(conn, wait=False):
            conn.execute("INSERT OR REPLACE INTO summaries (name, args, version, value) VALUES (?, ?, ?, ?)",
                         [name, json.dumps(_pack(args)), _version_text(version), json.dumps(_pack(value))])
    except sqlite3.OperationalError:   # locked, read-only file, or no table
        pass
