"""Relations Dashboard: the Streamlit entry point (`python -m dashboard serve`)."""
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

from dashboard.app import auth, ui
from dashboard.app.launch import PAGE_ICON

st.set_page_config(page_title="Relations Dashboard", page_icon=PAGE_ICON, layout="wide")
# Sign-in first (dashboard.app.auth): nobody without a role gets further than this.
user = None
with ui.guard():
    user = auth.gate()
if user is None:   # gate() failed: guard showed one line
    st.stop()

pages = [
    # The default page is served at "/" but reserves its own pathname without serving it: visiting that
    # pathname pops "Page not found". It reserves "start", and /overview (as links and bookmarks name the
    # page) is the same page under a hidden entry.
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", default=True, url_path="start"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/events.py", title="Events", icon=":material/table_rows:", url_path="events"),
    st.Page("pages/pairs.py", title="Pairs", icon=":material/grid_view:", url_path="pairs"),
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page("pages/articles.py", title="Articles", icon=":material/article:", url_path="articles"),
    st.Page("pages/similar.py", title="Similar", icon=":material/join_inner:", url_path="similar"),
    st.Page("pages/import.py", title="Import", icon=":material/upload_file:", url_path="import"),
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", url_path="overview", visibility="hidden"),
]
if not auth.can("import", user):   # Import is an admin's page: the others do not see it
    pages = [p for p in pages if p.url_path != "import"]
nav = st.navigation(pages)
st.session_state["_page"] = nav.url_path or "overview"   # the page a saved view opens (ui.save_view_box)
# Every page runs inside ui.guard: an error shows one line, never a traceback or a server path
# (the details go to the server log; .streamlit/config.toml hides what might still escape).
with ui.guard():
    ui.ensure_store()
    # The sidebar is drawn here, once per run for every page, so its widgets (and the URL) keep
    # their values when the analyst switches pages.
    st.session_state["filter"] = ui.sidebar_filter(url_now=False)
    auth.sidebar_badge(user)
    # The URL is written once, after the page added its own state (ui.url_add): one history entry per view.
    st.session_state["_url_at_end"] = True
    try:
        nav.run()
    except RerunException:   # st.rerun / st.switch_page: the next run writes it
        raise
    except StopException:    # ui.stop() wrote it (after st.stop(), a Streamlit call would stop again)
        raise
    except BaseException:    # an error ui.guard will show: the view drawn so far
        ui.write_url()
        raise
    else:
        ui.write_url()
    finally:
        st.session_state["_url_at_end"] = False
