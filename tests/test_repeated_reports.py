"""One event, counted once (issue #15, item 7): an extracted event that near-duplicate articles report
again is counted by its earliest report, and the others are listed as its other reports.

The articles are written here: one report of a border closure, published three times with small edits
(the copies the `duplicates` command groups). Each test is named after the kind of failure it covers.
"""
from __future__ import annotations

import csv
import io

import pytest

from dashboard.ingest import import_paths
from dashboard.ingest.reextract import reextract
from dashboard.queries import events as ev
from dashboard.queries import similar
from dashboard.queries import timeline as tl
from dashboard.queries.export import csv_bytes
from dashboard.queries.filters import Filter

REPORT = """Warsaw shuts border crossing with Belarus

{dateline}

Poland closed the Bobrowniki border crossing with Belarus on 10 February, citing the security of the state. \
The interior ministry in Warsaw said the decision would stay in force until further notice.

Lithuania says it is ready to follow Poland's example if the situation at its own border worsens. \
Belarus accuses Poland of escalating the crisis.

Traffic was diverted to the Kuznica crossing, where {vehicles} queued for more than twenty kilometres. \
{who} complained of losses running into millions of euros.
"""
# (file, date line, small edit): imported in this order, so the earliest report is imported last.
COPIES = (("first_seen.txt", "March 3, 2023 09:10", "lorries", "Hauliers"),
          ("republished.txt", "March 5, 2023 14:30", "trucks", "Hauliers"),
          ("original.txt", "March 1, 2023 18:45", "lorries", "Transport firms"))
BAN_DAY = "2023-02-10"
CLOSURE = Filter.build(pair="BLR-POL", date_from=BAN_DAY, date_to=BAN_DAY)


@pytest.fixture
def copies(db, tmp_path):
    """The store with the three copies imported and their near-duplicate links stored; returns
    (db, {file name: article id})."""
    paths = []
    for name, dateline, vehicles, who in COPIES:
        p = tmp_path / name
        p.write_text(REPORT.format(dateline=dateline, vehicles=vehicles, who=who), encoding="utf-8")
        paths.append(p)
    import_paths(db, paths)
    ids = {src: i for i, src in db.execute("SELECT id, source FROM articles")}
    groups, links = similar.store_near_duplicates(db)
    assert len(groups) == 1 and len(groups[0]) == 3, "the three copies must be one near-duplicate group"
    return db, ids


def _csv_rows(db, f: Filter) -> list[dict]:
    text = csv_bytes(ev.iter_events(db, f), ev.EVENT_COLUMNS).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_near_duplicate_copies_count_their_event_once(copies):
    db, ids = copies
    # every copy extracted the closure: three rows in the store
    assert db.execute("SELECT count(*) FROM events WHERE date = ? AND cameo_code LIKE '16%'", [BAN_DAY]).fetchone()[0] == 3
    period, rows = tl.timeline(db, CLOSURE, "day")
    assert [(r["period"], r["events"], r["q4"]) for r in rows] == [(BAN_DAY, 1, 1)]
    listed = ev.list_events(db, CLOSURE)
    assert ev.count_events(db, CLOSURE) == len(listed) == len(_csv_rows(db, CLOSURE)) == 1


def test_earliest_report_carries_the_event_and_names_the_others(copies):
    db, ids = copies
    (event,) = ev.list_events(db, CLOSURE)
    assert event["article_id"] == ids["original.txt"]   # published first, though imported last
    others = sorted(int(i) for i in event["other_reports"].split(", "))
    assert others == sorted([ids["first_seen.txt"], ids["republished.txt"]])
    (row,) = _csv_rows(db, CLOSURE)
    assert sorted(int(i) for i in row["other_reports"].split(", ")) == others


def test_statement_dated_by_each_copys_own_day_is_one_event(copies):
    # 'Lithuania says …' names no day: each copy dates it on its own publication day (1, 3, 5 March)
    db, ids = copies
    says = Filter.build(pair="LTU-POL", date_from="2023-03-01", date_to="2023-03-31")
    assert ev.count_events(db, says) == 1
    _, rows = tl.timeline(db, says, "month")
    assert sum(r["events"] for r in rows) == 1
    (event,) = ev.list_events(db, says)
    assert event["date"] == "2023-03-01" and event["article_id"] == ids["original.txt"]


def test_an_article_that_is_no_copy_keeps_its_own_report(copies, tmp_path):
    # Another article reporting the same closure in its own words is independent coverage, not a
    # repeated report: the rule is about near-duplicate groups only.
    db, ids = copies
    own = tmp_path / "own_words.txt"
    own.write_text("Belarus border: Bobrowniki shut\n\nMarch 2, 2023 08:00\n\n"
                   "Poland closed the Bobrowniki border crossing with Belarus on 10 February. "
                   "Minsk called the step unfriendly.\n", encoding="utf-8")
    import_paths(db, [own])
    similar.store_near_duplicates(db)
    assert ev.count_events(db, CLOSURE.with_(sources=("extracted",))) == 2


def test_reextraction_keeps_an_event_counted_once(copies):
    # re-extraction deletes and re-inserts every event (new ids): the repeats follow
    db, ids = copies
    reextract(db)
    assert ev.count_events(db, CLOSURE) == 1
    (event,) = ev.list_events(db, CLOSURE)
    assert event["article_id"] == ids["original.txt"] and len(event["other_reports"].split(", ")) == 2


def test_deleted_first_report_does_not_hide_its_repeats(copies):
    # ON DELETE SET NULL: the repeats of a deleted report count again instead of vanishing, each
    # until the near-duplicates are stored again
    db, ids = copies
    with db.conn:
        db.conn.execute("DELETE FROM articles WHERE id = ?", [ids["original.txt"]])
    assert ev.count_events(db, CLOSURE) == 2
    similar.store_near_duplicates(db)
    (event,) = ev.list_events(db, CLOSURE)
    assert event["article_id"] == ids["first_seen.txt"] and event["other_reports"] == str(ids["republished.txt"])


def test_edit_that_moves_a_copy_to_another_day_splits_it_from_the_event(copies):
    db, ids = copies
    repeat = db.execute("SELECT id FROM events WHERE article_id = ? AND date = ?",
                        [ids["republished.txt"], BAN_DAY]).fetchone()[0]
    ev.edit_event(db, repeat, {"date": "2023-02-11"})
    assert ev.count_events(db, CLOSURE) == 1
    assert ev.count_events(db, CLOSURE.with_(date_to="2023-02-11")) == 2
    (event,) = ev.list_events(db, CLOSURE)
    assert event["other_reports"] == str(ids["first_seen.txt"])


def test_counting_once_keeps_the_timeline_on_its_covering_index(copies):
    # the timeline's default aggregate reads events_pair_date alone (BENCHMARKS.md), repeat_of included
    db, _ = copies
    w = ev.where(db, CLOSURE)
    plan = " ".join(r[-1] for r in db.execute(
        f"EXPLAIN QUERY PLAN SELECT e.date, count(*), sum(e.quad_class = 1), avg(e.goldstein) FROM events e "
        f"WHERE {w.sql} AND e.date IS NOT NULL GROUP BY 1", w.params))
    assert "COVERING INDEX events_pair_date" in plan


def test_demo_store_counts_its_republished_copies_once(tmp_path):
    # The demo corpus republishes two articles (the dairy dispute's end, the Seimas on Astravyets): the
    # store built on first launch stores its near-duplicates, so no event of a copy is counted twice.
    from dashboard.ingest.demo import build_demo_store
    from dashboard.store import open_store
    build_demo_store(tmp_path / "demo.db")
    db = open_store(tmp_path / "demo.db", readonly=True)
    assert db.execute("SELECT count(*) FROM article_links WHERE kind = 'near_duplicate'").fetchone()[0] >= 2
    twice = db.execute(
        "SELECT count(*) FROM events e JOIN events o ON o.id > e.id AND o.actor1 = e.actor1 AND o.actor2 = e.actor2 "
        "AND o.root_code = e.root_code AND o.date = e.date AND o.article_id <> e.article_id "
        "JOIN article_links l ON l.kind = 'near_duplicate' AND l.from_id = min(e.article_id, o.article_id) "
        "AND l.to_id = max(e.article_id, o.article_id) "
        "WHERE e.source = 'extracted' AND o.source = 'extracted' AND e.repeat_of IS NULL AND o.repeat_of IS NULL"
    ).fetchone()[0]
    assert twice == 0
    assert db.execute("SELECT count(*) FROM events WHERE repeat_of IS NOT NULL").fetchone()[0] >= 2
    db.conn.close()



def test_top_pairs_count_a_repeated_report_once(copies):
    """The Overview's most active pairs count events as the timeline and the Events page do: a
    report repeated by a near-duplicate article once."""
    from dashboard.queries import articles as art
    db, _ = copies
    (row,) = [r for r in art.top_pairs(db, 10) if (r["pair_a"], r["pair_b"]) == ("BLR", "POL")]
    stored = db.execute("SELECT count(*) FROM events WHERE pair_a = 'BLR' AND pair_b = 'POL'").fetchone()[0]
    assert row["events"] == ev.count_events(db, Filter.build(pair="BLR-POL")) < stored


def test_store_totals_and_actor_counts_count_a_repeated_report_once(copies):
    """The Overview's event total and the sidebar's per-country counts agree with the timeline."""
    from dashboard.queries import articles as art
    db, _ = copies
    stored = db.execute("SELECT count(*) FROM events").fetchone()[0]
    repeats = db.execute("SELECT count(*) FROM events WHERE repeat_of IS NOT NULL").fetchone()[0]
    assert repeats > 0
    assert art.store_counts(db)["events"] == stored - repeats == ev.count_events(db, Filter.build())
    as_pair = db.execute("SELECT count(*) FROM events WHERE 'POL' IN (pair_a, pair_b) AND repeat_of IS NULL"
                         ).fetchone()[0]
    mentions = db.execute("SELECT count(*) FROM mentions WHERE actor = 'POL'").fetchone()[0]
    assert art.actor_counts(db)["POL"] == mentions + as_pair
