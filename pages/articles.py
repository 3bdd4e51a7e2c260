"""Articles: the filtered, paginated list; one article's full text; Download CSV of all filtered rows."""
import streamlit as st

from dashboard.queries import about
from dashboard.queries import articles as art
from dashboard.app import ui
from dashboard.analysis.actors import actor_name
from dashboard.queries.export import csv_bytes, export_filename
from dashboard.app.render import (MAX_SHOWN_PARTS, balance_marks, body_parts, marked_markdown,
                                  marked_paragraphs_markdown, md_escape, paragraphs_markdown, unmarked_len)
from dashboard.app.tables import ARTICLE_EVENT_TABLE, article_event_rows
from dashboard.queries import events as ev
from dashboard.store import dialect

db = ui.db()
f = ui.current_filter()


def _show_parts(key: str, n: int) -> None:
    st.session_state[key] = n


def show_body(a: dict, marked: str | None = None) -> None:
    """The body in parts of PART_CHARS characters: the first, one more per "Show more", up to
    MAX_SHOWN_PARTS on "Show all" (each part its own element: the browser's work grows linearly).
    `marked`: the body with the keyword query's matches marked (articles.article_matches), highlighted;
    either way every character of the text is escaped (render.md_escape), never read as Markdown or HTML."""
    parts = balance_marks(body_parts(marked)) if marked else body_parts(a["body"])
    key = f"body_parts_{a['id']}"
    shown = min(st.session_state.get(key, 1), len(parts), MAX_SHOWN_PARTS)
    for part in parts[:shown]:
        st.markdown(marked_paragraphs_markdown(part) if marked else paragraphs_markdown(part))
    if shown == len(parts):
        return
    st.caption(f"Showing {sum(map(unmarked_len, parts[:shown])):,} of {len(a['body']):,} characters.")
    cols = st.columns([1, 2, 2, 3])
    last = min(len(parts), MAX_SHOWN_PARTS)
    if shown < last:
        cols[0].button("Show more", key=f"more-{a['id']}", on_click=_show_parts, args=(key, shown + 1))
        cols[1].button("Show all" if last == len(parts) else f"Show {sum(map(unmarked_len, parts[:last])):,} characters",
                       key=f"all-{a['id']}", on_click=_show_parts, args=(key, last))
    # A callable: the text is encoded and sent only when the button is pressed, not on every rerun.
    cols[2].download_button("Download the full text", data=lambda: a["body"].encode("utf-8"), key=f"text-{a['id']}",
                            file_name=f"article-{a['id']}.txt", mime="text/plain", on_click="ignore")


def show_why(article_id: int) -> None:
    """Why the article matched the pair filter (with a pair), else the pairs it is about."""
    links = about.article_links(db, article_id, f.pair)
    if not f.pair:
        links = [x for x in links if x["about"]]
    for x in links:
        st.caption("Why this pair: " + md_escape(x["reasons"]))


def show_events(article_id: int) -> None:
    """The events read from the article: date at its precision, actors, CAMEO and QuadClass names."""
    events = ev.article_events(db, article_id)
    st.subheader(f"Events in this article ({len(events)})", anchor=False)
    if not events:
        st.caption("No event was extracted from this article.")
        return
    # st.dataframe shows every cell as text: nothing in an evidence sentence is read as Markdown or HTML.
    st.dataframe(article_event_rows(events), hide_index=True, key=f"article_events_{article_id}",
                 column_order=list(ARTICLE_EVENT_TABLE),
                 column_config={k: st.column_config.Column(label, help=help_)
                                for k, (label, help_) in ARTICLE_EVENT_TABLE.items()})


def show_article(article_id) -> None:
    a = art.get_article(db, article_id)
    if a is None:
        st.warning(f"No article with id {md_escape(str(article_id))}.")
        return
    if st.button("← Back to the list"):
        st.session_state["article"] = None
        st.rerun()
    matches = art.article_matches(db, a["id"], f)
    st.header(marked_markdown(matches["title"]) if matches and matches["title"] else md_escape(a["title"]),
              anchor=False)
    # Only the parts the article has, so a stub without a source reads "no date · known only from a teaser".
    st.caption(" · ".join(md_escape(part) for part in (
        ui.when(a["published_at"], a.get("published_date")), a["source"],
        "known only from a teaser" if a["is_stub"] else None, a.get("date_note")) if part))
    if a["actors"]:
        st.markdown("**Actors:** " + md_escape(", ".join(f"{code} ({actor_name(code)}) ×{n}" for code, n, _ in a["actors"])))
    if a["url"]:
        st.markdown(ui.link_markdown("Source page", a["url"]))
    show_why(a["id"])
    if matches:
        st.caption(f"Keywords highlighted · score {matches['score']:.2f} · matched: {md_escape(matches['matched_via'])}")
    elif f.query:
        st.caption("The keywords do not match this article.")
    show_body(a, matches["body"] if matches else None)
    show_events(a["id"])
    links = art.linked_articles(db, a["id"])
    if links:
        st.subheader("Linked articles", anchor=False)
        for n, link in enumerate(links):
            kind = {"editorial_similar": "editors' ‘Similar articles’", "near_duplicate": "near-duplicate"}.get(link["kind"], link["kind"])
            cols = st.columns([6, 1])
            cols[0].markdown(f"{md_escape(link['title'])}  \n{md_escape(link['published_at'])} · {kind}"
                             + (" · teaser only" if link["is_stub"] else ""))
            if cols[1].button("Open", key=f"link-{n}-{link['id']}-{link['kind']}"):
                st.session_state["article"] = link["id"]
                st.rerun()
    from dashboard.queries import similar
    from dashboard.store import StoreError
    with st.spinner("Finding similar articles …"):
        try:
            fuzzy = similar.more_like_this(db, a["id"], limit=10)
        except StoreError as exc:   # a store that cannot answer it (PostgreSQL in this version): say so, keep the article
            fuzzy = []
            st.caption(f"Similar articles: {exc.problem}")
    if fuzzy:
        st.subheader("Similar articles (fuzzy)", anchor=False)
        st.caption("Scores 0–100 from shared distinctive words and title likeness; "
                   "“editors' link” marks the articles the source itself listed as similar.")
        for i, r in enumerate(fuzzy):
            cols = st.columns([6, 1])
            cols[0].markdown(f"{md_escape(r['title'])}  \n{md_escape(r['published_at'] or 'no date')}"
                             f" · score **{r['score']:.0f}**"
                             + (f" · shared: {md_escape(', '.join(r['shared_terms']))}" if r["shared_terms"] else "")
                             + (" · editors' link" if r["editorial"] else "")
                             + (" · teaser only" if r["is_stub"] else ""))
            if cols[1].button("Open", key=f"fuzzy-{i}-{r['id']}"):
                st.session_state["article"] = r["id"]
                st.rerun()


if st.session_state.get("article"):
    ui.url_add({"article": str(st.session_state["article"])})
    show_article(st.session_state["article"])
    ui.stop()

st.title("Articles")
LANGUAGE_NAMES = {"": "all languages", "en": "English", "ru": "Russian", "other": "other languages"}
st.session_state.setdefault("articles_language", "")   # set here, not as index=: a shared link may have set it
language = st.selectbox("Language", list(LANGUAGE_NAMES), key="articles_language", format_func=LANGUAGE_NAMES.get,
                        help="The language detected in each article's text when it was imported.")
f = f.with_(language=language or None)
if language:
    ui.url_add({"language": language})
total = art.count_articles(db, f)
sel = art.select(db, f)
if f.query:
    st.caption(f"Query read as: {md_escape(sel.query.reading)}")
    for word, variants in sel.query.also_matched.items():
        st.caption(f"Also matched for {md_escape(word)}: {md_escape(', '.join(variants))}")
    for n in sel.query.notices:
        st.warning(n)

top = st.columns([3, 2, 2])
top[0].markdown(f"**{total:,}** articles · {ui.pair_label(f.pair)}"
                + (f" · {f.date_from or '…'} to {f.date_to or '…'}" if f.date_from or f.date_to else ""))
bom = top[2].toggle("Excel-friendly CSV (UTF-8 BOM)", value=True,
                    help="Off: plain UTF-8 without a byte-order mark.")
if total == 0:
    if f.query or f.pair or f.date_from or f.date_to or f.language:
        st.info("No articles match these filters. Clear the keyword box, widen the dates, pick another pair or language.")
    else:
        st.info("The store has no articles yet: import some with `python -m dashboard import PATH`.")
    ui.stop()

pages = (total + ui.PAGE_SIZE - 1) // ui.PAGE_SIZE
c = st.columns([2, 2, 4])
ORDER_NAMES = {"rank": f"best match ({dialect.of(ui.db()).ranking})", "salience": "most about the pair", "date": "newest first",
               "oldest": "oldest first"}
# Three widgets: "best match" exists only with a keyword, "most about the pair" only with a pair, and a
# radio must not lose its options.
order_key = "order_keyword" if sel.query.match else ("order_pair" if f.pair else "order_plain")
orders = list(ui.ORDER_OPTIONS[order_key])
order = c[0].radio("Order", orders, key=order_key, format_func=ORDER_NAMES.get)
# The order is part of the Filter (None: the screen's default, the first option): the list, its CSV, the
# page number and the URL all follow it.
f = f.with_(order=None if order == orders[0] else order)
if f.order:
    ui.url_add({"order": f.order})
# Streamlit runs this callable on another thread: ui.db() opens that thread's own connection.
top[1].download_button(
    "Download CSV", data=lambda: csv_bytes(art.iter_articles(ui.db(), f), art.EXPORT_COLUMNS, bom=bom),
    file_name=export_filename("articles", f.slug()), mime="text/csv",
    help=f"All {total:,} filtered articles in the order shown, with score, why each matched and its snippet.",
    on_click="ignore")
page = ui.page_number(c[1], "articles_page", pages, f)
rows = art.list_articles(db, f, limit=ui.PAGE_SIZE, offset=(page - 1) * ui.PAGE_SIZE)
for row in rows:
    with st.container(border=True):
        cols = st.columns([8, 1])
        cols[0].markdown(f"**{md_escape(row['title'])}**  \n"
                         f"{md_escape(ui.when(row['published_at'], row['published_date']))} · "
                         f"{md_escape(row['actors'] or 'no actors')}"
                         + (f" · {md_escape(row['language'])}" if row["language"] else "")
                         + (" · teaser only" if row["is_stub"] else ""))
        cols[0].markdown(marked_markdown(row["snippet"]))
        why = ([f"score {row['score']:.2f}"] if row["score"] is not None else []) + (
            [f"matched: {row['matched_via']}"] if row["matched_via"] else [])
        if why:
            cols[0].caption(md_escape(" · ".join(why)))
        if cols[1].button("Open", key=f"open-{row['id']}"):
            st.session_state["article"] = row["id"]
            st.rerun()
st.caption(f"Showing {len(rows)} of {total:,} (page {page} of {pages:,}).")
