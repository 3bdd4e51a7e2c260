"""Saved views (issue #18): a named filter set to come back to, stored in the table saved_views (schema v13).

A view is what a shared link holds: the page ('timeline', …) and its URL query parameters (Filter.to_params
and the pages' own keys: period, sel, page, …), kept as a JSON object. Nothing saved is trusted when a view
is opened: its parameters go through the URL again (the pages read them as they read any shared link,
Filter.from_params with its notices), and open_view here does the same for the command line and the tests.
"""
from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from dashboard.queries.filters import Filter, _shown, parse_id
from dashboard.store import check_writable

NAME_CHARS = 80
# The pages a view can open (their url_path in streamlit_app.py; the Overview's is 'overview').
PAGES = ("overview", "timeline", "events", "pairs", "map", "articles", "similar", "import")
# A view's parameters, as JSON, at most this long (a URL beyond ≈ 8 KB is cut by browsers and proxies).
PARAMS_CHARS = 8_000
VIEW_COLUMNS = ("id", "name", "page", "url", "created_at", "by")


def clean_name(name) -> str:
    """A view's name trimmed (runs of white space made one space); raises ValueError unless 1–80 characters."""
    text = " ".join(str(name or "").split())
    if not text:
        raise ValueError("a view needs a name")
    if len(text) > NAME_CHARS:
        raise ValueError(f"a view's name is at most {NAME_CHARS} characters, got {len(text)}")
    return text


def _clean_page(page) -> str:
    value = str(page or "").strip().lower()
    if value not in PAGES:
        raise ValueError(f"page must be one of {', '.join(PAGES)}, got {_shown(page)}")
    return value


def _clean_params(params) -> dict[str, str]:
    if not isinstance(params, dict):
        raise ValueError("a view's parameters are a mapping of names to values")
    out = {}
    for k, v in params.items():
        if isinstance(v, list):   # st.query_params.to_dict() keeps the last; so do we
            v = v[-1] if v else ""
        if not isinstance(k, str) or not isinstance(v, (str, int)) or isinstance(v, bool):
            raise ValueError(f"a view's parameter must be text, got {_shown(k)}={_shown(v)}")
        if str(v) != "":
            out[k] = str(v)
    if len(json.dumps(out, ensure_ascii=False)) > PARAMS_CHARS:
        raise ValueError(f"a view's parameters are at most {PARAMS_CHARS:,} characters as JSON")
    return out


def save_view(db, name, page, params, by: str | None = None) -> tuple[int, bool]:
    """Store a view: (its id, whether it replaced a view of the same name). The name is trimmed (1–80
    characters); saving a name that exists replaces that view (its id is kept, created_at is now, `by` the
    one who saved it: schema v16).
    Raises ValueError for a bad name, page or parameters, StoreReadOnly for a read-only store."""
    name, page, params = clean_name(name), _clean_page(page), _clean_params(params)
    check_writable(db)
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with db.conn:
        row = db.execute("SELECT id FROM saved_views WHERE name = ?", [name]).fetchone()
        text = json.dumps(params, ensure_ascii=False)   # in the URL's order
        if row:
            db.execute("UPDATE saved_views SET page = ?, params = ?, created_at = ?, by = ? WHERE id = ?",
                       [page, text, now, by, row[0]])
            return row[0], True
        cur = db.execute("INSERT INTO saved_views (name, page, params, created_at, by) VALUES (?, ?, ?, ?, ?)",
                         [name, page, text, now, by])
        return cur.lastrowid, False


def _read_params(text) -> dict[str, str]:
    """A stored params column as a mapping of text to text; anything else (edited by hand, damaged) is {}."""
    try:
        value = json.loads(text or "{}")
    except (TypeError, ValueError):
        return {}
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str) and v}


def view_url(page: str, params: dict[str, str]) -> str:
    """'/timeline?pair=BLR-RUS&from=2020-01-01' (the query string percent-encoded)."""
    query = urlencode(params)
    return f"/{page}" + (f"?{query}" if query else "")


def list_views(db) -> list[dict]:
    """Every saved view, newest first (saved last first): id, name, page, params (a dict), url, created_at, by.
    A page this dashboard does not have is listed as 'overview' (its parameters kept)."""
    if "saved_views" not in db.table_names():
        return []
    out = []
    for id_, name, page, params, created, by in db.execute(
            "SELECT id, name, page, params, created_at, by FROM saved_views ORDER BY created_at DESC, id DESC"):
        page = page if page in PAGES else "overview"
        p = _read_params(params)
        out.append({"id": id_, "name": name, "page": page, "params": p, "url": view_url(page, p),
                    "created_at": created, "by": by})
    return out


def delete_view(db, view_id) -> bool:
    """Delete a saved view by id; False when no view has that id. Raises ValueError for an id that is not a
    whole number from 1, StoreReadOnly for a read-only store."""
    view_id = parse_id(view_id, "view id")
    check_writable(db)
    with db.conn:
        return db.execute("DELETE FROM saved_views WHERE id = ?", [view_id]).rowcount > 0


def open_view(db, view_id) -> tuple[dict, Filter, list[str]]:
    """A saved view read as its link is: (the view, its Filter, notices about values ignored). Raises
    ValueError when no view has that id."""
    view_id = parse_id(view_id, "view id")
    for v in list_views(db):
        if v["id"] == view_id:
            f, notices = Filter.from_params(v["params"])
            return v, f, notices
    raise ValueError(f"no saved view has id {view_id}")
