"""Importing article pages saved as text: the seed page, our own fixtures, bad files, encodings."""
from __future__ import annotations

import shutil

from dashboard.ingest import import_bytes, import_paths
from dashboard.ingest.dateline import parse_published
from dashboard.store import fts_in_sync

from conftest import FIXTURES


def test_seed_page_imports_one_article_one_stub_and_one_link(db, seed_path):
    report = import_paths(db, [seed_path])
    assert report.exit_code == 0
    f = report.files[0]
    assert (f.status, f.format, f.imported, f.duplicates, f.links) == ("imported", "page-text", 2, 0, 1)
    main = db.execute("SELECT id, title, published_at, body, is_stub FROM articles WHERE is_stub = 0").fetchone()
    assert main[1] == "Minsk’s attempt to benefit from the conflict between Moscow and Washington failed"
    assert main[2] == "2016-04-22 17:51"
    paras = main[3].split("\n\n")
    assert len(paras) == 6
    assert paras[0].startswith("On 21 November an anonymous source")
    assert paras[-1].endswith("narrowed the space for political maneuver.")
    stub = db.execute("SELECT id, title, published_at, body FROM articles WHERE is_stub = 1").fetchone()
    assert stub[1] == "Minsk hopes Warsaw would revise decision regarding ban on electricity supply from Belarusian NPP"
    assert stub[2] == "2017-04-17 13:03"
    assert stub[3].startswith("Last week, Belarusian Foreign Minister Makei")
    assert "\n" not in stub[3]
    assert db.execute("SELECT from_id, to_id, kind FROM article_links").fetchall() == [(main[0], stub[0], "editorial_similar")]


def test_seed_page_actors(db, seed_path):
    import_paths(db, [seed_path])
    main = dict(db.execute("SELECT m.actor, m.count FROM mentions m JOIN articles a ON a.id = m.article_id WHERE a.is_stub = 0").fetchall())
    assert set(main) == {"BLR", "RUS", "USA", "NATO"}
    stub = {r[0] for r in db.execute("SELECT m.actor FROM mentions m JOIN articles a ON a.id = m.article_id WHERE a.is_stub = 1")}
    assert {"BLR", "POL", "LTU"} <= stub
    pairs = {(a, b) for a, b in db.execute("SELECT pair_a, pair_b FROM article_pairs p JOIN articles a ON a.id = p.article_id WHERE a.is_stub = 0")}
    assert {("BLR", "RUS"), ("RUS", "USA"), ("BLR", "USA")} <= pairs


def test_reimport_is_a_duplicate_and_changes_nothing(db, seed_path):
    import_paths(db, [seed_path])
    before = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    again = import_paths(db, [seed_path])
    assert [(f.status, f.imported) for f in again.files] == [("duplicate", 0)]
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == before
    forced = import_paths(db, [seed_path], force=True)
    assert (forced.files[0].imported, forced.files[0].duplicates) == (0, 1)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == before


def test_own_page_fixture_with_similar_block(db):
    report = import_paths(db, [FIXTURES / "pages" / "milk_war.txt"])
    f = report.files[0]
    assert (f.status, f.imported, f.links) == ("imported", 2, 1)
    title, published, body = db.execute("SELECT title, published_at, body FROM articles WHERE is_stub = 0").fetchone()
    assert title == "Moscow lifts the dairy ban, but the “milk war” leaves Minsk wary"
    assert published == "2009-06-19 16:40"
    assert len(body.split("\n\n")) == 4
    assert db.execute("SELECT title, published_at FROM articles WHERE is_stub = 1").fetchone() == (
        "Lukashenko skips Moscow summit over dairy ban", "2009-06-15 09:05")


def test_stub_is_upgraded_when_its_full_page_arrives(db, tmp_path):
    import_paths(db, [FIXTURES / "pages" / "milk_war.txt"])
    stub_id = db.execute("SELECT id FROM articles WHERE is_stub = 1").fetchone()[0]
    page = tmp_path / "full.txt"
    page.write_text("Lukashenko skips Moscow summit over dairy ban\n\nJune 15, 2009 09:05\n\n"
                    "Belarusian President Lukashenko stayed away from the summit in Moscow yesterday, protesting "
                    "against the Russian ban on Belarusian milk.\n\nThe full text goes on here.\n", encoding="utf-8")
    report = import_paths(db, [page])
    assert report.files[0].imported == 1
    assert db.execute("SELECT id, is_stub FROM articles WHERE title LIKE 'Lukashenko skips%'").fetchall() == [(stub_id, 0)]
    assert db.execute("SELECT count(*) FROM article_links WHERE to_id = ?", [stub_id]).fetchone()[0] == 1


def test_date_line_formats():
    assert parse_published("April 22, 2016 17:51") == "2016-04-22 17:51"
    assert parse_published("April 22, 2016") == "2016-04-22"
    assert parse_published("22 April 2016") == "2016-04-22"
    assert parse_published("Friday, August 7, 2020") == "2020-08-07"
    assert parse_published("22.04.2016") == "2016-04-22"
    assert parse_published("2016-04-22") == "2016-04-22"


def test_windows_1251_page_is_decoded_to_unicode(db):
    report = import_paths(db, [FIXTURES / "pages" / "cp1251_ostrovets.txt"])
    assert report.files[0].status == "imported"
    body = db.execute("SELECT body FROM articles").fetchone()[0]
    assert body.startswith("Литва вручила ноту протеста послу Беларуси в Вильнюсе")


def test_utf8_bom_and_crlf_page(db):
    data = "\ufeffTitle with BOM about Minsk and Moscow\r\n\r\nApril 22, 2016\r\n\r\nBody about Minsk.\r\n".encode("utf-8")
    [f] = import_bytes(db, "bom.txt", data)
    assert f.status == "imported"
    assert db.execute("SELECT title, body FROM articles").fetchone() == ("Title with BOM about Minsk and Moscow", "Body about Minsk.")


def test_bad_files_fail_with_line_and_field_and_leave_nothing(db, tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "bad", folder / "bad")
    shutil.copy(FIXTURES / "pages" / "astravets.txt", folder / "good.txt")
    report = import_paths(db, [folder])
    by_name = {f.path.rsplit("/", 1)[-1]: f for f in report.files}
    assert by_name["good.txt"].status == "imported"
    assert report.exit_code == 1
    assert by_name["no_date.txt"].status == "failed"
    assert str(by_name["no_date.txt"].errors[0]) == "line 3, field published_at: no parseable date in 'some body text that goes on'"
    assert str(by_name["no_body.txt"].errors[0]) == "line 4, field body: no body text after the date line (truncated page?)"
    assert str(by_name["empty.txt"].errors[0]) == "file: empty file"
    assert by_name["binary.txt"].status == "failed"
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM imports WHERE status = 'failed'").fetchone()[0] == 4
    assert fts_in_sync(db)


def test_failed_file_mid_write_rolls_back(db, monkeypatch):
    import dashboard.ingest.write as write

    def boom(*a, **k):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(write, "analyse_article", boom)
    [f] = import_bytes(db, "x.txt", (FIXTURES / "pages" / "milk_war.txt").read_bytes())
    assert f.status == "failed"
    assert "disk on fire" in str(f.errors[0])
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM article_links").fetchone()[0] == 0


def test_stub_with_a_url_is_upgraded_by_its_page(db):
    from dashboard.ingest.records import ArticleRecord
    from dashboard.ingest.write import write_article
    stub = ArticleRecord(title="Teaser title", published_at="2020-01-01", body="Lead.", url="https://e.org/p", is_stub=True)
    main = ArticleRecord(title="Main page", published_at="2020-01-02", body="Main body.", similar=[stub])
    write_article(db, main)
    stub_id = db.execute("SELECT id FROM articles WHERE is_stub = 1").fetchone()[0]
    full = ArticleRecord(title="Teaser title, full", published_at="2020-01-01", body="Lead. And more.", url="https://e.org/p")
    assert write_article(db, full)[:2] == (stub_id, "upgraded")
    assert db.execute("SELECT is_stub, body FROM articles WHERE id = ?", [stub_id]).fetchone() == (0, "Lead. And more.")


def test_a_huge_line_does_not_stop_the_next_files(db, tmp_path):
    huge = tmp_path / "a_huge.txt"
    huge.write_text("Title\n\nApril 22, 2016\n\n" + "Minsk " * 40000 + "\n", encoding="utf-8")
    good = tmp_path / "b_good.txt"
    good.write_text((FIXTURES / "pages" / "astravets.txt").read_text(encoding="utf-8"), encoding="utf-8")
    report = import_paths(db, [huge, good])
    assert [f.status for f in report.files] == ["imported", "imported"]


def test_pair_dates_follow_an_upgraded_stub(db, tmp_path):
    # article_pairs carries each article's dates (the pair + date filter reads it alone): a stub
    # upgraded by a page with another date must move in the pair's date filter too.
    from dashboard.queries.articles import count_articles
    from dashboard.queries.filters import Filter
    import_paths(db, [FIXTURES / "pages" / "milk_war.txt"])
    page = tmp_path / "full.txt"
    page.write_text("Lukashenko skips Moscow summit over dairy ban\n\nJune 16, 2009 10:00\n\n"
                    "Belarusian President Lukashenko stayed away from the summit in Moscow, protesting "
                    "against the Russian ban on Belarusian milk.\n", encoding="utf-8")
    import_paths(db, [page])
    stale = db.execute("SELECT count(*) FROM article_pairs p JOIN articles a ON a.id = p.article_id "
                       "WHERE p.published_date IS NOT a.published_date OR p.published_at IS NOT a.published_at")
    assert stale.fetchone()[0] == 0
    day = {"pair": ("BLR", "RUS")}
    assert count_articles(db, Filter.build(**day, date_from="2009-06-16", date_to="2009-06-16")) == 1
    assert count_articles(db, Filter.build(**day, date_from="2009-06-15", date_to="2009-06-15")) == 0
