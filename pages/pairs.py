"""Pairs: who interacts with whom in the filtered data; one click opens a pair's Timeline."""
import streamlit as st

from dashboard.analysis.actors import actor_name
from dashboard.app import tables, ui
from dashboard.app.charts import pairs_figure
from dashboard.app.render import md_escape
from dashboard.knowledge.cameo import QUAD_NAMES
from dashboard.queries import pairs
from dashboard.queries.clauses import describe
from dashboard.queries.export import csv_bytes, export_filename

MATRIX_ACTORS = 15   # the most active actors drawn in the matrix; the table lists every pair

db = ui.db()
f = ui.current_filter()
st.title("Country pairs")
c = st.columns([3, 2, 2])
f = ui.event_options(db, c, f)
rows = pairs.pair_rows(db, f)
st.caption(md_escape(describe(f.with_(pair=None))) + " · the sidebar's pair is ignored here: every pair is listed.")
if not rows:
    st.info("No pair of actors has events or articles for these filters. Widen the dates or clear the keyword box.")
    ui.stop()


def open_timeline(pair_a: str, pair_b: str) -> None:
    """Show the pair's Timeline with the other filters kept: as a link to it (the sidebar's boxes are drawn
    already, so the pair reaches them through the URL, read as a shared link)."""
    st.switch_page("pages/timeline.py", query_params={**f.with_(pair=(pair_a, pair_b)).to_params()})


c[2].download_button("Download CSV", data=lambda: csv_bytes(pairs.pair_rows(ui.db(), f), pairs.PAIR_COLUMNS),
                     file_name=export_filename("pairs", f.slug()), mime="text/csv", on_click="ignore",
                     help=f"All {len(rows):,} pairs.")
actors = pairs.matrix_actors(rows, MATRIX_ACTORS)
if actors:
    st.subheader(f"The {len(actors)} most active actors", anchor=False)
    fig = pairs_figure(rows, actors)
    state = st.plotly_chart(fig, key="pairs_chart", on_select="rerun", selection_mode="points")
    st.caption("A dot per pair: its size the number of events, its colour their mean Goldstein "
               "(red conflict, blue cooperation). Click a dot to open that pair's timeline.")
    points = state.selection.points if state else []
    if points and points[0].get("customdata"):
        escaped = {ui.plain_label(code): code for code in actors}
        a, b = (escaped.get(x) for x in points[0]["customdata"][:2])
        if a and b:
            open_timeline(*sorted((a, b)))

st.subheader(f"Every pair ({len(rows):,})", anchor=False)
table = [{"pair": f"{r['pair_a']}–{r['pair_b']}", "names": f"{actor_name(r['pair_a'])} – {actor_name(r['pair_b'])}",
          "events": r["events"], **{QUAD_NAMES[q]: r[f"q{q}"] for q in (1, 2, 3, 4)},
          "mean Goldstein": r["mean_goldstein"], "articles": r["articles"]} for r in rows]
picked = st.dataframe(table, hide_index=True, width="stretch", height=tables.table_height(len(table), 420),
                      on_select="rerun",
                      selection_mode="single-row", key="pairs_table")
sel = picked.selection.rows if picked else []
if sel:
    r = rows[sel[0]]
    if st.button(f"Open timeline of {r['pair_a']}–{r['pair_b']}", key="pairs_open", type="primary"):
        open_timeline(r["pair_a"], r["pair_b"])
