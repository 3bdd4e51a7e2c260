"""A synthetic, deterministic corpus for benchmarks and tests: `generate(articles, events, seed, out)`.

What it writes under `out`:

* `pages/NNN/NNNNNN.txt` — one article a file in the page-text format of the seed page
  (shared/samples/000_98d85fc8d90fd5e9.txt, data/demo/*.txt): title line, blank line, date line
  ("April 22, 2016 17:51"), blank line, paragraphs, and for most articles an editorial
  "Similar articles" block (title, date line, lead paragraph of earlier articles of the same pair).
  Folders hold 1,000 files each.
* `articles.jsonl` — the same articles, one JSON object a line
  (`url, title, published_at, body, source, section, author`).
* `gdelt.export.CSV` — `events` GDELT 2.0-shaped event rows: 61 tab-separated columns, no header
  (layout of tables/gdelt_columns.tsv, v2_61), actors coded as GDELT does (RUSGOV, EEC/EUR, NAT …).
* `manifest.json` — counts, the seed and the near-duplicate pairs (0-based article numbers, the
  JSONL line order).

The corpus is shaped like the real one: article lengths log-normal around 500 words; titles;
publication dates over 2000–2025 with the busier years busier; countries, capitals, adjectives and
office holders (in office on the date, tables/office_holders.csv) from the gazetteer, with a skew
toward a few pairs (BLR-RUS, BLR-POL, RUS-UKR, RUS-USA, BLR-LTU, BLR-EU …); dated sentences of the
kinds dashboard.analysis.extract reads ("On 21 November …", "On the following day, 25 November, …",
"Last week", "In March"); spelling variants (Lukashenka / Lukashenko, Kyiv / Kiev, Hrodna / Grodno);
2% near-duplicates (an earlier article republished with small edits under another URL).

Same arguments → the same bytes: one random.Random(seed) drives everything, tables are read in file
order, nothing depends on the clock, the locale or hash randomisation.
"""
from __future__ import annotations

import bisect
import functools
import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from dashboard.analysis.actors import office_holder_rows
from dashboard.knowledge import read_table
from dashboard.knowledge.cameo import codebook, quad_class
FORMAT_VERSION = 2              # bumped whenever the generator's output changes (bench caches by it)
SHARD = 1000

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FIRST_YEAR, LAST_YEAR = 2000, 2025
MEAN_WORDS = 500
NEAR_DUPLICATE_SHARE = 0.02
SIMILAR_SHARE = 0.6
EVENT_SHARE = 0.09            # share of body sentences telling of a dated bilateral event
RECENT = 2000                 # republications copy one of the last RECENT originals

# (a, b, weight): the pairs the corpus is about. The rest of the weight goes to pairs with a tail country.
PAIRS = (
    ("BLR", "RUS", 22), ("RUS", "UKR", 12), ("BLR", "POL", 10), ("RUS", "USA", 10), ("BLR", "LTU", 8),
    ("BLR", "EU", 8), ("BLR", "UKR", 5), ("EU", "RUS", 5), ("NATO", "RUS", 3), ("POL", "UKR", 3),
    ("LTU", "RUS", 3), ("BLR", "LVA", 3), ("UKR", "USA", 3), ("BLR", "USA", 3), ("POL", "RUS", 3),
    ("DEU", "RUS", 2), ("CHN", "RUS", 2), ("POL", "USA", 2), ("LTU", "POL", 2), ("LVA", "RUS", 2),
)
TAIL_WEIGHT = 14
MAIN = ("BLR", "RUS", "POL", "UKR", "USA", "LTU", "LVA")
TAIL = ("DEU", "FRA", "GBR", "CHN", "TUR", "KAZ", "ARM", "AZE", "GEO", "MDA", "CZE", "HUN", "EST", "FIN",
        "SWE", "ITA", "JPN", "IRN", "SRB", "SVK", "ROU", "IND", "ISR", "SYR", "VEN", "CUB", "NOR", "ESP",
        "CAN", "AUT", "NLD")
YEAR_BUMP = {2004: 1.2, 2006: 1.3, 2008: 1.4, 2010: 1.6, 2011: 1.4, 2014: 2.0, 2015: 1.5, 2020: 2.8,
             2021: 2.4, 2022: 2.6, 2023: 1.8, 2024: 1.5}
PAIR_YEAR_BUMP = {("RUS", "UKR"): {2014: 3.0, 2015: 2.0, 2022: 3.5, 2023: 2.5, 2024: 2.0},
                  ("BLR", "POL"): {2020: 2.5, 2021: 3.0}, ("BLR", "LTU"): {2020: 2.5, 2021: 3.0},
                  ("BLR", "EU"): {2020: 2.5, 2021: 2.5}, ("RUS", "USA"): {2016: 2.0, 2017: 1.8},
                  ("BLR", "RUS"): {2010: 2.0, 2019: 1.8, 2020: 2.0}}
# FIPS 10-4 country codes for ActionGeo (GDELT geography is FIPS, not ISO).
FIPS = {"BLR": "BO", "RUS": "RS", "POL": "PL", "UKR": "UP", "USA": "US", "LTU": "LH", "LVA": "LG", "DEU": "GM",
        "FRA": "FR", "GBR": "UK", "CHN": "CH", "TUR": "TU", "KAZ": "KZ", "ARM": "AM", "AZE": "AJ", "GEO": "GG",
        "MDA": "MD", "CZE": "EZ", "HUN": "HU", "EST": "EN", "FIN": "FI", "SWE": "SW", "ITA": "IT", "JPN": "JA",
        "IRN": "IR", "SRB": "RI", "SVK": "LO", "ROU": "RO", "IND": "IN", "ISR": "IS", "SYR": "SY", "VEN": "VE",
        "CUB": "CU", "NOR": "NO", "ESP": "SP", "CAN": "CA", "AUT": "AU", "NLD": "NL", "BEL": "BE"}
GDELT_NAME = {"EU": "EUROPEAN UNION", "NATO": "NATO"}
# CAMEO root → share of GDELT rows (verbal cooperation and consultations dominate, as in GDELT).
ROOT_WEIGHTS = {"01": 10, "02": 8, "03": 8, "04": 20, "05": 8, "06": 3, "07": 3, "08": 3, "09": 1, "10": 3,
                "11": 6, "12": 3, "13": 3, "14": 2, "15": 1, "16": 2, "17": 3, "18": 2, "19": 3, "20": 0.2}
SOURCES = ("belarus-digest.example", "east-monitor.example", "minsk-observer.example", "baltic-brief.example",
           "kyiv-review.example", "warsaw-report.example", "moscow-watch.example", "euro-east.example")
SECTIONS = ("analysis", "politics", "economy", "security", "foreign-policy", "society")
OFFICE_TITLE = {"president": "President", "prime_minister": "Prime Minister", "foreign_minister": "Foreign Minister"}
# Latin spellings of places that differ by transliteration (a subset of tables/variants.tsv).
PLACE_VARIANTS = (("Astravets", "Ostrovets", "Astravyets"), ("Hrodna", "Grodno"), ("Vaukavysk", "Volkovysk"),
                  ("Mahiliou", "Mogilev"), ("Homiel", "Gomel"), ("Vitebsk", "Viciebsk"), ("Brest",),
                  ("Kharkiv", "Kharkov"), ("Odesa", "Odessa"), ("Lviv", "Lvov"), ("Kaliningrad",),
                  ("Smolensk",), ("Bialystok", "Białystok"), ("Suwałki", "Suwalki"), ("Daugavpils",))

TOPICS = ("gas prices", "oil transit", "potash exports", "the Union State", "military integration",
          "Iskander missiles", "the nuclear power plant", "air defence", "border crossings", "migrants",
          "visa facilitation", "the Eastern Partnership", "political prisoners", "sanctions", "a new loan",
          "dairy exports", "customs duties", "the electricity market", "energy security", "the refugee crisis",
          "the Zapad exercises", "the alliance enlargement", "missile defence", "arms control", "the grain corridor",
          "fertiliser transit", "road freight permits", "a railway corridor", "the Belaruskali contract",
          "cross-border trade", "the minority schools", "media freedom", "the presidential election",
          "the parliamentary election", "human rights", "the debt restructuring", "tariff quotas",
          "the customs union", "the Eurasian Economic Union", "cyber security", "nuclear safety",
          "the airspace ban", "the Ryanair incident", "the oil refinery", "petrochemical exports",
          "the Druzhba pipeline", "the Yamal pipeline", "the Nord Stream pipeline", "wheat exports",
          "the peace talks", "prisoner exchanges", "the ceasefire", "humanitarian corridors", "food security",
          "the Kaliningrad transit", "the Suwałki gap", "heavy weapons", "the Wagner fighters", "cultural heritage",
          "education in Belarusian", "the church dispute", "the opposition in exile", "the student exchange")
KEY_TOPICS = ("sanctions", "gas", "potash", "Iskander", "visa", "border", "migrants", "loan", "election",
              "oil", "transit", "refinery", "pipeline", "ceasefire", "exercises")
ACCUSATIONS = ("interfering in its internal affairs", "training nationalist militants", "staging provocations on the border",
               "spreading disinformation", "violating the airspace agreement", "sponsoring the protests",
               "blocking freight trains", "breaking the gas contract", "espionage", "harassing journalists")
TARGETS = ("officials", "state companies", "banks", "potash producers", "oil companies", "judges", "airlines",
           "arms makers", "media executives", "energy traders")
PLANS = ("deploy additional troops", "build a border fence", "close two checkpoints", "cut oil supplies",
         "raise gas prices", "hold large military drills", "expel diplomats", "suspend freight traffic")
THREATS = ("cut gas supplies", "close the border", "expel the ambassador", "block transit", "raise tariffs",
           "suspend the agreement", "halt electricity imports", "ban food imports")
CONDITIONS = ("did not lift the sanctions", "kept building the fence", "went ahead with the exercises",
              "refused to pay its debt", "detained the journalists", "closed the checkpoints")
GRIEVANCES = ("the detention of its citizens", "the closure of a school", "hostile statements in the media",
              "the expulsion of a consul", "the ban on imports", "the treatment of the minority")
DEMANDS = ("release the detained journalists", "withdraw its troops from the border", "explain the incident",
           "reopen the checkpoints", "resume the talks", "lift the ban on food imports")
GOODS = ("dairy", "meat", "potash", "fertiliser", "timber", "steel", "grain", "fruit")
ACTIVITIES = ("espionage", "activities incompatible with their status", "interfering in the election",
              "contacts with the opposition")
NEEDS = ("the budget deficit", "gas debts", "the refinancing of old loans", "the modernisation of the refinery")
ADJX = ("pragmatic", "cautious", "transactional", "opportunistic", "multi-vector", "defensive", "confrontational",
        "hesitant", "selective", "symbolic", "bilateral", "regional", "economic", "military", "diplomatic",
        "informal", "quiet", "public", "prolonged", "tactical", "strategic", "calculated", "uneasy", "fragile")
OUTCOMES = ("no breakthrough", "a fragile thaw", "more questions than answers", "a deal on paper",
            "a pause, not a reset", "little to show", "a test of loyalty", "a symbolic gesture",
            "the limits of pressure", "an uneasy compromise")
TITLE_VERBS = ("clash", "bargain", "trade accusations", "seek a compromise", "test each other",
               "reach a deal", "fail to agree", "return to talks", "drift apart", "patch up relations")
FILLER = (
    "The move reflects a {adj} approach that has served the leadership well for two decades.",
    "Officials insist that nothing has changed, but the tone of recent statements suggests otherwise.",
    "Such a step would have consequences for {topic} that few in the region are prepared to discuss openly.",
    "Analysts agree that the episode says more about domestic politics than about foreign policy.",
    "The decision came after months of {adj} bargaining behind closed doors.",
    "Much will depend on how the next round of negotiations on {topic} unfolds.",
    "Neither side has published the details, which makes any assessment of {topic} premature.",
    "State media presented the outcome as a success, while independent outlets were more sceptical.",
    "This is not the first time that {topic} has been used as a bargaining chip.",
    "Economists estimate the cost of the dispute at {n} million dollars a year.",
    "{person}, a researcher at the {inst} Institute, described the situation as {adj} but stable.",
    "The opposition criticised the government for its {adj} handling of {topic}.",
    "Business associations warned that the uncertainty would hit small exporters in {town} first.",
    "The statement was widely read as a signal to domestic audiences rather than to foreign partners.",
    "It remains unclear whether the promises will be kept once the attention of the media fades.",
    "The lack of explicit details makes it difficult to judge who gained more from the arrangement.",
    "Local authorities in {town} have already reported delays and rising prices.",
    "In private, diplomats describe the relationship as {adj} and prone to sudden swings.",
    "The episode is likely to be remembered as a turning point in the debate about {topic}.",
    "According to {person}, the real question is how long the current arrangement on {topic} can last.",
    "Critics argue that the authorities are trying to earn benefits from a deteriorating situation.",
    "The rhetoric has softened somewhat, but the underlying disagreements remain unresolved.",
    "For now, the {adj} balance seems to suit both capitals better than any alternative.",
    "The parliament is expected to return to the issue of {topic} in the autumn session.",
    "Observers in {town} say that the mood among ordinary people has changed little.",
    "The price of this policy is paid by transport companies, farmers and students.",
    "A similar pattern could be observed during the crisis around {topic} a few years earlier.",
    "Unofficial estimates put the number of people affected at about {n} thousand.",
    "Whatever the motives, the outcome has narrowed the space for political manoeuvre.",
    "The {inst} Centre noted in its latest report that {topic} has become a security issue.",
)

# Word lists of the free analytic prose between the dated sentences: a grammar over them gives the
# lexical spread of real commentary (few shared word triples between two articles), so that indexes,
# vocabularies and near-duplicate blocking see realistic statistics.
NOUNS = """
agenda alliance ambition approach argument arrangement assessment assumption audience balance bargain
barrier benefit budget burden calculation campaign capacity caution ceiling challenge channel choice
claim coalition commitment compromise concern concession condition confidence conflict consensus
constraint contract controversy corridor cost coverage credibility crisis criticism cycle deadline debate
debt decision declaration deficit delay delegation demand dependence deterrent dialogue dilemma dispute
distance doctrine dynamic economy effect election elite embargo emphasis engagement environment episode
equation escalation estimate expectation experience exposure facility factor failure fatigue fear
flexibility forecast format framework friction frontier future gamble gap gesture goal ground growth
guarantee habit hedge hierarchy horizon hurdle illusion impact impasse incentive income incident
indicator influence initiative instrument integration interest interpretation investment isolation
issue leverage liability limit logic loyalty majority manoeuvre margin market measure mechanism memory
message method minority mistake model momentum motive narrative necessity negotiation network norm
objective obligation obstacle offer opportunity option order outcome pace package paradox partnership
pattern payment perception period perspective phase platform pledge policy position posture potential
precedent preference premise pressure price priority problem procedure process programme project
promise proposal prospect protest provocation quota reaction reality rebalancing recession reform
regime relationship reliance reluctance reputation requirement reserve resistance resource response
restraint revenue rhetoric risk rivalry route rule sanction scenario scepticism schedule scheme sector
security sentiment sequence setback settlement shift signal silence situation solution sovereignty
stability stake stalemate stance status strategy strength subsidy supply support surplus suspicion
symbol system tactic target tension term test threshold timetable tone trade tradition transition
transparency trend trust turnover uncertainty understanding urgency value venture verdict version
veto view vision vulnerability warning weakness window withdrawal
""".split()
ADJECTIVES = """
abrupt active adverse ambiguous ambitious apparent awkward bilateral blunt bold brief broad calculated
careful cautious central chronic clear close collective commercial common comparable complex concrete
conditional considerable consistent constructive contradictory costly critical cumulative current
decisive deep defensive deliberate delicate dependent direct discreet distinct domestic dominant
durable eager early economic effective elaborate emerging entire essential evident excessive explicit
external fragile formal frequent frozen fundamental genuine gradual growing harsh hidden hostile
immediate implicit important incremental indirect inevitable informal initial intense internal
irreversible key lasting latent legal limited long local marginal massive measured minor modest
moderate multilateral mutual narrow national negative neutral nominal notable obvious occasional
official open ordinary partial passive permanent persistent plausible political popular positive
potential practical pragmatic precarious predictable preliminary private problematic prolonged
provisional public quiet radical rapid rare realistic reciprocal regional relative reluctant remote
residual restrictive rigid robust rough sceptical seasonal secondary selective sensitive serious
severe sharp short significant silent simple slow sober specific stable steady strategic strict
structural subtle substantial sudden superficial symbolic systemic tactical technical temporary
tentative tight total traditional transactional uneasy unexpected uneven unilateral unprecedented
unstable urgent useful vague visible vital volatile vulnerable wary weak wide
""".split()
VERBS = """
accelerated affected altered amplified anticipated blurred bolstered broadened challenged changed
clarified complicated confirmed constrained contradicted curbed damaged deepened defined delayed
demonstrated destabilised diluted diminished disrupted distorted eased eroded exposed extended
facilitated favoured framed frustrated highlighted hindered illustrated improved increased influenced
intensified justified limited masked moderated narrowed neutralised obscured offset outlined
overshadowed prolonged reaffirmed reduced reinforced reshaped restricted revealed reversed shaped
signalled simplified softened stabilised strained strengthened sustained tested tightened transformed
undermined underscored weakened widened
""".split()
ADVERBS = """
already apparently arguably clearly consistently currently deliberately effectively eventually evidently
gradually increasingly inevitably largely mostly notably occasionally openly partly possibly presumably
primarily probably quietly rarely readily really recently repeatedly seemingly significantly simply
slowly steadily still strongly surely typically ultimately undoubtedly unexpectedly visibly
""".split()
GROUPS = """
analysts bankers businessmen commentators diplomats economists exporters farmers journalists lawyers
lawmakers ministers observers officials pensioners politicians producers researchers students traders
truckers voters
""".split()


# --------------------------------------------------------------------------- gazetteer tables

@dataclass
class _Actor:
    code: str
    names: list[str]                 # as used in prose ("the United States")
    adjs: list[str]
    capitals: list[str]
    gdelt_name: str
    # office → [(start, end, full-name spellings, short spellings)], start/end ISO strings
    offices: dict[str, list[tuple[str, str, list[str], list[str]]]] = field(default_factory=dict)


def _vals(s: str) -> list[str]:
    return [] if s in ("", "-") else [v.strip() for v in s.split("|") if v.strip()]


_THE = ("United", "Netherlands", "Czech Republic", "Russian Federation", "Republic of", "People's", "Federal Republic")


def _with_the(name: str) -> str:
    return "the " + name if name.startswith(_THE) else name


def _iso_bound(s: str, end: bool) -> str:
    """'2000-11' → '2000-11-01' (start) or '2000-11-31' (end); '' end → far future."""
    if not s:
        return "9999-12-31" if end else "0000-01-01"
    parts = s.split("-")
    if len(parts) == 1:
        return s + ("-12-31" if end else "-01-01")
    if len(parts) == 2:
        return s + ("-31" if end else "-01")
    return s


@functools.cache
def _actors() -> dict[str, _Actor]:
    out: dict[str, _Actor] = {}
    wanted = set(MAIN) | set(TAIL) | {a for a, b, _ in PAIRS} | {b for a, b, _ in PAIRS}
    for row in read_table("countries.tsv"):
        code, name, names, adjs, _demonyms, capitals = row[:6]
        if code not in wanted:
            continue
        ns = [name] + [n for n in _vals(names) if n != name and "." not in n and n.isascii()][:2]
        if code == "USA":
            ns = ["United States", "the US", "Washington"][:2]
        caps = [c for c in _vals(capitals) if "," not in c and "D.C" not in c and "DC" not in c][:2] or [name]
        out[code] = _Actor(code, [_with_the(n) for n in ns], _vals(adjs)[:2] or [name], caps, name.upper())
    out["EU"] = _Actor("EU", ["the European Union", "the EU"], ["EU"], ["Brussels"], "EUROPEAN UNION")
    out["NATO"] = _Actor("NATO", ["NATO", "the North Atlantic Alliance"], ["NATO"], ["NATO headquarters"], "NATO")
    people: dict[str, tuple[list[str], list[str]]] = {}
    for row in read_table("actor_people.tsv"):
        if row[0] == "-" or len(row) < 4:
            continue
        spellings = _vals(row[3])
        full = [s for s in spellings if " " in s and "." not in s]
        short = [s for s in spellings if " " not in s]
        if full and short:
            people[row[0]] = (full, short)
    for row in office_holder_rows():
        actor = out.get(row["country"])
        if actor is None or row["office"] not in OFFICE_TITLE or row["person"] not in people:
            continue
        full, short = people[row["person"]]
        actor.offices.setdefault(row["office"], []).append(
            (_iso_bound(row["start"], False), _iso_bound(row["end"], True), full, short))
    return out


@functools.cache
def _cameo_codes() -> dict[str, list[tuple[str, str]]]:
    """root → [(code, goldstein)] from tables/cameo.tsv (3- and 4-digit event codes, and the root itself)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for code, row in codebook().items():
        out.setdefault(row["root"], []).append((code, str(row["goldstein"])))
    return out


# --------------------------------------------------------------------------- the generator

class _Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.r = self.rng.random
        self.actors = _actors()
        pairs = list(PAIRS)
        main_tail = [(a, b) for a in MAIN for b in TAIL]
        self.pairs = [(a, b) for a, b, _ in pairs]
        self.pair_cum = list(_accumulate([w for _, _, w in pairs]))
        self.pair_total = self.pair_cum[-1] + TAIL_WEIGHT
        self.main_tail = main_tail
        self.year_cum: dict[tuple[str, str] | None, list[float]] = {}
        self.names = self._syllable_names(6000, ("a", "o", "e", "i", "u", "y"),
                                          ("enko", "ovich", "ski", "uk", "ov", "ava", "ich", "ka", "in", "eu"))
        self.towns = self._syllable_names(3000, ("a", "o", "i", "e", "u"),
                                          ("sk", "ovo", "ichy", "ava", "in", "grad", "iv", "ets", "any", "ki"))
        given = ("Alena", "Andrei", "Siarhei", "Olga", "Pavel", "Iryna", "Tomasz", "Agnieszka", "Rasa", "Darius",
                 "Janis", "Ilze", "Oleksandr", "Natalia", "Mikhail", "Anna", "Viktar", "Maryna", "Piotr", "Kasia")
        self.people = [f"{given[i % len(given)]} {n}" for i, n in enumerate(self.names)]
        self.insts = [n + suffix for n in self.towns[:400] for suffix in (" Strategic", " Policy")]

    # ---- small helpers
    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def _syllable_names(self, n: int, vowels, endings) -> list[str]:
        cons = ("b", "d", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "zh", "ch", "sh", "kr", "st", "br", "dr")
        seen, out = set(), []
        while len(out) < n:
            k = 1 + int(self.r() * 3)
            w = "".join(self.pick(cons) + self.pick(vowels) for _ in range(k)) + self.pick(endings)
            w = w[0].upper() + w[1:]
            if w not in seen:
                seen.add(w)
                out.append(w)
        return out

    def pair(self) -> tuple[str, str]:
        x = self.r() * self.pair_total
        if x < self.pair_cum[-1]:
            return self.pairs[bisect.bisect_right(self.pair_cum, x)]
        if self.r() < 0.8:
            a, b = self.pick(self.main_tail)
        else:
            a, b = self.pick(TAIL), self.pick(TAIL)
            if a == b:
                b = "RUS"
        return (a, b) if a < b else (b, a)

    def year(self, pair) -> int:
        key = pair if pair in PAIR_YEAR_BUMP else None
        cum = self.year_cum.get(key)
        if cum is None:
            bump = PAIR_YEAR_BUMP.get(pair, {})
            ws = [(1 + 0.05 * (y - FIRST_YEAR)) * YEAR_BUMP.get(y, 1.0) * bump.get(y, 1.0)
                  for y in range(FIRST_YEAR, LAST_YEAR + 1)]
            cum = self.year_cum[key] = list(_accumulate(ws))
        return FIRST_YEAR + bisect.bisect_right(cum, self.r() * cum[-1])

    def day(self, pair) -> date:
        y = self.year(pair)
        return date(y, 1, 1) + timedelta(days=int(self.r() * (366 if y % 4 == 0 else 365)))

    # ---- actor phrases
    def holder(self, code: str, d: date, office: str):
        iso = d.isoformat()
        for start, end, full, short in self.actors[code].offices.get(office, ()):
            if start <= iso <= end:
                return full, short
        return None

    def leader(self, code: str, d: date) -> str | None:
        a = self.actors[code]
        office = "president" if self.r() < 0.55 else ("prime_minister" if self.r() < 0.5 else "foreign_minister")
        h = self.holder(code, d, office)
        if h is None:
            return None
        full, _short = h
        name = full[0] if self.r() < 0.7 else self.pick(full)
        title = "Secretary of State" if code == "USA" and office == "foreign_minister" else OFFICE_TITLE[office]
        return f"{a.adjs[0]} {title} {name}"

    def surname(self, code: str, d: date) -> str | None:
        h = self.holder(code, d, "president")
        return None if h is None else self.pick(h[1])

    def name(self, code: str) -> str:
        ns = self.actors[code].names
        return ns[0] if len(ns) == 1 or self.r() < 0.85 else self.pick(ns[1:])

    def adj(self, code: str) -> str:
        a = self.actors[code].adjs
        return a[0] if len(a) == 1 or self.r() < 0.9 else a[1]

    def cap(self, code: str) -> str:
        c = self.actors[code].capitals
        return c[0] if len(c) == 1 or self.r() < 0.75 else c[1]

    def actor(self, code: str, d: date) -> str:
        x = self.r()
        if x < 0.35:
            return self.name(code)
        if x < 0.55:
            return self.cap(code)
        if x < 0.75:
            return self.pick(("the {} government", "the {} authorities", "{} officials", "the {} foreign ministry",
                              "{} diplomats")).format(self.adj(code))
        return self.leader(code, d) or self.name(code)

    # ---- dates inside the text (never after the publication day)
    def dm(self, d: date) -> str:
        """'21 November', a quarter of the time with the year ('21 November 2015')."""
        return f"{d.day} {MONTHS[d.month - 1]}" + (f" {d.year}" if self.r() < 0.25 else "")

    def md(self, d: date) -> str:
        """'November 21', a quarter of the time with the year ('November 21, 2015')."""
        return f"{MONTHS[d.month - 1]} {d.day}" + (f", {d.year}" if self.r() < 0.25 else "")

    # ---- sentences
    def event_sentence(self, a: str, b: str, pub: date, prev: list) -> str:
        if self.r() < 0.5:
            a, b = b, a
        back = 1 + int(self.r() * 45)
        d = pub - timedelta(days=back)
        A, B = self.actor(a, d), self.actor(b, d)
        f = {"A": A, "B": B, "Aadj": self.adj(a), "Badj": self.adj(b), "Acap": self.cap(a), "Bcap": self.cap(b),
             "D": self.dm(d), "MD": self.md(d), "M": MONTHS[d.month - 1], "WD": WEEKDAYS[(pub - timedelta(days=1 + int(self.r() * 5))).weekday()],
             "topic": self.pick(TOPICS), "n": 5 + int(self.r() * 900),
             "acc": self.pick(ACCUSATIONS), "tgt": self.pick(TARGETS), "plan": self.pick(PLANS),
             "threat": self.pick(THREATS), "cond": self.pick(CONDITIONS), "griev": self.pick(GRIEVANCES),
             "demand": self.pick(DEMANDS), "goods": self.pick(GOODS), "act": self.pick(ACTIVITIES),
             "need": self.pick(NEEDS), "place": self.pick(self.pick(PLACE_VARIANTS)), "Y": d.year, "town": self.pick(self.towns)}
        if prev and prev[-1] < pub and self.r() < 0.3:
            nxt = prev[-1] + timedelta(days=1)
            prev.append(nxt)
            f["D1"] = self.dm(nxt)
            s = "On the following day, {D1}, {A} and {B} discussed {topic} in {Acap}.".format(**f)
        else:
            prev.append(d)
            s = self.pick(_EVENT_TEMPLATES).format(**f)
        return s[0].upper() + s[1:]

    def background(self, a: str, b: str, pub: date) -> str:
        f = {"Aname": self.name(a), "Bname": self.name(b), "Aadj": self.adj(a), "Badj": self.adj(b),
             "Acap": self.cap(a), "Bcap": self.cap(b), "topic": self.pick(TOPICS), "Y": pub.year - 1 - int(self.r() * 8),
             "p": 2 + int(self.r() * 40), "person": self.pick(self.people), "inst": self.pick(self.insts),
             "Lead": self.surname(a, pub) or self.name(a)}
        s = self.pick(_BACKGROUND).format(**f)
        return s[0].upper() + s[1:]

    def prose(self) -> str:
        """A sentence of analytic prose from the word lists (no actor, no date)."""
        p, x = self.pick, self.r()
        if x < 0.25:
            s = (f"The {p(ADJECTIVES)} {p(NOUNS)} of {p(NOUNS)} {p(ADVERBS)} {p(VERBS)} the {p(ADJECTIVES)} "
                 f"{p(NOUNS)} between the two sides")
        elif x < 0.45:
            s = (f"{p(GROUPS).capitalize()} in {p(self.towns)} see the {p(NOUNS)} as {_a(p(ADJECTIVES))} {p(NOUNS)} "
                 f"rather than {_a(p(ADJECTIVES))} {p(NOUNS)}")
        elif x < 0.62:
            s = (f"This {p(NOUNS)} {p(VERBS)} the {p(NOUNS)} of {p(ADJECTIVES)} {p(NOUNS)}, and the {p(NOUNS)} "
                 f"{p(ADVERBS)} {p(VERBS)} the {p(ADJECTIVES)} {p(NOUNS)}")
        elif x < 0.78:
            s = (f"According to {p(self.people)}, the {p(ADJECTIVES)} {p(NOUNS)} has {p(VERBS)} the {p(NOUNS)} "
                 f"of {p(NOUNS)} more than any {p(ADJECTIVES)} {p(NOUNS)}")
        elif x < 0.9:
            s = (f"Whether the {p(NOUNS)} {p(ADVERBS)} {p(VERBS)} the {p(NOUNS)} remains {_a(p(ADJECTIVES))} "
                 f"question for {p(GROUPS)} and {p(GROUPS)} alike")
        else:
            s = (f"{_a(p(ADJECTIVES)).capitalize()} {p(NOUNS)} on {p(TOPICS)} would {p(ADVERBS)} need "
                 f"{_a(p(ADJECTIVES))} {p(NOUNS)} and {_a(p(ADJECTIVES))} {p(NOUNS)}")
        return s + "."

    def filler(self) -> str:
        if self.r() < 0.8:
            return self.prose()
        return self.pick(FILLER).format(adj=self.pick(ADJX), topic=self.pick(TOPICS), n=3 + int(self.r() * 400),
                                        person=self.pick(self.people), inst=self.pick(self.insts),
                                        town=self.pick(self.towns))

    def title(self, a: str, b: str, pub: date) -> str:
        f = {"Aname": self.name(a), "Bname": self.name(b), "Acap": self.cap(a), "Bcap": self.cap(b),
             "Aadj": self.adj(a), "Badj": self.adj(b), "topic": self.pick(TOPICS), "key": self.pick(KEY_TOPICS),
             "verb": self.pick(TITLE_VERBS), "out": self.pick(OUTCOMES), "town": self.pick(self.towns),
             "Lead": self.surname(a, pub) or self.name(a), "Y": pub.year, "M": MONTHS[pub.month - 1],
             "adj": self.pick(ADJECTIVES), "noun": self.pick(NOUNS), "person": self.pick(self.people),
             "verb2": self.pick(VERBS)}
        t = self.pick(_TITLES).format(**f)
        return t[0].upper() + t[1:]

    def article(self, pair: tuple[str, str]) -> tuple[str, date, str, list[str]]:
        """(title, publication day, 'HH:MM', paragraphs)."""
        a, b = pair
        pub = self.day(pair)
        hhmm = f"{7 + int(self.r() * 16):02d}:{int(self.r() * 60):02d}"
        third = self.pick(MAIN + ("EU", "NATO")) if self.r() < 0.3 else None
        if third in pair:
            third = None
        target = max(80, min(3000, int(math.exp(math.log(MEAN_WORDS) - 0.125 + 0.5 * self.rng.gauss(0, 1)))))
        words = 0
        paras: list[str] = []
        prev: list[date] = []
        while words < target:
            n = 2 + int(self.r() * 4)
            sents = []
            for k in range(n):
                x = self.r()
                if (not paras and k == 0) or x < EVENT_SHARE:
                    s = self.event_sentence(a, b, pub, prev)
                elif x < EVENT_SHARE + 0.03 and third:
                    s = self.event_sentence(self.pick(pair), third, pub, prev)
                elif x < 0.32:
                    s = self.background(a, b, pub)
                elif x < 0.36:
                    s = self.pick(_RELATIVE).format(A=self.actor(a, pub), B=self.actor(b, pub), M=MONTHS[pub.month - 1],
                                                    topic=self.pick(TOPICS), Bcap=self.cap(b))
                    s = s[0].upper() + s[1:]
                else:
                    s = self.filler()
                sents.append(s)
                words += s.count(" ") + 1
            paras.append(" ".join(sents))
        return self.title(a, b, pub), pub, hhmm, paras


def _a(word: str) -> str:
    """'a cautious', 'an open'."""
    return ("an " if word[0] in "aeiou" else "a ") + word


def _accumulate(ws):
    total = 0.0
    for w in ws:
        total += w
        yield total


_EVENT_TEMPLATES = (
    "On {D}, {A} met {B} in {Bcap} to discuss {topic}.",
    "On {D} {A} and {B} signed an agreement on {topic}.",
    "Last week, {A} accused {B} of {acc}.",
    "In {M}, {A} imposed sanctions on {Badj} {tgt}.",
    "{A} expressed concern over {Badj} plans to {plan} on {MD}.",
    "On {D}, {Aadj} and {Badj} officials held talks on {topic} in {Bcap}.",
    "{A} visited {Bcap} on {MD} for talks on {topic}.",
    "Earlier this month, {A} threatened to {threat} if {B} {cond}.",
    "The {Aadj} foreign ministry summoned the {Badj} ambassador on {WD} to protest against {griev}.",
    "On {D}, {A} and {B} held joint military exercises near {place}.",
    "{A} criticised {B} on {D} for its position on {topic}.",
    "On {D}, {A} called on {B} to {demand}.",
    "{A} hosted {B} on {MD}, and the two sides discussed {topic}.",
    "In {M} {A} offered {B} a loan of {n} million dollars to cover {need}.",
    "On {D} {A} recalled its ambassador from {Bcap} for consultations.",
    "{A} expelled two {Badj} diplomats on {D}, accusing them of {act}.",
    "On {D}, {A} lifted restrictions on {Badj} {goods} imports.",
    "{A} welcomed the {Badj} delegation on {D} and praised the progress on {topic}.",
    "On {D}, {A} and {B} agreed to hold talks on {topic}.",
    "On {WD}, {A} warned {B} against any attempt to {plan}.",
)
_BACKGROUND = (
    "Relations between {Aname} and {Bname} have been complicated since {Y}.",
    "{Aadj} commentators have speculated that {Badj} territory could be used for {topic}.",
    "The {Aadj} leadership has so far avoided any public commitment on {topic}.",
    "For {Acap}, the issue of {topic} remains a matter of national security.",
    "Trade between {Aname} and {Bname} fell by {p} percent in {Y}.",
    "{person}, an analyst at the {inst} Institute in {Acap}, said the issue of {topic} would dominate the agenda.",
    "{Lead} has repeatedly described {Bname} as a difficult but necessary partner.",
    "The {Aadj} side regards {topic} as a test of {Badj} goodwill.",
    "Since {Y}, {Acap}’s stance on {topic} has hardened noticeably.",
    "Many in {Bcap} believe that {Aname} is using {topic} to extract concessions.",
)
_RELATIVE = (
    "Last week {A} said it was ready to discuss {topic} with {B}.",
    "In {M}, {A} and {B} met in {Bcap} to discuss {topic}.",
    "Earlier this month, {A} criticised {B} over {topic}.",
    "Two days ago {A} phoned {B} to discuss {topic}.",
    "Yesterday {A} and {B} exchanged statements on {topic}.",
)
# Headlines: every one carries at least two slots of high cardinality (a town, a person, a noun and
# adjective of the prose lists), so that, as in real news, two headlines rarely share their words.
_TITLES = (
    "{Acap} and {Bcap} {verb} over {topic} as {town} {noun} looms",
    "{Aname} and {Bname}: {out} on {topic} after the {town} talks",
    "Why {Acap} hopes {Bcap} would revise its {adj} {noun} on {topic}",
    "{Acap}’s attempt to benefit from the {adj} {noun} in {town} failed",
    "{Aadj}-{Badj} talks on {topic}: {out}, says {person}",
    "{Lead} in {Bcap}: {adj} {noun} and {out}",
    "{key} talks in {town}: {Acap} and {Bcap} {verb} over the {noun}",
    "{Aname} and {Bname} after the {M} {Y} {noun} over {topic}",
    "{person} on the {adj} {noun} between {Acap} and {Bcap}",
    "What the {town} meeting means for the {adj} {noun} of {Aadj}-{Badj} relations",
    "{Acap} {verb2} {Badj} {noun} on {key} near {town}",
    "The {adj} {noun} behind {Aadj} {key} policy, by {person}",
)


def _dateline(d: date, hhmm: str) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year} {hhmm}"


def _republish(g: _Gen, title: str, paras: list[str], source: str) -> tuple[str, list[str]]:
    """A near-duplicate: the same article with small edits (a word swapped, a sentence dropped, a note)."""
    paras = list(paras)
    x = g.r()
    if x < 0.35:
        title = "Analysis: " + title
    elif x < 0.5:
        title = title + " (updated)"
    i = int(g.r() * len(paras))
    sents = paras[i].split(". ")
    if len(sents) > 1:
        del sents[int(g.r() * len(sents))]
        paras[i] = ". ".join(sents)
    for old, new in ((" said ", " stated "), ("However", "But"), (" talks ", " negotiations "), (" met ", " held a meeting with ")):
        if g.r() < 0.5:
            j = int(g.r() * len(paras))
            paras[j] = paras[j].replace(old, new, 1)
    paras.append(f"This article was first published by {source}.")
    return title, paras


def generate(articles: int, events: int, seed: int, out: Path) -> dict:
    """Write the corpus (see the module docstring) into `out` and return the manifest dict.

    articles: number of articles (pages and JSONL lines); events: number of GDELT rows;
    seed: the random seed (same seed and counts → the same bytes). `out` is created; files of an
    earlier corpus in it are overwritten.
    """
    out = Path(out)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    g = _Gen(seed)
    titles: list[str | None] = []     # None: a republication, never offered as a "similar article"
    datelines: list[str] = []
    leads: list[str] = []
    recent: dict[int, tuple] = {}     # the last RECENT originals, for republication
    by_pair: dict[tuple[str, str], list[int]] = {}
    near: list[list[int]] = []
    shard_dir = out / "pages"
    with open(out / "articles.jsonl", "w", encoding="utf-8", newline="\n") as jl:
        for i in range(articles):
            if i % SHARD == 0:
                shard_dir = out / "pages" / f"{i // SHARD:03d}"
                shard_dir.mkdir(exist_ok=True)
            source = g.pick(SOURCES)
            section = g.pick(SECTIONS)
            if len(recent) >= 20 and g.r() < NEAR_DUPLICATE_SHARE:
                keys = list(recent)
                j = keys[int(g.r() * len(keys))]
                pair, pub, hhmm, paras = recent[j]
                pub = pub + timedelta(days=int(g.r() * 4))
                hhmm = f"{7 + int(g.r() * 16):02d}:{int(g.r() * 60):02d}"
                title, paras = _republish(g, titles[j], paras, source)
                near.append([i, j])
                titles.append(None)
                datelines.append("")
                leads.append("")
            else:
                pair = g.pair()
                title, pub, hhmm, paras = g.article(pair)
                titles.append(title)
                datelines.append(_dateline(pub, hhmm))
                leads.append(paras[0])
                recent[i] = (pair, pub, hhmm, paras)
                if len(recent) > RECENT:
                    del recent[next(iter(recent))]
            body = "\n\n".join(paras)
            url = f"https://{source}/{section}/{pub.year}/{pub.month:02d}/{i:06d}"
            jl.write(json.dumps({"url": url, "title": title, "published_at": f"{pub.isoformat()} {hhmm}",
                                 "body": body, "source": source, "section": section,
                                 "author": g.pick(g.people)}, ensure_ascii=False))
            jl.write("\n")
            page = [title, "", _dateline(pub, hhmm), "", body]
            hist = by_pair.setdefault(pair, [])
            if titles[i] is not None:
                if hist and g.r() < SIMILAR_SHARE:
                    window = hist[-200:]
                    picks = g.rng.sample(window, min(len(window), 1 + int(g.r() * 3)))
                    page += ["", "Similar articles", ""]
                    page.append("\n\n".join(f"{titles[p]}\n{datelines[p]}\n\n{leads[p]}" for p in picks))
                hist.append(i)
                if len(hist) > 400:
                    del hist[:200]
            with open(shard_dir / f"{i:06d}.txt", "w", encoding="utf-8", newline="\n") as fh:
                fh.write("\n".join(page))
                fh.write("\n")
    write_gdelt(out / "gdelt.export.CSV", events, g)
    manifest = {"format": FORMAT_VERSION, "seed": seed, "articles": articles, "events": events,
                "near_duplicates": near}
    (out / "manifest.json").write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    return manifest


def write_gdelt(path: Path, rows: int, g: _Gen) -> None:
    """`rows` GDELT 2.0 event rows (61 tab-separated columns, no header) drawn with `g`'s random state."""
    codes = _cameo_codes()
    roots = sorted(ROOT_WEIGHTS)
    root_cum = list(_accumulate([ROOT_WEIGHTS[r] for r in roots]))
    actors = g.actors
    types = ("GOV", "MIL", "", "", "BUS", "MED", "OPP", "CVL")
    tones = [f"{x:.14g}" for x in (g.rng.gauss(-1.5, 3.2) for _ in range(997))]
    base_id = 410_000_000
    empty = ""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        buf = []
        for k in range(rows):
            pair = g.pair()
            d = g.day(pair)
            a, b = (pair if g.r() < 0.5 else (pair[1], pair[0]))
            x = g.r()
            if x < 0.08:
                b = None                      # one actor only
            elif x < 0.11:
                b = a                         # domestic event
            root = roots[bisect.bisect_right(root_cum, g.r() * root_cum[-1])]
            code, gold = g.pick(codes[root])
            if len(code) == 2:
                code = code + "0"
                gold = next((gg for c, gg in codes[root] if c == code), gold)
            quad = quad_class(root)
            fields1 = _gdelt_actor(actors, a, g.pick(types))
            fields2 = _gdelt_actor(actors, b, g.pick(types)) if b else ["", "", "", "", "", "", "", "", "", ""]
            geo_code = a if g.r() < 0.6 or not b else b
            fips = FIPS.get(geo_code, "")
            cap = actors[geo_code].capitals[0] if geo_code in actors else ""
            geo_name = f"{cap}, {actors[geo_code].names[0].replace('the ', '')}" if fips else ""
            lat, lon = f"{40 + g.r() * 20:.4f}", f"{10 + g.r() * 30:.4f}"
            geo = (["4", geo_name, fips, fips + "04", empty, lat, lon, str(int(g.r() * 900000))] if fips
                   else ["0", "", "", "", "", "", "", ""])
            mentions = 1 + int(g.r() ** 3 * 60)
            sources_n = 1 + int(g.r() * mentions)
            articles_n = max(sources_n, mentions - int(g.r() * mentions))
            added = d + timedelta(days=int(g.r() * 2))
            ymd = f"{d.year}{d.month:02d}{d.day:02d}"
            row = [str(base_id + k), ymd, ymd[:6], str(d.year), f"{d.year + (d.timetuple().tm_yday - 0.5) / 366:.4f}",
                   *fields1, *fields2, "1" if g.r() < 0.6 else "0", code, code[:3], root, str(quad), gold,
                   str(mentions), str(sources_n), str(articles_n), g.pick(tones),
                   *geo, *geo, *geo,
                   f"{added.year}{added.month:02d}{added.day:02d}{int(g.r() * 24):02d}{int(g.r() * 4) * 15:02d}00",
                   f"https://{g.pick(SOURCES)}/news/{ymd}/{base_id + k}"]
            buf.append("\t".join(row))
            if len(buf) >= 10_000:
                fh.write("\n".join(buf))
                fh.write("\n")
                buf.clear()
        if buf:
            fh.write("\n".join(buf))
            fh.write("\n")


def _gdelt_actor(actors: dict, code: str, kind: str) -> list[str]:
    """Actor{n}Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1Code, Religion2Code,
    Type1Code, Type2Code, Type3Code as GDELT codes them (EU: EEC with the region EUR; NATO: NAT)."""
    if code == "EU":
        return ["EEC", "EUROPEAN UNION", "EUR", "EEC", "", "", "", "IGO", "", ""]
    if code == "NATO":
        return ["NAT", "NATO", "", "NAT", "", "", "", "IGO", "", ""]
    return [code + kind, actors[code].gdelt_name if code in actors else code, code, "", "", "", "", kind, "", ""]
