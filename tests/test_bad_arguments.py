"""Validated input everywhere (issue #13, item 6): URL parameters and command-line arguments that
are out of range, non-numeric, huge, unknown or reversed get one line saying so; no traceback."""
from __future__ import annotations

import re
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from conftest import FIXTURES, ROOT
from dashboard.cli import main as cli_main
from dashboard.queries.filters import Filter, parse_id
from test_app import open_page

APP = str(ROOT / "streamlit_app.py")
HUGE = "99999999999999999999999"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    from dashboard.ingest import import_paths
    from dashboard.store import open_store
    path = tmp_path_factory.mktemp("args") / "s.db"
    s = open_store(path)
    import_paths(s, [FIXTURES / "pages", FIXTURES / "events" / "gdelt2.export.CSV"])
    s.conn.close()
    return str(path)


def run_cli(argv, capsys) -> tuple[int, str]:
    try:
        code = cli_main(argv)
    except SystemExit as exc:   # argparse's own refusals
        code = exc.code
    return code, capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["similar", "--article", HUGE],
     f"argument --article: article id must be a whole number from 1 to 9223372036854775807, got '{HUGE}'"),
    (["similar", "--article", "abc"], "argument --article: article id must be a whole number"),
    (["similar", "--article", "1e5"], "argument --article: article id must be a whole number"),
    (["similar", "--article", "0"], "argument --article: article id must be a whole number"),
    (["articles", "--limit", "-1"], "argument --limit: must be a whole number from 0 to 9223372036854775807, got '-1'"),
    (["articles", "--limit", HUGE], "argument --limit: must be a whole number from 0"),
    (["events", "--limit", "ten"], "argument --limit: must be a whole number from 0"),
    (["articles", "--from", "2020-13-01"],
     "error: --from: date must be YYYY-MM-DD, got '2020-13-01' (month must be in 1..12)"),
    (["events", "--to", "yesterday"], "error: --to: date must be YYYY-MM-DD, got 'yesterday'"),
    (["articles", "--from", "2020-01-01", "--to", "2010-01-01"], "error: --from 2020-01-01 is after --to 2010-01-01"),
    (["timeline", "--pair", "BLR-RUS", "--from", "2020-01-01", "--to", "2010-01-01"],
     "error: --from 2020-01-01 is after --to 2010-01-01"),
    (["articles", "--pair", "BLR"], "error: pair must be two different actor codes like BLR-RUS, got 'BLR'"),
    (["events", "--pair", "BLR-BLR"], "error: pair must be two different actor codes"),
    (["events", "--quad", "5"], "error: QuadClass must be 1, 2, 3 or 4, got '5'"),
    # a typo in a code is an error, not an empty table
    (["timeline", "--pair", "XXX-YYY"], "error: --pair: unknown actor code XXX (not an ISO 3166-1 alpha-3 code"),
    (["events", "--pair", "BLR-BLX"], "error: --pair: unknown actor code BLX"),
    (["articles", "--pair", "RUS-QQQ"], "error: --pair: unknown actor code QQQ"),
    (["events", "--quad", "1e5"], "error: QuadClass must be 1, 2, 3 or 4, got '1e5'"),
    (["events", "--source", "twitter"],
     "error: event source must be among extracted, gdelt, acled, icews, polecat, manual, got 'twitter'"),
    (["timeline", "--period", "fortnight"], "argument --period: invalid choice: 'fortnight'"),
    (["timeline", "--direction", "up"], "argument --direction: invalid choice: 'up'"),
    # ab/ba name the pair's codes: without a pair the option was silently ignored
    (["events", "--direction", "ab"], "error: --direction needs --pair"),
    (["timeline", "--direction", "ba"], "error: --direction needs --pair"),
    (["duplicates", "--threshold", "101"], "error: --threshold must be between 0 and 100"),
    (["generate", "--out", "x", "--articles", "-5"], "argument --articles: must be a whole number from 0"),
    (["serve", "--port", "70000"], "argument --port: must be a whole number from 1 to 65535, got '70000'"),
    (["import", "x", "--workers", "0"], "argument --workers: must be a whole number from 1 to 64, got '0'"),
])
def test_bad_cli_argument_exits_2_with_one_line(store_path, capsys, argv, message):
    code, err = run_cli(argv + ["--db", store_path] if argv[0] != "generate" else argv, capsys)
    assert code == 2
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_good_arguments_still_work(store_path, capsys):
    assert cli_main(["similar", "--article", "1", "--db", store_path, "--format", "csv"]) == 0
    assert cli_main(["articles", "--limit", "0", "--db", store_path, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "id,published_at,title,actors,url,source,section,is_stub,language,score,matched_via,snippet"


def test_parse_id_bounds():
    assert parse_id("42") == 42 and parse_id(" 9223372036854775807 ") == 2 ** 63 - 1
    for bad in ("9223372036854775808", "abc", "1e5", "-1", "0", "", "４２", "²", "1_000"):
        with pytest.raises(ValueError, match="must be a whole number from 1 to 9223372036854775807"):
            parse_id(bad)


def test_url_filters_read_leniently_with_notices():
    f, notices = Filter.from_params({"pair": "BLR-XX1", "from": "2020-01-01", "to": "2010-05-01",
                                     "quad": "9", "source": "rss", "variants": "maybe", "q": "gas"})
    assert (f.pair, f.date_from, f.date_to, f.quad, f.sources, f.variants, f.query) == \
        (None, "2010-05-01", "2020-01-01", (), (), True, "gas")
    assert notices == [
        "Ignored pair='BLR-XX1': pair must be two different actor codes like BLR-RUS, got 'BLR-XX1'",
        "Ignored source='rss': event source must be among extracted, gdelt, acled, icews, polecat, manual, got 'rss'",
        "Ignored quad='9': QuadClass must be 1, 2, 3 or 4, got '9'",
        "Ignored variants='maybe': use variants=off to match words as typed.",
        "from=2020-01-01 is after to=2010-05-01: the dates were swapped.",
    ]
    _, notices = Filter.from_params({"from": "x" * 100_000})
    assert len(notices) == 1 and len(notices[0]) < 250   # a megabyte URL is not echoed whole


def test_timeline_refuses_unknown_period_and_direction(store_path):
    from dashboard.queries import timeline as tl
    from dashboard.store import open_store
    db = open_store(store_path)
    f = Filter.build(pair="BLR-RUS")
    with pytest.raises(ValueError, match="period must be one of auto, day, week, month, quarter, year, got 'fortnight'"):
        tl.timeline(db, f, "fortnight")
    with pytest.raises(ValueError, match="direction must be ab, ba or none, got 'up'"):
        Filter.build(pair="BLR-RUS", direction="up")   # the Filter carries the direction (issue #14)
    db.conn.close()


def plain(markdown: str) -> str:
    """The text a reader sees in md_escape'd Markdown."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def sidebar_warnings(at: AppTest) -> list[str]:
    return [plain(w.value) for w in at.sidebar.warning]


@pytest.mark.parametrize("value", ["abc", "1e5", HUGE, "-1", "0"])
def test_bad_article_in_url_is_a_notice(store_path, monkeypatch, value):
    monkeypatch.setenv("DASHBOARD_DB", store_path)
    at = open_page(AppTest.from_file(APP, default_timeout=60), "pages/articles.py", article=value)
    assert not at.exception
    assert len(sidebar_warnings(at)) == 1
    assert sidebar_warnings(at)[0].startswith("Ignored article: article id must be a whole number from 1 to")
    assert at.title[0].value == "Articles"   # the list, not a broken article view
    assert "article" not in at.query_params


def test_unknown_article_in_url_says_so(store_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", store_path)
    at = open_page(AppTest.from_file(APP, default_timeout=60), "pages/articles.py", article="9223372036854775807")
    assert not at.exception
    assert [w.value for w in at.warning] == ["No article with id 9223372036854775807."]


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/timeline.py", "pages/events.py",
                                  "pages/articles.py", "pages/similar.py"])
def test_bad_filters_in_url_are_notices_on_every_page(store_path, monkeypatch, page):
    monkeypatch.setenv("DASHBOARD_DB", store_path)
    at = open_page(AppTest.from_file(APP, default_timeout=60), page,
                   pair="BLR-RUS", **{"from": "2016-12-31", "to": "2015-01-01"})
    assert not at.exception
    assert sidebar_warnings(at) == ["from=2016-12-31 is after to=2015-01-01: the dates were swapped."]
    assert at.date_input(key="dates").value == tuple(__import__("datetime").date.fromisoformat(d)
                                                     for d in ("2015-01-01", "2016-12-31"))
    at = open_page(AppTest.from_file(APP, default_timeout=60), page, pair="BLR-ZZZ", to="2016-02-30")
    assert not at.exception
    assert sidebar_warnings(at) == [
        "Ignored to='2016-02-30': date must be YYYY-MM-DD, got '2016-02-30' (day is out of range for month)",
        "No article or event involves ZZZ.",
    ]


def test_browser_never_gets_error_details():
    # Streamlit 1.67: "none" hides message, type and trace of an uncaught error ("false" still shows the trace).
    from streamlit import config
    from streamlit.elements.exception import _error_detail_visibility
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["client"]["showErrorDetails"] == "none"
    old = config.get_option("client.showErrorDetails")
    try:
        config.set_option("client.showErrorDetails", "none")
        assert tuple(_error_detail_visibility(True)) == (False, False, False)
    finally:
        config.set_option("client.showErrorDetails", old)


def test_a_read_command_refuses_a_store_that_does_not_exist(tmp_path, capsys):
    """A mistyped --db must not create folders and an empty store that answers '0 of 0' (a new user's trial)."""
    missing = tmp_path / "typo" / "sub" / "nothere.db"
    for command in ("articles", "events", "pairs", "places"):
        assert cli_main([command, "--db", str(missing)]) == 2, command
        assert capsys.readouterr().err.startswith(f"error: no store at {missing}: check --db"), command
    assert not (tmp_path / "typo").exists()
