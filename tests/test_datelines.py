"""Date lines as sites print them (issue #15 item 4): each test is a kind of line, on lines we wrote."""
from __future__ import annotations

import time

import pytest

from dashboard.ingest import import_bytes
from dashboard.ingest.dateline import is_dateline, parse_published, read_dateline


def _page(date_line: str, body: str, extra: str = "") -> bytes:
    return f"Envoys meet in Minsk\n\n{date_line}\n\n{body}\n{extra}".encode("utf-8")


def _imported(db, date_line: str, body: str, extra: str = ""):
    [f] = import_bytes(db, "page.txt", _page(date_line, body, extra))
    return f, db.execute("SELECT published_at, date_note FROM articles WHERE is_stub = 0").fetchone()


@pytest.mark.parametrize("line, published", [
    ("Posted: Mar 3, 2014 9:15 PM", "2014-03-03 21:15"),
    ("Published on 12 October 2016 by Staff", "2016-10-12"),
])
def test_label_before_the_date(line, published):
    assert parse_published(line) == published


@pytest.mark.parametrize("line, published", [
    ("Reuters, October 12, 2016", "2016-10-12"),
    ("KYIV, 5 March 2019 (AP) —", "2019-03-05"),
])
def test_agency_or_place_before_the_date(line, published):
    assert parse_published(line) == published


def test_ordinal_day_weekday_and_a_bar_before_the_time():
    assert parse_published("Tue 07th June 2022 | 08:30 AM") == "2022-06-07 08:30"
    assert parse_published("Wed, 8 Jun, 2022 - 17:05") == "2022-06-08 17:05"


@pytest.mark.parametrize("line, published", [
    ("09:12, 03.04.2024", "2024-04-03 09:12"),     # time first, then the date
    ("03.04.2024 09:12", "2024-04-03 09:12"),
    ("11.02.2020, 18:40", "2020-02-11 18:40"),
])
def test_dotted_numeric_date_is_always_day_first(line, published):
    assert parse_published(line) == published
    assert read_dateline(line).note is None


def test_ambiguous_slashed_date_is_read_day_first_with_a_note():
    d = read_dateline("05/04/2016")
    assert d.published() == "2016-04-05"
    assert "read day first" in d.note
    assert parse_published("04/22/2016") == "2016-04-22"   # only month first makes it a date


@pytest.mark.parametrize("line, published", [
    ("2023-02-01 08:00 update: 2023-02-02, 10:15", "2023-02-01 08:00"),
    ("Updated: 2 May 2020 | Published: 1 May 2020", "2020-05-01"),
    ("Опубликовано: 14.03.2012 09:40, обновлено: 15.03.2012 10:00", "2012-03-14 09:40"),
])
def test_updated_date_is_not_the_publication(line, published):
    assert parse_published(line) == published


def test_line_with_only_an_update_date_is_used_and_noted():
    d = read_dateline("Updated at 09:05,14-03-2019")
    assert d.published() == "2019-03-14 09:05"
    assert "only an update date" in d.note


@pytest.mark.parametrize("line, published", [
    ("Минск, 14 марта, 2012, 09:40 — Агентство новостей", "2012-03-14 09:40"),
    ("08:15, 2 февраля 2024", "2024-02-02 08:15"),
    ("20 червня 2018", "2018-06-20"),
    ("7 lipca 2020, 10:00", "2020-07-07 10:00"),
    ("3. Mai 2021", "2021-05-03"),
])
def test_month_names_in_other_languages_are_read_by_the_library(line, published):
    assert parse_published(line) == published


@pytest.mark.parametrize("line", ["today", "2 hours ago", "вчера, 10:00", "Yesterday 14:20"])
def test_relative_words_are_not_a_date_line(line):
    assert read_dateline(line) is None


@pytest.mark.parametrize("line", [
    "On May 5, 2016 Russia expelled two diplomats.",
    "Minsk, 21 November 2011 — Belarus and Russia signed a new gas treaty.",
    "The talks of 3 March 2015 ended without a deal",
])
def test_body_sentence_with_a_date_is_not_a_date_line(line):
    assert read_dateline(line) is None
    assert not is_dateline(line)


@pytest.mark.parametrize("value", ["32-May-20", "2018-13-45", "2023x121", "someday", "May 31"])
def test_table_dates_still_need_day_month_and_year(value):
    with pytest.raises(ValueError):
        parse_published(value)


def test_long_text_is_not_scanned_for_a_date_line():
    started = time.perf_counter()
    assert read_dateline("12 May 2020 " + "word " * 200_000) is None
    assert time.perf_counter() - started < 0.5


def test_year_less_line_takes_the_latest_year_the_body_names(db):
    f, (published, note) = _imported(
        db, "VILNIUS, Feb. 3 (Wire) --",
        "Lithuania recalled its ambassador on Monday over the 2014 agreement.\n\n"
        "In 2011 the two sides had signed a first deal, due to run until 2030.")
    assert f.status == "imported"
    assert published == "2014-02-03"
    assert "has no year: year 2014 taken from the body" in note


def test_year_less_line_with_no_year_in_the_body_is_imported_undated_with_a_note(db):
    f, (published, note) = _imported(db, "Feb 3 (Wire) —", "Lithuania recalled its ambassador on Monday.")
    assert f.status == "imported"
    assert published is None
    assert "has no year and the body names none" in note


def test_year_less_line_takes_the_year_office_holders_and_the_lede_weekday_allow(db):
    # Dodon was president and Filip prime minister on 31 May only in 2017-2019; of those, 31 May
    # was a Wednesday in 2017 (in 2023 too, but Filip was out of office)
    f, (published, note) = _imported(
        db, "Jun 1 (Wire) —",
        "Moscow on Thursday expelled three Moldovan diplomats.\n\n"
        "Moldovan President Igor Dodon regretted the step, and Moldovan Prime Minister Pavel Filip "
        "said Chisinau would answer.")
    assert f.status == "imported"
    assert published == "2017-06-01"
    assert "has no year: year inferred 2017" in note and "a Thursday as the lede says" in note
    assert any("year inferred 2017" in w.message for w in f.warnings)
    rows = db.execute("SELECT year_inferred, warning FROM events").fetchall()
    assert rows and all(y == 1 and "publication year inferred 2017" in w for y, w in rows)


def test_year_less_line_without_a_named_weekday_takes_the_latest_year_the_terms_allow(db):
    f, (published, note) = _imported(
        db, "Jun 1 (Wire) —", "Moldovan Prime Minister Pavel Filip criticised Russia.")
    assert published == "2019-06-01"
    assert "year inferred 2019" in note and "as the lede says" not in note


def test_sentence_in_place_of_the_date_line_rejects_the_page_naming_line_and_field(db):
    [f] = import_bytes(db, "page.txt", _page("On May 5, 2016 Russia expelled two diplomats.", "More text."))
    assert f.status == "failed"
    assert str(f.errors[0]).startswith("line 3, field published_at: not a date line")


def test_similar_entry_without_a_year_takes_the_listing_page_year(db):
    extra = ("\nSimilar articles\n\nVilnius summons the envoy\nDec 28\n\nA short lead.\n\n"
             "Riga closes a crossing\nJan. 4\n\nAnother lead.\n")
    f, (published, _) = _imported(db, "January 10, 2021 12:00", "Body about Minsk and Vilnius.", extra)
    assert published == "2021-01-10 12:00"
    stubs = db.execute("SELECT title, published_at, date_note FROM articles WHERE is_stub = 1 ORDER BY title").fetchall()
    assert [(t, p) for t, p, _ in stubs] == [("Riga closes a crossing", "2021-01-04"),
                                             ("Vilnius summons the envoy", "2020-12-28")]
    assert all("taken from the page that lists it" in n for _, _, n in stubs)
