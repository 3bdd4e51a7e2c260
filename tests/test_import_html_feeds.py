"""Importing saved HTML pages and RSS/Atom feeds, and the upload helpers of the Import page.

Fixtures: tests/fixtures/html (a page dated only by <time datetime>, a Windows-1251 page,
a page with a "Related articles" block, a page with <script> as visible text, the C14
snippet) and tests/fixtures/feeds (the C13 feed, a feed with broken items, an Atom feed
whose entries fall back to the feed date). The real files of ../shared/data are
imported too when present.
"""
from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

import pytest

from dashboard.app import uploads
from dashboard.queries.articles import count_articles, list_articles
from dashboard.queries.filters import Filter
from dashboard.ingest import detect_format, import_bytes, import_paths
from dashboard.ingest import html as htmlmod
from dashboard.ingest.feeds import item_lines, parse_feed_date
from dashboard.store import fts_in_sync

from conftest import FIXTURES, ROOT, SHARED

HTML = FIXTURES / "html"
FEEDS = FIXTURES / "feeds"
DATA = SHARED / "data"

# Text that must never reach a stored body: page furniture of the fixtures and the real pages.
BOILERPLATE = ("Home", "cookies", "Accept", "Facebook", "Twitter", "Show discussion", "Comment", "Football",
               "All rights reserved", "Most read", "Share", "Tweet", "Contact us", "Continue reading",
               "Read the full", "From the section", "Image copyright", "Username", "Advertisement",
               "Related:", "Related Coverage", "More on this story", "Sign in", "Subscribe")


def articles(db, where: str = "1", params=()) -> list[dict]:
    cur = db.execute(f"SELECT * FROM articles WHERE {where} ORDER BY id", list(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


# Furniture of the real pages and feeds of ../shared/data (words such as "Twitter" occur in their articles).
REAL_BOILERPLATE = ("Continue reading", "Read the full", "From the section", "Image copyright", "Username",
                    "Advertisement", "Related:", "Related Coverage", "More on this story", "Top Stories",
                    "Most read", "Most watched", "Show discussion", "Share this", "Sign in", "cookies",
                    "Skip to", "BBC navigation", "Accessibility links", "Explore the BBC")


def no_boilerplate(body: str, phrases: tuple[str, ...] = BOILERPLATE) -> list[str]:
    """The BOILERPLATE phrases found in `body` as whole words, and its paragraphs that are page furniture."""
    found = [w for w in phrases if re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", body)]
    return found + [p for p in body.split("\n\n") if htmlmod.is_boilerplate(p)]


# --- sniffing ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, text, fmt", [
    ("page.html", "<p>x</p>", "html"),
    ("page.htm", "no markup at all", "html"),
    ("saved.txt", "<!DOCTYPE html>\n<html><body><p>x</p></body></html>", "html"),
    ("saved", "  <html lang='en'><body>x</body></html>", "html"),
    ("news.xml", '<?xml version="1.0"?>\n<!-- Source: x -->\n<rss version="2.0"><channel/></rss>', "feed"),
    ("news.xml", '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
    ("news.rss", "anything", "feed"),
    ("news.atom", "anything", "feed"),
    ("old.xml", '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "x.dtd"><rss/>', "feed"),
    ("note.xml", '<?xml version="1.0"?><note>hello</note>', None),
    ("a.txt", "A title\n\nApril 22, 2016 17:51\n\nBody text.\n", "page-text"),
])
def test_formats_are_sniffed_by_extension_and_content(name, text, fmt):
    assert detect_format(name, text) == fmt


# --- HTML pages -------------------------------------------------------------------------

def test_date_only_in_time_datetime_and_boilerplate_left_out(db):
    report = import_paths(db, [HTML / "time_only.html"])
    f = report.files[0]
    assert (f.status, f.format, f.imported, f.failed) == ("imported", "html", 1, 0)
    [a] = articles(db)
    assert a["title"] == "Vilnius and Minsk trade accusations over the Astravets plant"
    assert a["published_at"] == "2019-03-15 14:30"  # the page's own local time (C18)
    assert a["date_note"] is None
    assert a["language"] == "en"
    paras = a["body"].split("\n\n")
    assert len(paras) == 4
    assert paras[0] == ("Lithuania's foreign ministry said on Friday that Belarus had again refused to share the "
                        "results of the stress tests carried out at the nuclear power plant in Astravets, some "
                        "fifty kilometres from Vilnius.")
    assert paras[-1] == ("The dispute has grown sharper since the first reactor building was completed, and both "
                         "governments expect the question to return at the next meeting of the Espoo Convention "
                         "parties.")
    assert no_boilerplate(a["body"]) == []
    assert "Friday afternoon" not in a["body"]


def test_time_datetime_is_the_fallback_when_trafilatura_finds_no_date():
    page = ("<html><body><article><h1>Old news from Minsk</h1><p>" + "Belarus and Poland talked. " * 20 +
            "</p><p>Posted <time datetime='1992-02-03T08:15'>long ago</time></p></article></body></html>")
    [rec] = list(htmlmod.parse(page, "old.html"))
    assert rec.published_at == "1992-02-03 08:15"  # htmldate ignores dates before 1995
    assert htmlmod.parse_time_attr("2021-03-04") == "2021-03-04"
    assert htmlmod.parse_time_attr("2021-03-04T10:20:00+02:00") == "2021-03-04 10:20"
    assert htmlmod.parse_time_attr("2021-03-04T10:20Z") == "2021-03-04 10:20"
    assert htmlmod.parse_time_attr("yesterday") is None


def test_windows_1251_page(db):
    data = (HTML / "cp1251.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    [f] = import_bytes(db, "cp1251.html", data)
    assert (f.status, f.format, f.imported) == ("imported", "html", 1)
    [a] = articles(db)
    assert a["title"] == "Минск и Москва договорились о цене на газ"
    assert a["published_at"] == "2017-04-03 18:15"
    assert a["language"] == "ru"
    paras = a["body"].split("\n\n")
    assert paras[0].startswith("Белоруссия и Россия урегулировали спор о цене на газ")
    assert paras[-1] == ("Стороны также договорились обсудить формулу цены на газ на следующие годы "
                         "и создать рабочую группу по энергетике.")
    assert "Главная" not in a["body"] and "Поделиться" not in a["body"]


def test_meta_charset_repairs_a_wrong_guess():
    page = ('<html><head><meta charset="windows-1251"><title>Минск</title></head>'
            '<body><p>Белоруссия и Литва</p></body></html>')
    misread = page.encode("cp1251").decode("cp1252", errors="replace")
    assert htmlmod.repair_charset(misread) == page
    assert htmlmod.repair_charset(page) == page
    assert htmlmod.repair_charset("<meta charset='utf-8'><p>Zürich</p>") == "<meta charset='utf-8'><p>Zürich</p>"


def test_related_articles_block_gives_stubs_and_links(db):
    report = import_paths(db, [HTML / "related.html"])
    f = report.files[0]
    assert (f.status, f.imported, f.links) == ("imported", 3, 2)
    [main] = articles(db, "is_stub = 0")
    assert main["title"] == "Moscow lifts the dairy ban on Belarusian producers"
    assert main["url"] == "https://news.example.org/2009/06/19/dairy-ban-lifted"  # canonical beats og:url
    assert main["published_at"] == "2009-06-19 16:40"
    assert (main["author"], main["section"], main["source"], main["language"]) == (
        "Piotr Nowak", "Economy", "Example Observer", "en")
    paras = main["body"].split("\n\n")
    assert len(paras) == 4
    assert paras[-1].endswith("several large producers remain on the list of banned suppliers.")
    assert "Related articles" not in main["body"] and "Lukashenko skips" not in main["body"]
    assert no_boilerplate(main["body"]) == []
    stubs = [(s["title"], s["url"], json.loads(s["extra"])["link"], s["published_at"], s["body"])
             for s in articles(db, "is_stub = 1")]
    assert stubs == [
        ("Lukashenko skips Moscow summit over dairy ban", None,
         "https://news.example.org/2009/06/15/lukashenko-skips-summit", "2009-06-15 09:05",
         "The Belarusian president stayed away from the summit in Moscow in protest against the ban on Belarusian milk."),
        ("What the milk war means for the Union State", None, "https://other.example.com/milk-war-explained",
         "2009-06-10", "An explainer on the trade dispute between Russia and Belarus."),
    ]
    links = db.execute("SELECT from_id, to_id, kind FROM article_links ORDER BY to_id").fetchall()
    assert [(a, k) for a, _, k in links] == [(main["id"], "editorial_similar")] * 2


def test_html_stub_is_upgraded_when_its_full_page_arrives(db):
    import_paths(db, [HTML / "related.html"])
    stub_id = db.execute("SELECT id FROM articles WHERE title LIKE 'Lukashenko skips%'").fetchone()[0]
    page = ("<html><head><link rel='canonical' href='https://news.example.org/2009/06/15/lukashenko-skips-summit'>"
            "<meta property='article:published_time' content='2009-06-15T09:05:00+03:00'></head><body><article>"
            "<h1>Lukashenko skips Moscow summit over dairy ban</h1>"
            "<p>Belarusian President Lukashenko stayed away from the summit in Moscow yesterday, protesting against "
            "the Russian ban on Belarusian milk.</p><p>The full text of the report goes on here, with the reactions "
            "of the Kremlin and of the other members of the organisation to the empty Belarusian seat.</p>"
            "</article></body></html>")
    [f] = import_bytes(db, "full.html", page.encode())
    assert (f.status, f.imported, f.duplicates) == ("imported", 1, 0)
    row = db.execute("SELECT id, is_stub, url, published_at FROM articles WHERE title LIKE 'Lukashenko skips%'").fetchall()
    assert row == [(stub_id, 0, "https://news.example.org/2009/06/15/lukashenko-skips-summit", "2009-06-15 09:05")]
    assert db.execute("SELECT count(*) FROM article_links WHERE to_id = ?", [stub_id]).fetchone()[0] == 1


def test_related_heading_never_swallows_article_text():
    page = ("<html><body><aside><h3>Related</h3></aside><div class='story'><p>"
            + "Belarus and Lithuania argued again about the plant. " * 20
            + "<a href='/x'>an inline link here</a></p><p>" + "More text about the talks in Vilnius. " * 10
            + "</p></div></body></html>")
    [rec] = list(htmlmod.parse(page, "x.html"))
    assert rec.similar == []
    assert rec.body.startswith("Belarus and Lithuania argued again") and "an inline link here" in rec.body


def test_script_as_visible_text_is_kept_and_real_scripts_are_not(db):
    import_paths(db, [HTML / "script_text.html"])
    [a] = articles(db)
    assert a["published_at"] == "2021-05-04"
    paras = a["body"].split("\n\n")
    assert paras[1] == ("Typing <script>alert(1)</script> into the box made the page run the code, the team wrote "
                        "in its report to the Estonian and Latvian authorities.")
    assert len(paras) == 3
    for leaked in ("Iran", "secret", "injected-by-script", "head-script-should-not-appear", "style-text"):
        assert leaked not in a["body"] and leaked not in a["title"]
    assert not db.execute("SELECT 1 FROM mentions WHERE actor = 'IRN'").fetchone()


def test_c14_blocks_are_separated_entities_decoded_script_excluded(db):
    report = import_paths(db, [HTML / "c14.html"])
    assert report.files[0].status == "imported"
    [a] = articles(db)
    text = a["title"] + "\n\n" + a["body"]
    assert a["title"] == "Armenia"
    assert a["body"].split("\n\n") == ["Azerbaijan and Armenia resume border talks.", "Tbilisi", "Baku",
                                       "Yerevan", "Baku office"]
    for glued in ("ArmeniaAzerbaijan", "TbilisiBaku", "YerevanBaku", "&nbsp;", "\xa0", "Iran"):
        assert glued not in text
    assert a["published_at"] is None and a["date_note"] == "no publication date on the page"
    assert not db.execute("SELECT 1 FROM mentions WHERE actor = 'IRN'").fetchone()
    assert count_articles(db, Filter.build(query="Azerbaijan")) == 1
    assert [r["title"] for r in list_articles(db, Filter.build(pair="ARM-AZE"))] == ["Armenia"]
    assert fts_in_sync(db)


def test_block_aware_fallback_extraction():
    tree = htmlmod.load_tree((HTML / "time_only.html").read_text(encoding="utf-8"))
    paras = htmlmod.fallback_paragraphs(tree)
    assert paras[0] == "Vilnius and Minsk trade accusations over the Astravets plant"
    assert paras[1].startswith("Lithuania's foreign ministry said on Friday")
    assert len(paras) == 5
    assert no_boilerplate("\n".join(paras)) == []
    c14 = htmlmod.load_tree((HTML / "c14.html").read_text(encoding="utf-8"))
    assert htmlmod.fallback_paragraphs(c14) == ["Armenia", "Azerbaijan and Armenia resume border talks.",
                                                "Tbilisi", "Baku", "Yerevan", "Baku office"]


def test_page_without_main_text_uses_the_fallback():
    page = "<html><body><div><h2>Tbilisi</h2><div>Georgia and Armenia</div><span>talks</span></div></body></html>"
    [rec] = list(htmlmod.parse(page, "tiny.html"))
    assert "GeorgiaArmenia" not in rec.body and "Georgia and Armenia" in rec.body


def test_html_fragment_to_paragraphs():
    frag = ("<p>One&amp;two</p><div>three<br>four</div><ul><li>a b</li><li>c</li></ul>"
            "<script>x()</script><p>Continue reading...</p><p>Related: something else</p>")
    assert htmlmod.html_to_paragraphs(frag) == ["One&two", "three", "four", "a b", "c"]
    assert htmlmod.html_to_paragraphs("plain\n\ntext") == ["plain", "text"]
    assert htmlmod.html_to_paragraphs("") == []
    assert htmlmod.html_to_paragraphs("<p>Pales&shy;tinian</p>") == ["Palestinian"]


@pytest.mark.parametrize("para", ["Share", "Comment", "Comments (12)", "Show discussion", "Continue reading...",
                                  "Read more", "Facebook Twitter Email", "Advertisement",
                                  "We use cookies to improve your experience. Accept all",
                                  "© 2019 Example News. All rights reserved."])
def test_boilerplate_paragraphs(para):
    assert htmlmod.is_boilerplate(para)


@pytest.mark.parametrize("para", ["Share prices fell in Minsk after the announcement.",
                                  "Comment on the talks came later from Vilnius.", "Belarus"])
def test_article_sentences_are_not_boilerplate(para):
    assert not htmlmod.is_boilerplate(para)


def test_a_page_with_no_text_fails_with_a_reason(db):
    [f] = import_bytes(db, "empty.html", b"<html><head><title>x</title></head><body><script>1</script></body></html>")
    assert f.status == "failed"
    assert "no article text" in f.errors[0].message
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


# --- feeds ------------------------------------------------------------------------------

def test_c13_all_three_items_import_dated_2023_11_21(db):
    report = import_paths(db, [FEEDS / "c13.rss"])
    f = report.files[0]
    assert (f.status, f.format, f.imported, f.failed) == ("imported", "feed", 3, 0)
    rows = [(a["title"], a["published_at"], a["date_note"], a["url"], a["source"]) for a in articles(db)]
    assert rows == [
        ("Armenia and Azerbaijan agree to continue border talks", "2023-11-21 10:00",
         "time zone not given; assumed UTC", "https://wire.example.net/2023/11/21/border-talks", "Caucasus Wire"),
        ("Georgia offers Tbilisi as a venue", "2023-11-21 15:07", "time zone not given; assumed UTC",
         "https://wire.example.net/2023/11/21/tbilisi-venue", "Caucasus Wire"),
        ("Moscow comments on the Brussels meeting", "2023-11-21 05:00", None,
         "https://wire.example.net/2023/11/21/moscow-comments", "Caucasus Wire"),
    ]
    bodies = [a["body"] for a in articles(db)]
    assert bodies[0] == "Delegations of Armenia and Azerbaijan met in Brussels.\n\nThey agreed to meet again in December."
    assert bodies[2] == "Russia's foreign ministry said it was ready to help Armenia and Azerbaijan."


@pytest.mark.parametrize("raw, expected", [
    ("Mo, 21 Nov 2023 10:00:00", ("2023-11-21 10:00", False)),
    ("2023/11/21 15:07:41", ("2023-11-21 15:07", False)),
    ("Tue, 21 Nov 2023 08:00:00 +0300", ("2023-11-21 05:00", True)),
    ("Wed, 31 Jan 2018 07:26:05 GMT", ("2018-01-31 07:26", True)),
    ("Tue, 21 Nov 2023 01:30:00 +0300", ("2023-11-20 22:30", True)),
    ("2016-02-01T17:22:00+01:00", ("2016-02-01 16:22", True)),
    ("2018-01-31T07:26:05Z", ("2018-01-31 07:26", True)),
    ("2024-02-01", ("2024-02-01", False)),
    ("21 November 2023", ("2023-11-21", False)),
])
def test_feed_dates(raw, expected):
    assert parse_feed_date(raw) == expected


@pytest.mark.parametrize("raw", ["", "yesterday-ish", "sometime next spring", "Nov 2023", "99/99/2023 10:00"])
def test_unparseable_feed_dates(raw):
    with pytest.raises(ValueError):
        parse_feed_date(raw)


def test_broken_items_are_row_errors_and_the_good_ones_land(db):
    report = import_paths(db, [FEEDS / "broken_item.rss"])
    f = report.files[0]
    assert (f.status, f.imported, f.failed) == ("imported", 3, 1)
    assert [(e.line, e.field) for e in f.errors] == [(19, "title")]
    assert report.exit_code == 1
    # Shared case C13: an unparseable date with no feed date to fall back on → null date plus a warning.
    undated = articles(db, "published_at IS NULL")
    assert [a["date_note"] for a in undated] == [
        "warning: unparseable item date 'sometime next spring' and no feed date; stored without a date"]
    rows = [(a["title"], a["published_at"], a["body"]) for a in articles(db, "published_at IS NOT NULL")]
    assert rows == [
        ("Lithuania and Poland sign a gas interconnector deal", "2018-05-02 11:30",
         "Lithuania and Poland signed the final agreement on the GIPL pipeline."),
        ("Estonia and Finland discuss a tunnel", "2018-05-03 06:00",
         "Estonia and Finland discussed the Tallinn–Helsinki tunnel."),
    ]


def test_items_without_usable_dates_take_the_feed_date(db):
    import_paths(db, [FEEDS / "feed_date.atom"])
    rows = [(a["title"], a["published_at"], a["date_note"], a["language"], a["body"]) for a in articles(db)]
    assert rows == [
        # the feed declares "uk", but the language stored is the one detected in the text (issue #19)
        ("Ukraine and Moldova open a new border crossing", "2024-02-01 11:00", "no item date; feed date used", "en",
         "Ukraine and Moldova opened a joint border crossing point."),
        ("Ukraine and Poland settle the grain dispute", "2024-02-01 11:00",
         "unparseable item date 'the thirtieth of Smarch'; feed date used", "en",
         "Ukraine and Poland agreed on grain transit."),
    ]


def test_items_already_stored_by_url_are_duplicates(db):
    import_paths(db, [FEEDS / "c13.rss"])
    text = (FEEDS / "c13.rss").read_text(encoding="utf-8")
    changed = text.replace("Delegations of Armenia and Azerbaijan met in Brussels.", "An updated summary.")
    changed = changed.replace("</channel>", "<item><title>A new item about Baku</title>"
                              "<link>https://wire.example.net/new</link><pubDate>Wed, 22 Nov 2023 09:00:00 GMT</pubDate>"
                              "</item></channel>")
    [f] = import_bytes(db, "c13-later.rss", changed.encode())
    assert (f.status, f.imported, f.duplicates) == ("imported", 1, 3)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 4


def test_item_lines_skip_cdata_and_comments():
    text = "<rss>\n<!-- <item> -->\n<channel>\n<item><description><![CDATA[\n<item>\n]]></description></item>\n<items/>\n<item/>\n</channel></rss>"
    assert item_lines(text) == [4, 8]


def test_not_a_feed_fails_with_a_reason(db):
    [f] = import_bytes(db, "broken.rss", b"<html><body>not a feed</body></html>")
    assert f.status == "failed" and f.format == "feed"


# --- uploads (the Import page's logic) --------------------------------------------------

def test_upload_labels_are_base_names_only():
    assert uploads.upload_label("../../etc/passwd.txt") == "passwd.txt"
    assert uploads.upload_label("C:\\Users\\x\\page.html") == "page.html"
    assert uploads.upload_label("a\x00b\nc.csv") == "abc.csv"
    assert uploads.upload_label("") == "upload"


def test_check_upload_refuses_unknown_types_empty_and_large():
    # Archives are checked while they are read: tests/test_archive_budget.py.
    assert uploads.check_upload("a.exe", 1, 100).startswith(".exe is not a file type the importer reads")
    assert "no extension" in uploads.check_upload("README", 1, 100)
    assert uploads.check_upload("a.txt", 0, 100) == "empty file"
    assert uploads.check_upload("a.csv", 101, 100) == "0.0 MB is over the 0 MB upload limit"
    assert uploads.check_upload("A.HTML", 8, 100) is None


def test_import_uploads_reports_like_the_cli(db, tmp_path):
    from dashboard.store import open_store
    files = [HTML / "related.html", FEEDS / "broken_item.rss", FEEDS / "c13.rss"]
    calls = []
    reports = uploads.import_uploads(db, [(p.name, p.read_bytes()) for p in files] + [("virus.exe", b"MZ")],
                                     max_bytes=10 ** 6, progress=lambda i, n, label: calls.append((i, n, label)))
    assert calls == [(0, 4, "related.html"), (1, 4, "broken_item.rss"), (2, 4, "c13.rss"), (3, 4, "virus.exe"),
                     (4, 4, "")]
    cli_db = open_store(tmp_path / "cli.db")
    cli = import_paths(cli_db, files)
    cli_db.conn.close()
    rows = uploads.report_rows(reports)
    assert [{k: r[k] for k in ("status", "format", "imported", "duplicates", "failed", "links", "problem")}
            for r in rows[:3]] == [
        {k: r[k] for k in ("status", "format", "imported", "duplicates", "failed", "links", "problem")}
        for r in uploads.report_rows(cli.files)]
    assert rows[3]["status"] == "failed" and rows[3]["file"] == "virus.exe"
    assert rows[1]["problem"] == "line 19, field title: item has no title and no text"
    errs = uploads.error_rows(reports)
    assert [(e["file"], e["line"], e["field"]) for e in errs][:1] == [("broken_item.rss", 19, "title")]
    assert errs[-1]["file"] == "virus.exe" and errs[-1]["line"] == 0
    assert uploads.totals(reports) == {"files": 4, "files_failed": 1, "files_duplicate": 0, "imported": 9,
                                       "duplicates": 0, "failed": 1}
    again = uploads.import_uploads(db, [("related.html", (HTML / "related.html").read_bytes())], max_bytes=10 ** 6)
    assert uploads.report_rows(again)[0]["status"] == "duplicate"


def test_import_uploads_reads_zip_members_and_leaves_nothing_on_disk(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the upload's temporary copy goes here, and is removed
    monkeypatch.setattr(tempfile, "tempdir", None)
    before = set(Path(tmp_path).rglob("*"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.write(HTML / "c14.html", "pages/c14.html")
        zf.write(FEEDS / "c13.rss", "c13.rss")
    reports = uploads.import_uploads(db, [("batch.zip", buf.getvalue())], max_bytes=10 ** 6)
    assert [(r.path, r.format, r.imported) for r in reports] == [("batch.zip/pages/c14.html", "html", 1),
                                                                  ("batch.zip/c13.rss", "feed", 3)]
    assert set(Path(tmp_path).rglob("*")) == before


def test_import_page_renders(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "store.db"))
    at = AppTest.from_file(str(ROOT / "pages" / "import.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Import"
    assert at.button(key="import_go").disabled
    assert "Choose one or more files" in at.info[0].value


def test_import_page_uses_no_unsafe_html():
    src = (ROOT / "pages" / "import.py").read_text(encoding="utf-8")
    assert "unsafe_allow_html" not in src and "open(" not in src and "write_bytes" not in src


# --- the real files of ../shared/data ---------------------------------------------------

def _shared(*parts) -> Path:
    p = DATA.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is not present")
    return p


@pytest.mark.shared
@pytest.mark.parametrize("page", ["bbc-1", "nytimes-1", "wapo-2"])
def test_real_html_pages_import_without_boilerplate(db, page):
    src = _shared("mozilla__readability", f"{page}.source.html")
    meta = json.loads(src.with_name(f"{page}.expected-metadata.json").read_text(encoding="utf-8"))
    report = import_paths(db, [src])
    assert report.files[0].status == "imported" and report.files[0].format == "html"
    [a] = articles(db, "is_stub = 0")
    assert a["title"] == meta["title"]
    assert no_boilerplate(a["body"], REAL_BOILERPLATE) == []
    assert len(a["body"].split("\n\n")) >= 15
    assert all(p.strip() == p and p for p in a["body"].split("\n\n"))
    if meta.get("publishedTime"):
        assert a["published_at"] == meta["publishedTime"][:16].replace("T", " ")
    for stub in articles(db, "is_stub = 1"):
        assert stub["title"] not in a["body"]


@pytest.mark.shared
def test_real_html_metadata_and_related_blocks(db):
    import_paths(db, [_shared("mozilla__readability", "bbc-1.source.html"),
                      _shared("mozilla__readability", "nytimes-1.source.html")])
    main = {a["title"][:20]: a for a in articles(db, "is_stub = 0")}
    bbc, nyt = main["Obama admits US gun "], main["United States to Lif"]
    assert (bbc["url"], bbc["section"], bbc["source"]) == (
        "http://www.bbc.com/news/world-us-canada-33646704", "US & Canada", "BBC News")
    assert bbc["body"].startswith("President Barack Obama has admitted that his failure")
    assert (nyt["url"], nyt["author"], nyt["section"]) == (
        "https://www.nytimes.com/2017/01/13/world/africa/sudan-sanctions.html", "Jeffrey Gettleman", "Africa")
    stubs = {s["title"]: s["published_at"] for s in articles(db, "is_stub = 1")}
    assert stubs["Darfur Withers as Sudan Sells Food"] == "2008-08-09"
    assert stubs["Obama urges UK to stay in European Union"] == "2015-07-24"
    assert len(stubs) == 7


@pytest.mark.shared
def test_real_feeds_import(db):
    report = import_paths(db, [_shared("rbren__rss-parser", "guardian.rss"), _shared("rbren__rss-parser", "heise.atom"),
                               _shared("chardet__chardet", "windows-1251-russian__newsru.com.xml")])
    assert [(f.format, f.status, f.imported, f.failed) for f in report.files] == [
        ("feed", "imported", 55, 0), ("feed", "imported", 15, 0), ("feed", "imported", 30, 0)]
    for a in articles(db):
        assert no_boilerplate(a["body"], REAL_BOILERPLATE) == [], a["title"]
        assert a["published_at"] and len(a["published_at"]) == 16
    guardian = articles(db, "source = 'The Guardian'")
    assert guardian[0]["published_at"] == "2018-01-31 07:26"
    newsru = articles(db, "source = 'NEWSru.com'")
    assert newsru[0]["title"] == "В Турции психически нездоровый мужчина взорвал хлопушку в здании Минюста"
    assert newsru[0]["published_at"] == "2006-01-03 16:57"  # 19:57 +0300
    assert newsru[0]["section"] == "В мире"


@pytest.mark.shared
def test_real_feed_without_any_date_imports_undated_with_a_warning(db):
    report = import_paths(db, [_shared("chardet__chardet", "windows-1251-russian__aif.ru.health.xml")])
    f = report.files[0]
    assert (f.format, f.status, f.imported, f.failed) == ("feed", "imported", 17, 0)
    assert db.execute("SELECT count(*), count(published_at), min(date_note) FROM articles").fetchone() == (
        17, 0, "warning: no date in the item or the feed; stored without a date")
    assert f.warnings[0].message == "no date in the item or the feed; stored without a date"
