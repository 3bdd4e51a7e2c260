"""Manual event CSV rows are keyed by what they say (issue #16 item 1): five different rows on one day
and pair are five events, only truly identical rows are duplicates, re-imports add nothing and the
analysts' edits stay on their event."""
from __future__ import annotations

from dashboard.ingest import import_paths
from dashboard.ingest.tabular import manual_key
from dashboard.queries.events import edit_event

FIVE = (
    "date,country_a,country_b,cameo_code,headline\n"
    "2023-11-21,ARM,AZE,036,Border talks resume\n"
    "2023-11-21,ARM,AZE,036,Border talks resume in Brussels\n"
    "2023-11-21,ARM,AZE,112,Baku accuses Yerevan of shelling\n"
    "2023-11-21,ARM,AZE,190,Shelling near Jermuk\n"
    "2023-11-21,AZE,ARM,036,Border talks resume\n"
)


def _events(db):
    return db.execute("SELECT actor1, actor2, cameo_code, evidence FROM events WHERE source = 'manual' "
                      "ORDER BY id").fetchall()


def test_manual_rows_same_day_and_pair_are_five_events(db, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(FIVE, encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.status, f.imported, f.duplicates, f.failed) == ("imported", 5, 0, 0)
    assert _events(db) == [
        ("ARM", "AZE", "036", "Border talks resume"),
        ("ARM", "AZE", "036", "Border talks resume in Brussels"),
        ("ARM", "AZE", "112", "Baku accuses Yerevan of shelling"),
        ("ARM", "AZE", "190", "Shelling near Jermuk"),
        ("AZE", "ARM", "036", "Border talks resume"),
    ]


def test_manual_identical_rows_are_duplicates_and_reimport_adds_nothing(db, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(FIVE + "2023-11-21,ARM,AZE,036,Border  talks resume\n", encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.imported, f.duplicates) == (5, 1)       # the last row says what the first says
    again = import_paths(db, [path], force=True).files[0]
    assert (again.imported, again.duplicates) == (0, 6)
    # a renamed copy with the rows in another order is the same events
    lines = FIVE.splitlines()
    copy = tmp_path / "copy of events.csv"
    copy.write_text("\n".join([lines[0]] + lines[:0:-1]) + "\n", encoding="utf-8")
    f = import_paths(db, [copy]).files[0]
    assert (f.imported, f.duplicates) == (0, 5)
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 5


def test_manual_event_edits_survive_reimport(db, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(FIVE, encoding="utf-8")
    import_paths(db, [path])
    eid = db.execute("SELECT id FROM events WHERE evidence = 'Shelling near Jermuk'").fetchone()[0]
    edit_event(db, eid, {"cameo_code": "195"})
    import_paths(db, [path], force=True)
    assert db.execute("SELECT id, cameo_code, edited FROM events WHERE evidence = 'Shelling near Jermuk'"
                      ).fetchall() == [(eid, "195", 1)]
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 5


def test_manual_key_is_content_and_id_column_wins(db, tmp_path):
    assert manual_key("2023-11-21", "ARM", "AZE", "036", None, None, "Border talks", None) == \
        manual_key("2023-11-21", "ARM", "AZE", "036", None, None, " Border   talks ", None)
    assert manual_key("2023-11-21", "ARM", "AZE", "036", None, None, "Border talks", None) != \
        manual_key("2023-11-21", "ARM", "AZE", "037", None, None, "Border talks", None)
    path = tmp_path / "ids.csv"
    path.write_text("id,date,actor1,actor2,headline\nE1,2023-11-21,ARM,AZE,a\nE1,2023-11-21,ARM,AZE,b\n",
                    encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.imported, f.duplicates) == (1, 1)
    assert db.execute("SELECT source_event_id FROM events").fetchall() == [("E1",)]


def test_manual_events_stored_under_the_old_key_are_rekeyed_with_their_edits(db, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(FIVE, encoding="utf-8")
    # a store written before the fix: the first row of the day and pair under file:date:a1:a2:
    with db.conn:
        db.execute("INSERT INTO events (source, source_event_id, date, actor1, actor2, pair_a, pair_b, cameo_code, "
                   "evidence) VALUES ('manual', 'events.csv:2023-11-21:ARM:AZE:', '2023-11-21', 'ARM', 'AZE', "
                   "'ARM', 'AZE', '036', 'Border talks resume')")
        db.execute("INSERT INTO edits (target, source, source_event_id, field, value) "
                   "VALUES ('event', 'manual', 'events.csv:2023-11-21:ARM:AZE:', 'goldstein', '3.5')")
    f = import_paths(db, [path]).files[0]
    assert (f.imported, f.duplicates) == (4, 1)
    key = manual_key("2023-11-21", "ARM", "AZE", "036", None, None, "Border talks resume", None)
    assert db.execute("SELECT source_event_id FROM edits").fetchall() == [(key,)]
    assert db.execute("SELECT count(*) FROM events WHERE source_event_id LIKE 'events.csv:%'").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 5
