"""20 concurrent sessions of the real server over loopback, for a bounded time (benchmarks/load.py)."""
from __future__ import annotations

import importlib.util

from conftest import ROOT


def test_twenty_sessions_get_every_page_without_errors(fixture_db_path):
    spec = importlib.util.spec_from_file_location("load", ROOT / "benchmarks" / "load.py")
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)
    result = load.run(sessions=20, seconds=10, db=str(fixture_db_path))
    print(f"load test: {result}")
    assert result["errors"] == 0, result["error_samples"]
    assert result["page_loads"] >= 20
