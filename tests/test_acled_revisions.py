"""ACLED revisions and deletions (issue #16 item 3): a newer export replaces rows whose `timestamp` is
later, keeps the analysts' edits, leaves older or equal versions alone, and a deletions table removes
withdrawn events; the report counts updated, unchanged and deleted rows."""
from __future__ import annotations

import csv
import io
import json

import pytest

from dashboard.ingest import acled, import_paths
from dashboard.queries.events import edit_event

from conftest import SHARED

HEADER = "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,actor2,country,notes,fatalities,timestamp\n"
V1 = HEADER + (
    "BLR1,9 May 2020,2020,Protests,Peaceful protest,Protesters (Belarus),,Belarus,Protest in Minsk.,0,1589220519\n"
    "UKR2,8 May 2020,2020,Battles,Armed clash,Military Forces of Russia (2000-),Military Forces of Ukraine (2019-),"
    "Ukraine,Clashes near Avdiivka.,1,1589220519\n"
    "UKR3,7 May 2020,2020,Battles,Armed clash,Military Forces of Russia (2000-),,Ukraine,Shelling.,2,1589300000\n")
# BLR1 revised (later timestamp: actor2 named, notes and fatalities changed); UKR2 changed but with the
# same timestamp (not a newer version); UKR3 in an OLDER version; BLR4 new.
V2 = HEADER + (
    "BLR1,9 May 2020,2020,Protests,Protest with intervention,Protesters (Belarus),Police Forces of Belarus (1994-),"
    "Belarus,Protest in Minsk; 12 detained.,1,1590000000\n"
    "UKR2,8 May 2020,2020,Battles,Armed clash,Military Forces of Russia (2000-),Military Forces of Ukraine (2019-),"
    "Ukraine,Changed without a new timestamp.,9,1589220519\n"
    "UKR3,7 May 2020,2020,Battles,Armed clash,Military Forces of Russia (2000-),,Ukraine,Older version.,0,1589000000\n"
    "BLR4,10 May 2020,2020,Protests,Peaceful protest,Protesters (Belarus),,Belarus,Another protest.,0,1590000000\n")


def _row(db, key):
    r = db.execute("SELECT actor1, actor2, evidence, extra, revised_at, quad_class, edited FROM events "
                   "WHERE source = 'acled' AND source_event_id = ?", [key]).fetchone()
    return r and (r[0], r[1], r[2], json.loads(r[3]).get("fatalities"), r[4], r[5], r[6])


def test_acled_newer_timestamp_updates_row_and_report_counts(db, tmp_path):
    (tmp_path / "v1.csv").write_text(V1, encoding="utf-8")
    (tmp_path / "v2.csv").write_text(V2, encoding="utf-8")
    f1 = import_paths(db, [tmp_path / "v1.csv"]).files[0]
    assert (f1.imported, f1.updated, f1.duplicates) == (3, 0, 0)
    report = import_paths(db, [tmp_path / "v2.csv"])
    f2 = report.files[0]
    assert (f2.rows_read, f2.imported, f2.updated, f2.duplicates, f2.failed) == (4, 1, 1, 2, 0)
    assert "updated 1 (newer version), unchanged 2" in report.summary()
    assert _row(db, "BLR1") == ("BLR", "BLR", "Protest in Minsk; 12 detained.", 1, 1590000000, 4, 0)
    assert _row(db, "UKR2")[2:5] == ("Clashes near Avdiivka.", 1, 1589220519)
    assert _row(db, "UKR3")[2:5] == ("Shelling.", 2, 1589300000)
    assert db.execute("SELECT imported, updated, duplicates FROM imports WHERE path LIKE '%v2.csv'"
                      ).fetchone() == (1, 1, 2)


def test_acled_revision_keeps_analyst_edits(db, tmp_path):
    (tmp_path / "v1.csv").write_text(V1, encoding="utf-8")
    (tmp_path / "v2.csv").write_text(V2, encoding="utf-8")
    import_paths(db, [tmp_path / "v1.csv"])
    eid = db.execute("SELECT id FROM events WHERE source_event_id = 'BLR1'").fetchone()[0]
    edit_event(db, eid, {"actor2": "RUS"})
    import_paths(db, [tmp_path / "v2.csv"])
    # the newer notes and fatalities land; the analyst's actor2 stays over ACLED's
    assert _row(db, "BLR1") == ("BLR", "RUS", "Protest in Minsk; 12 detained.", 1, 1590000000, 4, 1)
    assert db.execute("SELECT pair_a, pair_b FROM events WHERE id = ?", [eid]).fetchone() == ("BLR", "RUS")


def test_acled_deletions_file_removes_withdrawn_events(db, tmp_path):
    (tmp_path / "v1.csv").write_text(V1, encoding="utf-8")
    import_paths(db, [tmp_path / "v1.csv"])
    # UKR3 was revised after this deletion was published: it stays; NONE9 was never stored
    (tmp_path / "deleted.csv").write_text("event_id_cnty,deleted_timestamp\nUKR2,1590000000\nUKR3,1589250000\n"
                                          "NONE9,1590000000\n", encoding="utf-8")
    report = import_paths(db, [tmp_path / "deleted.csv"])
    f = report.files[0]
    assert (f.format, f.status, f.rows_read, f.deleted, f.duplicates) == ("acled-deleted", "imported", 3, 1, 2)
    assert "deleted 1" in report.summary()
    assert [r[0] for r in db.execute("SELECT source_event_id FROM events ORDER BY source_event_id")] == ["BLR1", "UKR3"]
    assert db.execute("SELECT deleted FROM imports WHERE path LIKE '%deleted.csv'").fetchone() == (1,)


def test_acled_timestamp_values():
    assert acled.parse_timestamp("1589220519") == 1589220519
    assert acled.parse_timestamp("1589220519.0") == 1589220519
    assert acled.parse_timestamp("2020-05-11 18:08:39") == 1589220519
    assert acled.parse_timestamp("") is None and acled.parse_timestamp("soon") is None


REAL = SHARED / "data" / "GISRedeDev__PyNetworkFriction" / "ACLED.csv"


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data is absent")
def test_acled_real_export_revised_rows_update(db, tmp_path):
    """The real 2023+ export: importing it again with three rows revised later updates exactly those."""
    first = import_paths(db, [REAL]).files[0]
    assert (first.rows_read, first.imported, first.failed) == (155, 155, 0)
    rows = list(csv.reader(io.StringIO(REAL.read_text(encoding="utf-8"), newline="")))
    ts = rows[0].index("timestamp")
    for row in rows[1:4]:
        row[ts] = str(int(row[ts]) + 86400)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    (tmp_path / "newer.csv").write_bytes(out.getvalue().encode("utf-8"))
    f = import_paths(db, [tmp_path / "newer.csv"]).files[0]
    assert (f.rows_read, f.imported, f.updated, f.duplicates, f.failed) == (155, 0, 3, 152, 0)
