"""ACLED's API JSON (issue #16 item 2): `{"status": 200, "count": N, "data": [...]}` imports like its CSV,
through the same mapping; rows rejected with their line, field and record; a newer `timestamp` wins.
The fixture tests/fixtures/events/acled_api.json is written by us in the API's shape (6 records: the
first four rows of acled_sample.csv with ISO dates and the API's string or number values, 2 bad)."""
from __future__ import annotations

import json

import pytest

from dashboard.ingest import detect_format, import_paths
from dashboard.ingest.acled import parse_json
from dashboard.ingest.records import FileError

from conftest import FIXTURES

EV = FIXTURES / "events"
API = EV / "acled_api.json"
COMPARED = ("source", "source_event_id", "date", "date_precision", "actor1", "actor2", "cameo_code", "root_code",
            "quad_class", "goldstein", "evidence", "geo", "revised_at", "lat", "lon")


def stored(db, keys) -> dict:
    cols = ", ".join(COMPARED)
    marks = ", ".join("?" * len(keys))
    return {r[1]: r for r in db.execute(f"SELECT {cols} FROM events WHERE source_event_id IN ({marks})", keys)}


def test_acled_api_json_detected_and_imported_like_csv(tmp_path):
    from dashboard.store import open_store
    assert detect_format("anything.json", API.read_text(encoding="utf-8")) == "acled-json"
    keys = ["BLR100", "UKR200", "UKR201", "POL300"]
    a, b = open_store(tmp_path / "a.db"), open_store(tmp_path / "b.db")
    try:
        [fj] = import_paths(a, [API]).files
        import_paths(b, [EV / "acled_sample.csv"])
        assert (fj.format, fj.rows_read, fj.imported, fj.failed) == ("acled-json", 6, 4, 2)
        assert stored(a, keys) == stored(b, keys)
        assert stored(a, ["BLR100"])["BLR100"][4:] == ("BLR", "BLR", "141", "14", 4, None,
            'On 9 May 2020, protesters gathered in Minsk, "demanding" the release of a blogger.',
            "Minsk, Minsk, Belarus", 1589220519, 53.9, 27.5667)
        extra = json.loads(a.execute("SELECT extra FROM events WHERE source_event_id = 'UKR201'").fetchone()[0])
        assert extra["fatalities"] == 1 and extra["latitude"] == "48.14"
        assert fj.error_lines() == [f"{API}: line 152, field event_date: data[4]: no parseable date in '2020-05-32'",
                                    f"{API}: line 188, field fatalities: data[5]: not a number: 'many'"]
    finally:
        a.conn.close(), b.conn.close()


def test_acled_api_json_newer_timestamp_replaces_and_reimport_adds_nothing(db, tmp_path):
    import_paths(db, [API])
    doc = json.loads(API.read_text(encoding="utf-8"))
    doc["data"][0].update(notes="Revised: 12 detained.", fatalities="1", timestamp=1590000000)
    newer = tmp_path / "acled_newer.json"
    newer.write_text(json.dumps(doc), encoding="utf-8")      # one line: errors name the record
    [f] = import_paths(db, [newer]).files
    assert (f.imported, f.updated, f.duplicates, f.failed) == (0, 1, 3, 2)
    assert f.error_lines()[0] == f"{newer}: line 1, field event_date: data[4]: no parseable date in '2020-05-32'"
    assert db.execute("SELECT evidence, revised_at FROM events WHERE source_event_id = 'BLR100'").fetchone() == (
        "Revised: 12 detained.", 1590000000)
    [again] = import_paths(db, [newer], force=True).files
    assert (again.imported, again.updated, again.duplicates) == (0, 0, 4)


def test_acled_api_bare_list_and_error_response(tmp_path):
    doc = json.loads(API.read_text(encoding="utf-8"))
    recs = list(parse_json(json.dumps(doc["data"][:2], indent=1), "list.json"))
    assert [(r.source_event_id, r.line) for r in recs] == [("BLR100", 2), ("UKR200", 38)]
    lines = "\n".join(json.dumps(o) for o in doc["data"][2:5])
    assert [str(r) if hasattr(r, "message") else (r.source_event_id, r.line) for r in parse_json(lines, "l.jsonl")] == [
        ("UKR201", 1), ("POL300", 2), "line 3, field event_date: no parseable date in '2020-05-32'"]
    with pytest.raises(FileError, match="without a `data` list: Invalid key"):
        list(parse_json('{"status": 403, "success": false, "error": "Invalid key", "event_id_cnty": "", '
                        '"event_date": ""}', "err.json"))


def test_a_lone_surrogate_in_acled_json_costs_one_character(db, tmp_path):
    """The JSON readers share one cell rule (eventtable.json_cell): "\\udc00" in notes is U+FFFD, the row lands."""
    rows = json.loads((FIXTURES / "events" / "acled_api.json").read_text(encoding="utf-8"))
    rows["data"][0]["notes"] = "Minsk \udc00 protest"
    path = tmp_path / "acled_api.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert f.status == "imported" and f.imported >= 1
    assert db.execute("SELECT count(*) FROM events WHERE evidence LIKE '%\ufffd%'").fetchone()[0] == 1
