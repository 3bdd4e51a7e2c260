"""Feed dates in other languages are read (dateparser as the fallback), and an item whose date cannot be
read lands with a warning in the report (issue #16 item 5)."""
from __future__ import annotations

import json

import pytest

from dashboard.ingest import import_paths
from dashboard.ingest.feeds import parse_feed_date


@pytest.mark.parametrize("raw, expected", [
    ("wt, 21 lis 2023 10:00:00 +0100", ("2023-11-21 09:00", True)),          # Polish
    ("Вт, 21 ноя 2023 10:00:00 +0300", ("2023-11-21 07:00", True)),          # Russian
    ("21 listopada 2023", ("2023-11-21", False)),
    ("wtorek, 21 listopada 2023 10:00", ("2023-11-21 10:00", False)),
    ("21 ноября 2023 г. 10:00", ("2023-11-21 10:00", False)),
    ("an, 21 lapkr. 2023 10:00:00 +0200", ("2023-11-21 08:00", True)),       # Lithuanian
    ("2023 m. lapkričio 21 d.", ("2023-11-21", False)),
    ("terça-feira, 21 de novembro de 2023", ("2023-11-21", False)),          # Portuguese
    ("qua, 22 nov 2023 08:00:00 GMT", ("2023-11-22 08:00", True)),
])
def test_feed_dates_languages_parsed(raw, expected):
    assert parse_feed_date(raw) == expected


@pytest.mark.parametrize("raw", ["sometime soon", "2023", "21 lis", "wczoraj"])
def test_feed_dates_languages_no_guessing(raw):
    with pytest.raises(ValueError):
        parse_feed_date(raw)


def _feed(items: list[tuple[str, str]], feed_date: str = "") -> str:
    body = "".join(f"<item><title>{t}</title><link>https://example.pl/{i}</link><pubDate>{d}</pubDate></item>\n"
                   for i, (t, d) in enumerate(items))
    channel_date = f"<pubDate>{feed_date}</pubDate>" if feed_date else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Wiadomości</title>{channel_date}\n'
            f"{body}</channel></rss>\n")


def test_feed_dates_languages_import_and_warnings(db, tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(_feed([("Rozmowy w Mińsku", "wt, 21 lis 2023 10:00:00 +0100"),
                           ("Переговоры в Минске", "Вт, 21 ноя 2023 10:00:00 +0300"),
                           ("Derybos Minske", "2023 m. lapkričio 21 d."),
                           ("Negociações em Minsk", "terça-feira, 21 de novembro de 2023"),
                           ("Bez daty", "kiedyś w listopadzie")]), encoding="utf-8")
    report = import_paths(db, [path])
    f = report.files[0]
    assert (f.status, f.imported, f.failed, f.warned) == ("imported", 5, 0, 1)
    assert db.execute("SELECT title, published_at, published_date FROM articles ORDER BY id").fetchall() == [
        ("Rozmowy w Mińsku", "2023-11-21 09:00", "2023-11-21"),
        ("Переговоры в Минске", "2023-11-21 07:00", "2023-11-21"),
        ("Derybos Minske", "2023-11-21", "2023-11-21"),
        ("Negociações em Minsk", "2023-11-21", "2023-11-21"),
        ("Bez daty", None, None)]
    [w] = f.warnings
    assert (w.line, w.field) == (7, "published_at")
    assert w.message == "unreadable item date 'kiedyś w listopadzie': stored without a date"
    summary = report.summary()
    assert ", warnings 1" in summary
    assert f"warning: {path}: line 7, field published_at: unreadable item date 'kiedyś w listopadzie'" in summary
    assert json.loads(db.execute("SELECT warnings FROM imports").fetchone()[0]) == [
        {"line": 7, "field": "published_at", "message": w.message}]


def test_feed_dates_languages_unreadable_item_takes_feed_date_with_warning(db, tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(_feed([("Bez daty", "kiedyś")], feed_date="Tue, 21 Nov 2023 12:00:00 +0000"), encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.imported, f.warned) == (1, 1)
    assert f.warnings[0].message == "unreadable item date 'kiedyś': the feed's date used"
    assert db.execute("SELECT published_at FROM articles").fetchone() == ("2023-11-21 12:00",)
