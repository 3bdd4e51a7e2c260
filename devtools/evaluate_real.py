"""Score the whole product on real, hand-labelled news pages (``python -m devtools.evaluate --real DIR``).

``DIR`` is a labelled set such as ``../shared/realpages``: ``pages/<id>.txt`` in the page-text
format and ``gold_*.jsonl`` labels (see that folder's README). Every page goes through the real
importer (:func:`dashboard.ingest.import_paths`) into a temporary store; the figures are read
back from the store, so they measure what an analyst sees, not one function.

What is measured, per page, per group (the id's first letter: D Belarus-centred English,
E other English, R Russian) and in total:

* **about pairs**: a page is "returned" for a pair when ``python -m dashboard articles --pair P
  --format json`` lists it; the CLI itself is run on the temporary store, so a default it gains
  later (an "about" or salience filter) is followed here without a change. Every pair of the
  store and every labelled about-pair is asked. Precision = returned (page, pair) items that are about-pairs / all returned items;
  recall = about-pairs returned / all about-pairs (a rejected page returns nothing).
* **key events found**: a labelled event is found when an extracted event of the page has the
  same unordered pair. Each extracted event matches at most one labelled event; the pairing
  maximises date agreement and the word overlap of the evidence sentences (greedy, best first).
* Of the found events: **date** right (date and precision equal; week precision is written as
  its Monday, and a predicted week counts through its Monday), **year** right, **QuadClass**
  right, **CAMEO root** right (for a label whose ``why`` calls it a judgment call, any root the
  label names as defensible also counts), **direction** right (actor1 is the label's source;
  a mutual event - root 04 consult: meetings, calls, visits; or a label that calls itself
  mutual, joint, an agreement or a treaty - is right either way round, the README's rule).
* **date lines**: the page was imported and its stored calendar date equals the label's
  ``published`` day. Rejected pages are listed with the importer's reason.
* **the seed**: the dates of the seed article's November events (``samples/`` beside ``DIR``),
  against the 2011 dates of the design notes.
"""
from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

GROUPS = {"D": "Belarus English", "E": "other English", "R": "Russian"}
SEED_NAME = "000_98d85fc8d90fd5e9.txt"
# shared/design.md: the seed's November events happened in 2011 (office-holder terms rule out 2015).
SEED_EXPECTED = ("2011-11-21", "2011-11-23", "2011-11-25")
_WORD = re.compile(r"\w+")
_MUTUAL = re.compile(r"\b(mutual|joint|agreement|treaty)\b|\b057\b", re.I)
_ROOT_NAMED = re.compile(r"(?<![\d.:/-])(0[1-9]|1\d|20)(?![\d.:/-])")


@dataclass
class PageScore:
    """The figures of one page; counts, so that groups and totals are sums."""
    id: str
    group: str
    imported: bool = False
    reason: str = ""
    published: str | None = None
    date_ok: bool = False
    returned: list[str] = field(default_factory=list)
    about: list[str] = field(default_factory=list)
    gold_events: int = 0
    found: int = 0
    date_right: int = 0
    year_right: int = 0
    quad_right: int = 0
    root_right: int = 0
    direction_right: int = 0
    matches: list[dict] = field(default_factory=list)

    @property
    def about_returned(self) -> int:
        return len(set(self.returned) & set(self.about))


# --- labels -------------------------------------------------------------------------------

def load_labels(folder: Path) -> list[dict]:
    """Every label of ``folder/gold_*.jsonl`` in id order. Raises ``ValueError`` naming the
    file and line of a label that is not JSON or has no id."""
    labels = []
    for path in sorted(folder.glob("gold_*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                label = json.loads(line)
                label["id"]
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path.name} line {n}: not a label ({exc})") from None
            labels.append(label)
    return sorted(labels, key=lambda x: x["id"])


def pair_key(a: str, b: str) -> str:
    """The unordered pair as the store writes it: 'BLR-RUS' for (RUS, BLR)."""
    return "-".join(sorted((a, b)))


def gold_date(value: str, precision: str) -> str:
    """A label's date as the store writes it: 'YYYY' → 'YYYY-01-01', 'YYYY-MM' → 'YYYY-MM-01',
    a week → its Monday."""
    parts = (value.split("-") + ["01", "01"])[:3]
    d = date(*map(int, parts))
    if precision == "week":
        d -= timedelta(days=d.weekday())
    return d.isoformat()


def is_mutual(event: dict) -> bool:
    """Mutual events are scored unordered: consultations (root 04: meetings, calls, visits)
    and labels that call themselves mutual, joint, an agreement or a treaty."""
    return event["cameo_root"] == "04" or bool(_MUTUAL.search(event.get("why", "")))


def lenient_roots(event: dict, notes: str = "") -> set[str]:
    """The roots that count as right: the label's own, plus, for a judgment call, every
    root its ``why`` names (and the page notes' when the ``why`` points to them)."""
    why = event.get("why", "")
    roots = {event["cameo_root"]}
    if "judgment call" in why.lower():
        text = why + (" " + notes if "see notes" in why.lower() else "")
        roots |= set(_ROOT_NAMED.findall(text))
    return roots


# --- matching -----------------------------------------------------------------------------

# Share of words the label's evidence and an extracted event's evidence must each have of the
# other's for the event to count as read from the label's own sentence (splitting and quotes
# differ a little; a longer passage that merely contains the sentence is not the same).
SAME_SENTENCE = 0.8


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text or "")}


def _overlap(gold_evidence: str, predicted_evidence: str) -> float:
    """Share of the label's evidence words that the predicted evidence also has."""
    g = _words(gold_evidence)
    return len(g & _words(predicted_evidence)) / len(g) if g else 0.0


def _date_right(g: dict, p: dict) -> bool:
    if g["precision"] != p.get("date_precision") or not p.get("date"):
        return False
    want = gold_date(g["date"], g["precision"])
    got = p["date"]
    if g["precision"] == "week":
        got = gold_date(got, "week")
    return got == want


def match_events(gold: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """Pairs ``(gold index, predicted index)``: each labelled event with at most one extracted
    event of the same unordered pair, each extracted event used once; best candidates first:
    an extracted event read from the label's own sentence, then right date, then evidence
    overlap, then right year; ties in text order.

    The sentence comes first because it is what says two events are the same one: pairing by
    date first crossed events of one pair and day (a warning matched to the build-up it warns
    about, and the build-up to the warning), charging each with the other's QuadClass and
    direction. Neither key looks at the code or direction being scored."""
    cands = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            if pair_key(g["source"], g["target"]) != pair_key(p["actor1"], p["actor2"]):
                continue
            same_year = (p.get("date") or "")[:4] == g["date"][:4]
            cited = p.get("cited") or [p.get("evidence", "")]
            overlap = max(_overlap(g["evidence"], c) for c in cited)
            same = any(min(_overlap(g["evidence"], c), _overlap(c, g["evidence"])) >= SAME_SENTENCE for c in cited)
            cands.append((-same, -_date_right(g, p), -overlap, -same_year, i, j))
    used_g, used_p, out = set(), set(), []
    for *_, i, j in sorted(cands):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return sorted(out)


def score_events(page: PageScore, label: dict, predicted: list[dict]) -> None:
    """Add the event figures of one page (found, date, year, QuadClass, root, direction)."""
    gold = label.get("events", [])
    page.gold_events = len(gold)
    for i, j in match_events(gold, predicted):
        g, p = gold[i], predicted[j]
        checks = {
            "date": _date_right(g, p),
            "year": (p.get("date") or "")[:4] == g["date"][:4],
            "quad": p.get("quad_class") == g["quad_class"],
            "root": p.get("root_code") in lenient_roots(g, label.get("notes", "")),
            "direction": is_mutual(g) or p["actor1"] == g["source"],
        }
        page.found += 1
        page.date_right += checks["date"]
        page.year_right += checks["year"]
        page.quad_right += checks["quad"]
        page.root_right += checks["root"]
        page.direction_right += checks["direction"]
        page.matches.append({"gold": i, **checks, "predicted": {k: p.get(k) for k in (
            "actor1", "actor2", "date", "date_precision", "root_code", "quad_class", "evidence")}})


# --- the store ------------------------------------------------------------------------------

def returned_articles(db_path: Path, pair: str) -> set[int]:
    """Ids of the articles ``python -m dashboard articles --pair PAIR`` lists (every row): the
    CLI itself is run, so its defaults (filters, orders) are the ones measured."""
    from dashboard.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["articles", "--pair", pair, "--format", "json", "--db", str(db_path)])
    if status != 0:
        raise RuntimeError(f"articles --pair {pair} exited with status {status}")
    return {row["id"] for row in json.loads(out.getvalue())}


def _page_articles(db) -> dict[str, int]:
    """Page file stem → id of the full (not stub) article imported from it."""
    rows = db.execute("SELECT i.path, a.id FROM articles a JOIN imports i ON i.id = a.import_id "
                      "WHERE a.is_stub = 0 ORDER BY a.id").fetchall()
    out: dict[str, int] = {}
    for path, aid in rows:
        out.setdefault(Path(path).stem, aid)
    return out


_EVENT_COLS = ("actor1", "actor2", "date", "date_precision", "root_code", "quad_class", "evidence")


def _events_of(db, article_id: int) -> list[dict]:
    """The article's extracted events, each with ``cited``: the text of every sentence it was read
    from (an event told twice, merged, cites both; ``evidence`` is the first)."""
    sql = (f"SELECT {', '.join(_EVENT_COLS)}, spans FROM events WHERE article_id = ? AND source = 'extracted' "
           "AND actor1 IS NOT NULL AND actor2 IS NOT NULL ORDER BY coalesce(char_start, 0), id")
    body = db.execute("SELECT body FROM articles WHERE id = ?", [article_id]).fetchone()[0] or ""
    out = []
    for *row, spans in db.execute(sql, [article_id]):
        event = dict(zip(_EVENT_COLS, row))
        cited = [body[a:b] for a, b in json.loads(spans or "[]")]
        event["cited"] = [c for c in cited if c] or [event["evidence"] or ""]
        out.append(event)
    return out


def _import(folder: Path, db) -> dict[str, str]:
    """Import every page of ``folder/pages``; returns page id → the reason of each rejection."""
    from dashboard.ingest import import_paths

    report = import_paths(db, [folder / "pages"])
    return {Path(f.path).stem: "; ".join(str(e) for e in f.errors) or f.status
            for f in report.files if f.status == "failed"}


def score_store(db, db_path: Path, labels: list[dict], rejected: dict[str, str]) -> list[PageScore]:
    """Score every labelled page against the store ``db`` (at ``db_path``) the pages were imported into."""
    ids = _page_articles(db)
    pairs = {pair_key(*p) for lab in labels for p in lab.get("about_pairs", [])}
    pairs |= {f"{a}-{b}" for a, b in db.execute("SELECT DISTINCT pair_a, pair_b FROM article_pairs")}
    returned: dict[int, list[str]] = {}
    for pair in sorted(pairs):
        for aid in returned_articles(db_path, pair):
            returned.setdefault(aid, []).append(pair)
    pages = []
    for lab in labels:
        page = PageScore(lab["id"], lab["id"][0], about=sorted(pair_key(*p) for p in lab.get("about_pairs", [])))
        aid = ids.get(lab["id"])
        if aid is None:
            page.reason = rejected.get(lab["id"], "no article was imported from the page")
            page.gold_events = len(lab.get("events", []))
        else:
            page.imported = True
            page.published = db.execute("SELECT published_date FROM articles WHERE id = ?", [aid]).fetchone()[0]
            page.date_ok = page.published == lab["published"][:10]
            page.returned = returned.get(aid, [])
            score_events(page, lab, _events_of(db, aid))
        pages.append(page)
    return pages


def seed_events(folder: Path) -> list[dict] | None:
    """Extracted events of the seed article dated in a November (``samples/`` beside
    ``folder``), or None when the seed page is not there."""
    from dashboard.ingest import import_paths
    from dashboard.store import open_store

    page = folder.resolve().parent / "samples" / SEED_NAME
    if not page.is_file():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        db = open_store(Path(tmp) / "seed.db")
        try:
            import_paths(db, [page])
            ids = _page_articles(db)
            events = _events_of(db, ids[page.stem]) if page.stem in ids else []
        finally:
            db.conn.close()
    return [e for e in events if (e["date"] or "")[5:7] == "11"]


def evaluate(folder: str | Path) -> dict:
    """Import and score the labelled pages of ``folder``. Returns ``{'pages': [PageScore],
    'groups': {letter: totals}, 'total': totals, 'seed': [events] or None}``."""
    from dashboard.store import open_store

    folder = Path(folder)
    labels = load_labels(folder)
    if not labels:
        raise ValueError(f"{folder}: no labels (gold_*.jsonl) found")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "realpages.db"
        db = open_store(path)
        try:
            pages = score_store(db, path, labels, _import(folder, db))
        finally:
            db.conn.close()
    groups = {g: totals([p for p in pages if p.group == g]) for g in sorted({p.group for p in pages})}
    return {"pages": pages, "groups": groups, "total": totals(pages), "seed": seed_events(folder)}


def totals(pages: list[PageScore]) -> dict:
    """Sums of the page figures, with pair precision and recall."""
    t = {k: sum(getattr(p, k) for p in pages) for k in (
        "gold_events", "found", "date_right", "year_right", "quad_right", "root_right", "direction_right",
        "about_returned")}
    t["pages"] = len(pages)
    t["imported"] = sum(p.imported for p in pages)
    t["date_ok"] = sum(p.date_ok for p in pages)
    t["returned"] = sum(len(p.returned) for p in pages)
    t["about"] = sum(len(p.about) for p in pages)
    t["precision"] = t["about_returned"] / t["returned"] if t["returned"] else None
    t["recall"] = t["about_returned"] / t["about"] if t["about"] else None
    return t


# --- report ---------------------------------------------------------------------------------

def _ratio(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.2f}"


def _row(name: str, t: dict) -> str:
    f = t["found"]
    return (f"{name:<18}{t['returned']:>5}{_ratio(t['precision']):>6}{_ratio(t['recall']):>6}"
            f"{t['found']:>4}/{t['gold_events']:<3}{t['date_right']:>4}/{f:<3}{t['year_right']:>4}/{f:<3}"
            f"{t['quad_right']:>4}/{f:<3}{t['root_right']:>4}/{f:<3}{t['direction_right']:>4}/{f:<3}"
            f"{t['date_ok']:>4}/{t['pages']:<3}")


HEADER = (f"{'':<18}{'pairs':>5}{'prec':>6}{'rec':>6}{'found':>8}{'date':>8}{'year':>8}{'quad':>8}{'root':>8}"
          f"{'dir':>8}{'dateline':>9}")


def report(res: dict, labels: dict[str, dict] | None = None, details: bool = False) -> str:
    """The readable report: one row per page, rows per group and the total, rejected pages,
    the seed's November dates; with ``details`` the pairs returned that are not about-pairs
    and each labelled event with what matched it."""
    lines = [HEADER]
    for p in res["pages"]:
        lines.append(_row(p.id + ("" if p.imported else " (rejected)"), totals([p])))
    lines.append("")
    for g, t in res["groups"].items():
        lines.append(_row(f"{g}: {GROUPS.get(g, g)}", t))
    lines.append(_row("all", res["total"]))
    lines.append("pairs: (page, pair) items the CLI's --pair filter returns; prec/rec: about-pairs among them / "
                 "about-pairs returned; found: key events with the right pair; date/year/quad/root/dir: right among "
                 "found; dateline: imported with the labelled publication day")
    rejected = [p for p in res["pages"] if not p.imported]
    if rejected:
        lines.append(f"\nrejected pages ({len(rejected)}):")
        lines += [f"  {p.id}: {p.reason}" for p in rejected]
    wrong_day = [p for p in res["pages"] if p.imported and not p.date_ok]
    if wrong_day:
        lines.append("\nimported with another publication day:")
        lines += [f"  {p.id}: stored {p.published}" for p in wrong_day]
    lines.append("\n" + seed_line(res["seed"]))
    if details:
        lines += _details(res["pages"], labels or {})
    return "\n".join(lines)


def seed_line(events: list[dict] | None) -> str:
    """The seed's November event dates beside the expected ones."""
    if events is None:
        return "seed article: not available (samples/ not beside the pages folder)"
    got = ", ".join(f"{e['date']} {pair_key(e['actor1'], e['actor2'])} {e['root_code']}" for e in events) or "none"
    return f"seed article, November events: {got} (expected {', '.join(SEED_EXPECTED)})"


def _details(pages: list[PageScore], labels: dict[str, dict]) -> list[str]:
    out = ["\ndetails:"]
    for p in pages:
        extra = sorted(set(p.returned) - set(p.about))
        missed = sorted(set(p.about) - set(p.returned))
        out.append(f"{p.id}: not about but returned: {', '.join(extra) or '-'}; about but not returned: "
                   f"{', '.join(missed) or '-'}")
        gold = labels.get(p.id, {}).get("events", [])
        matched = {m["gold"]: m for m in p.matches}
        for i, g in enumerate(gold):
            want = f"{g['source']}->{g['target']} {g['date']} {g['precision']} root {g['cameo_root']} q{g['quad_class']}"
            m = matched.get(i)
            if m is None:
                out.append(f"  miss  {want}")
                continue
            e = m["predicted"]
            wrong = [k for k in ("date", "year", "quad", "root", "direction") if not m[k]]
            out.append(f"  found {want}  <- {e['actor1']}->{e['actor2']} {e['date']} {e['date_precision']} "
                       f"root {e['root_code']} q{e['quad_class']}" + (f"  wrong: {', '.join(wrong)}" if wrong else ""))
    return out


def as_json(res: dict) -> dict:
    """The figures as plain JSON-able data (for comparing runs before and after a change)."""
    pages = []
    for p in res["pages"]:
        d = asdict(p)
        d["about_returned"] = p.about_returned
        pages.append(d)
    return {"pages": pages, "groups": res["groups"], "total": res["total"], "seed": res["seed"],
            "seed_expected": list(SEED_EXPECTED)}


def run(folder: str | Path, details: bool = False, json_path: str | None = None) -> int:
    """Evaluate, print the report, write the JSON when asked; exit code 0 (2 on bad labels)."""
    import sys

    try:
        res = evaluate(folder)
        labels = {lab["id"]: lab for lab in load_labels(Path(folder))}
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report(res, labels, details))
    if json_path:
        text = json.dumps(as_json(res), ensure_ascii=False, indent=1)
        if json_path == "-":
            print(text)
        else:
            Path(json_path).write_text(text + "\n", encoding="utf-8")
    return 0
