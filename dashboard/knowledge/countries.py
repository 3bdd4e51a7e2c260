"""Countries and blocs as actors: ISO 3166-1 alpha-3 codes, the blocs EU and NATO, country names →
code, and CAMEO actor country codes that are not ISO.

The one answer to "is this an actor code": `is_actor_code` — an ISO 3166-1 alpha-3 code (pycountry,
plus withdrawn ISO 3166-3 codes for states that no longer exist and XKX, the code the EU and IMF use
for Kosovo) or a bloc. Sources: pycountry, tables/icews_countries.tsv and tables/country_names.tsv
(names pycountry does not resolve), tables/ambiguous_countries.tsv (names of more than one country)
and tables/cameo_countries.tsv (GDELT's CAMEO.country.txt and CAMEO.knowngroup.txt).
"""
from __future__ import annotations

import functools
import unicodedata

import pycountry

from dashboard.knowledge import parse_table

# The blocs the dashboard tracks as actors, with their display names.
BLOCS = {"EU": "European Union", "NATO": "NATO"}


@functools.cache
def iso_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes (pycountry), plus withdrawn ISO 3166-3 codes and XKX (Kosovo)."""
    codes = {c.alpha_3 for c in pycountry.countries}
    codes |= {getattr(c, "alpha_3", "") for c in pycountry.historic_countries} - {""}
    return frozenset(codes | {"XKX"})


def is_actor_code(code: str | None) -> bool:
    """True for a country or bloc actor code: ISO 3166-1 alpha-3 (or XKX, or a withdrawn ISO code),
    EU or NATO, written in upper case as the store keeps them. False for anything else (regions
    such as EUR, CAMEO sector codes, None)."""
    return bool(code) and (code in BLOCS or code in iso_codes())


def _key(name: str) -> str:
    """A name folded for matching: no accents, case-folded, commas and a leading "the" ignored."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    s = " ".join(s.replace("’", "'").replace(",", " ").split())
    return s[4:] if s.startswith("the ") else s


@functools.cache
def _names() -> dict[str, str]:
    """Folded country name → code: pycountry names, official and common names, then
    tables/icews_countries.tsv and tables/country_names.tsv (which win)."""
    out: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                out[_key(v)] = c.alpha_3
        out[_key(c.alpha_3)] = c.alpha_3
    for table in ("icews_countries.tsv", "country_names.tsv"):
        for name, code in parse_table(table, lambda r: (r[0], r[1]), width=2):
            out[_key(name)] = code
    return out


def _candidates(row) -> tuple[str, tuple[str, ...]]:
    codes = tuple(row[1].split())
    bad = [c for c in codes if c not in iso_codes()]
    if len(codes) < 2 or bad:
        raise ValueError(f"expected two or more ISO 3166-1 alpha-3 codes, got {row[1]!r}")
    return _key(row[0]), codes


@functools.cache
def ambiguous_names() -> dict[str, tuple[str, ...]]:
    """Folded name → the codes of the countries it may name, from tables/ambiguous_countries.tsv."""
    return dict(parse_table("ambiguous_countries.tsv", _candidates, width=2))


def resolve_country(value: str | None) -> tuple[str | None, str | None]:
    """(code, problem) for a country as an analyst types it in an event table: an actor code in any
    case ("arm" → ARM, EU, NATO) or a country name ("Rwanda" → RWA, "Congo, Dem. Rep." → COD, through
    country_from_name). A name of more than one country ("Congo") gives (None, "ambiguous: COD or
    COG"); anything else unknown (None, "unknown"); a missing value (None, None)."""
    v = " ".join((value or "").split())
    if not v:
        return None, None
    if is_actor_code(v.upper()):
        return v.upper(), None
    choices = ambiguous_names().get(_key(v))
    if choices:
        return None, "ambiguous: " + " or ".join(choices)
    code = country_from_name(v)
    return (code, None) if code else (None, "unknown")


@functools.lru_cache(maxsize=4096)
def country_from_name(name: str | None) -> str | None:
    """ISO 3166-1 alpha-3 (or EU, NATO, XKX) for a country or bloc name, None when unknown or missing.

    Matching ignores case, accents, commas and a leading "the": "Russian Federation", "Russia",
    "Cote d'Ivoire", "the former Yugoslav Republic of Macedonia" all resolve. Sources: pycountry
    (ISO 3166-1 names) and tables/icews_countries.tsv.
    """
    if not name or not name.strip():
        return None
    return _names().get(_key(name))


@functools.cache
def cameo_country_codes() -> dict[str, tuple[str, str]]:
    """CAMEO code → (our code, kind) for codes that are not plain ISO, from tables/cameo_countries.tsv.

    kind: country (mapped to the ISO code) | region | group (EEC → EU, NAT → NATO).
    """
    return dict(parse_table("cameo_countries.tsv", lambda r: (r[0], (r[1], r[2])), width=3))
