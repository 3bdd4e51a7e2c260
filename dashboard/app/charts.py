"""Plotly figures for the timeline (built from timeline.timeline rows; no Streamlit here).

Plotly draws a subset of HTML in hover text, legend names, titles and annotations (<a href>,
<span style>, <b>, <br>): every string that comes from the store passes through `plain` first,
and only our own templates hold tags.
"""
from __future__ import annotations

import html
import math
from datetime import date, timedelta

import plotly.graph_objects as go

from dashboard.app.render import clip
from dashboard.knowledge.cameo import QUAD_NAMES

QUAD_COLOURS = {1: "#7fbf7b", 2: "#1b7837", 3: "#f4a582", 4: "#b2182b"}
# How a period is named in hover text (d3 time format).
HOVER_FORMAT = {"day": "%d %b %Y", "week": "week of %d %b %Y", "month": "%b %Y", "quarter": "Q%q %Y", "year": "%Y"}
PERIOD_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}
DAY_MS = 86_400_000
# A point (Goldstein line, note pin) drawn in the middle of its period, not on the boundary between two bars:
# plotly's xperiod, with weeks counted from a Monday.
XPERIOD = {"day": DAY_MS, "week": 7 * DAY_MS, "month": "M1", "quarter": "M3", "year": "M12"}
XPERIOD0 = {"week": "2000-01-03"}
# Tick steps of the time axis, the finest first: (step in days or "M<months>", tick label). The finest one a
# period may use is its own length (no hour ticks under day bars); the first giving at most MAX_TICKS is taken.
TICK_STEPS = [(1, "%d %b %Y"), (2, "%d %b %Y"), (3, "%d %b %Y"), (7, "%d %b %Y"), (14, "%d %b %Y"),
              ("M1", "%b %Y"), ("M2", "%b %Y"), ("M3", "%b %Y"), ("M6", "%b %Y"), ("M12", "%Y"), ("M24", "%Y"),
              ("M60", "%Y"), ("M120", "%Y"), ("M240", "%Y"), ("M600", "%Y")]
FINEST_STEP = {"day": 1, "week": 7, "month": "M1", "quarter": "M3", "year": "M12"}
MAX_TICKS = 12
# Pinned notes: a purple pin near the top of the chart (on the −10…+10 Goldstein axis), labelled.
NOTE_COLOUR = "#542788"
NOTE_Y = 9.3
NOTE_LABEL_CHARS = 32
# A hover line longer than this is cut: one record's text must not cover the chart (or cost the browser).
HOVER_CHARS = 200


def plain(text, limit: int = HOVER_CHARS) -> str:
    """Imported `text` as a string plotly shows literally: cut to `limit` characters, <, > and & escaped."""
    return html.escape(clip(str(text), limit), quote=False)


def count_axis(peak: int) -> dict:
    """Layout of a y axis of event counts whose largest value is `peak`: whole numbers only, from 0.

    Below 10, plotly's automatic ticks fall between whole numbers (0, 0.2, 0.4 …), which an
    integer format would print as 0, 0, 0, 1, 1, 1; a step of 1 is forced there.
    """
    axis = {"title": "events", "rangemode": "tozero", "tickformat": ",d"}
    if peak <= 10:
        axis["dtick"] = 1
    return axis

def next_start(start: str, period: str) -> str:
    """The first day after the period that begins on ISO date `start` (a day for an unknown period)."""
    from dashboard.queries.timeline import PERIODS, period_end
    end = period_end(start, period) if period in PERIODS else start
    return (date.fromisoformat(end) + timedelta(days=1)).isoformat()


def bar_geometry(starts: list[str], period: str, slot: int = 0, slots: int = 1) -> dict:
    """Width and offset (ms) of bars at their periods' first days so that each spans exactly its period (a month
    its 28–31 days), or the `slot`-th of `slots` equal parts of it (bars side by side). Left to itself plotly
    sizes every bar by the closest gap between two bars and centres it on midnight: one event on 23 Nov next to
    one on 28 Nov was drawn four days wide, straddling 22 Nov."""
    widths = [round((date.fromisoformat(next_start(s, period)) - date.fromisoformat(s)).days * DAY_MS / slots)
              for s in starts]
    return {"width": widths, "offset": [w * slot for w in widths]}


def point_period(period: str) -> dict:
    """Scatter settings drawing each point in the middle of the `period` that begins at its x."""
    p = period if period in XPERIOD else "day"
    return {"xperiod": XPERIOD[p], "xperiod0": XPERIOD0.get(p, "2000-01-01"), "xperiodalignment": "middle"}


def time_axis(starts: list[str], period: str, date_from: str | None = None, date_to: str | None = None) -> dict:
    """The time axis: from 00:00 of the filter's first day to the end of its last (the data's periods where the
    filter leaves a side open; three periods either side of a lone one), ticks a whole number of periods apart
    with labels that never show hours."""
    axis = {"type": "date", "hoverformat": HOVER_FORMAT.get(period, "%d %b %Y")}
    if not starts and not (date_from and date_to):
        return axis
    lo = date.fromisoformat(date_from[:10]) if date_from else date.fromisoformat(starts[0])
    hi = (date.fromisoformat(date_to[:10]) + timedelta(days=1) if date_to
          else date.fromisoformat(next_start(starts[-1], period)))
    if not date_from and not date_to and len(starts) == 1:
        pad = timedelta(days=PERIOD_DAYS.get(period, 1) * 3)
        lo, hi = lo - pad, hi + pad
    finest = FINEST_STEP.get(period, 1)
    steps = TICK_STEPS[[s for s, _ in TICK_STEPS].index(finest):]
    span = (hi - lo).days
    for step, label in steps:
        days = step if isinstance(step, int) else int(step[1:]) * 30.44
        if span / days <= MAX_TICKS:
            break
    if isinstance(step, int):
        # days from the axis' first day (weeks from a Monday), so the first day is labelled
        tick0 = lo if period != "week" else lo - timedelta(days=lo.weekday())
        return {**axis, "range": [lo.isoformat(), hi.isoformat()], "dtick": step * DAY_MS,
                "tick0": tick0.isoformat(), "tickformat": label}
    return {**axis, "range": [lo.isoformat(), hi.isoformat()], "dtick": step, "tick0": "2000-01-01",
            "tickformat": label}


def goldstein_points(rows: list[dict], period: str) -> tuple[list[str], list[float | None]]:
    """The mean-Goldstein line's points: one per period with events, and a gap (None) for each period
    without any — a period with articles but no events, or one missing from `rows` — so that the line
    does not bridge a stretch with no events as if the mood had moved steadily across it."""
    from dashboard.queries.timeline import PERIODS, period_end
    xs: list[str] = []
    ys: list[float | None] = []
    for r in rows:
        if xs and period in PERIODS and xs[-1] is not None and ys[-1] is not None:
            following = (date.fromisoformat(period_end(xs[-1], period)) + timedelta(days=1)).isoformat()
            if following < r["period"]:
                xs.append(following)
                ys.append(None)
        xs.append(r["period"])
        ys.append(r["mean_goldstein"])
    return xs, ys


COVERAGE_COLOUR = "rgba(80,80,80,0.6)"


def coverage_points(rows: list[dict], period: str) -> tuple[list[str], list[int]]:
    """The coverage steps' points: each period's article count held until the period ends, then 0 until the
    next period that has a row — so a step never bridges a stretch without articles (a week with two
    articles in June 2009 was drawn as two articles a week until the next in November 2011)."""
    from dashboard.queries.timeline import PERIODS, period_end
    xs: list[str] = []
    ys: list[int] = []
    for r in rows:
        xs.append(r["period"])
        ys.append(r.get("articles") or 0)
        if period in PERIODS:
            following = (date.fromisoformat(period_end(r["period"], period)) + timedelta(days=1)).isoformat()
            xs.append(following)
            ys.append(0)
    # a period's closing 0 at the next period's own start is dropped: that point carries the next count
    out_x, out_y = [], []
    for i, (x, y) in enumerate(zip(xs, ys)):
        if i + 1 < len(xs) and xs[i + 1] == x:
            continue
        out_x.append(x)
        out_y.append(y)
    return out_x, out_y


def timeline_figure(rows: list[dict], period: str, *, hover: dict[str, list[str]] | None = None,
                    notes: list[dict] | None = None, title: str = "", date_from: str | None = None,
                    date_to: str | None = None) -> go.Figure:
    """Stacked bars of events per period by QuadClass, a line of mean Goldstein (right axis,
    −10…+10), and the pair's article volume as a dotted outline (so an empty period with
    articles reads as "no events", one without as "no coverage").

    rows: timeline.timeline() rows; x values are ISO dates (calendar dates, never epoch numbers).
    hover: period → event lines (timeline.top_events). notes: dicts with date and text.
    date_from, date_to: the filter's dates, which the time axis spans (the data's periods without them).
    Each bar spans its period exactly, from its first day's 00:00 like the coverage steps; the Goldstein
    points and note pins are drawn in the middle of their period and day.
    """
    hover = hover or {}
    x = [r["period"] for r in rows]
    fig = go.Figure()
    if any(r.get("articles") for r in rows):
        cx, cy = coverage_points(rows, period)
        # a dotted outline, not a filled area: plotly draws every scatter above every bar, so a fill,
        # however faint, greys the QuadClass colours under it
        fig.add_trace(go.Scatter(x=cx, y=cy, name="Articles (coverage)", mode="lines",
                                 line={"shape": "hv", "width": 1.5, "color": COVERAGE_COLOUR, "dash": "dot"},
                                 hovertemplate="%{y} articles<extra></extra>"))
    bars = bar_geometry(x, period)
    unclassified = [r["events"] - sum(r[f"q{q}"] for q in (1, 2, 3, 4)) for r in rows]
    if any(unclassified):
        fig.add_trace(go.Bar(x=x, y=unclassified, name="No QuadClass", marker_color="#9e9e9e", **bars,
                             hovertemplate="%{x}<br>events without a QuadClass: %{y}<extra></extra>"))
    for q in (1, 2, 3, 4):
        custom = [[r["events"], r["mean_goldstein"] if r["mean_goldstein"] is not None else "–",
                   "<br>".join(plain(line) for line in hover.get(r["period"], []))] for r in rows]
        fig.add_trace(go.Bar(x=x, y=[r[f"q{q}"] for r in rows], name=QUAD_NAMES[q], marker_color=QUAD_COLOURS[q],
                             customdata=custom, **bars,
                             hovertemplate=(f"%{{x}}<br>{QUAD_NAMES[q]}: %{{y}}<br>all events: %{{customdata[0]}}"
                                            "<br>mean Goldstein: %{customdata[1]}<br>%{customdata[2]}<extra></extra>")))
    gx, gy = goldstein_points(rows, period)
    if any(y is not None for y in gy):
        fig.add_trace(go.Scatter(x=gx, y=gy, name="Mean Goldstein", mode="lines+markers", yaxis="y2", connectgaps=False,
                                 line={"color": "#2166ac", "width": 2}, **point_period(period),
                                 hovertemplate="%{x}<br>mean Goldstein %{y}<extra></extra>"))
    if notes:
        # One trace of pins along the top of the chart (the Goldstein axis is fixed at −10…+10), each labelled
        # with its note's first words, with a thin line down to the axis so the day reads on the time axis.
        dates = [n["date"] for n in notes]
        fig.add_trace(go.Scatter(x=dates, y=[NOTE_Y] * len(notes), yaxis="y2", mode="markers+text",
                                 text=[plain(n["text"], NOTE_LABEL_CHARS) for n in notes], textposition="bottom right",
                                 textfont={"color": NOTE_COLOUR, "size": 11},
                                 marker={"symbol": "triangle-down", "size": 14, "color": NOTE_COLOUR}, **point_period("day"),
                                 # a selected bar fades the other points: the notes stay readable
                                 unselected={"marker": {"opacity": 1}, "textfont": {"color": NOTE_COLOUR}},
                                 name="Notes", showlegend=True, hovertext=[plain(n["text"]) for n in notes],
                                 hovertemplate="%{x|%d %b %Y}<br>note: %{hovertext}<extra></extra>"))
        for d in dates:
            fig.add_shape(type="line", x0=f"{d} 12:00", x1=f"{d} 12:00", yref="paper", y0=0, y1=1,
                          line={"color": NOTE_COLOUR, "width": 1, "dash": "dot"}, layer="below")
    fig.update_layout(barmode="stack", title=plain(title) if title else None, height=420,
                      margin={"l": 40, "r": 40, "t": 40, "b": 30},
                      legend={"orientation": "h", "y": -0.15}, hovermode="closest",
                      # Streamlit lets a click select a bar only when dragging does not (it forces clickmode to
                      # "event" under dragmode "select"): dragging zooms, and the box-select tool of the chart's
                      # toolbar selects a range.
                      dragmode="zoom", clickmode="event+select",
                      yaxis=count_axis(max([r["events"] for r in rows] + [r.get("articles", 0) for r in rows],
                                           default=0)),
                      yaxis2={"title": "Goldstein", "overlaying": "y", "side": "right", "range": [-10, 10],
                              "tickvals": [-10, -5, 0, 5, 10], "zeroline": True, "showgrid": False})
    fig.update_xaxes(**time_axis(x, period, date_from, date_to))
    return fig


SOURCE_COLOURS = {"extracted": "#2166ac", "gdelt": "#e08214", "acled": "#7b3294", "icews": "#1b9e77", "polecat": "#d95f02", "manual": "#666666"}


def sources_figure(rows: list[dict], period: str, *, tone: bool = False, date_from: str | None = None,
                   date_to: str | None = None) -> go.Figure:
    """Events per period for each source side by side (grouped bars), each source's mean
    Goldstein as a line on the right axis, and optionally GDELT's mean AvgTone (dotted).

    rows: timeline.timeline_by_source() rows.
    """
    fig = go.Figure()
    sources = sorted({r["source"] for r in rows})
    for slot, src in enumerate(sources):
        mine = [r for r in rows if r["source"] == src]
        colour = SOURCE_COLOURS.get(src, "#999999")
        src = plain(src, 40)  # a closed set today (importers name it), escaped all the same
        fig.add_trace(go.Bar(x=[r["period"] for r in mine], y=[r["events"] for r in mine], name=f"{src} events",
                             marker_color=colour, offsetgroup=src,
                             **bar_geometry([r["period"] for r in mine], period, slot, len(sources)),
                             hovertemplate=f"%{{x}}<br>{src}: %{{y}} events<extra></extra>"))
        g = [r for r in mine if r["mean_goldstein"] is not None]
        if g:
            fig.add_trace(go.Scatter(x=[r["period"] for r in g], y=[r["mean_goldstein"] for r in g], yaxis="y2",
                                     mode="lines+markers", name=f"{src} mean Goldstein", line={"color": colour}, **point_period(period),
                                     hovertemplate=f"%{{x}}<br>{src} mean Goldstein %{{y}}<extra></extra>"))
        t = [r for r in mine if r["mean_tone"] is not None]
        if tone and t:
            fig.add_trace(go.Scatter(x=[r["period"] for r in t], y=[r["mean_tone"] for r in t], yaxis="y2",
                                     mode="lines", name=f"{src} mean AvgTone", line={"color": colour, "dash": "dot"}, **point_period(period),
                                     hovertemplate=f"%{{x}}<br>{src} mean AvgTone %{{y}}<extra></extra>"))
    fig.update_layout(barmode="group", height=420, margin={"l": 40, "r": 40, "t": 30, "b": 30},
                      legend={"orientation": "h", "y": -0.15},
                      yaxis=count_axis(max((r["events"] for r in rows), default=0)),
                      yaxis2={"title": "Goldstein / tone", "overlaying": "y", "side": "right", "range": [-10, 10],
                              "tickvals": [-10, -5, 0, 5, 10], "showgrid": False})
    fig.update_xaxes(**time_axis(sorted({r["period"] for r in rows}), period, date_from, date_to))
    return fig


def pairs_figure(rows: list[dict], actors: list[str]) -> go.Figure:
    """The pair matrix: a dot at (actor, actor) for each pair of `actors` in `rows` (queries.pairs rows), drawn
    on both sides of the diagonal, sized by its events and coloured by their mean Goldstein (red conflict,
    blue cooperation, grey without one). Axis labels and hover text are escaped (actor codes come from files);
    each dot's customdata holds the pair, escaped, for the page to map a click back."""
    shown = set(actors)
    mine = [r for r in rows if r["pair_a"] in shown and r["pair_b"] in shown and r["events"]]
    peak = max((r["events"] for r in mine), default=1)
    labels = [plain(a, 40) for a in actors]
    xs, ys, sizes, colours, custom, hover = [], [], [], [], [], []
    for r in mine:
        a, b = plain(r["pair_a"], 40), plain(r["pair_b"], 40)
        text = (f"{a}–{b}<br>{r['events']:,} events: " + ", ".join(f"{QUAD_NAMES[q].lower()} {r[f'q{q}']}" for q in (1, 2, 3, 4))
                + f"<br>mean Goldstein: {r['mean_goldstein'] if r['mean_goldstein'] is not None else '–'}"
                + f"<br>{r['articles']:,} articles<br>click to open the pair's timeline")
        for x, y in ((a, b), (b, a)):
            xs.append(x)
            ys.append(y)
            sizes.append(6 + 24 * (r["events"] / peak) ** 0.5)
            colours.append(r["mean_goldstein"] if r["mean_goldstein"] is not None else 0.0)
            custom.append([a, b])
            hover.append(text)
    fig = go.Figure(go.Scatter(
        x=xs, y=ys, mode="markers", customdata=custom, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        marker={"size": sizes, "color": colours, "colorscale": "RdBu", "cmin": -10, "cmax": 10,
                "line": {"width": 1, "color": "#555"},
                # under the matrix, not beside it: on a phone the matrix then has the screen's whole width
                "colorbar": {"title": {"text": "mean Goldstein", "side": "right"}, "tickvals": [-10, -5, 0, 5, 10],
                             "thickness": 10, "orientation": "h", "y": -0.02, "yanchor": "top", "len": 0.6,
                             "x": 0.5, "xanchor": "center"}},
        unselected={"marker": {"opacity": 0.35}}))
    axis = {"type": "category", "categoryorder": "array", "categoryarray": labels, "showgrid": True,
            "gridcolor": "rgba(0,0,0,0.06)"}
    # the column codes above the matrix, turned upright by plotly where the columns are narrow (a phone)
    fig.update_layout(height=max(380, 34 * len(actors) + 160), margin={"l": 50, "r": 10, "t": 50, "b": 70},
                      xaxis={**axis, "side": "top"}, yaxis={**axis, "autorange": "reversed", "tickangle": 0},
                      dragmode="zoom",
                      clickmode="event+select", hovermode="closest")
    return fig


PLACE_LABELS = 12    # the busiest places named on the map itself; every dot has its name on hover


def places_figure(rows: list[dict]) -> go.Figure:
    """The map: a dot per place (queries.places rows) at its longitude and latitude, sized by its events and
    coloured by their commonest QuadClass, on a plain graticule — no tiles or outlines fetched from the
    internet. The aspect is that of the places' middle latitude (equirectangular), so Europe looks like
    Europe. Place names come from files: escaped in labels and hover text."""
    peak = max((r["events"] for r in rows), default=1)
    named = {id(r) for r in rows[:PLACE_LABELS]}
    fig = go.Figure()
    for q in (1, 2, 3, 4):
        mine = [r for r in rows if _commonest_quad(r) == q]
        if not mine:
            continue
        fig.add_trace(go.Scatter(
            x=[r["lon"] for r in mine], y=[r["lat"] for r in mine], mode="markers+text", name=QUAD_NAMES[q],
            text=[plain(r["place"].split(",")[0], 40) if id(r) in named else "" for r in mine],
            textposition="top center", textfont={"size": 11, "color": "#333"},
            hovertext=[_place_hover(r) for r in mine], hovertemplate="%{hovertext}<extra></extra>",
            marker={"size": [7 + 30 * (r["events"] / peak) ** 0.5 for r in mine], "color": QUAD_COLOURS[q],
                    "opacity": 0.8, "line": {"width": 1, "color": "#444"}}))
    lats = [r["lat"] for r in rows] or [0.0]
    mid = (min(lats) + max(lats)) / 2
    xrange, yrange = _padded([r["lon"] for r in rows], -180, 180), _padded(lats, -90, 90)
    # a line every 10° over a continent, plotly's own steps over a region (so a few ticks always show)
    wide = {"dtick": 10} if xrange[1] - xrange[0] > 60 else {}
    grid = {"showgrid": True, "gridcolor": "rgba(0,0,0,0.08)", "zeroline": False}
    fig.update_layout(height=560, margin={"l": 50, "r": 20, "t": 20, "b": 40}, hovermode="closest", showlegend=True,
                      legend={"title": "commonest QuadClass", "orientation": "h", "y": -0.12},
                      xaxis={**grid, **wide, "title": "longitude °E", "range": xrange},
                      yaxis={**grid, **wide, "title": "latitude °N", "range": yrange,
                             "scaleanchor": "x", "scaleratio": 1 / max(0.2, math.cos(math.radians(mid)))},
                      plot_bgcolor="#f4f7fb")
    return fig


def _commonest_quad(r: dict) -> int:
    return max((1, 2, 3, 4), key=lambda q: (r[f"q{q}"], -q))


def _padded(values: list[float], low: float, high: float) -> list[float]:
    """The span of `values` with a margin of a tenth (at least 3°), within [low, high]."""
    if not values:
        return [low, high]
    a, b = min(values), max(values)
    pad = max(3.0, (b - a) / 10)
    return [max(low, a - pad), min(high, b + pad)]


def _place_hover(r: dict) -> str:
    quads = ", ".join(f"{QUAD_NAMES[q].lower()} {r[f'q{q}']}" for q in (1, 2, 3, 4) if r[f"q{q}"])
    goldstein = r["mean_goldstein"] if r["mean_goldstein"] is not None else "–"
    days = r["first_day"] if r["first_day"] == r["last_day"] else f"{r['first_day']} – {r['last_day']}"
    return (f"{plain(r['place'], 80)}<br>{r['events']:,} events: {quads}<br>mean Goldstein: {goldstein}"
            f"<br>{days}")


# The two pairs of a comparison: the filter's pair, then the other one.
COMPARE_COLOURS = ("#2166ac", "#e08214")


def compare_figure(rows: list[dict], period: str, pairs: list[str], date_from: str | None = None,
                   date_to: str | None = None) -> go.Figure:
    """Two pairs on one timeline: events per period as two groups of bars, each pair's mean Goldstein as a
    line on the right axis (−10…+10), gaps where a pair has no events.

    rows: timeline.timeline_compare() rows; pairs: their pair codes in drawing order ('BLR-RUS', 'BLR-EU').
    Pair codes come from files and links: escaped in names and hover text.
    """
    fig = go.Figure()
    for slot, (code, colour) in enumerate(zip(pairs, COMPARE_COLOURS)):
        mine = [r for r in rows if r["pair"] == code]
        name = plain(code, 40)
        custom = [[", ".join(f"{QUAD_NAMES[q].lower()} {r[f'q{q}']}" for q in (1, 2, 3, 4)),
                   r["mean_goldstein"] if r["mean_goldstein"] is not None else "–"] for r in mine]
        fig.add_trace(go.Bar(x=[r["period"] for r in mine], y=[r["events"] for r in mine], name=f"{name} events",
                             marker_color=colour, offsetgroup=name, customdata=custom,
                             **bar_geometry([r["period"] for r in mine], period, slot, len(pairs)),
                             hovertemplate=(f"%{{x}}<br>{name}: %{{y}} events<br>%{{customdata[0]}}"
                                            "<br>mean Goldstein: %{customdata[1]}<extra></extra>")))
        gx, gy = goldstein_points(mine, period)
        if any(y is not None for y in gy):
            fig.add_trace(go.Scatter(x=gx, y=gy, yaxis="y2", mode="lines+markers", connectgaps=False,
                                     name=f"{name} mean Goldstein", line={"color": colour, "dash": "dot"}, **point_period(period),
                                     hovertemplate=f"%{{x}}<br>{name} mean Goldstein %{{y}}<extra></extra>"))
    fig.update_layout(barmode="group", height=380, margin={"l": 40, "r": 40, "t": 30, "b": 30},
                      legend={"orientation": "h", "y": -0.15},
                      yaxis=count_axis(max((r["events"] for r in rows), default=0)),
                      yaxis2={"title": "Goldstein", "overlaying": "y", "side": "right", "range": [-10, 10],
                              "tickvals": [-10, -5, 0, 5, 10], "zeroline": True, "showgrid": False})
    fig.update_xaxes(**time_axis(sorted({r["period"] for r in rows}), period, date_from, date_to))
    return fig
