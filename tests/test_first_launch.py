"""The README's first command: with no --db and no DASHBOARD_DB, the first page load builds the demo store."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

import dashboard.ingest.demo  # noqa: F401  (binds DEMO_CORPUS to the real data/demo before PROJECT_ROOT is patched)
import dashboard.store as store

from conftest import ROOT


def test_first_launch_builds_the_demo_store(monkeypatch, tmp_path):
    monkeypatch.delenv("DASHBOARD_DB", raising=False)
    monkeypatch.setattr(store, "PROJECT_ROOT", tmp_path)  # default store: tmp_path/data/relations.db
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "relations.db").write_bytes(b"")  # an empty file left by an earlier try
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    assert not at.exception
    assert int(at.metric[0].value) >= 60
    built = store.open_store(tmp_path / "data" / "relations.db")
    assert built.execute("SELECT count(*) FROM articles WHERE is_stub = 0").fetchone()[0] >= 60
