"""Events: the filtered events table, CSV export, and analyst edits that survive re-extraction."""
import streamlit as st

from dashboard.queries import articles as art
from dashboard.queries import events as ev
from dashboard.app import auth, tables, ui
from dashboard.queries.export import csv_bytes, export_filename
from dashboard.app.render import clip, md_escape
from dashboard.store import StoreError

db = ui.db()
f = ui.current_filter()
st.title("Events")
c = st.columns([3, 3, 2])
sources = ui.source_choice(db, c[0], f)
quad = c[1].multiselect("QuadClass", [1, 2, 3, 4], key="quad", placeholder="all",
                        format_func=lambda q: {1: "1 verbal coop.", 2: "2 material coop.", 3: "3 verbal conflict", 4: "4 material conflict"}[q])
f = f.with_(sources=tuple(sources), quad=tuple(sorted(quad)))
ui.keep_event_options_in_url(f)
total = ev.count_events(db, f)
st.markdown(f"**{total:,}** events · {ui.pair_label(f.pair)}")
if total == 0:
    st.info("No events match these filters. Import GDELT/ACLED files or articles, or widen the filters.")
    ui.stop()
bom = c[2].toggle("Excel-friendly CSV (UTF-8 BOM)", value=True)
c[2].download_button("Download CSV", data=lambda: csv_bytes(ev.iter_events_and_notes(ui.db(), f), ev.EVENT_COLUMNS, bom=bom),
                     file_name=export_filename("events", f.slug()), mime="text/csv", on_click="ignore",
                     help=f"All {total:,} filtered events.")
pages = (total + 99) // 100
page = ui.page_number(st, "events_page", pages, f)
rows = ev.list_events(db, f, limit=100, offset=(page - 1) * 100)
table = tables.event_table_rows(rows, f, art.titles(db, [r["article_id"] for r in rows]))
config = {k: st.column_config.TextColumn(label, help=tip) for k, (label, tip) in tables.EVENT_TABLE.items()}
config.update({
    "id": st.column_config.NumberColumn("ID", help=tables.EVENT_TABLE["id"][1], format="%d", width="small"),
    "goldstein": st.column_config.NumberColumn("Goldstein", help=tables.EVENT_TABLE["goldstein"][1], format="%.1f", width="small"),
    "confidence": st.column_config.NumberColumn("Confidence", help=tables.EVENT_TABLE["confidence"][1], format="%.2f", width="small"),
    "event_type": st.column_config.TextColumn("Event type (CAMEO)", help=tables.EVENT_TABLE["event_type"][1], width="medium"),
    "evidence": st.column_config.TextColumn("Evidence", help=tables.EVENT_TABLE["evidence"][1], width="large"),
    "article": st.column_config.LinkColumn("Article", help=tables.EVENT_TABLE["article"][1], display_text="Open ↗"),
    "url": st.column_config.LinkColumn("Source page", help=tables.EVENT_TABLE["url"][1], display_text="source ↗"),
})
state = st.dataframe(table, hide_index=True, width="stretch", height=tables.table_height(len(table)),
                     column_config=config,
                     column_order=list(tables.EVENT_TABLE), on_select="rerun", selection_mode="single-row",
                     key="events_table")
st.caption("Select a row to read its evidence whole, open its article, or edit it.")
sel = state.selection.rows if state else []
if sel:
    e = rows[sel[0]]
    st.subheader(f"Event {e['id']}: {md_escape(tables.event_line(e))}", anchor=False)
    if e["evidence"]:
        # marked on its first 10,000 characters (a scrape artefact can be far longer; the CSV has it whole)
        st.markdown("> " + ui.evidence_markdown({**e, "evidence": clip(e["evidence"], 10_000)}))
    for w in tables.warnings(e):
        st.caption("⚠️ " + md_escape(w))
    if e["article_id"] and st.button("Open article", key=f"events-open-{e['id']}"):
        st.session_state["article"] = e["article_id"]
        st.switch_page("pages/articles.py")
    st.caption("Your edits override the extracted or imported values and survive re-import and re-extraction.")
    edits = ev.event_edits(db, e["id"])
    if edits:
        st.caption("Edits: " + md_escape("; ".join(
            f"{d['at'].replace('T', ' ')[:16]} {d['by'] or 'unknown'}: {d['field']} → {d['value'] or '(cleared)'}"
            for d in edits[-10:])))
    locked = auth.why_not("edit")   # edit widgets are an editor's: shown disabled, with the reason
    if locked:
        st.caption("🔒 " + md_escape(locked))
    with st.form(f"edit-{e['id']}"):
        cols = st.columns([1, 1, 1, 3])
        date = cols[0].text_input("Date (YYYY-MM-DD)", e["date"] or "", disabled=bool(locked))
        a1 = cols[1].text_input("Actor", e["actor1"] or "", disabled=bool(locked))
        a2 = cols[2].text_input("Target", e["actor2"] or "", disabled=bool(locked))
        codes = tables.cameo_choices()
        # A code the codebook does not know (an old import) stays choosable as it is.
        if e["cameo_code"] and e["cameo_code"] not in codes:
            codes = [e["cameo_code"], *codes]
        code = cols[3].selectbox("Event type (CAMEO)", [""] + codes, format_func=lambda c: tables.cameo_label(c) or "—",
                                 index=([""] + codes).index(e["cameo_code"] or ""),
                                 help="Type a word of the name (meet, sanction, protest) or the code.",
                                 disabled=bool(locked))
        note = st.text_input("Note", e["note"] or "", disabled=bool(locked))
        if st.form_submit_button("Save", disabled=bool(locked), help=locked) and auth.can("edit"):
            changes = {k: v for k, v, old in (("date", date, e["date"]), ("actor1", a1, e["actor1"]),
                                               ("actor2", a2, e["actor2"]), ("cameo_code", code, e["cameo_code"]),
                                               ("note", note, e["note"])) if (v or None) != (old or None)}
            try:
                if changes:
                    ev.edit_event(db, e["id"], changes, by=auth.by())
                st.success("Saved.")
                st.rerun()
            except (ValueError, StoreError) as exc:   # a bad value typed, or a read-only store
                st.error(md_escape(str(exc)))
