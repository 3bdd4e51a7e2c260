"""`python -m dashboard migrate`: copy a whole store between SQLite and PostgreSQL, verifiably.

Every table of the store (store.postgres.store_tables: all but FTS5's) is streamed in batches (constant
memory), and per table the rows read and the rows found in the target afterwards are counted and summed
into an order-independent checksum over a canonical text form of each row: the copy is verified by
reading the target back, not by trusting the writes. A failed or mismatching copy leaves the target as it
was: on PostgreSQL everything is one transaction, rolled back; a SQLite target is written to a temporary
file beside it, renamed over the target only once verified. The SQLite side goes through open_store, so a
SQLite target is a normal store at SCHEMA_VERSION, its FTS5 index built by the store's own fold().
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.store import (SCHEMA_VERSION, StoreError, flush_fts, defer_fts, fts_in_sync, new_store_at,
                             open_store)
from dashboard.store import postgres as pg
from dashboard.store.postgres import q

BATCH_ROWS = 2_000
COMMIT_ROWS = 100_000     # a SQLite target (a temporary file) commits this often: its journal stays small
_MASK = (1 << 128) - 1


def row_text(row) -> str:
    """The canonical text of a row: each value typed and length-prefixed, so that no two rows share it
    (floats as their exact hexadecimal form: both engines keep 8-byte doubles)."""
    parts = []
    for v in row:
        if v is None:
            parts.append("N")
        elif isinstance(v, bool):
            parts.append(f"I{int(v)}")
        elif isinstance(v, int):
            parts.append(f"I{v}")
        elif isinstance(v, float):
            parts.append(f"F{v.hex()}")
        elif isinstance(v, str):
            parts.append(f"S{len(v)}:{v}")
        else:   # a BLOB in SQLite, bytea never: a mismatch shows it
            b = bytes(v)
            parts.append(f"B{len(b)}:{b.hex()}")
    return "\x1f".join(parts)


@dataclass
class Tally:
    """Rows counted and their checksum: the sum of each row's sha256 (first 16 bytes) modulo 2^128."""
    rows: int = 0
    sum: int = 0

    def add(self, batch) -> None:
        for row in batch:
            digest = hashlib.sha256(row_text(row).encode("utf-8", "surrogatepass")).digest()
            self.sum = (self.sum + int.from_bytes(digest[:16], "big")) & _MASK
        self.rows += len(batch)

    @property
    def checksum(self) -> str:
        return f"{self.sum:032x}"


@dataclass
class Report:
    source: str
    target: str
    tables: list[tuple[str, Tally, Tally]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(s == t for _, s, t in self.tables)

    def lines(self) -> list[str]:
        head = ("table", "source rows", "target rows", "source checksum", "target checksum", "")
        rows = [head] + [(name, str(s.rows), str(t.rows), s.checksum[:16], t.checksum[:16], "ok" if s == t else "MISMATCH")
                         for name, s, t in self.tables]
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        out = [f"{self.source} → {self.target}"]
        out += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
                for r in rows]
        out += [f"note: {n}" for n in self.notes]
        if self.error:
            out.append(f"error: {self.error}; the target was left as it was")
        elif not self.ok:
            out.append("error: the copy does not match its source; the target was left as it was")
        else:
            out.append(f"ok: {sum(s.rows for _, s, _ in self.tables)} rows in {len(self.tables)} tables copied and verified")
        return out


class MigrateRefused(StoreError):
    """The target holds a store already (and --replace was not given), or the source cannot be read."""


def _columns(table) -> list[str]:
    return [c.name for c in table.columns]


# --- reading -------------------------------------------------------------------------------------

def _sqlite_batches(conn: sqlite3.Connection, table, batch: int):
    cols = ", ".join(q(c) for c in _columns(table))
    cur = conn.execute(f"SELECT {cols} FROM {q(table.name)}")
    while rows := cur.fetchmany(batch):
        yield rows


def _pg_batches(conn, table, batch: int):
    cols = ", ".join(q(c) for c in _columns(table))
    with conn.cursor(name=f"read_{table.name}") as cur:   # server-side: streamed, never the whole table
        cur.itersize = batch
        cur.execute(f"SELECT {cols} FROM {q(table.name)}")
        while rows := cur.fetchmany(batch):
            yield rows


# --- the two ends ----------------------------------------------------------------------------------

class _SQLiteEnd:
    def __init__(self, path: str, *, target: bool = False, replace: bool = False, version: int | None = None):
        self.path = Path(path)
        self.shown = str(path)
        if not target:
            if not self.path.exists():
                raise MigrateRefused(f"no store at {path}")
            self.db = open_store(self.path)
            self.conn = self.db.conn
            self.conn.execute("BEGIN")   # one snapshot: a writer elsewhere changes nothing we count
            return
        if self.path.exists() and self.path.stat().st_size and not replace and _sqlite_has_rows(self.path):
            raise MigrateRefused(f"{path} already holds a store with rows; give --replace to overwrite it")
        self.tmp = self.path.with_name(f".{self.path.name}.migrate-{os.getpid()}")
        _remove_store_files(self.tmp)
        # at `version`: the layout of an older store being upgraded (upgrade); else SCHEMA_VERSION
        self.db = open_store(self.tmp) if version is None else new_store_at(self.tmp, version)
        self.conn = self.db.conn
        # a temporary file: no journal to keep (a failure deletes it); WAL again before it becomes the store
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("PRAGMA foreign_keys = OFF")   # checked once, at the end (foreign_key_check)
        self.conn.execute("DELETE FROM schema_version")
        self.conn.commit()

    def batches(self, table, batch):
        return _sqlite_batches(self.conn, table, batch)

    def load(self, tables, source, batch: int) -> dict[str, Tally]:
        read: dict[str, Tally] = {}
        with defer_fts(self.db):
            for t in tables:
                tally = read[t.name] = Tally()
                cols = _columns(t)
                sql = f"INSERT INTO {q(t.name)} ({', '.join(q(c) for c in cols)}) VALUES ({', '.join('?' * len(cols))})"
                pending = 0
                self.conn.execute("BEGIN")
                for rows in source.batches(t, batch):
                    tally.add(rows)
                    self.conn.executemany(sql, rows)
                    pending += len(rows)
                    if pending >= COMMIT_ROWS:
                        flush_fts(self.db)
                        self.conn.execute("COMMIT")
                        self.conn.execute("BEGIN")
                        pending = 0
                flush_fts(self.db)
                self.conn.execute("COMMIT")
        broken = self.conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise StoreError(f"{len(broken)} rows point at rows that are not there (first: {tuple(broken[0])})")
        if not fts_in_sync(self.db):
            raise StoreError("the FTS5 index does not hold one entry per article")
        return read

    def commit(self) -> None:
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.close()   # the last connection's close checkpoints: the one file holds everything
        _remove_store_files(self.path, keep_main=True)   # a stale -wal must never be replayed onto the new file
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.close()
        if getattr(self, "tmp", None):
            _remove_store_files(self.tmp)

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass


def _sqlite_has_rows(path: Path) -> bool:
    db = open_store(path, readonly=True)
    try:
        names = set(db.table_names())
        return any(db.execute(f"SELECT EXISTS (SELECT 1 FROM {q(t.name)})").fetchone()[0]
                   for t in pg.store_tables() if t.name in names and t.name != "schema_version")
    finally:
        db.conn.close()


def _remove_store_files(path: Path, keep_main: bool = False) -> None:
    for suffix in ("-wal", "-shm", "-journal") + (() if keep_main else ("",)):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class _PostgresEnd:
    def __init__(self, url: str, *, target: bool = False, replace: bool = False, conn=None):
        self.shown = pg.shown_url(url)
        self.conn = conn or pg.connect(url)   # upgrade's own: its read, lock and write are one transaction
        self.notes: list[str] = []
        if not target:   # one snapshot of every table: a writer elsewhere changes nothing we count
            import psycopg
            self.conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            self.conn.read_only = True
        cur = self.conn.cursor()
        existing = pg.existing_rows(cur)
        if not target:
            missing = [t.name for t in pg.store_tables() if t.name not in existing]
            if missing:
                raise MigrateRefused(f"{self.shown} holds no store (missing tables: {', '.join(missing)})")
            cur.execute("SELECT max(version) FROM schema_version")
            version = cur.fetchone()[0]
            if version != SCHEMA_VERSION:
                raise MigrateRefused(f"{self.shown} holds a store at schema version {version}; this dashboard copies "
                                     f"version {SCHEMA_VERSION} only: bring it there first with `python -m dashboard migrate --upgrade URL`")
            return
        if any(v for name, v in existing.items() if name != "schema_version") and not replace:
            raise MigrateRefused(f"{self.shown} already holds a store with rows; give --replace to overwrite it")
        pg.drop_tables(cur)
        self.notes = pg.create_tables(cur)

    def batches(self, table, batch):
        return _pg_batches(self.conn, table, batch)

    def load(self, tables, source, batch: int) -> dict[str, Tally]:
        read: dict[str, Tally] = {}
        cur = self.conn.cursor()
        for t in tables:
            tally = read[t.name] = Tally()
            with cur.copy(f"COPY {q(t.name)} ({', '.join(q(c) for c in _columns(t))}) FROM STDIN") as copy:
                for rows in source.batches(t, batch):
                    tally.add(rows)
                    for row in rows:
                        copy.write_row(row)
        # the deferred foreign keys, checked now (and before the indexes: PostgreSQL builds none while
        # checks are pending)
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        pg.create_indexes(cur)
        return read

    def commit(self) -> None:
        self.conn.commit()
        self.conn.close()

    def abort(self) -> None:
        try:
            self.conn.rollback()
        finally:
            self.conn.close()

    def close(self) -> None:
        self.conn.close()


def _end(where: str, **kw):
    return _PostgresEnd(where, **kw) if pg.is_url(where) else _SQLiteEnd(where, **kw)


def migrate(source: str, target: str, *, replace: bool = False, batch: int = BATCH_ROWS) -> Report:
    """Copy every table of the store at `source` to `target` (each a SQLite path or a postgresql:// URL)
    and verify it. Raises MigrateRefused (nothing written) for a missing source or a target holding a
    store without `replace`; returns the Report, whose `ok` is False after a failure or a mismatch (the
    target then left as it was)."""
    if str(source) == str(target):
        raise MigrateRefused("--from and --to name the same store")
    src = _end(str(source))
    try:
        dst = _end(str(target), target=True, replace=replace)
    except BaseException:
        src.close()
        raise
    try:
        report = _copy(dst, src, pg.store_tables(), batch,
                       Report(src.shown, dst.shown, notes=list(getattr(dst, "notes", []))))
    finally:
        src.close()
    if report.ok:
        dst.commit()
    else:
        dst.abort()
    return report


# --- upgrading a PostgreSQL store in place -----------------------------------------------------------

@dataclass
class Upgrade:
    """What `migrate --upgrade` did: the store's version before, and the two verified copies (the store
    into a work copy at its own version, the migrated work copy back over the store)."""
    store: str
    version: int
    reports: list[Report] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        if not self.reports:   # nothing copied: fine only when there was nothing to do
            return self.version == SCHEMA_VERSION
        return all(r.ok for r in self.reports)

    def lines(self) -> list[str]:
        if self.version == SCHEMA_VERSION and not self.reports:
            return [f"{self.store} is at schema version {SCHEMA_VERSION} already: nothing to do"]
        out = []
        for r in self.reports:
            out += r.lines()
        if self.ok:
            out.append(f"ok: {self.store} upgraded from schema version {self.version} to {SCHEMA_VERSION}")
        else:
            out.append(f"error: {self.store} was left at schema version {self.version}, as it was")
        return out


def upgrade(url: str, *, workdir: str | None = None, batch: int = BATCH_ROWS) -> Upgrade:
    """Bring the PostgreSQL store at `url` from an older schema version to SCHEMA_VERSION, in place.

    The schema's history has one home, the SQLite migrations (store.MIGRATIONS), so the upgrade runs them:
    the store is read into a SQLite work copy built at the store's own version (verified by counts and
    checksums), the work copy is migrated, and copied back over the store's tables (verified again). All
    of it is one PostgreSQL transaction that first locks the store's tables against writes (pages keep
    reading until the copy back begins): an edit or note made by an old server meanwhile fails with an
    error instead of being lost between the read and the write, and a failure leaves the old store.
    The work copy lives in a temporary folder under `workdir` (default: the system's) and is deleted."""
    conn = pg.connect(url)
    shown = pg.shown_url(url)
    work = Path(tempfile.mkdtemp(prefix="relations-upgrade-", dir=workdir))
    try:
        cur = conn.cursor()
        cur.execute("SELECT to_regclass('schema_version')")
        if cur.fetchone()[0] is None:
            raise MigrateRefused(f"{shown} holds no store to upgrade")
        cur.execute("SELECT max(version) FROM schema_version")
        version = cur.fetchone()[0] or 0
        result = Upgrade(shown, version)
        if version > SCHEMA_VERSION:
            raise MigrateRefused(f"{shown} is at schema version {version}, newer than this dashboard "
                                 f"({SCHEMA_VERSION}): upgrade the dashboard instead")
        if version == SCHEMA_VERSION:
            return result
        copy = work / "store.db"
        dst = _SQLiteEnd(str(copy), target=True, version=version)
        tables = pg.tables_of(dst.conn)
        # SHARE mode: reads go on, writes wait (INSERT, UPDATE and DELETE take ROW EXCLUSIVE)
        cur.execute(f"LOCK TABLE {', '.join(q(t.name) for t in tables)} IN SHARE MODE")

        class _Store:   # the old store as a source of batches, in this transaction
            @staticmethod
            def batches(table, size):
                return _pg_batches(conn, table, size)

        read = _copy(dst, _Store, tables, batch, Report(f"{shown} (version {version})", "a work copy in SQLite"))
        result.reports.append(read)
        if not read.ok:
            dst.abort()
            conn.rollback()
            return result
        dst.commit()
        open_store(copy).conn.close()   # the migrations, MIGRATIONS[version:], on the work copy
        src = _SQLiteEnd(str(copy))
        try:
            back = _PostgresEnd(url, target=True, replace=True, conn=conn)
            report = _copy(back, src, pg.store_tables(), batch,
                           Report(f"the work copy (version {SCHEMA_VERSION})", shown, notes=back.notes))
        finally:
            src.close()
        result.reports.append(report)
        if report.ok:
            conn.commit()
        else:
            conn.rollback()
        return result
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
        shutil.rmtree(work, ignore_errors=True)


def _copy(dst, src, tables, batch: int, report: Report) -> Report:
    """Load `tables` from `src` into `dst` and read them back into `report` (not committed)."""
    try:
        read = dst.load(tables, src, batch)
        for t in tables:
            found = Tally()
            for rows in dst.batches(t, batch):
                found.add(rows)
            report.tables.append((t.name, read[t.name], found))
    except Exception as exc:
        report.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return report
