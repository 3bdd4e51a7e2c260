"""Coordinates for maps (issue #16 item 4): GDELT's ActionGeo_Lat/Long and the actors' geo, ACLED's
latitude/longitude, ICEWS's Latitude/Longitude become the event columns lat, lon, actor1_lat …
actor2_lon (schema v12); a missing, unreadable, out-of-range or 0,0 coordinate stays empty and the
row still lands; a store from before v12 gets the coordinates ACLED and ICEWS rows kept in `extra`."""
from __future__ import annotations

import json
import sqlite3

import pytest

from dashboard.ingest import import_paths
from dashboard.ingest.eventtable import coordinates
from dashboard.store import MIGRATIONS, SCHEMA_VERSION, open_store

from conftest import FIXTURES, SHARED

REAL_GDELT = SHARED / "data" / "arekziobrowski__gdelt-big-data" / "20191024143000.export.CSV"
COLS = "lat, lon, actor1_lat, actor1_lon, actor2_lat, actor2_lon"


def test_coordinates_read_and_refused():
    assert coordinates("53.9", "27.5667") == (53.9, 27.5667)
    assert coordinates(" -33.86 ", "151.2") == (-33.86, 151.2)
    assert coordinates("53,9", "27,5", decimal_comma=True) == (53.9, 27.5)
    for lat, lon in (("", "27.5"), ("NA", "NA"), ("0", "0"), ("91", "10"), ("10", "181"), ("north", "1"),
                     (None, None)):
        assert coordinates(lat, lon) == (None, None), (lat, lon)


def _gdelt_row(fields: dict[int, str]) -> str:
    """The first row of the GDELT 2.0 fixture with some of its 61 fields replaced."""
    row = (FIXTURES / "events" / "gdelt2.export.CSV").read_text(encoding="utf-8").splitlines()[0].split("\t")
    for i, v in fields.items():
        row[i] = v
    return "\t".join(row) + "\n"


def test_gdelt_action_and_actor_geo_kept_as_columns(db, tmp_path):
    # GDELT 2.0 positions: Actor1Geo_Lat/Long 40/41, Actor2Geo 48/49, ActionGeo 56/57
    text = (_gdelt_row({40: "53.9", 41: "27.5667", 48: "55.7522", 49: "37.6156", 56: "53.9", 57: "27.5667"})
            + _gdelt_row({0: "900000009", 56: "0", 57: "0", 40: "", 41: "", 48: "bad", 49: "1"}))
    path = tmp_path / "geo.export.CSV"
    path.write_text(text, encoding="utf-8")
    report = import_paths(db, [path])
    assert report.files[0].imported == 2 and report.files[0].failed == 0
    rows = db.execute(f"SELECT source_event_id, {COLS} FROM events ORDER BY source_event_id").fetchall()
    assert rows == [("900000001", 53.9, 27.5667, 53.9, 27.5667, 55.7522, 37.6156),
                    ("900000009", None, None, None, None, None, None)]


def test_acled_and_icews_coordinates(db):
    import_paths(db, [FIXTURES / "events" / "acled_sample.csv", FIXTURES / "events" / "icews_sample.tab"])
    acled = db.execute("SELECT lat, lon FROM events WHERE source = 'acled' AND source_event_id = 'BLR100'").fetchone()
    icews = db.execute("SELECT lat, lon FROM events WHERE source = 'icews' "
                       "AND source_event_id = '41000001:2018-06-01'").fetchone()
    assert acled == (53.9, 27.5667) and icews == (53.9, 27.5667)


def test_migration_to_v12_copies_acled_and_icews_coordinates(tmp_path):
    path = tmp_path / "v9.db"
    conn = sqlite3.connect(path)
    for v in range(9):
        conn.executescript(MIGRATIONS[v])
    conn.execute("INSERT INTO schema_version VALUES (9)")
    rows = [("acled", "A1", {"latitude": "53.9", "longitude": "27.5667"}),
            ("icews", "I1:2018-06-01", {"Latitude": "48.14", "Longitude": "37.74"}),
            ("acled", "A2", {"latitude": "0", "longitude": "0"}),
            ("icews", "I2:2018-06-01", {"Latitude": "95", "Longitude": "37"}),
            ("gdelt", "1", {"dateadded": "20191024143000"})]
    conn.executemany("INSERT INTO events (source, source_event_id, date, extra) VALUES (?, ?, '2020-05-09', ?)",
                     [(s, k, json.dumps(x)) for s, k, x in rows])
    conn.commit()
    conn.close()
    db = open_store(path)
    try:
        assert db.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION == 18
        got = db.execute("SELECT source_event_id, lat, lon FROM events ORDER BY id").fetchall()
        assert got == [("A1", 53.9, 27.5667), ("I1:2018-06-01", 48.14, 37.74), ("A2", None, None),
                       ("I2:2018-06-01", None, None), ("1", None, None)]
    finally:
        db.conn.close()


@pytest.mark.skipif(not REAL_GDELT.exists(), reason="../shared/data is absent")
def test_real_gdelt_export_coordinates(db):
    import_paths(db, [REAL_GDELT])
    counts = db.execute("SELECT count(*), count(lat), count(actor1_lat), count(actor2_lat) FROM events").fetchone()
    assert counts == (2111, 2073, 1903, 1550)
    assert db.execute(f"SELECT {COLS} FROM events WHERE source_event_id = '881990832'").fetchone() == (
        49.25, -123.133, None, None, 49.25, -123.133)


def test_reimport_fills_coordinates_of_events_stored_without_them(db, tmp_path):
    """GDELT rows stored before v12 have no coordinates: importing the file again (--force) adds them,
    counts the rows as duplicates, changes nothing else and leaves located rows alone."""
    path = tmp_path / "geo.export.CSV"
    path.write_text(_gdelt_row({56: "53.9", 57: "27.5667", 40: "53.9", 41: "27.5667"})
                    + _gdelt_row({0: "900000009", 56: "50.45", 57: "30.5234"}), encoding="utf-8")
    import_paths(db, [path])
    db.execute("UPDATE events SET lat = NULL, lon = NULL, actor1_lat = NULL, actor1_lon = NULL "
               "WHERE source_event_id = '900000001'")
    db.execute("UPDATE events SET lat = 1.5, lon = 2.5 WHERE source_event_id = '900000009'")
    db.conn.commit()
    [f] = import_paths(db, [path], force=True).files
    assert (f.imported, f.updated, f.duplicates) == (0, 0, 2)
    assert db.execute(f"SELECT source_event_id, {COLS} FROM events ORDER BY 1").fetchall() == [
        ("900000001", 53.9, 27.5667, 53.9, 27.5667, None, None), ("900000009", 1.5, 2.5, None, None, None, None)]
