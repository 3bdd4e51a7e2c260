"""Start Streamlit on streamlit_app.py with st.navigation in charge of pages/.

Streamlit treats a folder named pages/ beside the entry script as a v1
multipage app until the entry script first calls st.navigation; a first visit
to a deep link (/timeline?pair=BLR-RUS) would then run pages/timeline.py on its
own, without the entry script. Setting the flag before the server starts keeps
every run going through streamlit_app.py.
"""
from __future__ import annotations

import sys

# The browser tab's icon, drawn here: Streamlit turns an SVG string into a data: URL, where a
# ":material/…:" page icon is fetched from fonts.gstatic.com (broken offline, and a request that
# leaves the machine on every visit). A globe: outline, equator, two parallels, one meridian.
PAGE_ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#2166ac" '
             'stroke-width="1.8"><circle cx="12" cy="12" r="10"/><ellipse cx="12" cy="12" rx="4.5" ry="10"/>'
             '<path d="M2 12h20M4 7h16M4 17h16"/></svg>')


def warm_up() -> None:
    """Build the gazetteer (with its Russian forms and context rules) before the server takes sessions.

    Its tables are built once per process by functools.cache, which does not lock: when 20
    sessions arrive together, each session thread built its own copy at once under the GIL,
    and the first page of every session waited for all of them (load test p95 15 s)."""
    from dashboard.analysis import actors
    actors.mentions("Belarus")      # the gazetteer and its context rules (the article view's reasons)
    # The libraries the pages load on first use (the CLI does not need them: tests/test_lazy_imports.py),
    # loaded before sessions arrive: plotly looks pandas up in sys.modules without importing it, so a
    # session drawing a chart while another session's thread is half-way through `import pandas` met a
    # partially initialised module (load test, 20 sessions: "pandas has no attribute 'Series'").
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401


def main(argv: list[str]) -> int:
    """Run `streamlit run` with `argv` (the arguments after 'run'); returns its exit status."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    warm_up()
    sys.argv = ["streamlit", "run", *argv]
    try:
        cli.main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
