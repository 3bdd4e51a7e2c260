"""Event extraction (dashboard.analysis.extract), its tables, the seed article and the gold figures."""
from __future__ import annotations

import time

import pytest

from devtools import evaluate
from dashboard.analysis.dates import find_dates, sentences
from dashboard.analysis.extract import ExtractedEvent, cameo, extract_events, goldstein, lexicon, quad_class

SHARED = evaluate.shared_dir()
SEED = SHARED / "samples" / evaluate.SEED_NAME if SHARED else None
needs_seed = pytest.mark.skipif(SEED is None or not SEED.is_file(), reason="shared/samples (seed article) not present")


def brief(events: list[ExtractedEvent]) -> list[tuple]:
    return [(e.actor1, e.actor2, e.date, e.date_precision, e.cameo_code, e.quad_class) for e in events]


# ----------------------------------------------------------------------------- CAMEO tables

def test_cameo_has_one_home():
    from dashboard.analysis import dates
    from dashboard.knowledge import cameo as codebook
    assert cameo is codebook.cameo and quad_class is codebook.quad_class and goldstein is codebook.goldstein
    assert not hasattr(dates, "cameo")


def test_cameo_lookups():
    assert cameo("0312") == {"code": "0312", "name": "Express intent to cooperate militarily", "goldstein": 5.2,
                             "root": "03", "quad_class": 1}
    assert cameo("163")["goldstein"] == -8.0 and cameo("163")["quad_class"] == 4
    assert cameo("04")["name"] == "Consult"
    assert goldstein("1313") == -5.8
    assert goldstein("057") == 8.0
    assert goldstein("2042") == -10.0
    with pytest.raises(KeyError):
        cameo("999")


@pytest.mark.parametrize("root, quad", [("01", 1), ("05", 1), ("06", 2), ("08", 2), ("09", 3), ("13", 3),
                                        ("14", 4), ("20", 4), ("0312", 1), ("1621", 4)])
def test_quad_class(root, quad):
    assert quad_class(root) == quad


@pytest.mark.parametrize("bad", ["00", "21", "x1", ""])
def test_quad_class_rejects_non_roots(bad):
    with pytest.raises(ValueError):
        quad_class(bad)


def test_cameo_table_covers_every_code():
    path = evaluate.PROJECT_ROOT / "dashboard" / "knowledge" / "tables" / "cameo.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#") and any("GDELT" in line for line in lines if line.startswith("#"))
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")][1:]
    assert len(rows) == 311
    assert {r[0] for r in rows if len(r[0]) == 2} == {f"{i:02d}" for i in range(1, 21)}
    for code, name, gold, root, quad in rows:
        assert root == code[:2] and int(quad) == quad_class(root) and -10 <= float(gold) <= 10 and name


def test_action_lexicon():
    lex = lexicon()
    assert len(lex.actions) >= 150
    codes = {a.code[:2] for a in lex.actions if a.direction != "ignore"}
    assert codes == {f"{i:02d}" for i in range(1, 21)}
    assert any(a.direction == "passive" for a in lex.actions)
    (t0, t1, act), = lex.find("The meeting was hosted by Warsaw.", 12)
    assert (act.pattern, act.code, act.direction) == ("hosted by", "043", "passive")


# ----------------------------------------------------------------------------- single sentences

def test_expulsion():
    text = "Poland expelled 45 Russian diplomats on 23 March 2022."
    (e,) = extract_events(text, "2022-03-24")
    assert brief([e]) == [("POL", "RUS", "2022-03-23", "day", "161", 4)]
    assert (e.root_code, e.goldstein, e.year_inferred, e.warning) == ("16", -4.0, False, None)
    assert (e.char_start, e.char_end, e.spans) == (0, len(text), [(0, len(text))])
    assert e.evidence == text and e.confidence == 0.85


def test_passive_makes_the_agent_actor1():
    (e,) = extract_events("Belarus was sanctioned by the EU on 2 October 2020.", "2020-10-05")
    assert brief([e]) == [("EU", "BLR", "2020-10-02", "day", "163", 4)]


def test_a_sentence_needs_two_actors_and_an_action():
    assert extract_events("Belarus held elections on 9 August 2020.", "2020-08-10") == []
    assert extract_events("Belarus and Russia on 9 August 2020.", "2020-08-10") == []
    assert extract_events("", "2020-08-10") == []


def test_coordinated_actors_give_one_event_each():
    got = brief(extract_events("Belarus recalled its ambassadors from Poland and Lithuania on 2 October 2020.",
                               "2020-10-03"))
    assert got == [("BLR", "POL", "2020-10-02", "day", "161", 4), ("BLR", "LTU", "2020-10-02", "day", "161", 4)]


def test_modal_turns_material_cooperation_into_intent():
    (e,) = extract_events("Putin said on Saturday that Russia would station tactical nuclear weapons in Belarus.",
                          "2023-03-26")
    assert brief([e]) == [("RUS", "BLR", "2023-03-25", "day", "0312", 1)]


def test_venue_and_topic_are_not_parties():
    (e,) = extract_events("German Chancellor Angela Merkel met Russian President Vladimir Putin in Minsk on "
                          "11 February 2015 for all-night talks on Ukraine.", "2015-02-12")
    assert (e.actor1, e.actor2, e.quad_class) == ("DEU", "RUS", 1)


def test_date_falls_back_to_the_paragraph_then_to_publication():
    # the lede's date is weeks before publication: it is background, not the day of the news
    text = ("The EU imposed sanctions on Belarus on 2 September 2020. Minsk condemned the EU.\n\n"
            "Poland and Lithuania signed a gas deal.")
    a, b, c = extract_events(text, "2020-10-05 09:00")
    assert brief([a, b, c]) == [("EU", "BLR", "2020-09-02", "day", "163", 4),
                                ("BLR", "EU", "2020-09-02", "day", "111", 3),
                                ("POL", "LTU", "2020-10-05", "week", "057", 1)]
    assert a.confidence > b.confidence > c.confidence
    assert text[c.char_start:c.char_end] == "Poland and Lithuania signed a gas deal."


def test_undated_report_takes_the_day_of_the_news_from_the_lede():
    # a report tells the day of its news once, in the lede, and goes on without it
    text = ("Belarus expelled the Latvian ambassador on Monday over a flag row.\n\n"
            "Latvia responded by expelling Belarusian diplomats.\n\n"
            "Russia has already criticised Latvia.")
    a, b, c = extract_events(text, "2021-05-26 10:00")       # a Wednesday
    assert brief([a, b, c]) == [("BLR", "LVA", "2021-05-24", "day", "161", 4),
                                ("LVA", "BLR", "2021-05-24", "day", "161", 4),
                                # "already": background from before the news, not its day
                                ("RUS", "LVA", "2021-05-26", "week", "111", 3)]
    assert a.confidence > b.confidence > c.confidence


def test_target_year_is_not_the_day_of_what_was_said():
    (e,) = extract_events("Russia will ship 50 billion cubic metres of gas to China by 2030, Putin said "
                          "on Tuesday.", "2023-03-23")
    assert (e.date, e.date_precision) == ("2023-03-21", "day")


def test_measure_announced_for_later_is_dated_when_announced():
    # Wednesday 10 Sep: "on Thursday" is the 11th (the attribution ", Tusk said" gives no
    # tense to the clause it reports); what happened on the 10th is the announcement
    (e,) = extract_events("Poland will close its border with Belarus at midnight on Thursday, Prime Minister "
                          "Donald Tusk said.", "2025-09-10 12:00")
    assert (e.actor1, e.actor2, e.date, e.date_precision, e.root_code) == ("POL", "BLR", "2025-09-10", "day", "16")
    assert e.warning == "announced for 2025-09-11"


def test_office_holder_out_of_office_lowers_confidence_and_warns():
    (e,) = extract_events("Russian President Medvedev met Obama on 23 November 2015.", "2016-04-22")
    assert e.warning == "Medvedev was not President of Russia on 2015-11-23 (held 2008-05-07..2012-05-07)"
    (f,) = extract_events("Russian President Medvedev met Obama on 23 November 2010.", "2010-11-24")
    assert f.warning is None and e.confidence < f.confidence


def test_same_happening_twice_is_one_event_with_two_spans():
    text = ("On 25 November Lukashenko and Russian leaders discussed military cooperation in Moscow. "
            "Experts said little. The Belarusian-Russian negotiations on November 25 in Moscow failed to help.")
    (e,) = extract_events(text, "2016-04-22")
    assert (e.actor1, e.actor2, e.date, e.root_code, e.year_inferred) == ("BLR", "RUS", "2015-11-25", "04", True)
    assert len(e.spans) == 2 and e.spans[0] == (e.char_start, e.char_end)
    assert text[e.spans[1][0]:e.spans[1][1]].startswith("The Belarusian-Russian negotiations")


def test_key_is_stable_and_ignores_offsets():
    text = "The EU imposed sanctions on Belarus on 2 October 2020."
    (a,) = extract_events(text, "2020-10-05")
    (b,) = extract_events("An introduction.\n\n" + text, "2020-10-05 09:00")
    (c,) = extract_events(text, "2020-10-06")
    assert a.key == b.key and len(a.key) == 16 and a.key != c.key
    assert (a.char_start, b.char_start) == (0, 18)


def test_case_c07_gives_one_date_and_no_event():
    text = ("Ministers may meet again to discuss the 11g pipeline; talks to resume in a week or two. "
            "Protesters march to the embassy. The memorandum was signed on 3 March 2021.")
    assert extract_events(text, "2021-03-10") == []
    dates = [d.date for s, e in sentences(text) for d in find_dates(text[s:e], "2021-03-10")]
    assert dates == ["2021-03-03"]


def test_bad_published_at_raises():
    with pytest.raises(ValueError):
        extract_events("Poland expelled Russian diplomats.", "March 2022")


# ----------------------------------------------------------------------------- the seed article

@pytest.fixture(scope="module")
def seed_events():
    parts = evaluate.seed_parts(SEED)
    return {"main": (parts["main"], extract_events(parts["main"], "2016-04-22 17:51")),
            "stub": (parts["stub"], extract_events(parts["stub"], "2017-04-17 13:03"))}


def _find(events, pair, date):
    return [e for e in events if {e.actor1, e.actor2} == set(pair) and e.date == date]


@needs_seed
def test_seed_iskander(seed_events):
    _, events = seed_events["main"]
    (e,) = _find(events, ("RUS", "BLR"), "2011-11-21")
    assert (e.actor1, e.actor2, e.quad_class, e.cameo_code, e.year_inferred, e.date_precision) == \
        ("RUS", "BLR", 1, "0312", True, "day")


@needs_seed
def test_seed_medvedev_threat_year_from_office_terms(seed_events):
    # the terms named in the article rule out 2015, the nearest year (issue #15 item 5)
    _, events = seed_events["main"]
    (e,) = _find(events, ("RUS", "USA"), "2011-11-23")
    assert (e.actor1, e.quad_class, e.root_code, e.year_inferred) == ("RUS", 3, "13", True)
    assert e.warning.startswith("year 2011: Medvedev President 2008–2012, Rogozin envoy to NATO 2008–2011")


@needs_seed
def test_seed_25_november_meeting_is_one_event_with_two_spans(seed_events):
    text, events = seed_events["main"]
    (e,) = _find(events, ("BLR", "RUS"), "2011-11-25")
    assert (e.actor1, e.quad_class, e.root_code, e.year_inferred) == ("BLR", 1, "04", True)
    assert len(e.spans) == 2
    assert text[e.spans[0][0]:e.spans[0][1]].startswith("On the following day, 25 November")
    assert "Belarusian-Russian negotiations on November 25 in Moscow" in text[e.spans[1][0]:e.spans[1][1]]


@needs_seed
def test_seed_no_event_from_interfax_or_the_west(seed_events):
    _, events = seed_events["main"]
    assert {a for e in events for a in (e.actor1, e.actor2)} <= {"BLR", "RUS", "USA", "NATO"}


@needs_seed
def test_seed_stub_last_week_meeting(seed_events):
    text, events = seed_events["stub"]
    meets = [e for e in events if {e.actor1, e.actor2} == {"BLR", "POL"} and e.quad_class == 1]
    (e,) = meets
    assert (e.date, e.date_precision, e.year_inferred, e.root_code) == ("2017-04-10", "week", False, "04")
    assert text[e.char_start:e.char_end].startswith("Last week, Belarusian Foreign Minister Makei")
    conflict = [e for e in events if {e.actor1, e.actor2} == {"BLR", "POL"} and e.quad_class == 3]
    assert conflict and conflict[0].actor1 == "BLR"
    assert any((e.actor1, e.actor2) == ("LTU", "BLR") for e in events)


# ----------------------------------------------------------------------------- gold figures and speed

def test_gold_floors():
    res = evaluate.score(evaluate.load_gold() + evaluate.load_seed())
    assert res["texts"] >= 80
    assert res["pairs"]["f1"] >= 0.85
    assert res["dates"]["f1"] >= 0.90
    assert res["quad"]["f1"] >= 0.75


def test_gold_file_shape():
    texts = evaluate.load_gold()
    assert len(texts) >= 80
    for t in texts:
        for x in t.expected:
            a, b = x["pair"].split("-")
            assert a < b and x["actor1"] in (a, b)
            assert x["precision"] in ("day", "week", "month", "year") and x["quad_class"] in (1, 2, 3, 4)


def test_speed_floor():
    # a loose floor that catches a regex gone quadratic; the real figure comes from
    # `python -m devtools.evaluate --bench 1000` (see the module docstring)
    texts = evaluate.bench_texts(100)
    extract_events(*texts[0])
    t = time.perf_counter()
    for text, pub in texts:
        extract_events(text, pub)
    assert 100 / (time.perf_counter() - t) >= 100


# ----------------------------------------------------------------------------- any input

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = ["Belarus", "Russia", "Poland", "the EU", "Minsk", "Moscow", "Lukashenko", "Putin", "Russian President",
           "Medvedev", "Belarusian", "Lithuanian", "signed", "met", "expelled", "sanctions on", "talks", "was",
           "hosted by", "could place missiles in", "refused to buy", "did not agree", "on 21 November", "May",
           "march", "last week", "yesterday", "the following day,", "25.11.2011", "2023-11-21", "in 2011", "U.S.",
           "Mr.", "and", ",", ".", ";", "\n", "\n\n", "’s", "«Iskander»", "Ł", "İ", "ß", "Москва", "11g", "2 billion"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.dates().map(lambda d: d.isoformat()))  # years 1..9999
def test_any_text_gives_well_formed_events(pieces, published):
    text = " ".join(pieces)
    for e in extract_events(text, published):
        assert e.evidence == text[e.char_start:e.char_end] and e.spans[0] == (e.char_start, e.char_end)
        assert all(0 <= a < b <= len(text) for a, b in e.spans)
        assert e.actor1 != e.actor2 and e.quad_class == quad_class(e.root_code) == cameo(e.cameo_code)["quad_class"]
        assert e.date is None or len(e.date) == 10
        assert e.date_precision in ("day", "week", "month", "year") and 0 <= e.confidence <= 1
        assert len(e.key) == 16 and int(e.key, 16) >= 0
    for a, b in sentences(text):
        for d in find_dates(text[a:b], published):
            assert text[a:b][d.start:d.end] == d.text


def test_one_event_per_cameo_root_of_a_pair_and_day():
    # a meeting and the agreements signed at it are two events (04 and 05) ...
    es = extract_events("Belarusian President Alexander Lukashenko held talks with Chinese President Xi Jinping "
                        "in Beijing on 29 September 2016, and the two leaders signed agreements on investment.",
                        "2016-09-30")
    assert sorted((e.root_code, e.date) for e in es) == [("04", "2016-09-29"), ("05", "2016-09-29")]
    # ... while one closure told twice stays one event with two evidence spans
    (e,) = extract_events("Poland closed the border with Belarus on 9 February 2023. Poland closed the Bobrowniki "
                          "crossing on 9 February 2023, cutting Belarus off.", "2023-02-10")
    assert (e.cameo_code, e.spans) == ("163", [(0, 57), (58, 136)])


def test_state_potash_company_acts_for_belarus_and_an_approved_sale_is_cooperation():
    (e,) = extract_events("Earlier this month, Lithuania terminated its transit agreement with Belaruskali.", "2022-01-31")
    assert (e.actor1, e.actor2, e.root_code, e.date, e.date_precision) == ("LTU", "BLR", "16", "2022-01-01", "month")
    (e,) = extract_events("Earlier in August, the US State Department approved a sale of radars to Poland.", "2025-09-10")
    assert (e.actor1, e.actor2, e.cameo_code, e.date, e.date_precision) == ("USA", "POL", "061", "2025-08-01", "month")


def test_both_directions_of_one_sentence_keep_distinct_keys():
    events = extract_events("Poland recalled its ambassador from Belarus after Minsk expelled two Polish diplomats.",
                            "2012-02-29")
    assert {(e.actor1, e.actor2, e.root_code) for e in events} >= {("POL", "BLR", "16"), ("BLR", "POL", "16")}
    assert len({e.key for e in events}) == len(events)


def test_european_affairs_ministers_are_the_eu():
    (e,) = extract_events("European affairs ministers agreed on Monday to a visa ban against Belarusian officials.",
                          "2012-02-29")
    assert (e.actor1, e.actor2, e.root_code, e.date) == ("EU", "BLR", "16", "2012-02-27")


# ----------------------------------------------------------------------------- lexicon rows

@pytest.mark.parametrize("text, want", [
    # a row's place holds one word: "travel bans|sanctions" was read as two places and never matched
    ("On 3 October 2016 the European Union ended travel bans and asset freezes on Belarusian officials.",
     ("EU", "BLR", "2016-10-03", "day", "085", 2)),
    # the plural: "expulsions" was not an expulsion
    ("On 12 March 2021 Poland announced the expulsions of two Belarusian diplomats.",
     ("POL", "BLR", "2021-03-12", "day", "161", 4)),
])
def test_lexicon_rows_with_plurals_and_several_words(text, want):
    assert brief(extract_events(text, "2021-03-15")) == [want]
