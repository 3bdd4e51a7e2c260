"""Start Streamlit on streamlit_app.py with st.navigation in charge of pages/.

Streamlit treats a folder named pages/ beside the entry script as a v1
multipage app until the entry script first calls st.navigation; a first visit
to a deep link (/timeline?pair=BLR-RUS) would then run pages/timeline.py on its
own, without the entry script. Setting the flag before the server starts keeps
every run going through streamlit_app.py.
"""
from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    """Run `streamlit run` with `argv` (the arguments after 'run'); returns its exit status."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", *argv]
    try:
        cli.main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
