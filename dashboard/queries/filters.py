"""The one filter object every query takes: built from the sidebar, the URL query
parameters or the CLI options, so that all three mean exactly the same rows."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

_code = re.compile(r"^[A-Z]{2,4}$")


def parse_pair(text: str | None) -> tuple[str, str] | None:
    """'BLR-RUS', 'rus-blr' or 'BLR,RUS' → ('BLR', 'RUS') (sorted: pairs are unordered).

    Returns None for blank text. Raises ValueError for anything else that is not
    two distinct actor codes (ISO 3166-1 alpha-3, or EU / NATO).
    """
    if not text or not text.strip():
        return None
    parts = [p.strip().upper() for p in re.split(r"[-–,/ ]+", text.strip()) if p.strip()]
    if len(parts) != 2 or not all(_code.match(p) for p in parts) or parts[0] == parts[1]:
        raise ValueError(f"pair must be two different actor codes like BLR-RUS, got {text!r}")
    a, b = sorted(parts)
    return a, b


def parse_day(text: str | None) -> str | None:
    """'YYYY-MM-DD' → the same string, validated; blank → None; raises ValueError otherwise."""
    if not text or not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip()[:10]).isoformat()
    except ValueError as exc:
        raise ValueError(f"date must be YYYY-MM-DD, got {_shown(text)} ({exc})") from None


# SQLite stores integers in 64 bits: a larger id cannot name a row, and binding it overflows.
MAX_ID = 2 ** 63 - 1
EVENT_SOURCES = ("extracted", "gdelt", "acled", "icews", "polecat", "manual")
# Timeline direction: 'ab' keeps events where the pair's first code (alphabetical) acts on the second.
DIRECTIONS = ("ab", "ba")
# How a list of articles is ordered (None: the screen's default, 'auto' below).
ORDERS = ("rank", "salience", "date", "oldest")


def parse_order(text: str | None) -> str | None:
    """'rank', 'salience', 'date' or 'oldest' → the same; blank or 'auto' → None (best match with a keyword,
    else most about the pair with a pair, else newest first); raises ValueError otherwise."""
    value = (text or "").strip().lower()
    if value in ("", "auto"):
        return None
    if value not in ORDERS:
        raise ValueError(f"order must be auto, {', '.join(ORDERS)}, got {_shown(text)}")
    return value


def parse_language(text: str | None) -> str | None:
    """'en', 'ru' or 'other' (analysis.language.LANGUAGES) → the same; blank, 'all' or 'any' → None;
    raises ValueError otherwise."""
    from dashboard.analysis.language import LANGUAGES
    value = (text or "").strip().lower()
    if value in ("", "all", "any"):
        return None
    if value not in LANGUAGES:
        raise ValueError(f"language must be {', '.join(LANGUAGES)} or all, got {_shown(text)}")
    return value


def parse_id(text, what: str = "article id") -> int:
    """A row id from a URL or a command line: a whole number 1 … MAX_ID ('42' → 42).
    Raises ValueError naming the value for anything else ('abc', '1e5', '-3', 10**23)."""
    value = str(text).strip()
    # isascii: str.isdigit() also accepts '²' and other digits that int() refuses or reads
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_ID:
        raise ValueError(f"{what} must be a whole number from 1 to {MAX_ID}, got {_shown(text)}")
    return int(value)


def _shown(value, limit: int = 40) -> str:
    """A value quoted for a message, cut to `limit` characters (a URL can carry megabytes)."""
    text = str(value)
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"… ({len(text):,} characters)"


def parse_direction(text: str | None) -> str | None:
    """'ab' or 'ba' → the same; blank, 'both' or 'none' → None; raises ValueError otherwise."""
    value = (text or "").strip().lower()
    if value in ("", "both", "none"):
        return None
    if value not in DIRECTIONS:
        raise ValueError(f"direction must be ab, ba or none, got {_shown(text)}")
    return value


# What separates two typed dates: "…", "..", "to", "–", "—", or a hyphen with spaces around it.
_RANGE_SEP = re.compile(r"\s*(?:…|\.\.\.?|–|—|\s-\s|\bto\b|\buntil\b)\s*", re.IGNORECASE)
_TYPED_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _typed_span(text: str) -> tuple[str, str]:
    """'2011-11-05' → that day; '2011-11' → the month; '2011' → the year, as (first day, last day)."""
    m = _TYPED_DAY.match(text.strip())
    if not m:
        raise ValueError(f"a date is YYYY-MM-DD, YYYY-MM or YYYY, got {_shown(text)}")
    y, mo, d = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    try:
        if d:
            day = date(y, mo, d).isoformat()
            return day, day
        if mo:
            first = date(y, mo, 1)
            last = date(y, 12, 31) if mo == 12 else date(y, mo + 1, 1) - timedelta(days=1)
            return first.isoformat(), last.isoformat()
        return date(y, 1, 1).isoformat(), date(y, 12, 31).isoformat()
    except ValueError as exc:
        raise ValueError(f"{_shown(text)} is not a date ({exc})") from None


TYPED_DATES_CHARS = 60


def parse_typed_dates(text: str | None) -> tuple[str | None, str | None]:
    """A date range as an analyst types it → (from, to), inclusive ISO days; blank → (None, None).
    '2011-11-01 … 2011-11-30', '2011-11-01 to 2011-11-30', '2011-11' (the month), '2011' (the year),
    '2011-11 … 2012-02' (first day of one, last of the other). Two dates in the wrong order are swapped.
    Raises ValueError naming what could not be read."""
    text = (text or "").strip()
    if not text:
        return None, None
    if len(text) > TYPED_DATES_CHARS:   # a paste of something else: said, not cut to a date it never was
        raise ValueError(f"that is {len(text):,} characters, not one or two dates: {_shown(text)}")
    parts = [p for p in _RANGE_SEP.split(text) if p.strip()]
    if len(parts) > 2:
        raise ValueError(f"type one date or two (from … to), got {_shown(text)}")
    spans = [_typed_span(p) for p in parts]
    first, last = spans[0][0], spans[-1][1]
    if first > last:
        first, last = spans[-1][0], spans[0][1]
    return first, last


def next_day(day: str) -> str:
    """The ISO date after `day` ('2016-12-31' → '2017-01-01')."""
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class Filter:
    """Rows an analyst is looking at.

    pair: two actor codes, sorted, or None for all. date_from/date_to: inclusive ISO
    dates or None. query: keyword box text (see search.parse_query). variants: add
    spelling variants to query words. sources/quad: event filters (empty = all).
    direction: None (both ways), 'ab' (pair[0] acts on pair[1]) or 'ba'; ignored without a pair.
    hide_uncertain: drop events whose year was inferred or whose confidence is low.
    any_mention: a pair's articles are every article naming both, not only those ABOUT the pair
    (analysis.salience); it changes articles and article counts, never events.
    order: how lists of articles (the page, its CSV, the CLI) are ordered: None for the screen's default
    (best match with a keyword, else most about the pair, else newest first) or one of ORDERS.
    language: None (all) or the language detected in the article ('en', 'ru', 'other'); events keep
    those extracted from such articles (as a keyword keeps those whose article matches).
    queries/clauses.py turns every field into SQL and into the sentence the analyst reads.
    """
    pair: tuple[str, str] | None = None
    date_from: str | None = None
    date_to: str | None = None
    query: str = ""
    variants: bool = True
    sources: tuple[str, ...] = field(default_factory=tuple)
    quad: tuple[int, ...] = field(default_factory=tuple)
    direction: str | None = None
    hide_uncertain: bool = False
    any_mention: bool = False
    order: str | None = None
    language: str | None = None

    @classmethod
    def build(cls, pair=None, date_from=None, date_to=None, query="", variants=True, sources=(), quad=(),
              direction=None, hide_uncertain=False, any_mention=False, order=None, language=None):
        """Validate loose values (strings from a URL or a command line) into a Filter.

        Raises ValueError naming the bad value. A reversed date range is swapped.
        """
        p = parse_pair(pair) if isinstance(pair, str) or pair is None else tuple(sorted(pair))
        d1, d2 = parse_day(date_from), parse_day(date_to)
        if d1 and d2 and d1 > d2:
            d1, d2 = d2, d1
        if isinstance(sources, str):
            sources = [s for s in sources.split(",") if s.strip()]
        sources = {s.strip().lower() for s in sources}
        unknown = sorted(sources - set(EVENT_SOURCES))
        if unknown:
            raise ValueError(f"event source must be among {', '.join(EVENT_SOURCES)}, got {_shown(unknown[0])}")
        if isinstance(quad, str):
            quad = [q for q in quad.split(",") if q.strip()]
        if any(str(q).strip() not in ("1", "2", "3", "4") for q in quad):
            raise ValueError(f"QuadClass must be 1, 2, 3 or 4, got {_shown(','.join(map(str, quad)))}")
        quads = tuple(sorted({int(q) for q in quad}))
        return cls(p, d1, d2, (query or "").strip(), bool(variants), tuple(sorted(sources)), quads,
                   parse_direction(direction), bool(hide_uncertain), bool(any_mention), parse_order(order),
                   parse_language(language))

    def with_(self, **changes) -> "Filter":
        """A copy with some fields changed."""
        return replace(self, **changes)

    @property
    def pair_text(self) -> str | None:
        """'BLR-RUS' or None."""
        return "-".join(self.pair) if self.pair else None

    def to_params(self) -> dict[str, str]:
        """URL query parameters for this filter (only the ones set)."""
        out = {}
        if self.pair:
            out["pair"] = self.pair_text
        if self.date_from:
            out["from"] = self.date_from
        if self.date_to:
            out["to"] = self.date_to
        if self.query:
            out["q"] = self.query
        if not self.variants:
            out["variants"] = "off"
        if self.sources:
            out["source"] = ",".join(self.sources)
        if self.quad:
            out["quad"] = ",".join(map(str, self.quad))
        if self.direction:
            out["direction"] = self.direction
        if self.hide_uncertain:
            out["uncertain"] = "hide"
        if self.any_mention:
            out["mentions"] = "any"
        if self.order:
            out["order"] = self.order
        if self.language:
            out["language"] = self.language
        return out

    @classmethod
    def from_params(cls, params) -> tuple["Filter", list[str]]:
        """Read URL query parameters leniently: (Filter, [notices about values ignored])."""
        notices = []
        def get(k):
            v = params.get(k)
            return v[0] if isinstance(v, list) else v
        kw = {}
        for key, arg in (("pair", "pair"), ("from", "date_from"), ("to", "date_to"),
                         ("source", "sources"), ("quad", "quad"), ("direction", "direction"), ("order", "order"),
                         ("language", "language")):
            val = get(key)
            if val:
                try:
                    Filter.build(**{arg: val})
                    kw[arg] = val
                except ValueError as exc:
                    notices.append(f"Ignored {key}={_shown(val)}: {exc}")
        variants = get("variants")
        if variants not in (None, "", "on", "off"):
            notices.append(f"Ignored variants={_shown(variants)}: use variants=off to match words as typed.")
        uncertain = get("uncertain")
        if uncertain not in (None, "", "show", "hide"):
            notices.append(f"Ignored uncertain={_shown(uncertain)}: use uncertain=hide to drop uncertain events.")
        mentions = get("mentions")
        if mentions not in (None, "", "about", "any"):
            notices.append(f"Ignored mentions={_shown(mentions)}: use mentions=any for every article naming the pair.")
        f = cls.build(query=get("q") or "", variants=variants != "off", hide_uncertain=uncertain == "hide",
                      any_mention=mentions == "any", **kw)
        if kw.get("date_from") and kw.get("date_to") and f.date_from != parse_day(kw["date_from"]):
            notices.append(f"from={f.date_to} is after to={f.date_from}: the dates were swapped.")
        return f, notices

    def slug(self) -> str:
        """A file-name part naming every option of the filter: 'BLR-RUS_2015-01-01_2016-12-31', and with
        more set 'BLR-RUS_2020-01-01_2020-12-31_RUS-on-BLR_acled+gdelt_quad3+4_certain'."""
        parts = [self.pair_text or "all"]
        if self.date_from or self.date_to:
            parts += [self.date_from or "start", self.date_to or "end"]
        if self.query:
            parts.append(re.sub(r"[^\w-]+", "-", self.query)[:30].strip("-") or "query")
        if self.pair and self.direction:
            actor, target = self.pair if self.direction == "ab" else self.pair[::-1]
            parts.append(f"{actor}-on-{target}")
        if self.sources:
            parts.append("+".join(self.sources))
        if self.quad:
            parts.append("quad" + "+".join(map(str, self.quad)))
        if self.hide_uncertain:
            parts.append("certain")
        if self.pair and self.any_mention:
            parts.append("any-mention")
        if self.order:
            parts.append({"rank": "best-match", "salience": "most-about", "date": "newest",
                          "oldest": "oldest"}[self.order])
        if self.language:
            parts.append(self.language)
        return "_".join(parts)
