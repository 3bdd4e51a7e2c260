"""The real-page evaluation (python -m devtools.evaluate --real DIR): its scoring rules on small
inputs written here, a tiny labelled folder of our own end to end, and the shared set when present."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from devtools import evaluate, evaluate_real as er
from dashboard.ingest import import_paths
from dashboard.store import open_store

REALPAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "realpages"


def gold(source, target, day, precision="day", root="16", quad=4, evidence="", why=""):
    return {"source": source, "target": target, "date": day, "precision": precision, "cameo_root": root,
            "quad_class": quad, "evidence": evidence, "why": why}


def pred(actor1, actor2, day, precision="day", root="16", quad=4, evidence=""):
    return {"actor1": actor1, "actor2": actor2, "date": day, "date_precision": precision, "root_code": root,
            "quad_class": quad, "evidence": evidence}


# --- rules ------------------------------------------------------------------------------------

def test_label_dates_are_written_as_the_store_writes_them():
    assert er.gold_date("2009", "year") == "2009-01-01"
    assert er.gold_date("2009-05", "month") == "2009-05-01"
    assert er.gold_date("2024-08-25", "week") == "2024-08-19"  # a Sunday: its week's Monday
    assert er.gold_date("2024-08-19", "week") == "2024-08-19"
    assert er.gold_date("2024-08-25", "day") == "2024-08-25"


def test_pairs_are_unordered():
    assert er.pair_key("RUS", "BLR") == er.pair_key("BLR", "RUS") == "BLR-RUS"


def test_meetings_and_agreements_are_mutual_praise_and_sales_are_not():
    assert er.is_mutual(gold("BLR", "CHN", "2015-09-02", root="04", why="Leaders' meeting"))
    assert er.is_mutual(gold("RUS", "BLR", "1999", root="05", why="Signing the treaty (057)"))
    assert er.is_mutual(gold("RUS", "BLR", "2017-09-14", root="06", why="Joint military exercises"))
    assert not er.is_mutual(gold("RUS", "BLR", "2019-12-20", root="05", why="praising integration (051)"))
    assert not er.is_mutual(gold("USA", "POL", "2025-08", root="06", why="approving a defence sale"))


def test_judgment_calls_accept_the_roots_the_label_names():
    plain = gold("RUS", "GEO", "2008-08-26", root="12", why="defies the law (128)")
    assert er.lenient_roots(plain) == {"12"}
    call = gold("RUS", "BLR", "2016-12-29", root="16", why="border regime (judgment call between 16 and 17)")
    assert er.lenient_roots(call) == {"16", "17"}
    pointing = gold("RUS", "GEO", "2008-08-26", root="12", why="recognition (judgment call, see notes)")
    notes = "Published 2008-08-26. Coded 12; 16 would also be defensible."
    assert er.lenient_roots(pointing, notes) == {"12", "16"}  # not 08 or 26 of the date
    assert er.lenient_roots(pointing) == {"12"}


# --- matching -----------------------------------------------------------------------------------

def test_an_event_is_found_only_with_the_same_unordered_pair():
    g = [gold("BLR", "RUS", "2009-06-14")]
    assert er.match_events(g, [pred("BLR", "UKR", "2009-06-14")]) == []
    assert er.match_events(g, [pred("RUS", "BLR", "2001-01-01", "year")]) == [(0, 0)]


def test_one_predicted_event_matches_one_labelled_event():
    g = [gold("BLR", "RUS", "2009-06-14"), gold("RUS", "BLR", "2009-06-14", root="11", quad=3)]
    assert er.match_events(g, [pred("BLR", "RUS", "2009-06-14")]) == [(0, 0)]


def test_the_match_prefers_the_labels_own_sentence_then_the_right_date():
    """An event read from the label's sentence is that event even with a wrong date; pairing by
    date first crossed events of one pair and day (a warning with the build-up it warns about)."""
    g = [gold("BLR", "LVA", "2021-05-24", evidence="Belarus expelled the Latvian ambassador on Monday.")]
    p = [pred("BLR", "LVA", "2021-05-20", evidence="Belarus expelled the Latvian ambassador on Monday."),
         pred("LVA", "BLR", "2021-05-24", evidence="Riga answered in kind.")]
    assert er.match_events(g, p) == [(0, 0)]
    p[0]["evidence"] = "Belarus and Latvia have long quarrelled over flags."
    assert er.match_events(g, p) == [(0, 1)]
    p[1]["date"] = "2021-05-21"
    assert er.match_events(g, p) == [(0, 0)]


def test_a_longer_passage_containing_the_sentence_is_not_the_same_sentence():
    g = [gold("BLR", "LVA", "2021-05-24", evidence="Belarus expelled the Latvian ambassador.")]
    p = [pred("BLR", "LVA", "2021-05-20", evidence="Belarus expelled the Latvian ambassador. Riga then closed "
                                                   "its border crossings, and Minsk answered with a ban on "
                                                   "Latvian goods and a summons."),
         pred("BLR", "LVA", "2021-05-24", evidence="Minsk acted on Monday.")]
    assert er.match_events(g, p) == [(0, 1)]


def test_scores_of_found_events():
    label = {"events": [
        gold("BLR", "RUS", "2009-06-14", root="16", quad=4),
        gold("UKR", "BLR", "2018-10-26", root="04", quad=1, why="meeting"),
        gold("POL", "BLR", "2023-02-06", precision="week", root="11", quad=3),
        gold("EU", "BLR", "2009-05", precision="month", root="03", quad=1),
    ], "notes": ""}
    page = er.PageScore("X01", "X")
    er.score_events(page, label, [
        pred("RUS", "BLR", "2009-06-14", root="16", quad=4),                 # reversed
        pred("BLR", "UKR", "2018-10-26", root="03", quad=1),                 # mutual: either way
        pred("POL", "BLR", "2023-02-09", precision="week", root="13", quad=3),  # same week (Monday 6 Feb)
    ])
    assert (page.gold_events, page.found) == (4, 3)
    assert page.date_right == 3
    assert page.year_right == 3
    assert page.quad_right == 3
    assert page.root_right == 1
    assert page.direction_right == 2


def test_a_week_is_not_a_day_of_that_week():
    label = {"events": [gold("POL", "BLR", "2023-02-06", precision="week")], "notes": ""}
    page = er.PageScore("X01", "X")
    er.score_events(page, label, [pred("POL", "BLR", "2023-02-09")])
    assert (page.found, page.date_right, page.year_right) == (1, 0, 1)


def test_totals_give_pair_precision_and_recall():
    a = er.PageScore("D01", "D", imported=True, date_ok=True, returned=["BLR-RUS", "BLR-POL", "POL-RUS"],
                     about=["BLR-RUS"])
    b = er.PageScore("D02", "D", about=["BLR-LTU"])  # rejected: returns nothing
    t = er.totals([a, b])
    assert (t["returned"], t["about_returned"], t["about"]) == (3, 1, 2)
    assert t["precision"] == pytest.approx(1 / 3)
    assert t["recall"] == pytest.approx(1 / 2)
    assert (t["pages"], t["imported"], t["date_ok"]) == (2, 1, 1)
    assert er.totals([b])["precision"] is None


def test_bad_label_lines_name_file_and_line(tmp_path):
    (tmp_path / "gold_T.jsonl").write_text('{"id": "T01"}\n{"title": "no id"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"gold_T.jsonl line 2"):
        er.load_labels(tmp_path)


# --- end to end on a folder we write ------------------------------------------------------------

PAGE_OK = ("Belarus and Russia agree on gas\n22 April 2016\n\n"
           "Belarus and Russia signed a gas agreement in Minsk on Friday. "
           "Poland and Germany were not part of the talks.\n")
PAGE_UNDATED = "A page without a date\nby our correspondent\n\nBelarus and Lithuania argued about a power plant.\n"


@pytest.fixture
def tiny_set(tmp_path) -> Path:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "T01.txt").write_text(PAGE_OK, encoding="utf-8")
    (tmp_path / "pages" / "T02.txt").write_text(PAGE_UNDATED, encoding="utf-8")
    labels = [
        {"id": "T01", "published": "2016-04-22", "about_pairs": [["BLR", "RUS"]],
         "events": [gold("RUS", "BLR", "2016-04-22", root="05", quad=1, why="an agreement")], "notes": ""},
        {"id": "T02", "published": "2016-04-01", "about_pairs": [["BLR", "LTU"]], "events": [], "notes": ""},
    ]
    (tmp_path / "gold_T.jsonl").write_text("".join(json.dumps(x) + "\n" for x in labels), encoding="utf-8")
    return tmp_path


def test_the_cli_pair_filter_decides_what_is_returned(tmp_path):
    (tmp_path / "p.txt").write_text(PAGE_OK, encoding="utf-8")
    db = open_store(tmp_path / "s.db")
    import_paths(db, [tmp_path / "p.txt"])
    aid = db.execute("SELECT id FROM articles").fetchone()[0]
    db.conn.close()
    assert er.returned_articles(tmp_path / "s.db", "RUS-BLR") == {aid}
    assert er.returned_articles(tmp_path / "s.db", "BLR-USA") == set()


def test_a_small_labelled_folder_end_to_end(tiny_set):
    res = er.evaluate(tiny_set)
    t01, t02 = res["pages"]
    assert (t01.imported, t01.date_ok, t01.published) == (True, True, "2016-04-22")
    assert "BLR-RUS" in t01.returned and t01.about_returned == 1
    assert not t02.imported and "line 2" in t02.reason and "published_at" in t02.reason
    assert (t02.returned, t02.gold_events) == ([], 0)
    assert res["total"]["about"] == 2 and res["total"]["recall"] == 0.5
    assert set(res["groups"]) == {"T"}
    text = er.report(res)
    assert "T02: line 2" in text and "\nall " in text
    assert res["seed"] is None and "seed article: not available" in text


def test_the_command_writes_the_figures_as_json(tiny_set, tmp_path, capsys):
    out = tmp_path / "figures.json"
    assert evaluate.main(["--real", str(tiny_set), "--json", str(out)]) == 0
    assert "T01" in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [p["id"] for p in data["pages"]] == ["T01", "T02"]
    assert data["total"]["pages"] == 2 and data["seed_expected"] == list(er.SEED_EXPECTED)


def test_a_folder_without_labels_is_an_error(tmp_path, capsys):
    assert evaluate.main(["--real", str(tmp_path)]) == 2
    assert "no labels" in capsys.readouterr().err


def test_the_gold_set_mode_still_runs(capsys):
    assert evaluate.main(["--no-seed"]) == 0
    assert "pairs" in capsys.readouterr().out


# --- the shared set ------------------------------------------------------------------------------

@pytest.mark.shared
def test_the_shared_real_pages_are_all_scored():
    if not (REALPAGES / "pages").is_dir():
        pytest.skip("../shared/realpages is not present")
    res = er.evaluate(REALPAGES)
    assert len(res["pages"]) == 46
    assert {g: t["pages"] for g, t in res["groups"].items()} == {"D": 22, "E": 16, "R": 8}
    assert res["total"]["gold_events"] == 127
    assert res["total"]["about"] == 47
    for p in res["pages"]:
        assert p.imported or p.reason, p.id
        assert 0 <= p.found <= p.gold_events
        assert max(p.date_right, p.quad_right, p.root_right, p.direction_right) <= p.found
    t = res["total"]
    assert t["precision"] is not None and 0 <= t["precision"] <= 1 and 0 <= t["recall"] <= 1
    assert res["seed"] is not None  # samples/ sits beside realpages/
    assert "seed article, November events" in er.report(res)
