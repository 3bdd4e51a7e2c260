"""Records whose text has no letters or digits are not duplicates of each other, and a JSON NaN title
is a missing title, not the text "nan" (issue #16 item 2)."""
from __future__ import annotations

import json

from dashboard.ingest import import_paths
from dashboard.ingest.write import content_hash


def _jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_wordless_records_with_different_urls_all_land(db, tmp_path):
    rows = [{"url": f"https://example.org/{i}", "title": t, "published_at": "2023-11-21", "body": b}
            for i, (t, b) in enumerate([("—", ""), ("–", ""), ("•••", "…"), ("***", "* * *")])]
    f = import_paths(db, [_jsonl(tmp_path / "a.jsonl", rows)]).files[0]
    assert (f.status, f.imported, f.duplicates, f.failed) == ("imported", 4, 0, 0)
    assert [r[0] for r in db.execute("SELECT title FROM articles ORDER BY id")] == ["—", "–", "•••", "***"]
    # the same URL again is a duplicate, by its URL
    f = import_paths(db, [_jsonl(tmp_path / "b.jsonl", rows[:1])]).files[0]
    assert (f.imported, f.duplicates) == (0, 1)


def test_wordless_records_without_url_are_told_apart_by_source_and_line(db, tmp_path):
    rows = [{"title": "***", "published_at": "2023-11-21", "source": "wire"}] * 2
    path = _jsonl(tmp_path / "c.jsonl", rows)
    assert import_paths(db, [path]).files[0].imported == 2
    again = import_paths(db, [path], force=True).files[0]
    assert (again.imported, again.duplicates) == (0, 2)


def test_wordless_content_hash_uses_identity_worded_does_not():
    assert content_hash("—", "", "url a") != content_hash("–", "", "url b")
    assert content_hash("—", "", "url a") != content_hash("—", "", "url b")
    assert content_hash("Talks resume", "", "url a") == content_hash("talks  RESUME", "", "url b")


def test_json_nan_title_is_rejected_naming_file_line_and_field(db, tmp_path):
    path = tmp_path / "nan.jsonl"
    path.write_text('{"title": "Talks resume", "published_at": "2023-11-21"}\n'
                    '{"title": NaN, "published_at": "2023-11-21", "body": "Text."}\n'
                    '{"title": "Minsk", "published_at": NaN}\n', encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.imported, f.failed) == (1, 2)
    assert f.error_lines() == [f"{path}: line 2, field title: missing title",
                               f"{path}: line 3, field published_at: missing date"]
    assert db.execute("SELECT count(*) FROM articles WHERE title = 'nan'").fetchone()[0] == 0


def test_a_lone_surrogate_costs_one_character_not_the_file(db, tmp_path):
    """JSON may escape half of a UTF-16 pair ("\\ud800"); UTF-8 cannot store it and the file's transaction
    failed on it, losing the good rows while the report said one was imported. It becomes U+FFFD."""
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"title": "Talks resume", "published_at": "2023-11-21"}\n'
                    '{"title": "Bad \\ud800 title", "published_at": "2023-11-22", "body": "Text."}\n'
                    '{"title": "Minsk", "published_at": "2023-11-23"}\n', encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.status, f.imported, f.failed) == ("imported", 3, 0)
    assert [r[0] for r in db.execute("SELECT title FROM articles ORDER BY id")] == ["Talks resume", "Bad \ufffd title", "Minsk"]
