"""Shared fixtures: stores built from the project's own fixtures, and the seed page when ../shared exists."""
from __future__ import annotations

from pathlib import Path

import pytest

try:  # pages/ holds st.navigation pages: keep AppTest from running them as v1 pages (see dashboard.app.launch)
    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False
except ImportError:  # pragma: no cover
    pass

from dashboard.ingest import import_paths
from dashboard.store import open_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "samples" / "000_98d85fc8d90fd5e9.txt"


@pytest.fixture
def db(tmp_path):
    """An empty store in a temporary file."""
    store = open_store(tmp_path / "store.db")
    yield store
    store.conn.close()


@pytest.fixture
def fixture_db_path(tmp_path_factory) -> Path:
    """A store file with the project's page fixtures, JSONL and CSV imported."""
    path = tmp_path_factory.mktemp("fixture") / "fixture.db"
    store = open_store(path)
    import_paths(store, [FIXTURES / "pages", FIXTURES / "articles.jsonl", FIXTURES / "articles.csv", FIXTURES / "xss.jsonl"])
    store.conn.close()
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
