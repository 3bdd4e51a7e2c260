"""Why an article is linked to a pair: its stored salience and about flag, and the reasons in words
(analysis.salience), for the article view and the CLI's `article` command.

The reasons are recomputed from the article's text and its stored extracted events (a few
milliseconds for one article) rather than stored beside every link: a store of 100k articles
holds about a million links, and only the one article on screen needs its words.
"""
from __future__ import annotations

from dashboard.analysis import actors, salience

# Said for links stored before schema v7, which no salience was computed for.
UNSCORED = "not scored yet (stored before salience existed): run `python -m dashboard reextract`"


def article_links(db, article_id: int, pair: tuple[str, str] | None = None) -> list[dict]:
    """The article's pair links, most salient first (or only `pair`'s): dicts pair ('BLR-USA'),
    salience (None when not scored), about (bool) and reasons (one line of words)."""
    sql = "SELECT pair_a, pair_b, salience, about FROM article_pairs WHERE article_id = ?"
    params: list = [int(article_id)]
    if pair:
        sql += " AND pair_a = ? AND pair_b = ?"
        params += sorted(pair)
    stored = db.execute(sql + " ORDER BY coalesce(salience, -1) DESC, pair_a, pair_b", params).fetchall()
    if not stored:
        return []
    computed = _recompute(db, int(article_id))
    out = []
    for a, b, sal, about in stored:
        link = computed.get((a, b))
        if sal is None or link is None:
            words = f"{a}–{b}: {UNSCORED}"
        else:
            # the stored verdict is the one the pair filter used; the words come from the same rules
            link.salience, link.about = sal, bool(about)
            words = salience.reasons(link)
        out.append({"pair": f"{a}-{b}", "salience": sal, "about": bool(about), "reasons": words})
    return out


def _recompute(db, article_id: int) -> dict[tuple[str, str], salience.Link]:
    row = db.execute("SELECT title, body FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        return {}
    title, body = row[0] or "", row[1] or ""
    found, counts = actors.scan(f"{title}\n\n{body}", len(title) + 2)
    events = [{"actor1": a1, "actor2": a2} for a1, a2 in db.execute(
        "SELECT actor1, actor2 FROM events WHERE article_id = ? AND source = 'extracted'", [article_id])]
    return {x.pair: x for x in salience.links(title, body, found, counts, events)}
