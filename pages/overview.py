"""Overview: what the store holds, the most active pairs, the latest articles."""
import streamlit as st

from dashboard import articles as art
from dashboard import ui
from dashboard.render import md_escape

db = ui.db()
f = ui.sidebar_filter()
st.title("Relations Dashboard")
counts = art.store_counts(db)
if counts["articles"] + counts["stubs"] == 0:
    st.info("The store is empty. Import article pages, JSON Lines or CSV files with "
            "`python -m dashboard import PATH --db FILE`, then reload this page.")
    st.stop()

c = st.columns(4)
c[0].metric("Articles", counts["articles"], help=f"plus {counts['stubs']} known only from 'Similar articles' teasers")
c[1].metric("Events", counts["events"])
c[2].metric("Actors", counts["actors"])
c[3].metric("Links", counts["links"])

left, right = st.columns(2)
with left:
    st.subheader("Most active pairs")
    pairs = art.top_pairs(db, limit=12, f=f)
    if pairs:
        st.dataframe([{"pair": f"{p['pair_a']}–{p['pair_b']}", "articles": p["articles"], "events": p["events"]}
                      for p in pairs], hide_index=True, width="stretch")
    else:
        st.caption("No article mentions two actors yet.")
with right:
    st.subheader("Latest articles" + (f" · {ui.pair_label(f.pair)}" if f.pair else ""))
    for row in art.list_articles(db, f.with_(query=""), limit=8, order="date"):
        st.markdown(f"**{md_escape(row['title'])}**  \n{md_escape(row['published_at'])} · {md_escape(row['actors'] or '')}")
