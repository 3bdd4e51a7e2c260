"""Map: where the filtered events happen (events that carry coordinates: GDELT, ACLED, ICEWS, POLECAT)."""
import streamlit as st

from dashboard.app import tables, ui
from dashboard.app.charts import places_figure
from dashboard.app.render import md_escape
from dashboard.knowledge.cameo import QUAD_NAMES
from dashboard.queries import places
from dashboard.queries.clauses import describe
from dashboard.queries.export import csv_bytes, export_filename

db = ui.db()
f = ui.current_filter()
st.title("Map of events")
c = st.columns([3, 2, 2])
f = ui.event_options(db, c, f)
rows, total, without = places.place_rows(db, f)
st.caption(md_escape(describe(f)))
if not rows:
    st.info("No event with a location matches these filters. Events read from article text carry no "
            "coordinates; GDELT, ACLED, ICEWS and POLECAT imports do (see Import)."
            + (f" {without:,} matching events have no location." if without else ""))
    ui.stop()

c[2].download_button("Download CSV", data=lambda: csv_bytes(places.place_rows(ui.db(), f, limit=None)[0],
                                                            places.PLACE_COLUMNS),
                     file_name=export_filename("places", f.slug()), mime="text/csv", on_click="ignore",
                     help=f"All {total:,} places.")
shown = f"the {len(rows):,} busiest of {total:,} places" if total > len(rows) else f"{total:,} places"
st.plotly_chart(places_figure(rows), key="places_chart")
st.caption(f"A dot per place ({shown}; reports within 0.1° joined), its size the number of events, its colour "
           "their commonest QuadClass; longitude and latitude on a plain grid, no map tiles."
           + (f" {without:,} matching events have no location and are not drawn." if without else ""))

st.subheader(f"Places ({total:,})", anchor=False)
table = [{"place": r["place"], "events": r["events"], **{QUAD_NAMES[q]: r[f"q{q}"] for q in (1, 2, 3, 4)},
          "mean Goldstein": r["mean_goldstein"], "first day": r["first_day"], "last day": r["last_day"],
          "lat": r["lat"], "lon": r["lon"]} for r in rows]
st.dataframe(table, hide_index=True, width="stretch", height=tables.table_height(len(table), 420))
