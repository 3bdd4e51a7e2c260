"""GDELT 1.0/2.0 (raw and re-exported), ACLED and ICEWS event files: detection by content, field
mapping, bad rows, filters, streaming in batches with resume, and the real files of ../shared/data."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

import dashboard.ingest as ingest
from dashboard.cli import main
from dashboard.ingest import acled, detect_format, gdelt, icews, import_bytes, import_paths, stream_format
from dashboard.ingest.records import EventRecord, RowError

from conftest import FIXTURES, SHARED

EV = FIXTURES / "events"
COLS = "source_event_id, date, actor1, actor2, pair_a, pair_b, cameo_code, root_code, quad_class, goldstein"


def events(db, source: str, key: str | None = None) -> list[dict]:
    cur = db.execute(f"SELECT * FROM events WHERE source = ?" + (" AND source_event_id = ?" if key else "")
                     + " ORDER BY source_event_id", [source] + ([key] if key else []))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def balanced(f) -> bool:
    return f.rows_read == f.imported + f.duplicates + f.failed + f.filtered


# --- detection ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, fmt", [
    ("gdelt1_mixed.txt", "gdelt"), ("gdelt2.export.CSV", "gdelt"), ("gdelt_r_export.csv", "gdelt"),
    ("gdelt_pandas_semicolon.csv", "gdelt"), ("gdelt_noheader_comma.csv", "gdelt"),
    ("acled_sample.csv", "acled"), ("icews_sample.tab", "icews")])
def test_formats_are_detected_by_content_not_name(name, fmt):
    text = (EV / name).read_text(encoding="utf-8")
    assert detect_format(name, text) == fmt
    assert detect_format("renamed.dat", text) == fmt
    assert stream_format("renamed.dat", (EV / name).read_bytes())[0] == fmt


def test_article_tables_are_not_taken_for_events():
    for name in ("articles.csv", "events_bom.csv", "articles.jsonl"):
        assert stream_format(name, (FIXTURES / name).read_bytes()) is None
    # a GDELT Mentions table has GLOBALEVENTID but no SQLDATE: not an event file
    assert not gdelt.looks_like("GLOBALEVENTID,EventTimeDate,MentionTimeDate\n1,20170701234500,20170701234500\n")


# --- GDELT -------------------------------------------------------------------------------

def test_gdelt1_mixed_57_and_58_columns_and_bad_rows(db):
    [f] = import_paths(db, [EV / "gdelt1_mixed.txt"]).files
    assert (f.format, f.status, f.rows_read, f.imported, f.duplicates, f.failed) == ("gdelt", "imported", 9, 5, 1, 3)
    assert balanced(f)
    assert [str(e) for e in f.errors] == [
        "line 6: 56 fields; a GDELT event row has 57, 58 or 61 tab-separated fields",
        "line 7, field SQLDATE: no parseable date in '2023x121'",
        "line 8, field GoldsteinScale: not a number: 'abc'"]
    assert f.unknown_codes == {"XYZ": 1}
    a = events(db, "gdelt", "500000001")[0]
    assert (a["date"], a["actor1"], a["actor2"], a["pair_a"], a["pair_b"]) == ("2023-11-21", "BLR", "RUS", "BLR", "RUS")
    assert (a["cameo_code"], a["root_code"], a["quad_class"], a["goldstein"]) == ("046", "04", 1, 7.0)
    assert (a["num_mentions"], a["num_sources"], a["num_articles"], a["avg_tone"]) == (10, 2, 10, 1.5)
    assert a["url"] == "https://example.org/gdelt/1"
    assert a["geo"] == "Minsk, Horad Minsk, Belarus [FIPS BO]"
    extra = json.loads(a["extra"])
    assert extra["dateadded"] == "20231122" and extra["base_code"] == "046" and extra["actor1_code"] == "BLRGOV"
    # 57-column backfile row: no SOURCEURL; CAMEO ROM → ROU, the EU (country EUR, group EEC) → EU
    b = events(db, "gdelt", "300000002")[0]
    assert (b["actor1"], b["actor2"], b["cameo_code"], b["root_code"], b["url"]) == ("ROU", "EU", "0841", "08", None)
    # FIPS GA is the Gambia and stays FIPS (C08); GG is Georgia; a state code USGA is not Georgia either
    assert b["geo"] == "Banjul, Banjul, The Gambia [FIPS GA]"
    c = events(db, "gdelt", "500000003")[0]
    assert (c["actor1"], c["actor2"], c["geo"]) == ("GEO", "NATO", "Tbilisi, Georgia (general), Georgia [FIPS GG]")
    d = events(db, "gdelt", "500000004")[0]
    assert (d["actor1"], d["actor2"], d["geo"]) == ("XYZ", "USA", "Atlanta, Georgia, United States [FIPS US]")
    assert db.execute("SELECT count(*) FROM events WHERE actor1 = 'GMB' OR actor2 = 'GMB'").fetchone()[0] == 0


def test_gdelt2_61_columns_and_zip(db):
    r = import_paths(db, [EV / "gdelt2.export.CSV", EV / "gdelt2_daily.zip"])
    assert [(f.format, f.imported, f.failed) for f in r.files] == [("gdelt", 3, 0), ("gdelt", 2, 0)]
    assert r.files[1].path.endswith("gdelt2_daily.zip/20231121153000.export.CSV")
    rows = {e["source_event_id"]: e for e in events(db, "gdelt")}
    assert (rows["900000002"]["actor1"], rows["900000002"]["actor2"], rows["900000002"]["cameo_code"]) == ("UKR", "USA", "0231")
    assert json.loads(rows["900000011"]["extra"])["dateadded"] == "20231121150000"
    assert rows["900000011"]["date"] == "2023-11-21"  # SQLDATE, not DATEADDED


def test_gdelt_zip_given_as_bytes(db):
    [f] = import_bytes(db, "upload.zip", (EV / "gdelt2_daily.zip").read_bytes())
    assert (f.format, f.imported) == ("gdelt", 2)


def test_r_reexport_with_header_quotes_na_index_and_lost_zeros(db):
    [f] = import_paths(db, [EV / "gdelt_r_export.csv"]).files
    assert (f.format, f.rows_read, f.imported, f.failed) == ("gdelt", 4, 3, 1)
    assert str(f.errors[0]) == "line 5: 54 fields, the header has 59"
    rows = {e["source_event_id"]: e for e in events(db, "gdelt")}
    one = rows["600000001"]
    assert (one["cameo_code"], one["root_code"], one["date"]) == ("046", "04", "2023-11-21")
    assert json.loads(one["extra"])["base_code"] == "046"
    two = rows["600000002"]
    assert (two["cameo_code"], two["root_code"], two["actor2"], two["goldstein"], two["url"]) == ("0834", "08", None, None, None)
    assert json.loads(two["extra"])["base_code"] == "083"
    assert rows["600000003"]["geo"] == 'Tbilisi, "Georgia", Georgia [FIPS GG]'


def test_pandas_semicolon_export_with_float_columns_and_decimal_commas(db):
    [f] = import_paths(db, [EV / "gdelt_pandas_semicolon.csv"]).files
    assert (f.format, f.imported, f.failed) == ("gdelt", 2, 0)
    rows = {e["source_event_id"]: e for e in events(db, "gdelt")}
    a = rows["700000001"]
    assert (a["date"], a["goldstein"], a["avg_tone"], a["num_mentions"], a["quad_class"], a["cameo_code"], a["root_code"]) == \
        ("2023-11-21", -4.4, -1.25, 10, 3, "111", "11")
    b = rows["700000002"]
    assert (b["cameo_code"], b["root_code"], b["goldstein"], b["actor1"], b["actor2"]) == ("046", "04", None, "BLR", "RUS")


def test_headerless_comma_export(db):
    [f] = import_paths(db, [EV / "gdelt_noheader_comma.csv"]).files
    assert (f.format, f.imported, f.unknown_codes) == ("gdelt", 1, {"XYZ": 1})


def test_sqldate_is_a_calendar_date_never_epoch_c19():
    assert gdelt.parse_date("20231121") == "2023-11-21"
    assert gdelt.parse_date("20231121.0") == "2023-11-21"
    assert gdelt.parse_date("2.0231121e7") == "2023-11-21"
    assert gdelt.parse_date("20191024143000") == "2019-10-24"
    for bad in ("20230231", "2023x121", "1700000000", ""):
        with pytest.raises(ValueError):
            gdelt.parse_date(bad)


def test_cameo_codes_regain_leading_zeros():
    assert gdelt.normalise_cameo("46", "46", "4") == ("046", "046", "04")
    assert gdelt.normalise_cameo("834", "83", "8") == ("0834", "083", "08")
    assert gdelt.normalise_cameo("190", "190", "19") == ("190", "190", "19")
    assert gdelt.normalise_cameo("211") == ("0211", None, "02")      # only 0211 is a CAMEO code
    assert gdelt.normalise_cameo("141") == ("141", None, "14")
    assert gdelt.normalise_cameo("46.0", None, "4.0") == ("046", None, "04")


def test_cameo_country_table_covers_the_non_iso_codes():
    assert gdelt.actor_country("ROM") == ("ROU", None)
    assert gdelt.actor_country("TMP") == ("TLS", None)
    assert gdelt.actor_country("EUR", "EEC", "IGOEUREEC") == ("EU", None)
    assert gdelt.actor_country("", "NAT") == ("NATO", None)
    assert gdelt.actor_country("", "", "RUSGOV") == ("RUS", None)
    assert gdelt.actor_country("", "", "GOVMIL") == (None, None)      # a type code, not a country
    assert gdelt.actor_country("AFR") == ("AFR", None)                 # a CAMEO region, known: kept
    assert gdelt.actor_country("QQQ") == ("QQQ", "QQQ")                # unknown: kept and reported
    if (SHARED / "data" / "joshmorel__GDELT" / "CAMEO.country.txt").exists():
        lookup = (SHARED / "data" / "joshmorel__GDELT" / "CAMEO.country.txt").read_text(encoding="utf-8")
        for line in lookup.splitlines()[1:]:
            code = line.split("\t")[0]
            if code != "0":
                assert gdelt.map_code(code)[1] != "unknown", code


# --- ACLED and ICEWS ---------------------------------------------------------------------

def test_acled_actors_dates_quadclass_and_bad_rows(db):
    [f] = import_paths(db, [EV / "acled_sample.csv"]).files
    assert (f.format, f.rows_read, f.imported, f.failed) == ("acled", 8, 5, 3)
    assert balanced(f)
    assert [str(e) for e in f.errors] == [
        "line 7, field event_date: no parseable date in '32-May-20'",
        "line 8, field fatalities: not a number: 'many'",
        "line 10: 8 fields, the header has 31"]
    rows = {e["source_event_id"]: e for e in events(db, "acled")}
    blr = rows["BLR100"]
    assert (blr["date"], blr["actor1"], blr["actor2"], blr["quad_class"], blr["cameo_code"], blr["root_code"]) == \
        ("2020-05-09", "BLR", "BLR", 4, "141", "14")
    assert blr["evidence"].startswith('On 9 May 2020, protesters gathered in Minsk, "demanding"')
    assert json.loads(blr["extra"])["fatalities"] == 0
    ukr = rows["UKR200"]
    assert (ukr["date"], ukr["actor1"], ukr["actor2"], ukr["date_precision"]) == ("2020-05-08", "RUS", "UKR", "week")
    assert ukr["evidence"] == "Clashes near Avdiivka.\nNo casualties reported."
    assert rows["UKR201"]["actor1"] == "UKR"          # "NAF: …" names no country: the row's country
    pol = rows["POL300"]
    assert (pol["actor1"], pol["actor2"], pol["quad_class"], pol["date_precision"]) == ("POL", "BLR", 1, "month")
    assert rows["data_id:7"]["quad_class"] is None
    assert f.unknown_codes == {"ACLED type Something new/Unheard of": 1}


def test_acled_actor_names():
    assert acled.actor_country("Military Forces of Russia (2000-)") == "RUS"
    assert acled.actor_country("Protesters (Belarus)") == "BLR"
    assert acled.actor_country("Police Forces of Belarus (1994-) Belarus Special Purpose Police") == "BLR"
    assert acled.actor_country("Government of Democratic Republic of Congo (2019-)") == "COD"
    assert acled.actor_country("Police Forces of the Democratic Republic of Congo (2019-)") == "COD"
    assert acled.actor_country("NAF: United Armed Forces of Novorossiya") is None
    assert acled.parse_acled_date("9-May-20", "2020") == "2020-05-09"
    assert acled.parse_acled_date("09 May 2020") == "2020-05-09"
    assert acled.parse_acled_date("1-Jan-99", "1999") == "1999-01-01"


def test_icews_keys_countries_intensity_and_bad_rows(db):
    [f] = import_paths(db, [EV / "icews_sample.tab"]).files
    assert (f.format, f.rows_read, f.imported, f.failed) == ("icews", 8, 5, 3)
    assert [str(e) for e in f.errors] == [
        "line 7, field Event Date: no parseable date in '2018-13-45'",
        "line 8, field Intensity: not a number: 'high'",
        "line 9: 5 fields, the header has 20"]
    rows = {e["source_event_id"]: e for e in events(db, "icews")}
    one = rows["41000001:2018-06-01"]
    assert (one["actor1"], one["actor2"], one["cameo_code"], one["quad_class"], one["intensity"], one["goldstein"]) == \
        ("BLR", "RUS", "040", 1, 1.0, 1.0)
    assert one["evidence"] == "Alyaksandr Lukashenka — Consult — Vladimir Putin"
    eu = rows["41000002:2018-06-01"]
    assert (eu["actor1"], eu["actor2"], eu["pair_a"], eu["pair_b"], eu["quad_class"]) == ("EU", "BLR", "BLR", "EU", 4)
    assert rows["41000004:2018-06-02"]["cameo_code"] == "036"
    assert rows["41000005:2018-06-02"]["actor1"] == "Atlantis"
    assert f.unknown_codes == {"Atlantis": 1}
    assert icews.country_from_name("Russian Federation") == icews.country_from_name("Russia") == "RUS"
    assert icews.country_from_name("Cote d'Ivoire") == "CIV"
    assert icews.country_from_name("NA") is None


# --- filters, re-import, CLI ---------------------------------------------------------------

def test_countries_and_pair_only_filters(db):
    r = import_paths(db, [EV / "gdelt1_mixed.txt", EV / "icews_sample.tab"], countries=["blr", "RUS", "POL"])
    g, i = r.files
    assert (g.imported, g.filtered, g.failed, g.duplicates) == (2, 3, 3, 1)     # BLR-RUS, POL-BLR kept
    assert (i.imported, i.filtered) == (1, 4)                                    # BLR-RUS kept
    assert balanced(g) and balanced(i)
    assert db.execute("SELECT count(*) FROM events WHERE actor1 NOT IN ('BLR','RUS','POL') "
                      "OR actor2 NOT IN ('BLR','RUS','POL')").fetchone()[0] == 0
    assert "filtered out 3" in r.summary()


def test_pair_only_keeps_two_distinct_countries(db):
    [f] = import_paths(db, [EV / "acled_sample.csv"], pair_only=True).files
    kept = sorted(e["source_event_id"] for e in events(db, "acled"))
    assert kept == ["POL300", "UKR200"]                  # BLR-BLR, UKR-UKR and one-actor rows left out
    assert (f.imported, f.filtered) == (2, 3) and balanced(f)


def test_reimport_adds_nothing(db):
    files = [EV / n for n in ("gdelt1_mixed.txt", "gdelt2.export.CSV", "gdelt2_daily.zip", "acled_sample.csv",
                              "icews_sample.tab", "gdelt_r_export.csv")]
    first = import_paths(db, files)
    n = db.execute("SELECT count(*) FROM events").fetchone()[0]
    again = import_paths(db, files)
    assert {f.status for f in again.files} == {"duplicate"}
    forced = import_paths(db, files, force=True)
    assert sum(f.imported for f in forced.files) == 0
    assert sum(f.duplicates for f in forced.files) == sum(f.imported + f.duplicates for f in first.files)
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == n


def test_cli_import_with_filters(capsys, tmp_path):
    db = str(tmp_path / "x.db")
    code = main(["import", str(EV / "gdelt2.export.CSV"), "--db", db, "--countries", "BLR,RUS,UKR,USA", "--pair-only"])
    out = capsys.readouterr().out
    assert code == 0
    assert "imported 2, duplicates 0, failed 0, links 0, events 2, filtered out 1" in out


# --- streaming ---------------------------------------------------------------------------

def _gdelt_file(path: Path, n: int, start: int = 100_000_000) -> Path:
    row = (EV / "gdelt2.export.CSV").read_text(encoding="utf-8").splitlines()[0].split("\t")
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            row[0] = str(start + i)
            out.write("\t".join(row) + "\n")
    return path


def test_streaming_commits_batches_and_a_rerun_resumes(db, tmp_path, monkeypatch):
    path = _gdelt_file(tmp_path / "big.export.CSV", 250)
    monkeypatch.setattr(ingest, "BATCH_ROWS", 50)
    monkeypatch.setattr(ingest, "COMMIT_ROWS", 100)
    real = ingest.insert_event_rows
    calls = {"n": 0}

    def dies_on_fifth_batch(*a, **k):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return real(*a, **k)
    monkeypatch.setattr(ingest, "insert_event_rows", dies_on_fifth_batch)
    with pytest.raises(KeyboardInterrupt):
        import_paths(db, [path])
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 200      # two batches committed
    assert db.execute("SELECT status, imported FROM imports").fetchall() == [("running", 200)]
    monkeypatch.setattr(ingest, "insert_event_rows", real)
    [f] = import_paths(db, [path]).files                                        # not skipped: still running
    assert (f.status, f.imported, f.duplicates) == ("imported", 50, 200)
    assert db.execute("SELECT count(*), status FROM imports").fetchall() == [(1, "imported")]
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 250


def test_streaming_failure_keeps_committed_batches_and_reports(db, tmp_path, monkeypatch):
    path = _gdelt_file(tmp_path / "big.export.CSV", 250)
    monkeypatch.setattr(ingest, "BATCH_ROWS", 100)
    monkeypatch.setattr(ingest, "COMMIT_ROWS", 100)
    real = ingest.insert_event_rows
    calls = {"n": 0}

    def full_disk(*a, **k):
        calls["n"] += 1
        if calls["n"] == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(*a, **k)
    monkeypatch.setattr(ingest, "insert_event_rows", full_disk)
    r = import_paths(db, [path])
    f = r.files[0]
    assert f.status == "failed" and r.exit_code == 1
    assert "re-import to resume" in str(f.errors[0]) and "disk is full" in str(f.errors[0])
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 100
    assert f.imported == 100
    monkeypatch.setattr(ingest, "insert_event_rows", real)
    [f] = import_paths(db, [path]).files
    assert (f.status, f.imported, f.duplicates) == ("imported", 150, 100)


def test_streaming_uses_constant_memory(db, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "BATCH_ROWS", 1000)

    def peak_of(n: int) -> tuple[int, list]:
        path = _gdelt_file(tmp_path / f"big{n}.export.CSV", n, start=100_000_000 + n * 10)
        seen = []
        tracemalloc.start()
        try:
            [f] = import_paths(db, [path], on_rows=lambda p, k, frac: seen.append((k, frac))).files
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert f.imported == n
        return peak, seen

    small, _ = peak_of(4_000)
    big, seen = peak_of(24_000)          # about 10 MB of text
    assert big < small * 1.3 + 200_000, (small, big)
    assert big < 5_000_000, big
    assert len(seen) >= 24 and seen[-1][0] == 24_000 and seen[-1][1] == pytest.approx(1.0, abs=0.01)


def test_running_import_row_is_visible_while_streaming(db, tmp_path, monkeypatch):
    path = _gdelt_file(tmp_path / "big.export.CSV", 30)
    monkeypatch.setattr(ingest, "BATCH_ROWS", 10)
    monkeypatch.setattr(ingest, "COMMIT_ROWS", 10)
    statuses = []
    from dashboard.store import open_store
    reader = open_store(db.conn.execute("PRAGMA database_list").fetchone()[2])
    import_paths(db, [path], on_rows=lambda p, n, frac: statuses.append(
        reader.execute("SELECT status, imported FROM imports").fetchone()))
    reader.conn.close()
    assert statuses[0] == ("running", 10) and statuses[-2] == ("running", 30)
    assert db.execute("SELECT status FROM imports").fetchone()[0] == "imported"


# --- the real files of ../shared/data ------------------------------------------------------

def _real_event_files() -> list[Path]:
    root = SHARED / "data"
    if not root.exists():
        return []
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and stream_format(p.name, p.open("rb").read(ingest.HEAD_BYTES)):
            out.append(p)
    return out


def _data_rows(path: Path) -> int:
    """Data rows counted independently of the importers: non-blank records, minus a header row."""
    text = path.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    if first.count("\t") > first.count(","):
        if first.split("\t")[0].strip().isdigit():                 # raw GDELT: one row a line, no header
            return sum(1 for ln in text.split("\n") if ln.strip())
        delim = "\t"
    else:
        delim = ","
    return sum(1 for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim) if any(c.strip() for c in r)) - 1


REAL = _real_event_files()


@pytest.mark.shared
@pytest.mark.skipif(not REAL, reason="../shared/data is not present")
@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_event_files_add_up_and_reimport_adds_nothing(db, path):
    [f] = import_paths(db, [path]).files
    assert f.status == "imported", f.errors[:3]
    assert f.rows_read == _data_rows(path)
    assert f.rows_read == f.imported + f.duplicates + f.failed + f.filtered
    n = db.execute("SELECT count(*) FROM events").fetchone()[0]
    assert n == f.imported
    [again] = import_paths(db, [path], force=True).files
    assert (again.imported, again.duplicates) == (0, f.imported + f.duplicates)
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == n


@pytest.mark.shared
def test_real_counts_match_sources_md(db):
    data = SHARED / "data"
    files = {"gdelt2": data / "arekziobrowski__gdelt-big-data" / "20191024143000.export.CSV",
             "aug2012": data / "mpiccirilli__UNDP-BCPR-Project" / "aug2012.csv",
             "mixed": data / "reed9999__gdelt-demo" / "events.csv",
             "icews": data / "andybega__icews" / "events.2018.sample.tab",
             "acled": data / "RPanlilio__acled" / "acled.csv"}
    if not all(p.exists() for p in files.values()):
        pytest.skip("../shared/data is not present")
    r = import_paths(db, list(files.values()))
    assert [f.rows_read for f in r.files] == [2111, 1255, 710, 3705, 5071]

    def pair(src_like, a, b):
        return db.execute("SELECT count(*) FROM events e JOIN imports i ON i.id = e.import_id "
                          "WHERE i.path LIKE ? AND pair_a = ? AND pair_b = ?", [src_like, a, b]).fetchone()[0]

    def actor(src_like, a):
        """Actor slots holding `a` (an event RUS-RUS counts twice), as SOURCES.md counts them."""
        return db.execute("SELECT sum((actor1 IS ?) + (actor2 IS ?)) FROM events e JOIN imports i "
                          "ON i.id = e.import_id WHERE i.path LIKE ?", [a, a, src_like]).fetchone()[0]
    assert (pair("%20191024143000%", "BLR", "RUS"), pair("%20191024143000%", "UKR", "USA"),
            pair("%20191024143000%", "NOR", "RUS")) == (8, 10, 17)
    assert pair("%aug2012%", "RUS", "USA") == 44
    assert [actor("%20191024143000%", c) for c in ("BLR", "RUS", "UKR", "POL", "LTU", "USA")] == [15, 92, 33, 6, 4, 676]
    assert [actor("%aug2012%", c) for c in ("RUS", "USA", "GEO", "UKR", "BLR", "POL")] == [250, 282, 80, 12, 5, 5]
    assert [actor("%events.2018%", c) for c in ("RUS", "UKR", "BLR", "LTU", "POL", "USA")] == [351, 145, 16, 20, 15, 742]
    assert db.execute("SELECT count(*) FROM events WHERE source = 'acled' AND json_extract(extra, '$.country') = 'Belarus' "
                      "AND actor1 = 'BLR'").fetchone()[0] == 19
    # FIPS geo codes stay FIPS: Minsk rows carry BO, never an ISO code
    assert db.execute("SELECT count(*) FROM events WHERE geo LIKE '%Minsk%[FIPS BO]'").fetchone()[0] > 0


# --- encodings and spreadsheet damage --------------------------------------------------------

def test_utf16_excel_unicode_text_export(db, tmp_path):
    path = tmp_path / "icews_utf16.txt"
    path.write_bytes((EV / "icews_sample.tab").read_text(encoding="utf-8").encode("utf-16"))
    [f] = import_paths(db, [path]).files
    assert (f.format, f.imported, f.failed) == ("icews", 5, 3)


def test_crlf_stray_cr_and_a_stray_cp1252_byte_in_a_utf8_gdelt_file(db, tmp_path):
    rows = (EV / "gdelt2.export.CSV").read_text(encoding="utf-8").splitlines()
    first = rows[0].replace("Minsk, Horad Minsk, Belarus", "Bras\u00edlia, Distrito Federal, Brazil")
    second = rows[1].replace("Kyiv, Kyyiv, Misto, Ukraine", "Kyiv\rcentre")
    data = (first + "\r\n" + second + "\r\n").encode("utf-8")
    data = data.replace("Bras\u00edlia".encode("utf-8"), b"Bras\xedlia")         # one byte of cp1252
    path = tmp_path / "mixed.export.CSV"
    path.write_bytes(data)
    [f] = import_paths(db, [path]).files
    assert (f.format, f.imported, f.failed) == ("gdelt", 2, 0), f.errors
    geos = [r[0] for r in db.execute("SELECT geo FROM events ORDER BY source_event_id")]
    assert geos == ["Bras\u00edlia, Distrito Federal, Brazil [FIPS BO]", "Kyiv\rcentre [FIPS UP]"]


def test_spreadsheet_rounded_event_ids_are_rejected():
    head = "GLOBALEVENTID,SQLDATE,EventCode\n"
    items = list(gdelt.parse(head + "8.81991E+08,20191024,040\n8.81990832E+08,20191024,040\n", "x.csv"))
    assert isinstance(items[0], RowError) and items[0].field == "GLOBALEVENTID"
    assert isinstance(items[1], EventRecord) and items[1].source_event_id == "881990832"


def test_acled_older_numeric_dates():
    assert acled.parse_acled_date("18/01/1997") == "1997-01-18"
    assert acled.parse_acled_date("5/13/2020") == "2020-05-13"
    with pytest.raises(ValueError):
        acled.parse_acled_date("someday")


def _events(db) -> list[tuple]:
    return db.execute("SELECT source, source_event_id, date, actor1, actor2, pair_a, pair_b, cameo_code, "
                      "quad_class, goldstein, avg_tone, extra FROM events ORDER BY source_event_id").fetchall()


def test_streaming_with_a_parser_process_gives_the_same_store(tmp_path, monkeypatch):
    # The CLI parses in a forked process (workers > 1) while it writes: same rows, same report.
    from dashboard.store import open_store
    path = _gdelt_file(tmp_path / "big.export.CSV", 2_500)
    with open(path, "a", encoding="utf-8") as out:
        out.write("not\ta\tgdelt\trow\n")
    monkeypatch.setattr(ingest, "BATCH_ROWS", 300)
    monkeypatch.setattr(ingest, "COMMIT_ROWS", 1_000)
    seen: dict[int, list] = {1: [], 2: []}
    stores = {}
    for workers in (1, 2):
        db = stores[workers] = open_store(tmp_path / f"w{workers}.db")
        [f] = import_paths(db, [path], workers=workers,
                           on_rows=lambda p, n, frac, w=workers: seen[w].append(n)).files
        assert (f.status, f.rows_read, f.imported, f.failed, f.events) == ("imported", 2_501, 2_500, 1, 2_500)
        assert [str(e) for e in f.errors] == ["line 2501: 4 fields; a GDELT event row has 57, 58 or 61 "
                                              "tab-separated fields"]
    assert seen[1] == seen[2] == [300 * k for k in range(1, 9)] + [2_501]
    assert _events(stores[1]) == _events(stores[2]) and len(_events(stores[1])) == 2_500


def test_parser_failure_mid_file_keeps_the_rows_already_written(db, tmp_path, monkeypatch):
    path = _gdelt_file(tmp_path / "big.export.CSV", 250)
    monkeypatch.setattr(ingest, "BATCH_ROWS", 50)
    monkeypatch.setattr(ingest, "COMMIT_ROWS", 1_000)     # nothing committed before the failure
    real = ingest.STREAM_FORMATS["gdelt"]

    def breaks_after_120(lines, name, unknown):
        for i, item in enumerate(real(lines, name, unknown)):
            if i == 120:
                raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
            yield item
    monkeypatch.setitem(ingest.STREAM_FORMATS, "gdelt", breaks_after_120)
    for workers in (1, 2):
        db.execute("DELETE FROM events")
        db.execute("DELETE FROM imports")
        db.conn.commit()
        [f] = import_paths(db, [path], workers=workers).files
        assert f.status == "failed" and "after 100 rows" in str(f.errors[0]) and "invalid start byte" in str(f.errors[0])
        assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 100 == f.imported
        assert db.execute("SELECT status, imported FROM imports").fetchall() == [("failed", 100)]
