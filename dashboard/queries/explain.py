""""What happened here": one period of a pair's timeline against the pair's usual.

For the events matching a Filter inside [first, last] (the period) and those matching it outside
(the usual: the rest of the Filter's dates), `explain_period` lists

- event types: CAMEO roots by events in the period, with their share there and usually;
- actors: the other actors named in the pair's articles of the period (articles naming each,
  against the share of the pair's other articles naming them);
- terms: the words of the period's titles and ledes that its articles use more than the pair's
  other articles do (share of articles with the word, period minus usual), stop words, month and weekday names and the names
  of actors (analysis.actors.mentions: they are the actors' list) left out.

Every count goes through the Filter's clauses (dates, sources, QuadClass, direction, certainty,
keyword, about/any mention), so a period explained agrees with the bars and the list beside it.
"""
from __future__ import annotations

import calendar
import re
from collections import Counter

from dashboard.analysis.actors import actor_name, mentions
from dashboard.knowledge.cameo import codebook
from dashboard.queries import clauses
from dashboard.queries import events as ev
from dashboard.queries.filters import Filter, parse_day
from dashboard.queries.search import signature
from dashboard.queries.similar import STOPWORDS

EXPLAIN_COLUMNS = ("kind", "item", "name", "in_period", "period_share", "usual", "usual_share")
LEDE_CHARS = 600          # of each body read for terms, after the title
MAX_ARTICLES = 2_000      # articles read for terms, on each side (the most recent)
_word = re.compile(r"[^\W\d_]{3,}")
# Month and weekday names say when, which the period already says (a quarter's articles over-use its months).
DATE_WORDS = frozenset(w.lower() for w in (*calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name,
                                           *calendar.day_abbr))


def _period_filter(f: Filter, first: str, last: str) -> Filter:
    lo = max(first, f.date_from) if f.date_from else first
    hi = min(last, f.date_to) if f.date_to else last
    return f.with_(date_from=lo, date_to=hi)


def _share(n: int, total: int) -> float | None:
    return round(n / total, 3) if total else None


def _event_roots(db, f: Filter) -> Counter:
    w = ev.where(db, f)
    if w.empty:
        return Counter()
    return Counter(dict(db.execute(f"SELECT coalesce(e.root_code, '?'), count(*) FROM events e WHERE {w.sql} "
                                   "GROUP BY 1", w.params).fetchall()))


def _pair_articles(db, f: Filter) -> tuple[str, list]:
    w = clauses.where(db, f, clauses.PAIR_ARTICLES)
    return w.sql, list(w.params)


def _chunks(ids: list[int], size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _period_articles(db, f: Filter, pf: Filter) -> tuple[set[int], set[int]]:
    """(the pair's articles matching `f`, those of the period `pf`): published in the period, or the source of
    one of the period's events (a day's events are reported the next day)."""
    sql, params = _pair_articles(db, f)
    every = {i for (i,) in db.execute(f"SELECT p.article_id FROM article_pairs p WHERE {sql}", params)}
    psql, pparams = _pair_articles(db, pf)
    inside = {i for (i,) in db.execute(f"SELECT p.article_id FROM article_pairs p WHERE {psql}", pparams)}
    w = ev.where(db, pf)
    if not w.empty:
        inside |= {i for (i,) in db.execute(f"SELECT DISTINCT e.article_id FROM events e WHERE {w.sql} "
                                            "AND e.article_id IS NOT NULL", w.params)} & every
    return every, inside


def _actors(db, ids: set[int]) -> Counter:
    """Actor → articles among `ids` naming it."""
    out: Counter = Counter()
    for chunk in _chunks(sorted(ids)):
        out.update(dict(db.execute(f"SELECT actor, count(*) FROM mentions WHERE article_id IN "
                                   f"({','.join('?' * len(chunk))}) GROUP BY actor", chunk).fetchall()))
    return out


def _terms(db, ids: set[int]) -> tuple[dict[str, set[int]], dict[str, Counter]]:
    """{word signature: ids of the articles using it}, {signature: spellings counted} over the titles and
    ledes of `ids` (the MAX_ARTICLES highest ids: the latest imported)."""
    docs: dict[str, set[int]] = {}
    spellings: dict[str, Counter] = {}
    for chunk in _chunks(sorted(ids, reverse=True)[:MAX_ARTICLES]):
        for i, title, lede in db.execute(f"SELECT id, title, substr(body, 1, {LEDE_CHARS}) FROM articles WHERE id IN "
                                         f"({','.join('?' * len(chunk))})", chunk):
            text = f"{title or ''}\n\n{lede or ''}"
            # names of actors (countries, capitals, leaders) are the actors' list's, not words of the period
            named = [(m.start, m.end) for m in mentions(text)]
            for match in _word.finditer(text):
                if any(a <= match.start() < b for a, b in named):
                    continue
                low = match.group().lower()
                if low in STOPWORDS or low in DATE_WORDS:
                    continue
                sig = signature(low)
                if not sig or " " in sig:
                    continue
                docs.setdefault(sig, set()).add(i)
                spellings.setdefault(sig, Counter())[low] += 1
    return docs, spellings


def explain_period(db, f: Filter, first: str, last: str, *, limit: int = 5) -> dict:
    """Explain the period [first, last] (ISO days) of `f`'s events against the rest of `f`'s dates.

    Returns a dict: first, last; events, usual_events (counts in the period and outside it); articles,
    usual_articles (the pair's articles); and lists of at most `limit` dicts keyed by EXPLAIN_COLUMNS —
    event_types (CAMEO roots, most events first), actors (other actors named in the pair's articles,
    most articles first; with a pair only), terms (the words most over-used in the period, by share of
    articles minus usual share; with a pair only). Shares are fractions with 3 decimals (None when the
    side is empty). Raises ValueError for a bad day or first after last.
    """
    first, last = parse_day(first), parse_day(last)
    if not first or not last or first > last:
        raise ValueError(f"the period must be two days, the first not after the last, got {first!r} … {last!r}")
    pf = _period_filter(f, first, last)
    roots_all, roots_in = _event_roots(db, f), _event_roots(db, pf)
    n_in, n_all = sum(roots_in.values()), sum(roots_all.values())
    n_usual = n_all - n_in
    book = codebook()
    types = [{"kind": "event type", "item": root, "name": book.get(root, {}).get("name", ""), "in_period": n,
              "period_share": _share(n, n_in), "usual": roots_all[root] - n,
              "usual_share": _share(roots_all[root] - n, n_usual)}
             for root, n in sorted(roots_in.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
    out = {"first": first, "last": last, "events": n_in, "usual_events": n_usual, "articles": 0, "usual_articles": 0,
           "event_types": types, "actors": [], "terms": []}
    if not f.pair:
        return out
    every, inside = _period_articles(db, f, pf)
    usual_ids = every - inside
    act_in, act_usual = _actors(db, inside), _actors(db, usual_ids)
    a_in, a_usual = len(inside), len(usual_ids)
    out["articles"], out["usual_articles"] = a_in, a_usual
    others = [(code, n) for code, n in act_in.items() if code not in f.pair]
    out["actors"] = [{"kind": "actor", "item": code, "name": actor_name(code), "in_period": n,
                      "period_share": _share(n, a_in), "usual": act_usual[code],
                      "usual_share": _share(act_usual[code], a_usual)}
                     for code, n in sorted(others, key=lambda kv: (-kv[1], kv[0]))[:limit]]
    docs_in, spellings = _terms(db, inside)
    docs_usual, _ = _terms(db, usual_ids)
    n_terms_in, n_terms_usual = min(a_in, MAX_ARTICLES), min(a_usual, MAX_ARTICLES)
    scored = []
    for sig, ids in docs_in.items():
        usual = len(docs_usual.get(sig, ()))
        share_in, share_usual = len(ids) / n_terms_in, (usual / n_terms_usual if n_terms_usual else 0.0)
        if len(ids) >= min(2, n_terms_in) and share_in > share_usual:
            scored.append((-(share_in - share_usual), -len(ids), sig, len(ids), usual))
    out["terms"] = [{"kind": "term", "item": spellings[sig].most_common(1)[0][0], "name": "", "in_period": n,
                     "period_share": _share(n, n_terms_in), "usual": usual,
                     "usual_share": _share(usual, n_terms_usual)}
                    for _, _, sig, n, usual in sorted(scored)[:limit]]
    return out


def explain_rows(result: dict) -> list[dict]:
    """explain_period's lists as one table (EXPLAIN_COLUMNS), event types, then actors, then terms."""
    return result["event_types"] + result["actors"] + result["terms"]


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def summary(result: dict) -> str:
    """'2009-06-14 … 2009-06-14: 4 events, 2 articles; usually (the filter's other dates) 3 events, 1 article'."""
    x = result
    return (f"{x['first']} … {x['last']}: {_n(x['events'], 'event')}, {_n(x['articles'], 'article')}; usually (the "
            f"filter's other dates) {_n(x['usual_events'], 'event')}, {_n(x['usual_articles'], 'article')}")
