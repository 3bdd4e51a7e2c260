"""Timeline: events between the selected pair per period, stacked by QuadClass, with mean Goldstein."""
import datetime as dt

import streamlit as st

from dashboard.queries import events as ev
from dashboard.queries.clauses import describe
from dashboard.queries import timeline as tl
from dashboard.queries import totals
from dashboard.queries import explain
from dashboard.app import auth, tables, ui
from dashboard.app.charts import compare_figure, sources_figure, timeline_figure
from dashboard.queries.export import csv_bytes, export_filename
from dashboard.app.render import clip, md_escape
from dashboard.analysis.actors import actor_name

COMPARE_PAIRS = totals.COMPARE_PAIRS   # other pairs offered for a comparison, the busiest first
EVIDENCE_CHARS = 1_000  # of an event's evidence shown under the chart (the CSV has it whole)
NOTE_FIRST_DAY, NOTE_LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)

EXPLAIN_LABELS = {"kind": "Kind", "item": "What", "name": "Name", "in_period": "In the period",
                  "period_share": "Share in the period", "usual": "Usually", "usual_share": "Usual share"}


def show_explanation(x: dict) -> None:
    """explain.explain_period's answer: one sentence and one table (cells are text: nothing is read as Markdown)."""
    st.caption(md_escape(explain.summary(x)) + ". Shares: of the period's events (event types) or of its articles "
               "(actors named, words of titles and ledes).")
    rows = explain.explain_rows(x)
    if not rows:
        st.caption("Nothing to explain: no events or articles in this period.")
        return
    st.dataframe(rows, hide_index=True, key="tl_explain_table", column_order=list(EXPLAIN_LABELS),
                 column_config={k: (st.column_config.NumberColumn(v, format="percent")
                                    if k.endswith("share") else st.column_config.Column(v))
                                for k, v in EXPLAIN_LABELS.items()})


def compare_options(db, f) -> tuple[list[str], dict[str, str]]:
    """The other pairs with events (the busiest first) as 'BLR-EU' codes, with "" (none) first, and their labels.
    A pair a link named (tl_compare_pair) is offered too, also without events (the page then says so)."""
    labels = {"": "— none —"}
    for a, b, n in ev.top_pairs_by_events(db, limit=COMPARE_PAIRS):
        if (a, b) != f.pair:
            labels[tl.pair_code((a, b))] = f"{a}–{b} · {actor_name(a)} – {actor_name(b)} ({n:,} events)"
    chosen = st.session_state.get("tl_compare_pair") or ""
    if chosen == tl.pair_code(f.pair):   # the sidebar's pair became the compared one
        st.session_state["tl_compare_pair"] = chosen = ""
    if chosen and chosen not in labels:
        a, b = chosen.split("-")
        labels[chosen] = f"{a}–{b} · {actor_name(a)} – {actor_name(b)}"
    return list(labels), labels


def show_comparison(db, f, chosen_period: str) -> None:
    """'Compare with another pair': a selectbox of other pairs; when one is chosen, both pairs on one chart
    (timeline.timeline_compare), its code in the URL as compare=BLR-EU."""
    st.session_state.setdefault("tl_compare_pair", "")
    options, labels = compare_options(db, f)
    other = st.selectbox("Compare with another pair", options, key="tl_compare_pair", format_func=labels.get,
                         help="Events per period and mean Goldstein of this pair and another, by the same period "
                              "and filters (both directions of each pair).")
    if not other:
        return
    ui.url_add({"compare": other})
    cmp_period, coarser = tl.compare_period(db, f, other, chosen_period)
    used_c, crows = tl.timeline_compare(db, f, other, cmp_period)
    mine = tl.pair_code(f.pair)
    if not any(r["pair"] == other for r in crows):
        st.info(md_escape(f"{other.replace('-', '–')} has no events for these filters (dates, keyword, sources, "
                          "uncertain events): nothing to compare. Widen the dates or pick another pair."))
        return
    if coarser:
        st.caption(md_escape(coarser))
    st.plotly_chart(compare_figure(crows, used_c, [mine, other], f.date_from, f.date_to), key="compare_chart")
    st.caption(md_escape(f"{mine.replace('-', '–')} and {other.replace('-', '–')} per {used_c}: bars are events, "
                         "dotted lines each pair's mean Goldstein (right axis). Both directions of each pair are "
                         "counted: the direction switch does not apply to the comparison; dates, keyword, sources "
                         "and the uncertain-events switch apply to both.")
               + (" The selection on the chart above does not apply here." if st.session_state.get("tl_selection") else ""))


db = ui.db()
f = ui.current_filter()
st.title("Bilateral timeline")
if not f.pair:
    st.info("Pick Country A and Country B in the sidebar to see how their relations evolved.")
    pairs = ev.top_pairs_by_events(db)
    if pairs:
        st.caption("Pairs with the most events: " + md_escape(", ".join(f"{a}–{b} ({n})" for a, b, n in pairs)))
    ui.stop()

st.caption(ui.pair_label(f.pair))
c = st.columns([2, 3, 2, 2])
period = c[0].selectbox("Period", ["auto"] + list(tl.PERIODS), key="tl_period")
# "both", not None: a radio whose value is None is drawn with nothing selected
direction = c[1].radio("Direction", ["both", "ab", "ba"], horizontal=True, key="tl_direction",
                       format_func=lambda d: {"both": "both", "ab": f"{f.pair[0]}→{f.pair[1]}", "ba": f"{f.pair[1]}→{f.pair[0]}"}[d])
direction = None if direction == "both" else direction
st.session_state.setdefault("tl_uncertain", True)   # set here, not as value=: a shared link may have set it
uncertain = c[2].toggle("Uncertain events", key="tl_uncertain",
                        help="On: include events whose year was inferred or whose confidence is below 0.5 (marked ⚠). Off hides them.")
sources = ui.source_choice(db, c[3], f)
# Every option lives in the Filter: chart, count, list and CSV below all read this one.
f = f.with_(sources=sources, direction=direction, hide_uncertain=not uncertain)
ui.keep_event_options_in_url(f)
if period != "auto":
    ui.url_add({"period": period})

# A period that would draw more bars than can be read (a day kept while the dates widened) is drawn coarser.
chosen_period = period
period, too_many = tl.readable_period(db, f, period)
if too_many:
    st.caption(too_many)
present = ev.sources_present(db, f.pair)
compare = len(present) > 1 and st.toggle("Compare sources side by side", key="tl_compare",
                                         help="Events per period and mean Goldstein for each source (extracted, GDELT, ACLED, ICEWS, POLECAT …).")
if compare:
    tone = st.checkbox("Show GDELT's mean AvgTone", key="tl_tone")
    used_s, srows = tl.timeline_by_source(db, f, period)
    st.plotly_chart(sources_figure(srows, used_s, tone=tone, date_from=f.date_from, date_to=f.date_to), key="sources_chart")
used, rows = tl.timeline(db, f, period)
if not any(r["events"] for r in rows):
    st.info("No events for these filters. Widen the dates, clear the keyword box or pick another pair."
            + (" The pair has articles in this range, so this is no coverage of events, not no coverage." if rows else ""))
    ui.stop()
# Hover lines rank every event of every period: past ~20k events that costs more than the chart.
n_events = sum(r["events"] for r in rows)
hover = tl.top_events(db, f, used) if n_events <= 20_000 else {}
notes = ev.list_notes(db, f)
# Notes are drawn within the chart's time axis (a note pinned decades earlier would squeeze every bar);
# all of them are listed under "Pin a note to a date".
first_day = f.date_from or rows[0]["period"]   # the axis spans the filter's dates when it has them
last_day = f.date_to or tl.period_end(rows[-1]["period"], used)
fig = timeline_figure(rows, used, hover=hover, notes=[n for n in notes if first_day <= n["date"] <= last_day],
                      date_from=f.date_from, date_to=f.date_to)
state = st.plotly_chart(fig, key="timeline_chart", on_select="rerun", selection_mode=("points", "box"))
st.caption(f"Periods: {used}. Click a bar to list its events below (shift-click adds bars; double-click clears); "
           "to select a range, pick the box-select tool above the chart and drag across it.")
show_comparison(db, f, chosen_period)

# A click on a bar gives its period's first day; on the Goldstein line, a note pin or the coverage, a day inside one.
picked = sorted({tl.period_start(p["x"][:10], used) for p in (state.selection.points if state else []) if p.get("x")})
# The selection is kept as dates (tl_selection), which the URL carries (sel=first..last): a click changes it,
# a link sets it, another pair or other dates clear it.
if st.session_state.get("_tl_sel_for", (f.pair, f.date_from, f.date_to)) != (f.pair, f.date_from, f.date_to):
    st.session_state["tl_selection"] = None
st.session_state["_tl_sel_for"] = (f.pair, f.date_from, f.date_to)
if picked != st.session_state.get("_tl_picked", []):
    st.session_state["tl_selection"] = (picked[0], tl.period_end(picked[-1], used)) if picked else None
st.session_state["_tl_picked"] = picked
selection = st.session_state.get("tl_selection")
sub = f
if selection:
    sub = f.with_(date_from=max(selection[0], f.date_from or selection[0]),
                  date_to=min(selection[1], f.date_to or "9999-12-31"))
    ui.url_add({"sel": f"{selection[0]}..{selection[1]}"})
    cols = st.columns([4, 1])
    cols[0].markdown(f"**Selected:** {sub.date_from} … {sub.date_to}")
    if not picked and cols[1].button("Clear selection", key="tl_clear_selection"):
        st.session_state["tl_selection"] = None
        st.rerun()
    # Asked for, not drawn on every rerun: it reads the titles and ledes of the pair's articles.
    if st.toggle("Explain this period", key="tl_explain",
                 help="The period's top CAMEO event types, other actors named and words, against the rest of "
                      "the filter's dates (python -m dashboard explain)."):
        show_explanation(explain.explain_period(db, f, sub.date_from, sub.date_to))
total = ev.count_events(db, sub)
events = ev.list_events(db, sub, limit=200)
st.subheader(f"Events ({total:,})", anchor=False)
st.caption(md_escape(describe(sub)))
st.download_button("Download events CSV", data=lambda: csv_bytes(ev.iter_events_and_notes(ui.db(), sub), ev.EVENT_COLUMNS),
    file_name=export_filename("events", sub.slug()), mime="text/csv", on_click="ignore")
for e in events:
    flags = tables.warnings({**e, "warning": None})   # the importer's warning gets its own box below
    with st.container(border=True):
        date_text, rest = tables.event_line(e).split(" · ", 1)
        st.markdown(f"**{md_escape(date_text)}** · {md_escape(rest)}"
                    + (" · ⚠️ " + md_escape(", ".join(flags)) if flags else ""))
        if e["warning"]:
            st.warning(md_escape(e["warning"]))
        if e["evidence"]:
            # A sentence is short; a scrape artefact can be 100,000 characters, marked and drawn 200 times a run.
            st.markdown("> " + ui.evidence_markdown({**e, "evidence": clip(e["evidence"], EVIDENCE_CHARS)}))
        if e["other_reports"]:   # near-duplicate copies of this report: counted once, here
            st.caption("Also reported by " + md_escape(", ".join(f"article #{i}" for i in e["other_reports"].split(", "))))
        if e["note"]:
            st.caption("Note: " + md_escape(e["note"]))
        if e["article_id"] and st.button("Open article", key=f"ev-art-{e['id']}"):
            st.session_state["article"] = e["article_id"]
            st.switch_page("pages/articles.py")
        if e["url"]:
            st.markdown(ui.link_markdown("Source", e["url"]))
if total > len(events):
    st.caption(f"Showing the first {len(events)} of {total}; the CSV has all of them.")

with st.expander("Pin a note to a date", key="tl_notes_open", expanded="note_pinned" in st.session_state):
    locked = auth.why_not("note")   # pinning is an editor's: the form is shown disabled, with the reason
    if locked:
        st.caption("🔒 " + md_escape(locked))
    with st.form("note", clear_on_submit=True):
        # Any day since 1900: the widget's default range (ten years back from today) refused older days.
        day = st.date_input("Date", value=None, min_value=NOTE_FIRST_DAY, max_value=NOTE_LAST_DAY, format="YYYY-MM-DD",
                            key="note_day", disabled=bool(locked))
        text = st.text_input("Note", placeholder="treaty signed, ambassador recalled …", max_chars=500, key="note_text",
                             disabled=bool(locked))
        if st.form_submit_button("Pin note", disabled=bool(locked), help=locked) and auth.can("note"):
            if not day or not text.strip():
                st.warning("Give the note a date and a text.")
            else:
                ev.add_note(db, f.pair, day.isoformat(), text, by=auth.by())
                st.session_state["note_pinned"] = f"Pinned to {day.isoformat()}: {text.strip()}"
                st.rerun()
    if st.session_state.get("note_pinned"):
        st.success(md_escape(st.session_state.pop("note_pinned")))
    if notes:
        st.caption("Notes on this timeline: " + md_escape("; ".join(
            f"{n['date']} {n['text']}" + (f" ({n['by']})" if n["by"] else "") for n in notes)))
