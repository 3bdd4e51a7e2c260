"""One event, counted once: repeated reports of an extracted event across near-duplicate articles.

Articles the product groups as near-duplicates (`near_duplicate` links, similar.store_near_duplicates)
are one report published again, and each copy yields the same extracted events. Here the earliest
report of an event carries it and the others get `events.repeat_of` = its id (schema v8); every
event query keeps `repeat_of IS NULL` (queries.clauses), one condition the timeline's covering
index holds, and lists the repeats as the event's other reports.

Two extracted events are the same event when
  * their articles are in one near-duplicate group (connected by `near_duplicate` links),
  * they have the same actor and target (direction matters: tit-for-tat moves are two events)
    and the same CAMEO root, and
  * they have the same date, or each falls on its own article's publication day: the text named no
    other day ('says', 'today', a present tense), so a copy republished two days later dates the same
    statement two days later.
The earliest report is the one in the article published first (then the lower article id, then the
lower event id). Events of one article are never repeats of each other: the extractor already merges
what it reads as one event there.

When it is computed: for the whole store whenever the near-duplicate links are stored again
(`mark_all`), and for one article's group whenever that article's events are rewritten
(`mark_group`: re-extraction, a stub upgraded by its full page). Only `extracted` events take part:
GDELT, ACLED and ICEWS rows have their own ids and dedupe by key.
"""
from __future__ import annotations

_EVENTS_SQL = ("SELECT e.id, e.article_id, e.actor1, e.actor2, e.root_code, e.date, "
               "e.date = a.published_date AS on_publication_day "
               "FROM events e JOIN articles a ON a.id = e.article_id "
               "WHERE +e.source = 'extracted' AND e.article_id IN ({})")
# `+source`: the unary plus keeps SQLite off events_source_key, where source = 'extracted' is every extracted
# event of the store (580,000 at 100k articles: 10 s of a 1,000-article incremental pass); events_article
# reads the group's articles' events only


def mark_all(db) -> int:
    """Recompute `repeat_of` for every extracted event from the stored near-duplicate links, in the
    caller's transaction. Returns the number of events marked as repeated reports."""
    conn = db.conn if hasattr(db, "conn") else db
    links = conn.execute("SELECT from_id, to_id FROM article_links WHERE kind = 'near_duplicate'").fetchall()
    conn.execute("UPDATE events SET repeat_of = NULL WHERE repeat_of IS NOT NULL")
    marks = [m for group in _groups(links) for m in _repeats(conn, group)]
    conn.executemany("UPDATE events SET repeat_of = ? WHERE id = ?", marks)
    return len(marks)


def mark_group(db, article_id: int) -> int:
    """Recompute `repeat_of` over the near-duplicate group of `article_id` (nothing to do, in two index
    look-ups, for an article with no near-duplicate). Returns the number of repeats in the group."""
    conn = db.conn if hasattr(db, "conn") else db
    group = _group_of(conn, article_id)
    if len(group) < 2:
        return 0
    marks = _repeats(conn, group)
    ids = sorted(group)
    conn.execute(f"UPDATE events SET repeat_of = NULL WHERE repeat_of IS NOT NULL AND +source = 'extracted' "
                 f"AND article_id IN ({', '.join('?' * len(ids))})", ids)
    conn.executemany("UPDATE events SET repeat_of = ? WHERE id = ?", marks)
    return len(marks)


def mark_groups(db, article_ids) -> int:
    """Recompute `repeat_of` over the near-duplicate groups of `article_ids` (as they are now), in the
    caller's transaction: what mark_all gives when only these articles' links changed (an incremental
    near-duplicate pass). The articles' earlier marks are cleared, so one that left its group has none.
    Returns the number of repeats in those groups."""
    conn = db.conn if hasattr(db, "conn") else db
    seen: set[int] = set()
    groups = []
    for a in sorted(article_ids):
        if a not in seen:
            g = _group_of(conn, a)
            seen |= g
            groups.append(g)
    ids = sorted(seen)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        conn.execute(f"UPDATE events SET repeat_of = NULL WHERE repeat_of IS NOT NULL AND +source = 'extracted' "
                     f"AND article_id IN ({', '.join('?' * len(chunk))})", chunk)
    marks = [m for g in groups if len(g) >= 2 for m in _repeats(conn, g)]
    conn.executemany("UPDATE events SET repeat_of = ? WHERE id = ?", marks)
    return len(marks)


def _group_of(conn, article_id: int) -> set[int]:
    """The articles connected to `article_id` by near_duplicate links (itself included)."""
    seen, todo = {article_id}, [article_id]
    while todo:
        a = todo.pop()
        for (b,) in conn.execute("SELECT to_id FROM article_links WHERE from_id = ? AND kind = 'near_duplicate' "
                                 "UNION SELECT from_id FROM article_links WHERE to_id = ? AND kind = 'near_duplicate'",
                                 [a, a]):
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


def _groups(links: list[tuple[int, int]]) -> list[set[int]]:
    """Connected components of the links (union-find), as sets of article ids."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        parent[find(a)] = find(b)
    comps: dict[int, set[int]] = {}
    for x in parent:
        comps.setdefault(find(x), set()).add(x)
    return list(comps.values())


def _repeats(conn, group: set[int]) -> list[tuple[int, int]]:
    """[(first report's event id, repeated event id)] within one near-duplicate group."""
    ids = sorted(group)
    marks = ", ".join("?" * len(ids))
    order = {a: k for k, (a,) in enumerate(conn.execute(
        f"SELECT id FROM articles WHERE id IN ({marks}) ORDER BY coalesce(published_at, '9999'), id", ids))}
    events = sorted(conn.execute(_EVENTS_SQL.format(marks), ids).fetchall(),
                    key=lambda e: (order.get(e[1], len(order)), e[0]))
    firsts: dict[tuple, list[tuple]] = {}   # (actor1, actor2, root) → first reports seen so far
    out = []
    for ev in events:
        key = ev[2], ev[3], ev[4]
        first = next((f for f in firsts.get(key, ()) if f[1] != ev[1] and same_day(f, ev)), None)
        if first is None:
            firsts.setdefault(key, []).append(ev)
        else:
            out.append((first[0], ev[0]))
    return out


def same_day(a: tuple, b: tuple) -> bool:
    """Whether two reports' (…, date, on_publication_day) — the last two fields — name the same day as
    this module's rule reads it: equal dates, or each on its own article's publication day."""
    (da, pa), (db_, pb) = a[-2:], b[-2:]
    return da == db_ or bool(pa and pb)
