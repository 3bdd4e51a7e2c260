"""The tables of knowledge: their one reader, the CAMEO codebook and the countries/actors module."""
from __future__ import annotations

import sqlite3

import pytest

import dashboard.knowledge as knowledge
from dashboard.knowledge import TableError, parse_table, read_table
from dashboard.knowledge.cameo import QUAD_NAMES, cameo, codebook, event_fields, goldstein, quad_class, quad_class_or_none
from dashboard.knowledge.countries import BLOCS, country_from_name, is_actor_code


# ----------------------------------------------------------------------------- the reader

@pytest.fixture
def tables(tmp_path, monkeypatch):
    """A private tables/ folder for the reader."""
    monkeypatch.setattr(knowledge, "TABLES_DIR", tmp_path)
    return tmp_path


def test_comment_rule_is_hash_at_line_start_only(tables):
    (tables / "t.tsv").write_text("# a comment\n\na\tb # not a comment\n  # indented: data\n\t\n#x\ty\n",
                                  encoding="utf-8")
    rows = read_table("t.tsv")
    assert rows == [["a", "b # not a comment"], ["# indented: data"]]
    assert [r.line for r in rows] == [3, 4]


def test_csv_by_extension_and_header_checked(tables):
    (tables / "t.csv").write_text('# note\nname,value\n"a, b",1\n', encoding="utf-8")
    assert read_table("t.csv", header=("name", "value")) == [["a, b", "1"]]
    with pytest.raises(TableError, match=r"^tables/t\.csv line 2: expected the header name \| count"):
        read_table("t.csv", header=("name", "count"))


def test_errors_name_file_and_line(tables):
    (tables / "t.tsv").write_text("# c\nx\t1\ny\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"^tables/t\.tsv line 3: expected at least 2"):
        read_table("t.tsv", width=2)
    (tables / "n.tsv").write_text("x\t1\ny\tnot a number\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"^tables/n\.tsv line 2: invalid literal"):
        parse_table("n.tsv", lambda r: (r[0], int(r[1])))


def test_every_shipped_table_reads():
    for path in sorted(knowledge.TABLES_DIR.iterdir()):
        assert read_table(path.name), path.name


# ----------------------------------------------------------------------------- CAMEO

@pytest.mark.parametrize("root, quad", [(f"{r:02d}", 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4)
                                        for r in range(1, 21)])
def test_quad_class_of_every_root(root, quad):
    assert quad_class(root) == quad
    assert quad_class(root + "1" if root + "1" in codebook() else root) == quad
    assert quad_class_or_none(root) == quad


@pytest.mark.parametrize("bad", ["00", "99", "21", "x1", "", "0"])
def test_quad_class_refuses_what_is_not_a_root(bad):
    with pytest.raises(ValueError, match="not a CAMEO root code"):
        quad_class(bad)
    assert quad_class_or_none(bad) is None


def test_codebook_rows_agree_with_their_root():
    assert len(codebook()) == 311
    for code, row in codebook().items():
        assert row["root"] == code[:2] and row["quad_class"] == quad_class(code)
    assert cameo("0312")["goldstein"] == goldstein("0312") == 5.2
    assert set(QUAD_NAMES) == {1, 2, 3, 4}


def test_event_fields_refuse_made_up_codes():
    assert event_fields("042") == {"root_code": "04", "quad_class": 1, "goldstein": 1.9}
    for bad in ("99", "0499", "abc", ""):
        with pytest.raises(ValueError, match="not a CAMEO event code"):
            event_fields(bad)


def test_edit_event_refuses_99(tmp_path):
    from dashboard.queries.events import edit_event
    from dashboard.store import open_store
    db = open_store(tmp_path / "s.db")
    db.conn.execute("INSERT INTO events (source, source_event_id, date, actor1, actor2, cameo_code, root_code, "
                    "quad_class, goldstein) VALUES ('manual', 'k1', '2020-01-01', 'BLR', 'RUS', '042', '04', 1, 1.9)")
    db.conn.commit()
    (eid,) = db.execute("SELECT id FROM events").fetchone()
    with pytest.raises(ValueError, match="'99' is not a CAMEO event code"):
        edit_event(db, eid, {"cameo_code": "99"})
    assert db.execute("SELECT cameo_code, quad_class, goldstein FROM events").fetchone() == ("042", 1, 1.9)
    assert db.execute("SELECT count(*) FROM edits").fetchone()[0] == 0
    edit_event(db, eid, {"cameo_code": "190"})
    assert db.execute("SELECT cameo_code, root_code, quad_class, goldstein FROM events").fetchone() == (
        "190", "19", 4, -10.0)


# ----------------------------------------------------------------------------- countries

@pytest.mark.parametrize("code", ["BLR", "RUS", "USA", "XKX", "EU", "NATO", "SUN", "YUG"])
def test_is_actor_code_yes(code):
    assert is_actor_code(code)


@pytest.mark.parametrize("code", [None, "", "blr", "EUR", "AFR", "RUSGOV", "NAT", "EEC", "XYZ", "B LR"])
def test_is_actor_code_no(code):
    assert not is_actor_code(code)


def test_blocs_and_names():
    assert BLOCS == {"EU": "European Union", "NATO": "NATO"}
    assert country_from_name("Russian Federation") == country_from_name("the Russia") == "RUS"
    assert country_from_name("European Union") == "EU"
    for missing in (None, "", "  ", "NA", "nonsense"):
        assert country_from_name(missing) is None


def test_one_home_for_blocs_and_actor_codes():
    from dashboard.analysis import actors
    from dashboard.ingest import gdelt
    assert actors.BLOCS is BLOCS
    assert not hasattr(gdelt, "is_country_actor") and not hasattr(gdelt, "quad_for_root")
