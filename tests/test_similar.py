"""Fuzzy similarity (dashboard.queries.similar): case C06, the seed page, the quality set, near-duplicates, the CLI."""
from __future__ import annotations

import csv
import io
import json
import unicodedata

import pytest
from rapidfuzz import fuzz, utils

from devtools import evaluate_similar
from dashboard.queries import similar
from dashboard.store.version import store_version
from dashboard.cli import main
from dashboard.ingest import import_paths
from dashboard.ingest.records import ArticleRecord
from dashboard.ingest.write import write_article
from dashboard.store import open_store

from conftest import FIXTURES

X = "RUSSIA, CHINA SIGN ENERGY DEAL"
Y = "Russia, China sign energy deal"
Z_NFC = unicodedata.normalize("NFC", "Chișinău talks resume")
Z_NFD = unicodedata.normalize("NFD", Z_NFC)


def add(db, *records: ArticleRecord) -> list[int]:
    """Write records in one transaction (as the importer does), returning their ids."""
    db.conn.execute("BEGIN IMMEDIATE")
    ids = [write_article(db, r)[0] for r in records]
    db.conn.execute("COMMIT")
    return ids


def rec(title: str, body: str, date: str = "2021-03-01", **kw) -> ArticleRecord:
    return ArticleRecord(title=title, published_at=date, body=body, **kw)


FILLER = [
    rec("Minsk hosts talks on the potash transit", "Belarusian and Lithuanian officials discussed potash transit "
        "through Klaipeda and the fees charged by the railway."),
    rec("Warsaw recalls its ambassador from Minsk", "Poland recalled its ambassador after the expulsion of two "
        "diplomats accused of meeting opposition activists."),
    rec("EU adopts a new sanctions package", "The European Union adopted a sanctions package against officials "
        "responsible for the crackdown and for the forced landing of a plane."),
]


# --- C06 -------------------------------------------------------------------------------------
def test_c06_raw_rapidfuzz_has_no_default_processor():
    # What the case saw: without a processor the scores collapse; default_process breaks NFD.
    assert fuzz.WRatio(X, Y) < 30
    assert fuzz.WRatio(X, Y, processor=utils.default_process) == 100
    assert fuzz.ratio(Z_NFD, Z_NFC, processor=utils.default_process) < 90


def test_c06_normalise_exact_values():
    assert similar.normalise(X) == similar.normalise(Y) == "russia china sign energy deal"
    assert Z_NFD != Z_NFC
    assert similar.normalise(Z_NFD) == similar.normalise(Z_NFC) == "chisinau talks resume"
    assert fuzz.WRatio(X, Y, processor=similar.normalise) == 100
    assert fuzz.token_sort_ratio(X, Y, processor=similar.normalise) == 100
    assert fuzz.ratio(Z_NFD, Z_NFC, processor=similar.normalise) == 100
    # fold table, apostrophes, NFKC, punctuation and white space runs
    assert similar.normalise("Łódź’s  ﬁrst—“deal”") == "lodz s first deal"
    assert similar.normalise(None) == "" and similar.normalise("  ,.;  ") == ""
    assert similar.normalise(similar.normalise(X)) == similar.normalise(X)


def test_c06_shouted_title_is_the_top_similar_article_with_score_100(db):
    x, y, *_ = add(db,
                   rec(X, "Moscow and Beijing signed a thirty-year gas supply agreement on Monday, the agencies said."),
                   rec(Y, "Moscow and Beijing signed a thirty-year gas supply agreement on Monday, the agencies reported. "
                          "Prices were not disclosed."),
                   *FILLER)
    top = similar.more_like_this(db, y)[0]
    assert top["id"] == x
    assert top["score"] == 100.0
    assert similar.more_like_this(db, x)[0]["id"] == y
    assert similar.lookup(db, X)[0]["score"] == 100.0


def test_c06_nfd_and_nfc_copies_score_100(db):
    # The importer stores NFC; write_article takes the record as given, so this store holds
    # one NFD title (as an older store or a direct write could) next to its NFC copy.
    nfd, nfc, *_ = add(db,
                       rec(Z_NFD, "Moldovan and Transnistrian negotiators met in Chisinau on Tuesday."),
                       rec(Z_NFC, "Moldovan and Transnistrian negotiators met again in Chisinau on Tuesday."),
                       *FILLER)
    stored = db.execute("SELECT title FROM articles WHERE id = ?", [nfd]).fetchone()[0]
    assert unicodedata.is_normalized("NFD", stored) and not unicodedata.is_normalized("NFC", stored)
    top = similar.more_like_this(db, nfd)[0]
    assert (top["id"], top["score"]) == (nfc, 100.0)
    assert similar.lookup(db, Z_NFD)[0]["score"] == 100.0


# --- the seed page ----------------------------------------------------------------------------
SEED_QUERY = "minsk attempt benefit moscow washington conflict"


def test_seed_lookup_and_editorial_stub(seed_db_path):
    db = open_store(seed_db_path)
    try:
        seed_id = db.execute("SELECT id FROM articles WHERE is_stub = 0").fetchone()[0]
        stub_ids = {r[0] for r in db.execute("SELECT id FROM articles WHERE is_stub = 1")}
        assert stub_ids
        hits = similar.lookup(db, SEED_QUERY)
        assert hits[0]["id"] == seed_id
        assert hits[0]["title"].startswith("Minsk’s attempt to benefit")
        assert {"attempt", "benefit"} <= set(hits[0]["shared_terms"])
        more = similar.more_like_this(db, seed_id)
        listed = {r["id"]: r for r in more}
        for stub in stub_ids:
            assert listed[stub]["editorial"] is True
            assert listed[stub]["is_stub"] is True
        assert all(0 <= r["score"] <= 100 for r in more)
    finally:
        db.conn.close()


# --- lookup behaviour ---------------------------------------------------------------------------
def test_lookup_tolerates_typos_order_variants_and_long_text(fixture_store):
    want = "Moscow lifts the dairy ban, but the “milk war” leaves Minsk wary"
    for q in ("Moscow lifts the dairy ban but the milk war leaves Minsk wary",
              "moskow lifts dairy bann milk war",              # typos, missing words
              "Minsk wary milk war Moscow dairy ban lifts",     # word order
              "MOSCOW LIFTS THE DAIRY BAN!"):                 # case, punctuation
        assert similar.lookup(fixture_store, q)[0]["title"] == want, q
    # a curated spelling variant: the fixture says Lukashenka, the stub says Lukashenko
    hits = similar.lookup(fixture_store, "Lukashenka skips Moscow summit over dairy ban")
    assert hits[0]["title"] == "Lukashenko skips Moscow summit over dairy ban"
    # a long paragraph (about 2,000 characters) pasted from the body
    body = fixture_store.execute("SELECT body FROM articles WHERE title = ?", [want]).fetchone()[0]
    para = (body.replace("\n\n", " ") + " ") * 4
    assert similar.lookup(fixture_store, para[:2000])[0]["title"] == want
    assert similar.lookup(fixture_store, "") == [] and similar.lookup(fixture_store, " ,;: ") == []


def test_results_are_copies_and_index_is_cached(fixture_db):
    a = similar.lookup(fixture_db, "Astravets reactor")
    a[0]["shared_terms"].append("x")
    a[0]["score"] = -1
    b = similar.lookup(fixture_db, "Astravets reactor")
    assert b[0]["score"] >= 0 and "x" not in b[0]["shared_terms"]
    i1 = similar.prepared_index(fixture_db)
    assert similar.prepared_index(fixture_db) is i1
    key = store_version(fixture_db)
    add(fixture_db, rec("A brand new article about Astravets", "Nothing else."))
    assert store_version(fixture_db).articles == key.articles + 1 and store_version(fixture_db).index != key.index
    assert similar.prepared_index(fixture_db) is not i1


def test_more_like_this_unknown_article_raises(fixture_store):
    with pytest.raises(similar.UnknownArticle):
        similar.more_like_this(fixture_store, 987654)
    with pytest.raises(ValueError):
        similar.more_like_this(fixture_store, "abc")


# --- quality set ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def quality_db(tmp_path_factory):
    db = evaluate_similar.build_store(tmp_path_factory.mktemp("quality") / "q.db")
    yield db
    db.conn.close()


def test_quality_set_floors(quality_db):
    gold = evaluate_similar.load_gold()
    assert len(gold) >= 30
    r = evaluate_similar.evaluate_lookup(quality_db, gold)
    assert r["n"] >= 20, r
    assert r["top1"] >= 0.95, r["misses"][:5]
    assert r["topk"] >= 0.98, r["misses"][:5]


def test_editorial_links_recall(quality_db):
    r = evaluate_similar.evaluate_editorial(quality_db)
    if r["links"] < 20:
        pytest.skip("too few editorial links without data/demo")
    assert r["recall"] >= 0.8, r


def test_evaluate_command_prints_the_figures(capsys, tmp_path):
    db = tmp_path / "e.db"
    store = open_store(db)
    import_paths(store, [FIXTURES / "pages"])
    store.conn.close()
    assert evaluate_similar.main(["--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "top-1" in out and "top-5" in out and "recall@10" in out


# --- near-duplicates --------------------------------------------------------------------------------
DUPES = FIXTURES / "dupes"


@pytest.fixture
def dupes_db(tmp_path):
    db = open_store(tmp_path / "dupes.db")
    import_paths(db, [DUPES, FIXTURES / "pages", FIXTURES / "articles.jsonl", FIXTURES / "articles.csv"])
    yield db
    db.conn.close()


def _titles(groups):
    return [sorted(d["title"] for d in g) for g in groups]


def test_near_duplicates_group_the_republished_copy(dupes_db):
    groups = similar.near_duplicates(dupes_db)
    assert _titles(groups) == [["Grodno border crossing reopens after a three-day closure",
                                "Grodno border crossing reopens after three-day closure"]]
    assert all(d["score"] >= 90 and d["group"] == 1 for d in groups[0])
    assert similar.near_duplicates(dupes_db, threshold=99.5) == []


def test_store_near_duplicates_is_idempotent(dupes_db):
    editorial = dupes_db.execute("SELECT count(*) FROM article_links WHERE kind = 'editorial_similar'").fetchone()[0]
    groups, n = similar.store_near_duplicates(dupes_db)
    links = dupes_db.execute("SELECT from_id, to_id, score FROM article_links WHERE kind = 'near_duplicate'").fetchall()
    assert n == len(links) == 1 and links[0][0] < links[0][1] and links[0][2] >= 90
    again, n2 = similar.store_near_duplicates(dupes_db)
    assert n2 == 1 and _titles(again) == _titles(groups)
    assert dupes_db.execute("SELECT from_id, to_id, score FROM article_links WHERE kind = 'near_duplicate'").fetchall() == links
    assert dupes_db.execute("SELECT count(*) FROM article_links WHERE kind = 'editorial_similar'").fetchone()[0] == editorial
    assert _titles(similar.stored_near_duplicates(dupes_db)) == _titles(groups)


def test_a_stub_groups_with_its_full_page(dupes_db, tmp_path):
    # a page whose "Similar articles" teaser names the Grodno story with a slightly different title
    page = tmp_path / "teaser.txt"
    page.write_text(
        "Lithuania counts the cost of the border queues\n\nMarch 10, 2022 09:00\n\n"
        "Lithuanian hauliers say the closures at the Belarusian border cost them millions of euros a week, "
        "and they want the government in Vilnius to press for a common European response.\n\n"
        "Similar articles\n\n"
        "Grodno border crossing re-opens after three-day closure\nMarch 3, 2022 08:15\n\n"
        "On 2 March the Belarusian State Border Committee reopened the Bruzgi crossing near Grodno after a "
        "three-day closure that left more than four hundred lorries waiting on both sides of the Polish border.\n",
        encoding="utf-8")
    import_paths(dupes_db, [page])
    stub = dupes_db.execute("SELECT id FROM articles WHERE is_stub = 1 AND title LIKE 'Grodno%'").fetchone()
    assert stub is not None
    groups = similar.near_duplicates(dupes_db)
    grodno = [g for g in groups if any(d["title"].startswith("Grodno") for d in g)]
    assert len(grodno) == 1 and stub[0] in {d["id"] for d in grodno[0]} and len(grodno[0]) == 3


def test_pair_score_rules():
    body = " ".join(f"word{i}" for i in range(60))
    a = {"title": "Talks resume in Minsk", "body": body, "is_stub": 0}
    assert similar.pair_score(a, dict(a)) == 100
    other = {"title": "Talks resume in Minsk", "body": " ".join(f"other{i}" for i in range(60)), "is_stub": 0}
    assert similar.pair_score(a, other) < 90          # same headline, different text: not a copy
    stub = {"title": "TALKS RESUME IN MINSK", "body": "", "is_stub": 1}
    assert similar.pair_score(a, stub) == 100         # a stub without a teaser: the title decides


# --- CLI ---------------------------------------------------------------------------------------------
def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_similar_text_and_article(capsys, fixture_db_path):
    code, out, _ = run(capsys, "similar", "--text", "vilnius protest astravets reaktor", "--format", "json",
                       "--db", str(fixture_db_path))
    assert code == 0
    rows = json.loads(out)
    assert rows[0]["title"] == "Vilnius protests as Minsk starts the Astravets reactor"
    assert set(rows[0]) == set(similar.SIMILAR_COLUMNS) and isinstance(rows[0]["shared_terms"], list)
    code, out, _ = run(capsys, "similar", "--article", str(rows[0]["id"]), "--format", "csv", "--limit", "2",
                       "--db", str(fixture_db_path))
    assert code == 0
    table = list(csv.reader(io.StringIO(out)))
    assert tuple(table[0]) == similar.MORE_LIKE_THIS_COLUMNS and 1 <= len(table) - 1 <= 2
    code, out, err = run(capsys, "similar", "--article", "987654", "--db", str(fixture_db_path))
    assert code == 2 and "no article with id 987654" in err
    code, out, err = run(capsys, "similar", "--text", "  ", "--db", str(fixture_db_path))
    assert code == 2


def test_cli_duplicates_stores_links(capsys, tmp_path):
    path = str(tmp_path / "d.db")
    store = open_store(path)
    import_paths(store, [DUPES, FIXTURES / "pages"])
    store.conn.close()
    code, out, err = run(capsys, "duplicates", "--format", "csv", "--db", path)
    assert code == 0
    table = list(csv.reader(io.StringIO(out)))
    assert tuple(table[0]) == similar.DUPLICATE_COLUMNS and len(table) == 3
    assert "1 near-duplicate groups" in err and "1 near_duplicate links stored" in err
    code, out, err = run(capsys, "duplicates", "--threshold", "95", "--db", path)
    assert code == 0 and "Grodno" in out
    store = open_store(path)
    assert store.execute("SELECT count(*) FROM article_links WHERE kind = 'near_duplicate'").fetchone()[0] == 1
    store.conn.close()
    code, _, err = run(capsys, "duplicates", "--threshold", "150", "--db", path)
    assert code == 2 and "threshold" in err
