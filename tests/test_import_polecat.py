"""POLECAT as a first-class event source (issue #16 item 3): weekly ngecEvents*.txt files detected by
their header, PLOVER type/mode/context kept, actor and recipient countries to ISO 3166-1, POLECAT's
QuadClass, intensity as a Goldstein-like value, location and story id, a CAMEO root through the
crosswalk (one timeline with GDELT and ICEWS), row errors with file/line/field, idempotent re-import.
The fixture, tests/fixtures/events/ngecEvents.20230109.fixture.txt, is written by us (no real POLECAT
rows are public): 16 rows, 2 of them bad."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from dashboard.cli import main
from dashboard.ingest import detect_format, import_paths, polecat, stream_format
from dashboard.queries import timeline
from dashboard.queries.filters import Filter

from conftest import FIXTURES

FIXTURE = FIXTURES / "events" / "ngecEvents.20230109.fixture.txt"


def row(db, key: str) -> dict:
    cur = db.execute("SELECT * FROM events WHERE source = 'polecat' AND source_event_id = ?", [key])
    return dict(zip([d[0] for d in cur.description], cur.fetchone()))


def test_polecat_detected_by_header_not_name():
    text = FIXTURE.read_text(encoding="utf-8")
    assert detect_format(FIXTURE.name, text) == "polecat"
    assert detect_format("renamed.tsv", text) == "polecat"
    assert stream_format("renamed.dat", FIXTURE.read_bytes())[0] == "polecat"
    # R's and pandas' spellings of the header
    assert polecat.sniff(".txt", "Event.ID\tEvent.Date\tEvent.Type\tRecipient.Country\n")
    assert polecat.sniff(".csv", "event_id,event_date,event_type,recipient_name\n")
    # an ICEWS header (CAMEO Code, Target …) is not POLECAT
    assert not polecat.sniff(".tab", "Event ID\tEvent Date\tEvent Type\tCAMEO Code\tTarget Country\n")


def test_polecat_import_counts_and_row_errors_name_file_line_field(db):
    report = import_paths(db, [FIXTURE])
    f = report.files[0]
    assert (f.format, f.status, f.rows_read, f.imported, f.duplicates, f.failed) == ("polecat", "imported", 16, 14, 0, 2)
    assert f.error_lines() == [
        f"{FIXTURE}: line 14, field Event Date: no parseable date in '2023-13-40'",
        f"{FIXTURE}: line 15, field Event Type: not a PLOVER event type: 'FIGHT' "
        "(the 16 types: dashboard/knowledge/tables/plover_types.tsv)"]
    assert f.unknown_codes == {"Congo (ambiguous: COD or COG)": 1}
    stored = json.loads(db.execute("SELECT errors FROM imports").fetchone()[0])
    assert [(e["line"], e["field"]) for e in stored] == [(14, "Event Date"), (15, "Event Type")]


def test_polecat_event_fields(db):
    import_paths(db, [FIXTURE])
    r = row(db, "PC-0003")
    assert (r["date"], r["actor1"], r["actor2"], r["pair_a"], r["pair_b"]) == ("2023-01-03", "RUS", "UKR", "RUS", "UKR")
    assert (r["cameo_code"], r["root_code"], r["quad_class"], r["goldstein"], r["intensity"]) == ("19", "19", 4, -9.0, -9.0)
    assert (r["lat"], r["lon"], r["geo"]) == (48.14, 37.74, "Avdiivka, Donetsk, Ukraine")
    assert r["evidence"] == ("ASSAULT (Assault) · firearms: Russian Armed Forces → Ukrainian Armed Forces — "
                             "Russian troops fired on Ukrainian positions near Avdiivka.")
    extra = json.loads(r["extra"])
    assert extra["story_id"] == "ST-102" and extra["mode"] == "firearms" and extra["contexts"] == "military"
    assert extra["actor_sector"] == "MIL" and extra["publication_date"] == "2023-01-03" and extra["quad_code"] == "4"
    # names and lower-case codes through the name → ISO mapping; a missing recipient country stays empty
    assert (row(db, "PC-0009")["actor2"], row(db, "PC-0010")["actor1"], row(db, "PC-0010")["actor2"]) == ("DEU", "RUS", None)
    assert row(db, "PC-0008")["actor1"] == "USA" and row(db, "PC-0016")["actor1"] == "EU"
    assert row(db, "PC-0015")["actor2"] == "Congo"          # ambiguous: kept as written, reported
    # a mode the crosswalk lacks falls back to the type's root; CONCEDE-like verbal types keep POLECAT's class
    assert (row(db, "PC-0004")["root_code"], row(db, "PC-0012")["root_code"], row(db, "PC-0012")["quad_class"]) == ("18", "08", 2)
    assert row(db, "PC-0011")["lat"] is None                # NA coordinates
    assert row(db, "PC-0012")["evidence"].startswith("RETREAT (Retreat) · release: ")   # trailing tabs read


def test_polecat_reimport_is_idempotent(db, tmp_path):
    first = import_paths(db, [FIXTURE]).files[0]
    copy = tmp_path / "ngecEvents.copy.txt"
    shutil.copy(FIXTURE, copy)
    again = import_paths(db, [FIXTURE, copy], force=True)
    assert [(f.imported, f.duplicates, f.failed) for f in again.files] == [(0, 14, 2), (0, 14, 2)]
    assert db.execute("SELECT count(*) FROM events WHERE source = 'polecat'").fetchone()[0] == first.imported == 14


def test_polecat_figures_from_the_cli(tmp_path, capsys):
    """The closing note's figures: rows, share of ISO pairs, QuadClass distribution, by the CLI import."""
    path = tmp_path / "p.db"
    assert main(["import", str(FIXTURE), "--db", str(path)]) == 1      # 2 rows rejected
    assert "imported 14, duplicates 0, failed 2" in capsys.readouterr().out
    conn = sqlite3.connect(path)
    conn.create_function("is_actor", 1, lambda c: int(__import__("dashboard.knowledge.countries", fromlist=["x"])
                                                       .is_actor_code(c)))
    total, iso = conn.execute("SELECT count(*), sum(is_actor(actor1) AND is_actor(actor2)) FROM events "
                              "WHERE source = 'polecat'").fetchone()
    quads = dict(conn.execute("SELECT quad_class, count(*) FROM events WHERE source = 'polecat' GROUP BY 1"))
    conn.close()
    assert (total, iso) == (14, 12)
    assert quads == {1: 4, 2: 2, 3: 3, 4: 5}


def test_polecat_on_one_timeline_with_gdelt_and_icews(db):
    import_paths(db, [FIXTURE, FIXTURES / "events" / "icews_sample.tab", FIXTURES / "events" / "gdelt2.export.CSV"])
    f = Filter.build(pair="RUS-UKR", date_from="2023-01-01", date_to="2023-01-31", sources="polecat,gdelt,icews")
    period, rows = timeline.timeline_by_source(db, f, "month")
    assert period == "month"
    assert [(r["period"], r["source"], r["events"], r["mean_goldstein"]) for r in rows] == [
        ("2023-01-01", "polecat", 3, -7.67)]
    f = Filter.build(pair="BLR-RUS", date_from="2023-01-01", date_to="2023-12-31", sources="polecat,gdelt,icews")
    assert [(r["period"], r["source"], r["events"], r["mean_goldstein"])
            for r in timeline.timeline_by_source(db, f, "month")[1]] == [
        ("2023-01-01", "polecat", 2, 2.0), ("2023-11-01", "gdelt", 1, 7.0)]
    assert Filter.build(sources="POLECAT").sources == ("polecat",)
    roots = db.execute("SELECT root_code, quad_class FROM events WHERE source = 'polecat' AND pair_a = 'RUS' "
                       "AND pair_b = 'UKR' ORDER BY root_code").fetchall()
    assert roots == [("11", 3), ("18", 4), ("19", 4)]


def test_polecat_yearly_zip_member_is_streamed(db, tmp_path):
    import zipfile
    archive = tmp_path / "ngecEventsDV-2023.txt.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURE, "ngecEvents.2023-01.txt")
    files = import_paths(db, [archive]).files
    assert [(f.format, f.imported, f.failed) for f in files] == [("polecat", 14, 2)]
