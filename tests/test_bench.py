"""The benchmark runs end to end on a tiny corpus, and the corpus generator is deterministic and importable.

These check that the tooling works and writes every figure, not how fast anything is.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from devtools import bench
from dashboard.cli import main
from devtools.generate import generate
from dashboard.ingest import import_paths
from dashboard.store import open_store


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generate_same_seed_same_bytes(tmp_path, capsys):
    assert main(["generate", "--articles", "120", "--events", "400", "--seed", "7", "--out", str(tmp_path / "a")]) == 0
    assert main(["generate", "--articles", "120", "--events", "400", "--seed", "7", "--out", str(tmp_path / "b")]) == 0
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len([k for k in a if k.startswith("pages")]) == 120
    assert a == b
    generate(120, 400, 8, tmp_path / "c")
    assert _files(tmp_path / "c")["articles.jsonl"] != a["articles.jsonl"]


def test_generated_corpus_imports_without_failures(tmp_path):
    out = tmp_path / "corpus"
    manifest = generate(150, 500, 3, out)
    lines = (out / "gdelt.export.CSV").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 500 and all(len(line.split("\t")) == 61 for line in lines)
    jsonl = [json.loads(line) for line in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(jsonl) == 150 and all(set(r) >= {"url", "title", "published_at", "body"} for r in jsonl)
    assert 250 < sum(len(r["body"].split()) for r in jsonl) / len(jsonl) < 900  # mean around 500 words

    pages_db = open_store(tmp_path / "pages.db")
    rep = import_paths(pages_db, [out / "pages"])
    t = rep.totals()
    assert (t["files_failed"], t["failed"], t["imported"]) == (0, 0, 150)
    assert t["links"] > 0 and t["events"] > 0  # "Similar articles" blocks link to earlier pages; events extracted
    assert pages_db.execute("SELECT count(*) FROM articles WHERE is_stub = 1").fetchone()[0] == 0

    db = open_store(tmp_path / "jsonl.db")
    rep = import_paths(db, [out / "articles.jsonl", out / "gdelt.export.CSV"])
    t = rep.totals()
    assert (t["files_failed"], t["failed"]) == (0, 0)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 150
    assert db.execute("SELECT count(*) FROM events WHERE source = 'gdelt'").fetchone()[0] == 500
    top = db.execute("SELECT pair_a || '-' || pair_b FROM article_pairs GROUP BY 1 ORDER BY count(*) DESC LIMIT 3")
    assert "BLR-RUS" in [r[0] for r in top]  # the skew toward a few pairs
    assert len(manifest["near_duplicates"]) >= 1


def test_bench_smoke_writes_every_kind(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bench, "NEAR_DUP_TIMEOUT", 5)
    code = main(["bench", "--size", "2000", "--queries", "20", "--skip-naive", "--skip-apptest",
                 "--workdir", str(tmp_path / "work"), "--results-dir", str(tmp_path / "results")])
    assert code == 0
    out = capsys.readouterr().out
    path = tmp_path / "results" / f"{date.today().isoformat()}-2000.json"
    res = json.loads(path.read_text(encoding="utf-8"))
    assert set(res["queries"]) == set(bench.KINDS)
    for kind, rec in res["queries"].items():
        if "skipped" in rec:
            assert bench.similar is None and kind in ("similar", "lookup")
            continue
        assert rec["n"] >= 2 and rec["ours"]["p50"] > 0 and rec["raw"]["p50"] > 0, kind
        assert f"| {kind} |" in out
    for kind in bench.FILTER_KINDS:
        assert res["queries"][kind]["rows_differ_from_raw"] == 0, kind  # ours and the hand-written SQL agree
    assert res["import"]["articles"]["imported"] == 2000 and res["import"]["articles"]["failed"] == 0
    assert res["import"]["gdelt"]["rows"] == 20_000 and res["import"]["gdelt"]["failed"] == 0
    assert res["import"]["pages_sample"]["files_failed"] == 0
    assert res["import"]["store_bytes"] > 0
    assert {t["name"] for t in res["targets"]} >= {"pair + keyword p50", "GDELT import", "import with extraction"}
    assert "| target | goal | measured | met |" in out
    assert not list((tmp_path / "work").glob("store-*.db"))  # without --keep the store is removed
