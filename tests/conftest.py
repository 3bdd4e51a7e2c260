"""Shared fixtures: stores built from the project's own fixtures, and the seed page when ../shared exists."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# pages/ holds st.navigation pages: keep AppTest from running them as v1 pages (see dashboard.app.launch).
# PagesManager is Streamlit's internal, not its API: a version without it needs no such switch.
try:
    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False
except ImportError:  # pragma: no cover
    pass

from dashboard.ingest import import_paths
from dashboard.store import open_store

ROOT = Path(__file__).resolve().parent.parent
# Stores that passed their check are remembered in a cache folder (store.checks_file): the tests' own, not
# the user's (CLI calls in subprocesses inherit it).
os.environ.setdefault("DASHBOARD_CACHE_DIR", tempfile.mkdtemp(prefix="dashboard-test-cache-"))
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "samples" / "000_98d85fc8d90fd5e9.txt"


@pytest.fixture
def db(tmp_path):
    """An empty store in a temporary file."""
    store = open_store(tmp_path / "store.db")
    yield store
    store.conn.close()


@pytest.fixture(scope="session")
def fixture_store_path(tmp_path_factory):
    """The store file with the project's page fixtures, JSONL and CSV imported, built once per test
    run. Tests only read it (as a path for the CLI or the app, or through fixture_store); a test
    that writes takes its own copy (fixture_db_path, fixture_db)."""
    path = tmp_path_factory.mktemp("fixture-shared") / "fixture.db"
    store = open_store(path)
    import_paths(store, [FIXTURES / "pages", FIXTURES / "articles.jsonl", FIXTURES / "articles.csv", FIXTURES / "xss.jsonl"])
    store.conn.close()      # the last connection's close checkpoints the WAL: the one file holds everything
    built = _content(path)
    yield path
    assert _content(path) == built, "a test changed the shared fixture store: give it fixture_db / fixture_db_path"


def _content(path: Path) -> list[str]:
    """What the store holds, as SQL, but for `summaries`: the store-wide answers that reading pages keep
    there (store.version.memo) are a cache, not content (a write may also still sit in the WAL)."""
    import sqlite3
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [line for line in conn.iterdump() if not line.startswith('INSERT INTO "summaries"')]
    finally:
        conn.close()


@pytest.fixture(scope="session")
def fixture_store(fixture_store_path):
    """The shared fixture store, opened read-only for the tests that only read it."""
    store = open_store(fixture_store_path, readonly=True)
    yield store
    store.conn.close()


@pytest.fixture
def fixture_db_path(fixture_store_path, tmp_path_factory) -> Path:
    """A private copy of the fixture store, for a test that writes to it (copying is far cheaper
    than importing the fixtures again)."""
    path = tmp_path_factory.mktemp("fixture") / "fixture.db"
    shutil.copyfile(fixture_store_path, path)
    return path


@pytest.fixture
def fixture_db(fixture_db_path):
    store = open_store(fixture_db_path)
    yield store
    store.conn.close()


@pytest.fixture
def seed_path() -> Path:
    """The real seed page from ../shared (the test is skipped when ../shared is absent)."""
    if not SEED.exists():
        pytest.skip("../shared/samples is not present")
    return SEED


@pytest.fixture
def seed_db_path(tmp_path, seed_path) -> Path:
    path = tmp_path / "seed.db"
    store = open_store(path)
    import_paths(store, [seed_path])
    store.conn.close()
    return path


@pytest.fixture(scope="session")
def pg_cluster():
    """A throw-away PostgreSQL cluster on a Unix socket (devtools.pgcluster), one per test run; skipped
    where psycopg or the server binaries are absent, or no cluster can be started here."""
    pytest.importorskip("psycopg", reason="psycopg 3 is not installed (the 'team' extra)")
    from devtools.pgcluster import Cluster, Unavailable
    try:
        cluster = Cluster()
    except Unavailable as exc:
        pytest.skip(f"no PostgreSQL cluster: {exc}")
    try:
        cluster.start()
    except Unavailable as exc:
        cluster.stop()
        pytest.skip(f"no PostgreSQL cluster: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster, request):
    """The URL of a new, empty database in the throw-away cluster, dropped after the test."""
    import re
    import psycopg
    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:50]
    with psycopg.connect(pg_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_cluster.url(name)
    with psycopg.connect(pg_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
