"""Similar: paste a title or a paragraph to find its article; more like an article; near-duplicate groups.

Every text shown comes from imported articles and goes through render.md_escape.
"""
import sqlite3

import streamlit as st

from dashboard.queries import articles as art
from dashboard.queries import similar
from dashboard.app import auth, ui
from dashboard.queries.export import csv_bytes
from dashboard.app.render import md_escape
from dashboard.store.version import store_version

AUTO_DUPLICATES_MAX = 5_000   # smaller stores get their near-duplicate groups computed on the fly (~1 s)
CHOICES = 200                 # articles of the current filter offered for "More like this"

db = ui.db()
f = ui.current_filter()


def open_article(article_id: int) -> None:
    """Show the article on the Articles page."""
    st.session_state["article"] = int(article_id)
    st.switch_page("pages/articles.py")


def show_results(rows: list[dict], key: str, empty: str) -> None:
    """One line per result: title, date, score, shared words, marks; an Open button. `empty` is
    said when there is no result."""
    if not rows:
        st.info(empty)
    for i, r in enumerate(rows):
        cols = st.columns([7, 1])
        marks = []
        if r.get("editorial"):
            marks.append("editors' link")
        if r.get("is_stub"):
            marks.append("teaser only")
        line = (f"**{md_escape(r['title'])}**  \n"
                f"{md_escape(r['published_at'] or 'no date')} · score **{r['score']:.0f}**")
        if r.get("shared_terms"):
            line += f" · shared: {md_escape(', '.join(r['shared_terms']))}"
        if marks:
            line += " · " + md_escape(" · ".join(marks))
        cols[0].markdown(line)
        if cols[1].button("Open", key=f"{key}-{i}-{r['id']}"):
            open_article(r["id"])


st.title("Similar articles")
st.caption("Scores run from 0 to 100. Spelling, case, punctuation, word order and transliteration "
           "(Lukashenka / Lukashenko) are forgiven.")
if art.article_total(db) == 0:
    st.info("The store has no articles yet: import some with `python -m dashboard import PATH`.")
    ui.stop()

# Lazy tabs: only the open tab's content runs. "More like this" needs the title index (about 2 s to
# build at 100,000 articles, once per store change) and the near-duplicate groups a pass over the
# store; a visit for a pasted text waits for neither.
find, more, dupes = st.tabs(["Find by text", "More like this", "Near-duplicates"], key="similar_tab",
                            on_change="rerun")

if find.open:
    with find:
        text = st.text_area("Paste a title or a paragraph", key="similar_text", max_chars=similar.LOOKUP_MAX_CHARS,
                            placeholder="e.g. Lukashenka trip to Rome, or a paragraph copied from an article")
        if text.strip():
            ui.url_add({"text": text[:ui.TEXT_PARAM_CHARS]})
            with st.spinner("Looking up …"):
                rows = similar.lookup(db, text, limit=10)
            show_results(rows, "lookup", "No article shares a word with this text.")

if more.open:
    with more:
        choices = art.list_articles(db, f, limit=CHOICES)
        if not choices:
            st.info("No articles match the current filters: widen them in the sidebar.")
        else:
            ids = [c["id"] for c in choices]
            labels = {c["id"]: f"{c['published_at'] or 'no date'} · {c['title']}" for c in choices}
            current = st.session_state.get("article")
            index = ids.index(int(current)) if current and str(current).isdigit() and int(current) in ids else 0
            chosen = st.selectbox(f"Article (the first {len(ids)} of the current filter)", ids, index=index,
                                  format_func=lambda i: labels[i][:140], key="similar_article")
            ui.url_add({"article": str(chosen)})   # a shared link opens the same "More like this"
            with st.spinner("Finding similar articles …"):
                rows = similar.more_like_this(db, chosen, limit=10)
            show_results(rows, "mlt", "No other article shares a distinctive word with this one.")

if dupes.open:
    with dupes:
        st.caption("Groups of republished or lightly edited copies (pair score ≥ 90). "
                   "`python -m dashboard duplicates` computes and stores them for large stores.")
        groups = similar.stored_near_duplicates(db)
        origin = "stored"
        n_articles = art.article_total(db)
        if not groups and n_articles <= AUTO_DUPLICATES_MAX:
            key = ("similar_dupes", store_version(db))
            if st.session_state.get("similar_dupes_key") != key:
                st.session_state["similar_dupes"] = similar.near_duplicates(db)
                st.session_state["similar_dupes_key"] = key
            groups, origin = st.session_state["similar_dupes"], "computed"
        locked = auth.why_not("duplicates")   # a store-wide write and minutes of CPU: an admin's
        if st.button("Find near-duplicates now and store them", key="dupes_store", disabled=bool(locked),
                     help=locked or "Compares the articles imported or changed since the last run with the store "
                          f"(the first run: all {n_articles}, about 20 s per 100,000) and stores the links.") \
                and auth.can("duplicates"):
            with st.spinner("Comparing articles …"):
                try:
                    groups, _ = similar.store_near_duplicates(db)
                    origin = "stored"
                except sqlite3.OperationalError:
                    groups, origin = similar.near_duplicates(db), "computed"
                    st.warning("The store is read-only: the groups are shown but not stored.")
        if not groups:
            st.info("No near-duplicate groups" + (" stored yet." if n_articles > AUTO_DUPLICATES_MAX else "."))
        else:
            rows = [d for g in groups for d in g]
            st.markdown(f"**{len(groups)}** groups · {len(rows)} articles · {origin}")
            st.download_button("Download CSV", data=csv_bytes(rows, similar.DUPLICATE_COLUMNS),
                               file_name="near_duplicates.csv", mime="text/csv", on_click="ignore")
            for g in groups[:50]:
                with st.container(border=True):
                    for d in g:
                        cols = st.columns([7, 1])
                        cols[0].markdown(f"{md_escape(d['title'])}  \n{md_escape(d['published_at'] or 'no date')}"
                                         f" · best pair score **{d['score']:.0f}**"
                                         + (" · teaser only" if d["is_stub"] else ""))
                        if cols[1].button("Open", key=f"dup-{d['group']}-{d['id']}"):
                            open_article(d["id"])
            if len(groups) > 50:
                st.caption(f"The first 50 of {len(groups)} groups are shown; the CSV has them all.")
