"""Ordinary commands load neither pandas nor numpy nor plotly (issue #17): sqlite-utils would import
pandas and numpy at its own import, and similar.py's numpy is loaded at its first use."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

WRAPPER = ("import sys\nfrom dashboard.cli import main\n"
           "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
           "print('LOADED', sorted(m for m in ('pandas', 'numpy', 'plotly') if m in sys.modules), file=sys.stderr)")


@pytest.mark.parametrize("argv", [
    ["--help"],
    ["articles", "--pair", "BLR-RUS", "--query", "sanctions"],
    ["events", "--pair", "BLR-LTU"],
    ["timeline", "--pair", "BLR-LTU"],
    ["explain", "--pair", "BLR-LTU", "--first", "2021-01-01", "--last", "2021-12-31"],
])
def test_command_loads_no_pandas_numpy_or_plotly(fixture_store_path, argv):
    if argv != ["--help"]:
        argv = argv + ["--db", str(fixture_store_path)]
    r = subprocess.run([sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True, cwd=ROOT)
    assert "LOADED []" in r.stderr, r.stderr[-500:]


def test_numpy_still_loads_when_a_command_needs_it(fixture_store_path):
    code = WRAPPER.replace("print('LOADED'", "import numpy, pandas\nprint('LOADED'")
    r = subprocess.run([sys.executable, "-c", code, "similar", "--text", "Minsk and Vilnius", "--db",
                        str(fixture_store_path)], capture_output=True, text=True, cwd=ROOT)
    assert "LOADED ['numpy', 'pandas']" in r.stderr, r.stderr[-500:]


def test_the_server_loads_the_page_libraries_before_sessions_arrive():
    """The CLI leaves pandas and plotly alone; the server loads them before it takes sessions: plotly looks
    pandas up in sys.modules without importing it, and a chart drawn while another session's thread was
    half-way through `import pandas` failed (load test, 20 sessions, 8 errors)."""
    code = ("import sys; from dashboard.app.launch import warm_up; warm_up(); "
            "print(all(m in sys.modules for m in ('numpy', 'pandas', 'plotly.graph_objects')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "True", done.stderr[-500:]
