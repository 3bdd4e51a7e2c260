"""Overview: what the store holds, the saved views, the most active pairs, the latest articles."""
import streamlit as st

from dashboard.queries import articles as art
from dashboard.queries import events as ev
from dashboard.queries import pairs as pairs_query
from dashboard.queries import timeline as tl
from dashboard.queries import totals
from dashboard.queries import views
from dashboard.app import auth, ui
from dashboard.app.charts import timeline_figure
from dashboard.app.render import md_escape

db = ui.db()
f = ui.current_filter()
st.title("Relations Dashboard")
counts = art.store_counts(db)
if counts["articles"] + counts["stubs"] + counts["events"] == 0:
    st.info("The store is empty. Import article pages, JSON Lines or CSV files with "
            "`python -m dashboard import PATH --db FILE`, then reload this page.")
    ui.stop()

c = st.columns(4)
c[0].metric("Articles", f"{counts['articles']:,}",
            help=f"plus {counts['stubs']:,} known only from 'Similar articles' teasers")
c[1].metric("Events", f"{counts['events']:,}")
c[2].metric("Actors", f"{len(art.actor_counts(db)):,}", help="countries and blocs named in articles or events")
c[3].metric("Links", f"{counts['links']:,}")
# the tiles count the whole store: with filters set, a reader took them for the filtered numbers
st.caption("The whole store, whatever the filters; the sections below follow the sidebar's filters.")

# the Pairs page's rows (events and articles ABOUT each pair, the sidebar's filters applied), so the two
# pages give one pair the same counts
pairs = pairs_query.pair_rows(db, f, limit=totals.OVERVIEW_TOP_PAIRS)
if not pairs:
    # A store of GDELT/ACLED/ICEWS events only: its pairs come from the events.
    pairs = [{"pair_a": a, "pair_b": b, "articles": 0, "events": n} for a, b, n in ev.top_pairs_by_events(db, totals.OVERVIEW_TOP_PAIRS)]

explorations = art.explorations(db) or [
    {"label": f"{p['pair_a']}–{p['pair_b']}: {p['events']:,} event{'' if p['events'] == 1 else 's'}",
     "page": "timeline", "params": {"pair": f"{p['pair_a']}-{p['pair_b']}"}} for p in pairs[:3]]
if explorations:
    st.subheader("Suggested explorations", anchor=False)
    cols = st.columns(3)
    for col, ex in zip(cols, explorations):
        col.page_link(f"pages/{ex['page']}.py", label=ex["label"], icon=":material/explore:",
                      query_params=ex["params"])

PAGE_TITLES = {"overview": "Overview", "timeline": "Timeline", "events": "Events", "pairs": "Pairs", "map": "Map",
               "articles": "Articles", "similar": "Similar", "import": "Import"}


def saved_views() -> None:
    """Each saved view as a link to its page with its URL (read there as any shared link), and a delete button.
    Names are the analyst's text: escaped for the link's Markdown."""
    st.subheader("Saved views", anchor=False)
    saved = views.list_views(db)
    if not saved:
        st.caption("No saved views yet: set filters, then 'Save this view' in the sidebar.")
        return
    for v in saved:
        link, when, delete = st.columns([5, 3, 1], vertical_alignment="center")
        link.page_link(f"pages/{v['page']}.py", label=md_escape(v["name"]), icon=":material/bookmark:",
                       query_params=v["params"])
        when.caption(md_escape(f"{PAGE_TITLES.get(v['page'], v['page'])} · saved {v['created_at'].replace('T', ' ')[:16]}"
                               + (f" by {v['by']}" if v["by"] else "")))
        locked = auth.why_not("delete_view")
        if delete.button("Delete", key=f"view_delete_{v['id']}", icon=":material/delete:",
                         disabled=getattr(db, "readonly", False) or bool(locked),
                         help=locked or "Delete this saved view (the data is not touched)") and auth.can("delete_view"):
            views.delete_view(db, v["id"])
            st.rerun()


saved_views()

if pairs:
    top = (pairs[0]["pair_a"], pairs[0]["pair_b"])
    period, rows = tl.timeline(db, f.with_(pair=top, query=""), "year")
    if any(r["events"] for r in rows):
        st.subheader(f"Timeline of the most active pair: {ui.pair_label(top)}", anchor=False)
        fig = timeline_figure(rows, period)
        fig.update_layout(height=260, showlegend=False, margin={"l": 30, "r": 30, "t": 10, "b": 20})
        st.plotly_chart(fig, key="overview_timeline")

left, right = st.columns(2)
with left:
    st.subheader("Most active pairs", anchor=False)
    if pairs:
        st.caption("Events between the two, and articles about the pair (as on the Pairs page).")
        st.dataframe([{"pair": f"{p['pair_a']}–{p['pair_b']}", "articles": p["articles"], "events": p["events"]}
                      for p in pairs], hide_index=True, width="stretch")
    else:
        st.caption("No article or event involves two actors yet.")
with right:
    st.subheader(anchor=False, body="Latest articles" + (f" · {ui.pair_label(f.pair)}" if f.pair else ""))
    latest = art.list_articles(db, f.with_(query=""), limit=8, order="date")
    for row in latest:
        # a feed item's stored UTC time beside the day it was published where it was published (as the list shows it)
        st.markdown(f"**{md_escape(row['title'])}**  \n{md_escape(ui.when(row['published_at'], row['published_date']))}"
                    f" · {md_escape(row['actors'] or '')}")
    if not latest:
        st.caption("No articles here yet: the store holds events only, or none match the filters. "
                   "Import article pages, JSON Lines or CSV files to read the coverage behind the events.")
