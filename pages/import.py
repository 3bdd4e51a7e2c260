"""Import: upload article pages, tables, HTML pages, feeds or a .zip of them into the store.

Each upload goes through dashboard.app.uploads.import_uploads: copied in chunks to a temporary
file and imported by dashboard.ingest.import_file (the function the CLI uses per file), so the
report and the archive budget are the CLI's; their names are only labels. Text from files
reaches the screen only through st.dataframe, or as escaped Markdown (dashboard.app.render.md_escape).
"""
import streamlit as st

from dashboard.app import auth, ui, uploads
from dashboard.app.render import md_escape
from dashboard.queries.totals import keep_store_answers
from dashboard.store import READ_ONLY_PROBLEM, last_import_id, sign_imports

st.title("Import")
auth.require("import")   # an admin's page (navigation leaves it out for the others; a direct run stops here)
max_mb = uploads.max_upload_mb()
st.caption(
    "Article pages saved as text, JSON Lines, CSV/TSV tables, GDELT, ACLED (CSV or API JSON), ICEWS and POLECAT event files, "
    f"saved HTML pages, RSS and Atom feeds, or a .zip of such files — at most {max_mb} MB per file; a .zip: "
    f"{md_escape(uploads.archive_limit())}, archives inside it read one level deep. "
    "A file imported before (same content) is skipped; articles already in the store (same URL or text) "
    "are counted as duplicates.")

st.session_state.setdefault("import_round", 0)
files = st.file_uploader("Files to import", type=list(uploads.ACCEPTED_EXTENSIONS),
                         accept_multiple_files=True, key=f"import_files_{st.session_state['import_round']}")

read_only = ui.db().readonly or bool(getattr(ui.db(), "import_refused", None))
if read_only:
    st.warning(f"Import is off: {getattr(ui.db(), 'import_refused', None) or READ_ONLY_PROBLEM}.")
if st.button("Import", type="primary", disabled=not files or read_only, key="import_go"):
    bar = st.progress(0.0, text="Starting the import …")

    def progress(i: int, n: int, label: str) -> None:
        if i >= n:
            bar.progress(1.0, text="Finished")
        else:
            bar.progress(i / max(n, 1), text=f"File {i + 1} of {n}: {md_escape(label)}")

    before = last_import_id(ui.db())
    try:
        reports = uploads.import_uploads(ui.db(), list(files), max_bytes=max_mb * 1024 ** 2, progress=progress)
    finally:
        sign_imports(ui.db(), before, auth.by())
    bar.progress(1.0, text="Computing the store's totals for the pages …")
    keep_store_answers(ui.db())   # once now, not in the first page run of every analyst after this import
    bar.empty()
    # Queries are not cached; should a page ever cache one, this makes new data visible at once.
    st.cache_data.clear()
    st.session_state["import_result"] = (uploads.report_rows(reports), uploads.error_rows(reports),
                                         uploads.totals(reports))
    st.session_state["import_round"] += 1  # a fresh, empty uploader for the next batch
    st.rerun()

result = st.session_state.get("import_result")
if result:
    rows, errors, t = result
    summary = uploads.summary(t)
    if t["files_failed"] or t["failed"]:
        st.warning(summary)
    else:
        st.success(summary)
    st.subheader("Report per file")
    st.dataframe(rows, hide_index=True, width="stretch")
    if errors:
        st.subheader("Problems")
        st.dataframe(errors, hide_index=True, width="stretch")
elif not files:
    st.info("Choose one or more files, then press Import.")
