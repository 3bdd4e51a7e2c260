"""Years from an article's own facts, and articles that are probably republished.

A day or month without a year ("on 23 November") takes the occurrence nearest to the
publication date (:mod:`dashboard.analysis.dates`). An article that names office holders
with their office ("Russian President Medvedev", "envoy to NATO Dmitry Rogozin") next to
such a date says more than that: the date must fall inside their terms
(``tables/office_holders.csv``, read through :func:`dashboard.analysis.actors.held_office`).

:func:`story_year` looks at the dated roles of an article's events (an office holder named
with an office in the sentence of an event whose year was inferred). When one of them
rules the nearest year out, every inferred date of the article moves back by the same
number of years: the fewest (the latest year not after publication) for which every dated
role holds. Each moved event says so ("year 2011: Medvedev President 2008–2012, Rogozin
envoy to NATO 2008–2011"). An article whose text-dated events then all lie more than a
year before its publication is probably a republished older text; each of its events
carries that note too (the event warning is what the timeline, the event table and the
CSV show: no new column).

Only inferred years move: a year written in the text, a relative date ("yesterday") and
the publication date fallback stay. Roles named outside an event's sentence are not
used: "the treaty signed by President Medvedev" in a 2024 text dates nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dashboard.analysis import actors

__all__ = ["Role", "YearFix", "dated_roles", "story_year", "dateline_year"]

# how far back a year is looked for: the office terms table starts in 2000
_MAX_BACK = 30
_OFFICE_SHORT = {
    "president": "President", "prime_minister": "Prime Minister", "foreign_minister": "Foreign Minister",
    "nato_envoy": "envoy to NATO", "president_elect": "President-elect",
}
_MOVABLE = ("day", "week", "month")


@dataclass(frozen=True)
class Role:
    """An office holder named with an office next to an inferred date: ``date`` is the
    event's ISO date, ``precision`` its precision, ``name`` the name as written."""
    person: str
    office: str
    name: str
    date: str
    precision: str


def shift_back(iso: str, years: int) -> str:
    """``iso`` (YYYY-MM-DD) ``years`` years earlier; 29 February becomes the 28th."""
    d = date.fromisoformat(iso)
    try:
        return d.replace(year=d.year - years).isoformat()
    except ValueError:
        return d.replace(year=d.year - years, day=28).isoformat()


def _held(role: Role, back: int) -> bool | None:
    when = shift_back(role.date, back)
    return actors.held_office(role.person, role.office, when[:7] if role.precision == "month" else when)


def _movable(raw) -> bool:
    return bool(raw.inferred and raw.date and raw.precision in _MOVABLE)


def dated_roles(raws) -> list[Role]:
    """The roles named in the sentences of events whose year was inferred, once per
    person, office and date. ``raws`` are extraction candidates with ``date``,
    ``precision``, ``inferred`` and ``cands`` (mentions with ``person``, ``office``,
    ``surface``)."""
    out: dict[tuple, Role] = {}
    for r in raws:
        if not _movable(r):
            continue
        for c in r.cands:
            if c.person and c.office:
                name = c.surface.split()[-1] if c.surface else c.person.title()
                out.setdefault((c.person, c.office, r.date), Role(c.person, c.office, name, r.date, r.precision))
    return list(out.values())


@dataclass(frozen=True)
class YearFix:
    """Inferred dates move ``back`` years; ``roles`` are the dated roles that ruled the
    nearest year out."""
    back: int
    roles: tuple[Role, ...]

    def apply(self, raws) -> None:
        """Move every inferred date of ``raws`` back (in place)."""
        for r in raws:
            if _movable(r):
                r.date = shift_back(r.date, self.back)

    def note(self, year: int) -> str:
        """Why an event's year is ``year``: each ruling role with the term that holds."""
        parts = []
        for role in self.roles:
            span = _term_years(role, year)
            parts.append(f"{role.name} {_OFFICE_SHORT.get(role.office, role.office.replace('_', ' '))}"
                         + (f" {span}" if span else ""))
        return f"year {year}: " + ", ".join(dict.fromkeys(parts))

    def mark(self, events, published_at: str) -> list:
        """Say on each moved event why its year is what it is; when the events dated by
        the text all lie more than a year before publication, say on every event that
        the article is probably republished."""
        pub = date.fromisoformat(published_at[:10])
        for e in events:
            if e.year_inferred and e.date and e.date_precision in _MOVABLE:
                _add_warning(e, self.note(int(e.date[:4])))
        note = republished_note(events, pub)
        if note:
            for e in events:
                _add_warning(e, note)
        return events


def _add_warning(event, note: str) -> None:
    event.warning = f"{event.warning}; {note}" if event.warning else note


def _term_years(role: Role, year: int) -> str:
    """'2008–2012' for the term of ``role`` that covers ``year``, '' when none does."""
    for t in actors.terms(role.person, role.office):
        start, end = t["start"][:4], (t["end"] or "")[:4]
        if start <= str(year) <= (end or "9999"):
            return f"{start}–{end}"
    return ""


def republished_note(events, pub: date) -> str | None:
    """'probably republished: …' when every event dated by the text (not by the
    publication date) lies more than a year before ``pub`` and one of them has an
    inferred year: a text that names days without years was written near them."""
    dated = [e for e in events if e.date and e.date != pub.isoformat()]
    if not dated or not any(e.year_inferred for e in dated):
        return None
    limit = (pub - timedelta(days=365)).isoformat()
    if any(e.date > limit for e in dated):
        return None
    years = sorted({e.date[:4] for e in dated})
    story = years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return f"probably republished: its events are of {story}, published {pub.isoformat()}"


def story_year(raws) -> YearFix | None:
    """The move that makes every dated role of the article hold, or None when the
    nearest year contradicts none of them (or no year within 30 satisfies them all)."""
    roles = dated_roles(raws)
    if not roles:
        return None
    ruled_out = [r for r in roles if _held(r, 0) is False]
    if not ruled_out:
        return None
    for back in range(1, _MAX_BACK + 1):
        answers = [_held(r, back) for r in roles]
        if False in answers:
            continue
        if all(_held(r, back) for r in ruled_out):
            return YearFix(back, tuple(ruled_out))
    return None


# the earliest year a year-less date line is read as: the office terms table starts in 2000
_FIRST_YEAR = 2000
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LEDE_WEEKDAY = re.compile(r"\b(?:on\s+)?(" + "|".join(_WEEKDAYS) + r")\b")


def dateline_year(month: int, day: int, body: str, lede: str, today: date | None = None) -> tuple[int, str] | None:
    """(year, why) for a date line that gives ``month`` and ``day`` but no year, or None.

    The office holders named with their office in ``body`` ("Moldovan Prime Minister Pavel
    Filip") must have held it on that day; of the years from 2000 to ``today`` that allow all
    of them (and at least one surely), those on which the day is the weekday ``lede`` names
    first are preferred (wire copy tells the day's news: "May 31 (UPI) - … on Wednesday
    said"); the latest year wins. No office holder named: None (a weekday alone recurs every
    few years)."""
    roles = {(m.person, m.office, m.surface) for m in actors.mentions(body) if m.person and m.office}
    if not roles:
        return None
    today = today or date.today()
    fits = []
    for year in range(today.year, _FIRST_YEAR - 1, -1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue        # 29 February
        held = [actors.held_office(p, o, d.isoformat()) for p, o, _ in roles]
        if d <= today and False not in held and True in held:
            fits.append(d)
    if not fits:
        return None
    wd = _LEDE_WEEKDAY.search(lede)
    named = [d for d in fits if wd and _WEEKDAYS[d.weekday()] == wd.group(1)]
    best = (named or fits)[0]
    why = ", ".join(sorted(f"{s} {_OFFICE_SHORT.get(o, o)}" for _, o, s in roles)) + f" in office on {best:%d %B %Y}"
    if named:
        why += f", a {wd.group(1)} as the lede says"
    return best.year, why
