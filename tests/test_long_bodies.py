"""Very long article bodies are shown in parts, with "Show more" and "Show all" (issue #13, item 1:
the work a page does for one record is bounded)."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from dashboard.ingest import import_paths
from dashboard.app.render import MAX_SHOWN_PARTS, PART_CHARS, body_parts
from dashboard.store import open_store

PARAGRAPH = ("Minsk and Moscow: talks on gas transit (again). " * 20).strip()  # 959 characters
LONG_BODY = "\n\n".join([PARAGRAPH] * 260)  # 249,858 characters: 13 parts
HUGE_BODY = "x" * (PART_CHARS * (MAX_SHOWN_PARTS + 5))  # no space to cut at: 55 parts of exactly PART_CHARS


def test_body_parts_cut_at_paragraphs_then_spaces_then_anywhere():
    assert body_parts(None) == [""]
    assert body_parts("short") == ["short"]
    assert body_parts("aaaa\n\nbb cc dd", size=8) == ["aaaa", "\n\nbb cc", " dd"]
    assert body_parts("abcdefghij", size=4) == ["abcd", "efgh", "ij"]
    parts = body_parts(LONG_BODY)
    assert "".join(parts) == LONG_BODY
    assert len(parts) == 13
    assert all(len(p) <= PART_CHARS for p in parts)
    # Each cut falls at a paragraph break: every part after the first starts with one.
    assert all(p.startswith("\n\n") for p in parts[1:])


@pytest.fixture
def app(monkeypatch, tmp_path):
    rows = [{"url": f"https://example.org/long/{n}", "title": f"Long article {n}", "published_at": "2021-01-01",
             "body": body} for n, body in enumerate([LONG_BODY, HUGE_BODY])]
    (tmp_path / "long.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    store = open_store(tmp_path / "long.db")
    import_paths(store, [tmp_path / "long.jsonl"])
    ids = [i for (i,) in store.conn.execute("SELECT id FROM articles ORDER BY url")]
    store.conn.close()
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "long.db"))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    return at, ids


def _open_article(at: AppTest, article_id: int) -> AppTest:
    at.run()
    at.query_params["article"] = str(article_id)
    at.switch_page("pages/articles.py")
    return at.run()


def _body_chars(at: AppTest) -> int:
    """Characters of body text on the page: the Markdown elements made of the repeated paragraph."""
    return sum(len(m.value) for m in at.markdown if m.value.startswith("Minsk and Moscow"))


def test_long_body_shows_its_first_part_then_more_then_all(app):
    at, (long_id, _) = app
    _open_article(at, long_id)
    assert not at.exception
    first = [m for m in at.markdown if m.value.startswith("Minsk and Moscow")]
    assert len(first) == 1
    assert any(c.value == f"Showing {len(body_parts(LONG_BODY)[0]):,} of 249,858 characters." for c in at.caption)
    at.button(key=f"more-{long_id}").click().run()
    assert len([m for m in at.markdown if m.value.startswith("Minsk and Moscow")]) == 2
    at.button(key=f"all-{long_id}").click().run()
    assert not at.exception
    assert len([m for m in at.markdown if m.value.startswith("Minsk and Moscow")]) == 13
    assert not any(c.value.startswith("Showing ") for c in at.caption)
    assert [b.key for b in at.button if b.key and b.key.startswith(("more-", "all-"))] == []


def test_huge_body_shows_at_most_the_cap_and_offers_the_full_text_as_a_download(app):
    at, (_, huge_id) = app
    _open_article(at, huge_id)
    assert at.button(key=f"all-{huge_id}").label == f"Show {PART_CHARS * MAX_SHOWN_PARTS:,} characters"
    at.button(key=f"all-{huge_id}").click().run()
    assert not at.exception
    shown = [m for m in at.markdown if m.value.startswith("xxxx")]
    assert len(shown) == MAX_SHOWN_PARTS
    assert sum(len(m.value) for m in shown) == PART_CHARS * MAX_SHOWN_PARTS
    assert any(c.value == f"Showing 1,000,000 of {len(HUGE_BODY):,} characters." for c in at.caption)
    assert [b.key for b in at.button if b.key and b.key.startswith(("more-", "all-"))] == []
    assert at.get("download_button")[0].proto.label == "Download the full text"


def test_timeline_shows_a_long_evidence_cut(monkeypatch, tmp_path):
    # A 100,000-character headline (a scrape artefact) becomes an event's evidence: the Timeline's list
    # marks and draws its first 1,000 characters only.
    headline = "Minsk talks " * 8_334
    (tmp_path / "events.csv").write_text(f"date,country_a,country_b,headline\n2021-03-02,BLR,RUS,{headline}\n",
                                         encoding="utf-8")
    store = open_store(tmp_path / "ev.db")
    import_paths(store, [tmp_path / "events.csv"])
    assert store.conn.execute("SELECT length(evidence) FROM events").fetchone()[0] == len(headline.strip())
    store.conn.close()
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "ev.db"))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.query_params["pair"] = "BLR-RUS"
    at.switch_page("pages/timeline.py")
    at.run()
    assert not at.exception
    [quote] = [m.value for m in at.markdown if m.value.startswith("> ")]
    # 999 characters and the ellipsis: 83 whole "Minsk talks " and the start of the 84th.
    assert quote.endswith(" talks Min…")
    assert quote.count("talks") == 83

