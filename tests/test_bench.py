"""The benchmark runs end to end on a tiny corpus, and the corpus generator is deterministic and importable.

These check that the tooling works and writes every figure, not how fast anything is.
"""
from __future__ import annotations

import json
import statistics
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
    monkeypatch.setattr(bench, "COLD_PER_KIND", 1)   # one fresh process per kind, one CLI run: the tooling, not figures
    monkeypatch.setattr(bench, "CLI_RUNS", 1)
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
        assert res["queries"][kind]["answers_differ"] == 0, kind        # … row for row, snippets and CSV bytes too
        assert res["cold_queries"][kind]["n"] == 1 and res["cold_queries"][kind]["first"]["p50"] > 0, kind
    for kind, rec in res["queries"].items():
        assert rec["distinct"] == rec["n"], kind    # drawn without repeats
        assert rec["ours_raw"] is not None, kind
        per_query = [q["ours_raw"] for q in res["query_list"] if q["kind"] == kind]
        assert abs(rec["ours_raw"] - statistics.median(per_query)) < 0.006, kind   # the median of per-query ratios
    assert res["cli_articles"]["returncode"] == 0 and res["cli_articles"]["p50_ms"] > 0
    assert res["import"]["store_kb_per_article"] > 0
    assert res["import"]["articles"]["imported"] == 2000 and res["import"]["articles"]["failed"] == 0
    assert res["import"]["gdelt"]["rows"] == 20_000 and res["import"]["gdelt"]["failed"] == 0
    assert res["import"]["pages_sample"]["files_failed"] == 0
    assert res["import"]["store_bytes"] > 0
    assert [t["name"] for t in res["targets"]] == [t[0] for t in bench.TARGETS]
    measured = {t["name"]: t["value"] for t in res["targets"]}
    assert measured["every page's run, warm (slowest page)"] is None     # --skip-apptest: not measured
    assert measured["store size per article (with its events)"] == res["import"]["store_kb_per_article"]
    assert "| target | goal | measured | met |" in out and "| not measured | not measured |" in out
    assert not list((tmp_path / "work").glob("store-*.db"))  # without --keep the store is removed


def _small_store(tmp_path):
    out = tmp_path / "corpus"
    generate(150, 1500, 5, out)
    db = open_store(tmp_path / "bench.db")
    import_paths(db, [out / "articles.jsonl", out / "gdelt.export.CSV"])
    return db


def test_raw_sql_gives_the_same_answers_as_ours(tmp_path):
    """The correctness check: for every filter kind ours and the tuned raw SQL return the same rows in the
    same order (ids, snippets, per-month counts, the CSV's bytes); a raw answer to another question is caught."""
    from dashboard.queries.search import parse_query
    db = _small_store(tmp_path)
    qs = [q for q in bench.build_queries(db, 48, 2) if q.kind in bench.FILTER_KINDS]
    assert {q.kind for q in qs} == set(bench.FILTER_KINDS)
    for q in qs:
        match = parse_query(q.filter.query, variants=q.filter.variants, db=db).match
        q.result["ours"] = bench.run_ours(db, q)
        q.result["raw"] = bench.run_raw(db.conn, q, match)
        assert q.result["ours"]["answer"], q.params
    assert bench.answers_differ(qs) == []
    assert any(q.result["ours"].get("count") or q.result["ours"].get("rows") for q in qs)   # not all empty
    # a raw answer for other dates (same counts possible, other rows) is flagged
    q = next(q for q in qs if q.kind == "csv_export" and q.result["ours"]["rows"] > 1)
    q.result["raw"] = bench.run_raw(db.conn, bench.Query(q.kind, q.params, q.filter.with_(date_to="2001-01-01"),
                                                          table=q.table), None)
    assert bench.answers_differ(qs) == [q]


def test_queries_are_distinct_and_scale_free(tmp_path):
    db = _small_store(tmp_path)
    qs = bench.build_queries(db, 80, 1)
    keys = [(q.kind, json.dumps(q.params, sort_keys=True)) for q in qs]
    assert len(set(keys)) == len(keys) == 80
    assert bench.build_queries(db, 80, 1)[5].params == qs[5].params     # same seed, same list


def test_raw_csv_formula_guard_is_the_exports():
    from dashboard.queries.export import safe_cell
    row = ("=SUM(A1)", "+7", "-x", "@me", "\tx", "\rx", "plain", None, 3, -2.5, "", "a=b")
    assert bench._guard(row) == [safe_cell(v) for v in row]


def test_targets_not_measured_when_absent():
    res = {"queries": {}, "import": {"articles": {"per_s": 1200.0, "peak_rss_mb": 390.0}, "gdelt": {"per_s": 40000.0},
                       "store_kb_per_article": 13.0},
           "near_duplicates": {"finished": False}, "ours_raw_all": 1.1}
    got = {t["name"]: (t["value"], t["ok"]) for t in bench.check_targets(res)}
    assert got["import with extraction"] == (1200.0, True)
    assert got["import with extraction peak RSS"] == (390.0, True)
    assert got["GDELT import"] == (40000.0, False)
    assert got["near-duplicate pass, whole store"] == (None, False)       # stopped at its time limit: not met
    assert got["near-duplicate pass, incremental per 1,000 new articles"] == (None, None)
    assert got["pair + keyword p50"] == (None, None)
    assert got["ours/tuned raw, median of per-query ratios (filter kinds)"] == (1.1, True)
    assert got["store size per article (with its events)"] == (13.0, True)
