"""Events as people read them: dates at their precision, CAMEO and QuadClass names beside their codes,
the warnings in words, and the column labels and widths of the Events page's table.

Pure functions over the dicts of queries.events (no Streamlit here, so they are tested directly).
Imported text stays text: st.dataframe shows cell values literally, and the only links are to this
app's own Articles page and to http(s) source URLs.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from dashboard.knowledge.cameo import QUAD_NAMES, codebook
from dashboard.queries.clauses import MIN_CONFIDENCE
from dashboard.queries.filters import Filter


def shown_date(day: str | None, precision: str | None = "day") -> str:
    """An event date as precise as its source: '2011-11-14' (day), 'week of 2011-11-14', 'Nov 2011'
    (month), '2009' (year); '' without a date. The store keeps the period's first day ('2009-01-01')."""
    if not day:
        return ""
    try:
        d = date.fromisoformat(day[:10])
    except ValueError:
        return day
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{d:%b} {d.year}"
    if precision == "week":
        return f"week of {d.isoformat()}"
    return d.isoformat()


def cameo_label(code: str | None) -> str:
    """'0354 Sign formal agreement'-style label: the code and its CAMEO name ('' without a code; the code
    alone when the codebook does not know it)."""
    if not code:
        return ""
    row = codebook().get(str(code).strip())
    return f"{code} {row['name']}" if row else str(code)


def quad_label(quad: int | None) -> str:
    """'1 Verbal cooperation' … '4 Material conflict'; '' without a QuadClass."""
    return f"{quad} {QUAD_NAMES[quad]}" if quad in QUAD_NAMES else ""


def warnings(e: dict) -> list[str]:
    """What makes an event uncertain, in words: year inferred, low confidence, the importer's warning."""
    out = []
    if e.get("year_inferred"):
        out.append("year inferred")
    if e.get("confidence") is not None and e["confidence"] < MIN_CONFIDENCE:
        out.append(f"low confidence {e['confidence']:.2f}")
    if e.get("warning"):
        out.append(e["warning"])
    return out


def article_link(article_id: int | None, f: Filter) -> str | None:
    """The Articles page showing this article, with the filter in the URL (a new tab opens on the same view)."""
    if not article_id:
        return None
    return "articles?" + urlencode({**f.to_params(), "article": str(article_id)})


def web_link(url: str | None) -> str | None:
    """An http(s) source URL as it is; anything else (javascript:, data:, a file path) is no link."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else None


# The Events table's columns: key → (label, help). Order is the table's.
EVENT_TABLE = {
    "id": ("ID", "the event's id (edits and the CLI name it)"),
    "when": ("Date", "as precise as the source: a day, a week, a month (Nov 2011) or a year (2009)"),
    "actor1": ("Actor", "the country or bloc acting"),
    "actor2": ("Target", "the country or bloc acted upon"),
    "event_type": ("Event type (CAMEO)", "CAMEO code and name"),
    "evidence": ("Evidence", "the sentence the event was read from (select the row to read it whole)"),
    "quad": ("QuadClass", "verbal / material cooperation or conflict"),
    "goldstein": ("Goldstein", "−10 most conflictual … +10 most cooperative"),
    "warnings": ("Warnings", "year inferred, low confidence, office-holder dates …"),
    "article": ("Article", "open the article on the Articles page (new tab, same filters)"),
    "title": ("Article title", None),
    "source": ("Source", "extracted from articles, or imported from GDELT, ACLED, ICEWS, POLECAT or a table"),
    "url": ("Source page", "the source's own page (GDELT SOURCEURL, ACLED …)"),
    "other_reports": ("Also reported by", "articles repeating this report (counted once)"),
    "note": ("Note", "your note on this event"),
    "confidence": ("Confidence", "of the extraction, 0–1"),
}


def event_table_rows(events: list[dict], f: Filter, titles: dict[int, str] | None = None) -> list[dict]:
    """The rows of the Events page's table, keyed as EVENT_TABLE, from queries.events rows."""
    titles = titles or {}
    return [{k: row[k] for k in EVENT_TABLE} for row in _table_rows(events, f, titles)]


def _table_rows(events: list[dict], f: Filter, titles: dict[int, str]) -> list[dict]:
    return [{
        "id": e["id"], "when": shown_date(e["date"], e["date_precision"]),
        "actor1": e["actor1"] or "", "actor2": e["actor2"] or "",
        "event_type": cameo_label(e["cameo_code"]), "quad": quad_label(e["quad_class"]), "goldstein": e["goldstein"],
        "evidence": e["evidence"] or "", "warnings": "; ".join(warnings(e)),
        "article": article_link(e["article_id"], f), "title": titles.get(e["article_id"], ""),
        "source": e["source"], "url": web_link(e["url"]),
        "other_reports": ", ".join(f"#{i}" for i in (e["other_reports"] or "").split(", ") if i),
        "note": e["note"] or "", "confidence": e["confidence"],
    } for e in events]


def event_line(e: dict) -> str:
    """One event's heading as plain text: '2009-06-14 · BLR → RUS · 040 Consult · 1 Verbal cooperation ·
    Goldstein 1.0 · extracted'. Escape it before Markdown."""
    parts = [shown_date(e["date"], e["date_precision"]) or "no date",
             f"{e['actor1'] or '?'} → {e['actor2'] or '?'}",
             cameo_label(e["cameo_code"]) or "no CAMEO code", quad_label(e["quad_class"]) or "no QuadClass",
             f"Goldstein {e['goldstein'] if e['goldstein'] is not None else '–'}", e["source"]]
    return " · ".join(parts)


def cameo_choices() -> list[str]:
    """Every CAMEO event code of the codebook, in code order (the edit form's choices, shown by cameo_label)."""
    return sorted(codebook())


# An opened article's events: key → (label, help), in the table's order.
ARTICLE_EVENT_TABLE = {
    "when": EVENT_TABLE["when"],
    "actor1": EVENT_TABLE["actor1"],
    "actor2": EVENT_TABLE["actor2"],
    "event_type": EVENT_TABLE["event_type"],
    "quad": EVENT_TABLE["quad"],
    "goldstein": EVENT_TABLE["goldstein"],
    "evidence": ("Evidence", "the sentence of this article the event was read from"),
    "warnings": EVENT_TABLE["warnings"],
}


def article_event_rows(events: list[dict]) -> list[dict]:
    """The rows of an opened article's events table (ARTICLE_EVENT_TABLE keys), from queries.events rows:
    the date at its precision, the CAMEO code with its name, the QuadClass with its name."""
    return [{
        "when": shown_date(e["date"], e["date_precision"]) or "no date",
        "actor1": e["actor1"] or "", "actor2": e["actor2"] or "",
        "event_type": cameo_label(e["cameo_code"]), "quad": quad_label(e["quad_class"]),
        "goldstein": e["goldstein"], "evidence": e["evidence"] or "", "warnings": "; ".join(warnings(e)),
    } for e in events]


# st.dataframe draws rows and a header of 35 px inside a 1 px border.
ROW_PX = 35


def table_height(rows: int, most: int = 440) -> int:
    """The height of a table of `rows` rows: all of them when they fit in `most` pixels, else `most` (scrolling).
    A fixed height drew a short table with a screenful of empty rows under it."""
    return min(most, ROW_PX * (max(rows, 1) + 1) + 3)
