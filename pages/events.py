"""Events: the filtered events table, CSV export, and analyst edits that survive re-extraction."""
import streamlit as st

from dashboard.queries import events as ev
from dashboard.app import ui
from dashboard.queries.export import csv_bytes, export_filename
from dashboard.app.render import md_escape
from dashboard.store import StoreError

db = ui.db()
f = ui.current_filter()
st.title("Events")
c = st.columns([3, 3, 2])
sources = ui.source_choice(db, c[0], f)
quad = c[1].multiselect("QuadClass", [1, 2, 3, 4], key="quad", placeholder="all",
                        format_func=lambda q: {1: "1 verbal coop.", 2: "2 material coop.", 3: "3 verbal conflict", 4: "4 material conflict"}[q])
f = f.with_(sources=tuple(sources), quad=tuple(sorted(quad)))
total = ev.count_events(db, f)
st.markdown(f"**{total:,}** events · {ui.pair_label(f.pair)}")
if total == 0:
    st.info("No events match these filters. Import GDELT/ACLED files or articles, or widen the filters.")
    st.stop()
bom = c[2].toggle("Excel-friendly CSV (UTF-8 BOM)", value=True)
c[2].download_button("Download CSV", data=lambda: csv_bytes(ev.iter_events_and_notes(ui.db(), f), ev.EVENT_COLUMNS, bom=bom),
                     file_name=export_filename("events", f.slug()), mime="text/csv", on_click="ignore",
                     help=f"All {total:,} filtered events.")
pages = (total + 99) // 100
page = ui.page_number(st, "events_page", pages, f)
rows = ev.list_events(db, f, limit=100, offset=(page - 1) * 100)
shown = ["id", "date", "date_precision", "year_inferred", "actor1", "actor2", "cameo_code", "quad_class",
         "goldstein", "confidence", "source", "article_id", "other_reports", "warning", "note", "evidence"]
# Missing text shows as an empty cell, not the word None.
TEXT = {"date_precision", "actor1", "actor2", "cameo_code", "other_reports", "warning", "note", "evidence"}
state = st.dataframe([{k: ("" if r[k] is None and k in TEXT else r[k]) for k in shown} for r in rows],
                     hide_index=True, width="stretch", height=600,
                     on_select="rerun", selection_mode="single-row", key="events_table")
sel = state.selection.rows if state else []
if sel:
    e = rows[sel[0]]
    st.subheader(f"Edit event {e['id']}", anchor=False)
    st.caption("Your edits override the extracted or imported values and survive re-import and re-extraction.")
    with st.form(f"edit-{e['id']}"):
        cols = st.columns(4)
        date = cols[0].text_input("Date (YYYY-MM-DD)", e["date"] or "")
        a1 = cols[1].text_input("Actor 1", e["actor1"] or "")
        a2 = cols[2].text_input("Actor 2", e["actor2"] or "")
        code = cols[3].text_input("CAMEO code", e["cameo_code"] or "")
        note = st.text_input("Note", e["note"] or "")
        if st.form_submit_button("Save"):
            changes = {k: v for k, v, old in (("date", date, e["date"]), ("actor1", a1, e["actor1"]),
                                               ("actor2", a2, e["actor2"]), ("cameo_code", code, e["cameo_code"]),
                                               ("note", note, e["note"])) if (v or None) != (old or None)}
            try:
                if changes:
                    ev.edit_event(db, e["id"], changes)
                st.success("Saved.")
                st.rerun()
            except (ValueError, StoreError) as exc:   # a bad value typed, or a read-only store
                st.error(md_escape(str(exc)))
