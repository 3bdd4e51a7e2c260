"""The timeline reads days, not events (issue #17, item 3): event_days (store.rollups) stays equal to a
rebuild from events whatever writes them, and the timeline gives the same rows from it as from events.

The store: the shared page fixtures (extracted events) with every event fixture imported on top (GDELT,
ACLED, ICEWS, POLECAT), then edited, deleted, marked as repeats and re-extracted.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.ingest import import_paths
from dashboard.ingest.reextract import reextract
from dashboard.queries import clauses
from dashboard.queries import events as ev
from dashboard.queries import similar
from dashboard.queries import timeline as tl
from dashboard.queries.filters import Filter
from dashboard.store import MIGRATIONS, repeats, rollups

EVENT_FIXTURES = Path(__file__).parent / "fixtures" / "events"

REPORT = """Warsaw shuts border crossing with Belarus

{dateline}

Poland closed the Bobrowniki border crossing with Belarus on 10 February, citing the security of the state. \
The interior ministry in Warsaw said the decision would stay in force until further notice.

Belarus accuses Poland of escalating the crisis. Traffic was diverted to the Kuznica crossing, where \
{vehicles} queued for more than twenty kilometres.
"""
COPIES = (("copy_b.txt", "March 3, 2023 09:10", "lorries"), ("copy_c.txt", "March 5, 2023 14:30", "trucks"),
          ("copy_a.txt", "March 1, 2023 18:45", "lorries"))


@pytest.fixture
def store(fixture_db):
    import_paths(fixture_db, sorted(EVENT_FIXTURES.iterdir()))
    return fixture_db


def _exact(db) -> None:
    assert rollups.stored(db) == rollups.rebuilt(db)


def test_the_rollup_equals_a_rebuild_after_every_import(store):
    _exact(store)
    total = store.execute("SELECT count(*) FROM events WHERE repeat_of IS NULL AND pair_a IS NOT NULL "
                          "AND pair_b IS NOT NULL AND date IS NOT NULL").fetchone()[0]
    assert store.execute("SELECT sum(events) FROM event_days").fetchone()[0] == total > 40
    assert {s for (s,) in store.execute("SELECT DISTINCT source FROM event_days")} == {
        "acled", "extracted", "gdelt", "icews", "polecat"}


def test_the_rollup_follows_edits_of_date_code_and_actors(store):
    gdelt, extracted = (store.execute("SELECT id FROM events WHERE source = ? AND pair_b IS NOT NULL "
                                      "ORDER BY id LIMIT 1", [s]).fetchone()[0] for s in ("gdelt", "extracted"))
    ev.edit_event(store, gdelt, {"date": "2001-02-03"})
    ev.edit_event(store, gdelt, {"cameo_code": "190"})      # QuadClass 4, Goldstein -10
    ev.edit_event(store, extracted, {"actor2": "USA"})      # another pair
    _exact(store)
    assert store.execute("SELECT quad_class, events, goldstein_sum, goldstein_n FROM event_days "
                         "WHERE date = '2001-02-03'").fetchall() == [(4, 1, -10.0, 1)]


def test_the_rollup_follows_deletions_of_events_and_articles(store):
    store.execute("DELETE FROM events WHERE source = 'gdelt' AND id % 2 = 0")
    article = store.execute("SELECT article_id FROM events WHERE source = 'extracted' AND pair_b IS NOT NULL "
                            "LIMIT 1").fetchone()[0]
    store.execute("DELETE FROM articles WHERE id = ?", [article])      # its events go by the cascade
    store.conn.commit()
    _exact(store)
    store.execute("DELETE FROM events")
    assert rollups.stored(store) == []


def test_the_rollup_follows_repeats_marking_and_reextract(db, tmp_path):
    paths = []
    for name, dateline, vehicles in COPIES:
        p = tmp_path / name
        p.write_text(REPORT.format(dateline=dateline, vehicles=vehicles), encoding="utf-8")
        paths.append(p)
    import_paths(db, paths)
    similar.store_near_duplicates(db)
    with db.conn:
        repeated = repeats.mark_all(db)
    assert repeated > 0
    _exact(db)
    day = Filter.build(pair="BLR-POL", date_from="2023-02-10", date_to="2023-02-10")
    assert tl.timeline(db, day, "day") == tl.timeline(db, day, "day", rollup=False)
    reextract(db)
    _exact(db)
    with db.conn:
        db.execute("UPDATE events SET repeat_of = NULL")
    _exact(db)


def test_reextract_keeps_the_rollup_exact(store):
    reextract(store)
    _exact(store)


FILTERS = [
    dict(pair="BLR-RUS"),
    dict(pair="BLR-RUS", date_from="2015-01-01", date_to="2023-06-30"),
    dict(pair="BLR-RUS", sources="gdelt,polecat"),
    dict(pair="BLR-RUS", quad="1,4"),
    dict(pair="BLR-POL", sources="extracted", quad="3", date_from="2020-01-01"),
    dict(pair="BLR-LTU", any_mention=True),
    dict(pair="AFG-ZWE"),
]


@pytest.mark.parametrize("period", ["auto", "day", "week", "month", "quarter", "year"])
@pytest.mark.parametrize("options", FILTERS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_timeline_rows_from_the_rollup_equal_those_from_events(store, options, period):
    f = Filter.build(**options)
    assert clauses.rollup_where(f) is not None
    assert tl.timeline(store, f, period) == tl.timeline(store, f, period, rollup=False)


@pytest.mark.parametrize("options", FILTERS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_the_span_from_the_rollup_equals_the_span_of_the_events(store, options):
    f = Filter.build(**options)
    assert tl.span(store, f) == tl.span(store, f, rollup=False)
    assert tl.drawn_span(store, f) == tl.drawn_span(store, f, rollup=False)


def test_timeline_rows_agree_after_edits(store):
    some = store.execute("SELECT id FROM events WHERE pair_a = 'BLR' AND pair_b = 'RUS' LIMIT 3").fetchall()
    for (i,), code, day in zip(some, ("190", "057", "112"), ("2016-05-01", "2016-05-01", "2016-05-31")):
        ev.edit_event(store, i, {"cameo_code": code, "date": day})
    f = Filter.build(pair="BLR-RUS")
    for period in ("day", "month"):
        assert tl.timeline(store, f, period) == tl.timeline(store, f, period, rollup=False)


@pytest.mark.parametrize("options", [dict(query="border"), dict(direction="ab"), dict(hide_uncertain=True),
                                     dict(language="en"), dict()],
                         ids=["keyword", "direction", "uncertain", "language", "no pair"])
def test_filters_the_rollup_cannot_answer_read_events(store, options):
    f = Filter.build(**({"pair": "BLR-RUS"} | options if options else {}))
    assert clauses.rollup_where(f) is None
    with store.conn:    # an emptied rollup shows that nothing reads it
        store.execute("DROP TRIGGER event_days_ad")
        store.execute("DELETE FROM event_days")
    assert tl.timeline(store, f, "month") == tl.timeline(store, f, "month", rollup=False)
    assert tl.timeline(store, f, "month")[1] or options.get("query")


def test_the_migration_fills_the_rollup_from_the_stored_events(store):
    with store.conn:
        for name in ("ai", "ad", "au_old", "au_new"):
            store.execute(f"DROP TRIGGER event_days_{name}")
        store.execute("DROP TABLE event_days")
    store.conn.executescript("BEGIN;" + MIGRATIONS[14] + "COMMIT;")    # v14 → v15
    assert rollups.stored(store) == rollups.rebuilt(store) != []
    ev.edit_event(store, store.execute("SELECT min(id) FROM events WHERE pair_b IS NOT NULL").fetchone()[0],
                  {"date": "2001-02-03"})
    _exact(store)
