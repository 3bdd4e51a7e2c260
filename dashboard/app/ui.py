"""Streamlit glue shared by the pages: the store connection, the global sidebar
filters mirrored in the URL, and small rendering helpers. Pages stay thin:
widgets → one library query function → render.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3

import streamlit as st

from dashboard.queries import articles as art
from dashboard.queries import events as ev
from dashboard.analysis.actors import actor_name
from dashboard.queries.filters import Filter, parse_id, parse_typed_dates
from dashboard.store import READ_ONLY_PROBLEM, StoreError, StoreReadOnly, default_path, thread_db

log = logging.getLogger(__name__)

PAGE_SIZE = 25
FILTER_KEYS = ("pair", "from", "to", "q", "variants", "mentions")
# The Timeline's own options: its widgets hold them, the URL carries them while the Timeline is shown.
TIMELINE_KEYS = ("direction", "uncertain")
# Each page's own state in the URL while the page is shown (url_add): the Timeline's period, event sources,
# selected dates and the pair compared with (compare=BLR-EU), the Events page's QuadClass, the page number of a list, the Similar page's pasted text, the
# Articles page's order and language.
PAGE_KEYS = ("period", "source", "quad", "sel", "compare", "page", "text", "order", "language")
URL_KEYS = FILTER_KEYS + TIMELINE_KEYS + PAGE_KEYS + ("article",)
TEXT_PARAM_CHARS = 2_000   # of the Similar page's text carried in the URL (browsers cut long URLs)
# Widget keys whose values outlive the page that draws them: the sidebar's filters and each page's own
# options. Streamlit drops a widget's state when a run does not draw it, and st.switch_page ("Open
# article") drops every widget's state; a value written through st.session_state is kept, so
# keep_state() writes each back at the start of every run.
KEPT_KEYS = ("actor_a", "actor_b", "dates", "q", "variants", "any_mention",
             "tl_period", "tl_direction", "tl_uncertain", "tl_compare", "tl_tone", "tl_selection", "tl_explain", "tl_compare_pair",
             "sources", "quad",
             "order_keyword", "order_pair", "order_plain", "articles_page", "events_page", "similar_text",
             "articles_language")


def store_path() -> str:
    """The store the app serves: $DASHBOARD_DB, else data/relations.db."""
    return str(default_path())


def db():
    """This thread's connection to the store (never shared across Streamlit threads; case C15)."""
    return thread_db(store_path())


@contextlib.contextmanager
def guard():
    """Run a page (or the entry script) so that no error reaches the browser as a traceback or
    a server path: a store that cannot be used, a database error or any other exception shows
    one line, and the details go to the server log. st.stop() and st.rerun() pass through
    (they are BaseExceptions)."""
    try:
        yield
    except StoreReadOnly as exc:
        st.warning(f"Not saved: {exc.problem}.")
    except StoreError as exc:
        log.warning("store refused: %s", exc)
        st.error(f"The store cannot be used: {exc.problem}")
    except sqlite3.DatabaseError as exc:
        log.exception("database error while drawing a page")
        if "readonly" in str(exc):
            st.warning(f"Not saved: {READ_ONLY_PROBLEM}.")
        else:
            from dashboard.app.render import md_escape  # SQLite may quote the typed query
            st.error("The store could not be read (SQLite: " + md_escape(" ".join(str(exc).split())[:120]) + "). "
                     "If this persists, check it with `sqlite3 STORE 'PRAGMA integrity_check'`; "
                     "details are in the server log.")
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):   # a PostgreSQL store (store.pgstore) refused or went away
            log.exception("PostgreSQL error while drawing a page")
            from dashboard.app.render import md_escape
            st.error("The store could not be read (PostgreSQL: " + md_escape(type(exc).__name__) + "). "
                     "If this persists, check that the database server is up; details are in the server log.")
            return
        log.exception("unexpected error while drawing a page")
        st.error("Something went wrong while drawing this page; the details are in the server log. "
                 "Change the filters or reload the page.")


def ensure_store() -> None:
    """Build the demo store on first launch when the default store (no DASHBOARD_DB / --db given)
    is missing or holds no articles, with a progress bar."""
    from dashboard.ingest.demo import build_demo_store, needs_demo
    path = store_path()
    if os.environ.get("DASHBOARD_DB") or not needs_demo(path):
        return
    # This thread's connection may point at the empty file that is about to be replaced.
    from dashboard.store import forget_thread_db
    forget_thread_db(path)
    bar = st.progress(0.0, text="Building the demo store from data/demo …")
    def progress(i, n, name):
        bar.progress(min(1.0, i / max(n, 1)), text=f"Building the demo store: file {min(i + 1, n)} of {n}")
    build_demo_store(path, progress=progress)
    bar.empty()


def keep_state() -> None:
    """Write every KEPT_KEYS value back into st.session_state, so that no navigation (a page switch,
    "Open article", "Back to the list") resets a filter or a page's own options."""
    for key in KEPT_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def page_number(container, key: str, pages: int, f: Filter) -> int:
    """A page-number box (1 … pages) whose value is kept across navigation for the same Filter `f`,
    and starts at 1 again when the filter changes (the old page may not exist any more)."""
    asked = st.session_state.get(key, 1)
    last = st.session_state.get(f"_{key}_filter")   # None: first drawn, or a link just set the page
    if last is None and asked > max(pages, 1):
        # a link's page past the end: said, not silently replaced
        container.caption(f"Page {asked:,} of the link is past the last page ({max(pages, 1):,}): showing page 1.")
    if pages <= 1:
        return 1
    if (last is not None and last != f) or not 1 <= asked <= pages:
        st.session_state[key] = 1
    st.session_state[f"_{key}_filter"] = f
    page = int(container.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key=key))
    if page > 1:
        url_add({"page": str(page)})
    return page


def _actor_label(code: str, counts: dict[str, int]) -> str:
    if not code:
        return "— any —"
    return f"{code} · {actor_name(code)} ({counts.get(code, 0):,})"


def _init_from_url() -> list[str]:
    """Copy URL query parameters into the sidebar widgets' state when the URL carries
    filters that this session did not write itself (a shared link, a suggested
    exploration). A URL without filters (after a page switch) keeps the session's."""
    current = {k: st.query_params.get(k) for k in URL_KEYS if st.query_params.get(k)}
    if not current or current == st.session_state.get("_url_params"):
        return []
    st.session_state["_url_params"] = current
    f, notices = Filter.from_params(current)
    notices += _init_page_state(current, f)
    st.session_state["actor_a"] = f.pair[0] if f.pair else ""
    st.session_state["actor_b"] = f.pair[1] if f.pair else ""
    st.session_state["q"] = f.query
    st.session_state["variants"] = f.variants
    st.session_state["any_mention"] = f.any_mention
    st.session_state["dates"] = tuple(dt.date.fromisoformat(d) for d in _both_ends(f.date_from, f.date_to) if d)
    _forget_typing_error()
    st.session_state["tl_direction"] = f.direction or "both"   # the Timeline radio's value for None
    st.session_state["tl_uncertain"] = not f.hide_uncertain
    st.session_state["article"] = None
    if current.get("article"):
        try:
            st.session_state["article"] = parse_id(current["article"])
        except ValueError as exc:
            notices.append(f"Ignored article: {exc}.")
    return notices


def _init_page_state(params: dict, f: Filter) -> list[str]:
    """The pages' own state from a link's PAGE_KEYS (absent keys: the defaults); notices for values ignored."""
    from dashboard.queries.filters import _shown, parse_day
    from dashboard.queries.timeline import PERIODS
    notices = []
    period = params.get("period", "auto")
    if period not in ("auto", *PERIODS):
        notices.append(f"Ignored period={_shown(period)}: use one of auto, {', '.join(PERIODS)}.")
        period = "auto"
    st.session_state["tl_period"] = period
    st.session_state["sources"] = list(f.sources)
    st.session_state["quad"] = list(f.quad)
    st.session_state["tl_selection"] = None
    if params.get("sel"):
        try:
            lo, _, hi = params["sel"].partition("..")
            lo, hi = parse_day(lo), parse_day(hi or lo)
            if not lo or not hi or lo > hi:
                raise ValueError("give the first and last day, e.g. 2009-06-01..2009-06-30")
            st.session_state["tl_selection"] = (lo, hi)
        except ValueError as exc:
            notices.append(f"Ignored sel={_shown(params['sel'])}: {exc}.")
    st.session_state["tl_compare_pair"] = ""
    if params.get("compare"):
        from dashboard.queries.filters import parse_pair
        try:
            other = parse_pair(params["compare"])
        except ValueError:
            notices.append(f"Ignored compare={_shown(params['compare'])}: a pair is two different actor codes "
                           "like BLR-EU.")
        else:
            unknown = [c for c in other if c not in art.actor_counts(db())]
            if other == f.pair:
                notices.append(f"Ignored compare={_shown(params['compare'])}: that is the pair already shown.")
            elif unknown:
                notices.append(f"Ignored compare={_shown(params['compare'])}: no article or event involves "
                               f"{' or '.join(unknown)}.")
            else:
                st.session_state["tl_compare_pair"] = f"{other[0]}-{other[1]}"
    page = 1
    if params.get("page"):
        try:
            page = parse_id(params["page"], "page")
        except ValueError:
            notices.append(f"Ignored page={_shown(params['page'])}: a page is a whole number from 1.")
    for key in ("articles_page", "events_page"):
        st.session_state[key] = page
        st.session_state.pop(f"_{key}_filter", None)   # the link's page holds for the link's filter
    st.session_state["similar_text"] = (params.get("text") or "")[:TEXT_PARAM_CHARS]
    # The Articles page's order radios (one per kind of list): the link's order where the list offers it.
    for key, options in ORDER_OPTIONS.items():
        st.session_state[key] = f.order if f.order in options else options[0]
    st.session_state["articles_language"] = f.language or ""
    st.session_state.pop("_tl_picked", None)
    st.session_state.pop("_tl_sel_for", None)
    return notices


# The Articles page's order radio of each kind of list (with a keyword, with a pair, neither): its options,
# the first being the screen's default (Filter.order None).
ORDER_OPTIONS = {"order_keyword": ("rank", "date", "oldest"), "order_pair": ("salience", "date", "oldest"),
                 "order_plain": ("date", "oldest")}


def url_add(params: dict[str, str]) -> None:
    """Add a page's own state to the URL this run writes (write_url), e.g. {"page": "3"}; at once when the
    page runs on its own (streamlit_app.py, which writes it after the page, did not start this run)."""
    st.session_state.setdefault("_url_out", {}).update(params)
    if not st.session_state.get("_url_at_end"):
        write_url()


def write_url() -> None:
    """Write the URL once at the end of a run: the sidebar's filters, the open article and the page's own
    state (url_add). One write per run, so the browser's history gets one entry per view and Back and
    Forward step through views (the browser's Back reruns the app with that URL, which _init_from_url reads)."""
    params = st.session_state.get("_url_out", {})
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
    st.session_state["_url_params"] = {k: v for k, v in params.items() if k in URL_KEYS}
    if "_save_view" in st.session_state:   # asked in this run (save_view_box): the URL is now whole
        _save_pending_view(params)


def current_page() -> str:
    """The url_path of the page this run shows ('overview' for the default page), for saved views:
    streamlit_app.py's st.navigation says it; a page run on its own (AppTest's switch_page) is named by
    its script's file."""
    if st.session_state.get("_url_at_end"):
        return st.session_state.get("_page") or "overview"
    from pathlib import Path
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx()
    try:
        info = ctx.pages_manager.get_pages().get(ctx.page_script_hash) or {}
        return Path(str(info.get("script_path") or "")).stem or "overview"
    except AttributeError:
        return "overview"


def save_view_box(sb) -> None:
    """The sidebar's "Save this view" expander: a name and a Save button. The view (this page and its URL)
    is saved when the run has written its URL (write_url), so the page's own state (period, selection,
    page number …) is in it."""
    with sb.expander("Save this view", icon=":material/bookmark_add:"):
        st.text_input("Name", key="view_name", max_chars=80, placeholder="e.g. BLR–RUS sanctions 2020",
                      help="This page with its filters, stored in the store; the Overview lists saved views. "
                           "Saving a name that exists replaces that view.")
        from dashboard.app import auth
        readonly = getattr(db(), "readonly", False)
        locked = auth.why_not("save_view")   # an editor's (dashboard.app.auth)
        clicked = st.button("Save", key="view_save", icon=":material/bookmark:", disabled=readonly or bool(locked),
                            help="Off: the store is read-only." if readonly else locked)
        st.session_state["_view_msg"] = st.empty()
    if clicked and not locked:
        st.session_state["_save_view"] = st.session_state.get("view_name") or ""


def _save_pending_view(params: dict[str, str]) -> None:
    """Save the view asked for in this run (save_view_box) with the URL written, and say how it went."""
    from dashboard.app.render import md_escape
    from dashboard.queries import views
    name = st.session_state.pop("_save_view", "")
    slot = st.session_state.pop("_view_msg", None) or st.sidebar
    saved = {k: v for k, v in params.items() if k in URL_KEYS}
    try:
        from dashboard.app import auth
        _, replaced = views.save_view(db(), name, current_page(), saved, by=auth.by())
    except StoreReadOnly as exc:
        slot.warning(f"Not saved: {exc.problem}.")
    except ValueError as exc:
        slot.warning(f"Not saved: {md_escape(str(exc))}.")
    else:
        shown = md_escape(views.clean_name(name))
        slot.success(f"{'Replaced' if replaced else 'Saved'} the view “{shown}”: the Overview lists it.")


def stop() -> None:
    """st.stop() for a page: the URL is written first (after st.stop() has been asked, any Streamlit call
    stops the run, so write_url at the run's end would not reach the browser)."""
    write_url()
    st.stop()


def date_range(value) -> tuple[str | None, str | None, str | None]:
    """Read a date_input range value: (from, to, hint). A 1-tuple while picking means
    start = end (case C16); an empty tuple or None means no date filter."""
    if value is None or value == ():
        return None, None, None
    if isinstance(value, dt.date):
        value = (value,)
    if len(value) == 1:
        d = value[0].isoformat()
        return d, d, "Pick an end date; showing the start day only."
    return value[0].isoformat(), value[1].isoformat(), None


def _dates_text(d1: str | None, d2: str | None) -> str:
    return "" if not d1 else d1 if d1 == d2 else f"{d1} … {d2}"


def _both_ends(d1: str | None, d2: str | None) -> tuple[str | None, str | None]:
    """A link with only `from` (or only `to`) means from that day on (up to that day): the calendar holds
    two ends or one day, so the open end becomes the store's last (first) date, not the same day."""
    if bool(d1) == bool(d2):
        return d1, d2
    lo, hi = art.date_bounds(db())
    if d1:
        return d1, max(hi or d1, d1)
    return min(lo or d2, d2), d2


def _forget_typing_error() -> None:
    """Dates picked in the calendar (or set by a link) replace a typed range the box could not read."""
    st.session_state.pop("_dates_typed_error", None)


def _apply_typed_dates() -> None:
    """The typed box's Enter (or leaving it): its range becomes the calendar's, or the box says what it could
    not read and the dates stay as they were. Streamlit's own date field applies typing only on leaving it."""
    try:
        d1, d2 = parse_typed_dates(st.session_state.get("dates_typed"))
    except ValueError as exc:
        st.session_state["_dates_typed_error"] = str(exc)
        return
    st.session_state.pop("_dates_typed_error", None)
    st.session_state["dates"] = tuple(dt.date.fromisoformat(d) for d in (d1, d2) if d)


def typed_dates_box(where, d1: str | None, d2: str | None) -> None:
    """A text box beside the calendar that takes Enter: '2011-11-01 … 2011-11-30', '2011-11', '2011'. It shows
    the range in force (set from the calendar, a link or a saved view), unless it holds a typing error."""
    if "_dates_typed_error" not in st.session_state:
        st.session_state["dates_typed"] = _dates_text(d1, d2)
    where.text_input("Type dates", key="dates_typed", on_change=_apply_typed_dates,
                     placeholder="e.g. 2011-11 or 2011 … 2012",   # fits the sidebar (it cut the longer one)
                     help="Press Enter to apply. One day, a month (2011-11), a year (2011), or two of them "
                          "separated by …, .. or 'to'. Empty: all dates.")
    if "_dates_typed_error" in st.session_state:
        from dashboard.app.render import md_escape
        where.error(f"Dates not applied: {md_escape(st.session_state['_dates_typed_error'])}.")


def sidebar_filter(*, url_now: bool = True) -> Filter:
    """Draw the global filters in the sidebar and return the Filter; keeps the URL in step: at once, or with
    `url_now` False at the run's end (write_url, which streamlit_app.py calls after the page ran)."""
    keep_state()
    # the page's own state in the URL this run starts from: a view saved before the page runs keeps it
    st.session_state["_url_before"] = {k: v for k, v in st.query_params.items() if k in TIMELINE_KEYS + PAGE_KEYS}
    notices = _init_from_url()
    st.session_state.setdefault("variants", True)
    conn = db()
    counts = art.actor_counts(conn)
    codes = sorted(counts, key=lambda c: (-counts[c], c))
    options = [""] + codes
    for key in ("actor_a", "actor_b"):
        if st.session_state.get(key) and st.session_state[key] not in options:
            notices.append(f"No article or event involves {st.session_state[key]}.")
            st.session_state[key] = ""
        # The browser sends a selectbox's choice back as its label, and the label holds a count
        # that an import (in any session) changes: a label the new options do not hold would reset
        # the box to "any". The code read here (through the last run's labels) is set again.
        st.session_state[key] = st.session_state.get(key) or ""
    sb = st.sidebar
    sb.header("Filters")
    a = sb.selectbox("Country A", options, key="actor_a", format_func=lambda c: _actor_label(c, counts),
                     help="The number after each name counts the articles that mention it plus the events it takes part in.")
    b = sb.selectbox("Country B", options, key="actor_b", format_func=lambda c: _actor_label(c, counts))
    lo, hi = art.date_bounds(conn)
    if "dates" not in st.session_state:
        st.session_state["dates"] = ()
    # The calendar opens inside the data's years rather than on today's month.
    first = dt.date(int(lo[:4]), 1, 1) if lo else dt.date(1900, 1, 1)
    last = dt.date(int(hi[:4]), 12, 31) if hi else dt.date(2100, 12, 31)
    if any(d < first or d > last for d in st.session_state["dates"]):
        first, last = min([first, *st.session_state["dates"]]), max([last, *st.session_state["dates"]])
    dates = sb.date_input("Date range", key="dates", format="YYYY-MM-DD", min_value=first, max_value=last,
                          on_change=_forget_typing_error,
                          help=f"The store holds {lo or '—'} … {hi or '—'}. Leave empty for all dates. Pick the "
                               "days in the calendar, or type them in the box below and press Enter.")
    d1, d2, hint = date_range(dates)
    if hint:
        sb.caption(hint)
    typed_dates_box(sb, d1, d2)
    q = sb.text_input("Keywords", key="q", placeholder='e.g. Iskander, "Union State", sanction* -gas',
                      help='Words must all match. "exact phrase", OR, -exclude, prefix*, title:word.')
    variants = sb.checkbox("Match spelling variants (Lukashenka = Lukashenko)", key="variants")
    pair = None
    if a and b and a != b:
        pair = (a, b)
    elif a or b:
        sb.caption("Pick two different countries to filter by a pair.")
    st.session_state.setdefault("any_mention", False)
    any_mention = sb.checkbox("Any mention of the pair", key="any_mention", disabled=pair is None,
                              help="Off: the articles ABOUT the pair (named in the title or lede, acting on each "
                                   "other, often together). On: every article that names both countries.")
    f = Filter.build(pair=pair, date_from=d1, date_to=d2, query=q, variants=variants, any_mention=any_mention)
    # the open article rides only in the URLs of the pages that show it (Articles, Similar: url_add); the
    # session keeps it across the others, so going back to Articles finds it open
    params = f.to_params()
    st.session_state["_url_out"] = params   # the page adds its own (url_add)
    if url_now:
        write_url()
    from dashboard.app.render import md_escape
    for n in notices:   # they quote the URL: escaped, so a crafted link cannot draw Markdown
        sb.warning(md_escape(n))
    if notices:
        # the sidebar is below the fold on a laptop and folded away on a phone: say it where one looks
        st.warning(f"This link had {len(notices)} value{'' if len(notices) == 1 else 's'} that could not be used "
                   "and {} ignored; the sidebar lists {}.".format(*(("was", "it") if len(notices) == 1 else ("were", "them"))),
                   icon=":material/link_off:")
    if getattr(conn, "readonly", False):
        sb.info(f"Read-only: {READ_ONLY_PROBLEM}.")
    save_view_box(sb)
    if url_now and "_save_view" in st.session_state:
        # a page run on its own: no write_url after the page; saved now, with the page's state as it was
        out = st.session_state["_url_out"]
        _save_pending_view({**out, **{k: v for k, v in st.session_state.get("_url_before", {}).items() if k not in out}})
    return f


def current_filter() -> Filter:
    """The Filter that streamlit_app.py's sidebar built in this run; when the sidebar was not
    drawn in this run (a page run on its own, as AppTest's switch_page does), it is drawn here."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx()
    drawn = ctx is not None and "actor_a" in getattr(ctx.shared, "widget_user_keys_this_run", ())
    f = st.session_state.get("filter")
    if drawn and isinstance(f, Filter):
        return f
    return sidebar_filter()


def keep_event_options_in_url(f: Filter) -> None:
    """Add a page's event options (direction, "hide uncertain", sources, QuadClass: Filter.to_params) to the
    URL, so that a shared link opens the same events; the sidebar wrote the other filters this run."""
    url_add({k: v for k, v in f.to_params().items() if k in TIMELINE_KEYS + ("source", "quad")})


def plain_label(code: str) -> str:
    """An actor code as the figures label it (charts.plain): to map a clicked label back to its code."""
    from dashboard.app.charts import plain
    return plain(code, 40)


def pair_label(pair: tuple[str, str] | None) -> str:
    """'BLR–RUS (Belarus – Russia)' or 'all pairs'."""
    from dashboard.app.render import md_escape
    if not pair:
        return "all pairs"
    return md_escape(f"{pair[0]}–{pair[1]} ({actor_name(pair[0])} – {actor_name(pair[1])})")


def when(published_at: str | None, published_date: str | None = None) -> str:
    """How an article's date is shown: 'YYYY-MM-DD HH:MM', or 'no date'. When the calendar date in
    the source's own zone differs from the stored time's date (feed items are stored in UTC, case
    C18), both are shown: '2023-11-20 22:30 UTC · 21 Nov 2023 where published'."""
    if not published_at:
        return "no date"
    if published_date and published_date != published_at[:10]:
        day = dt.date.fromisoformat(published_date)
        return f"{published_at} UTC · {day.day} {day:%b %Y} where published"
    return published_at


def event_options(db, columns, f: Filter) -> Filter:
    """The Sources box (in columns[0]) and the Uncertain-events switch (in columns[1]) of the pages that
    count events without a pair of their own (Pairs, Map): `f` with both applied and kept in the URL. The
    switch shares the Timeline's key, so it means the same on every page."""
    sources = source_choice(db, columns[0], f)
    st.session_state.setdefault("tl_uncertain", True)
    uncertain = columns[1].toggle("Uncertain events", key="tl_uncertain",
                                  help="On: include events whose year was inferred or whose confidence is below 0.5.")
    f = f.with_(sources=sources, hide_uncertain=not uncertain)
    keep_event_options_in_url(f)
    return f


def source_choice(db, container, f: Filter) -> tuple[str, ...]:
    """A multiselect of the event sources present in the store (empty = all)."""
    present = ev.sources_present(db)
    if len(present) <= 1:
        if present:   # nothing to choose, but the analyst should see where the events come from
            container.caption(f"Source: {present[0]} (the only one in this store)")
        return f.sources
    # The choice is kept in st.session_state (KEPT_KEYS), not passed as default=: a default beside a
    # value written through session state makes Streamlit warn on the page.
    if "sources" not in st.session_state:
        st.session_state["sources"] = [s for s in f.sources if s in present]
    elif any(s not in present for s in st.session_state["sources"]):
        st.session_state["sources"] = [s for s in st.session_state["sources"] if s in present]
    return tuple(container.multiselect("Sources", present, key="sources", placeholder="all sources"))


def evidence_markdown(e: dict) -> str:
    """The evidence sentence as escaped Markdown with the actors' names and the date marked."""
    from dashboard.app.render import md_escape
    text = e.get("evidence") or ""
    try:
        from dashboard.analysis.actors import mentions
        from dashboard.analysis.dates import find_dates
        marks = [(m.start, m.end) for m in mentions(text)]
        marks += [(d.start, d.end) for d in find_dates(text, e.get("date") or "2000-01-01")]
    except Exception:  # marking is a nicety: plain text is still right
        marks = []
    out, pos = [], 0
    for s, t in sorted(set(marks)):
        if s < pos:
            continue
        out.append(md_escape(text[pos:s]))
        out.append(f":blue-background[{md_escape(text[s:t])}]")
        pos = t
    out.append(md_escape(text[pos:]))
    return "".join(out)


def link_markdown(label: str, url: str | None) -> str:
    """A Markdown link to an http(s) URL from a file (SOURCEURL, article url); other schemes as plain text."""
    from urllib.parse import quote
    from dashboard.app.render import md_escape
    if not url:
        return ""
    url = str(url).strip()
    if not url.lower().startswith(("http://", "https://")):
        return md_escape(url)
    return f"[{md_escape(label)}]({quote(url, safe=':/?#[]@!$&*+,;=%~-._')})"
