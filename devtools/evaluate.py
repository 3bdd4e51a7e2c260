"""Score :func:`dashboard.analysis.extract.extract_events` against the gold set.

Run ``python -m devtools.evaluate`` (``--details`` lists every miss and every
extra, ``--no-seed`` leaves the seed article out, ``--bench N`` times
``extract_events`` on N generated texts of about 3,000 characters).
``--real DIR`` scores the whole product on hand-labelled real pages instead (see
:mod:`devtools.evaluate_real`; ``--details`` and ``--json FILE`` apply).

Gold: ``gold/gold.tsv`` (texts written for this project about real, dated
happenings; one row per expected event, rows sharing the id before "." are one
text) and, when the shared folder exists, ``gold/seed.tsv`` (the seed article's
events from the design notes; its main article and its "Similar articles" stub
count as two texts).

Matching, per text, micro-averaged over all texts (a text expected to give no
event contributes only false positives):

* **pairs**: the set of sorted actor pairs of the predicted events against the
  expected set ("BLR-RUS" matches whoever acts);
* **dates**: the set of ``(date, precision)`` of the predicted events against the
  expected set: a date counts only with its precision (2017-04-10 as a week is not
  2017-04-10 as a day);
* **quad**: the set of ``(pair, QuadClass)``;
* **actor1** (reported, not scored as F1): the share of expected events whose
  pair and QuadClass were found with the expected acting actor.

Precision = TP / predicted, recall = TP / expected, F1 their harmonic mean; with
nothing predicted (or expected) the value is 1.0 by convention when the other
count is 0 too, else 0.0.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.analysis.extract import extract_events

GOLD_DIR = Path(__file__).parent / "gold"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED_NAME = "000_98d85fc8d90fd5e9.txt"


def shared_dir() -> Path | None:
    """The shared folder (``$DASHBOARD_SHARED``, else ``<project>/../shared``), or
    None when it does not exist."""
    env = os.environ.get("DASHBOARD_SHARED")
    path = Path(env) if env else PROJECT_ROOT.parent / "shared"
    return path if path.is_dir() else None


@dataclass
class GoldText:
    """One gold text: ``id``, ``text``, ``published_at`` and its expected events
    (dicts with pair, actor1, date, precision, quad_class and, for seed rows,
    year_inferred, spans, warning)."""

    id: str
    text: str
    published_at: str
    expected: list[dict] = field(default_factory=list)


def _read_tsv(path: Path) -> list[dict]:
    rows: list[dict] = []
    header: list[str] | None = None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            raise ValueError(f"{path.name} line {n}: {len(cells)} cells, expected {len(header)}")
        rows.append(dict(zip(header, cells)))
    return rows


def load_gold(path: Path = GOLD_DIR / "gold.tsv") -> list[GoldText]:
    """Texts of ``gold/gold.tsv`` in file order. Raises ``ValueError`` on a
    malformed row or on rows of one text that disagree on text or date."""
    texts: dict[str, GoldText] = {}
    for row in _read_tsv(path):
        tid = row["id"].split(".")[0]
        gt = texts.get(tid)
        if gt is None:
            gt = texts[tid] = GoldText(tid, row["sentence"], row["published_at"])
        elif gt.text != row["sentence"] or gt.published_at != row["published_at"]:
            raise ValueError(f"gold rows of {tid} disagree on the text or its date")
        if row["pair"] != "-":
            gt.expected.append({"pair": row["pair"], "actor1": row["actor1"], "date": row["date"],
                                "precision": row["precision"], "quad_class": int(row["quad_class"])})
    return list(texts.values())


_DATELINE = re.compile(r"^[A-Z][a-z]+ \d{1,2}, \d{4} \d{1,2}:\d{2}\s*$", re.M)


def seed_parts(path: Path) -> dict[str, str]:
    """The seed page split into ``{'main': body, 'stub': body}``: the main body runs
    from the line after the first date line to the line "Similar articles", the
    stub body follows the stub's date line. Raises ``ValueError`` if the page
    does not have that shape."""
    raw = path.read_text(encoding="utf-8")
    head, sep, tail = raw.partition("\nSimilar articles\n")
    m1 = _DATELINE.search(head)
    m2 = _DATELINE.search(tail)
    if not (sep and m1 and m2):
        raise ValueError(f"{path} does not look like the seed page")
    return {"main": head[m1.end():].strip(), "stub": tail[m2.end():].strip()}


def load_seed() -> list[GoldText]:
    """The seed article's two texts with the events of ``gold/seed.tsv``; ``[]``
    when the shared folder or the page is absent."""
    shared = shared_dir()
    page = shared / "samples" / SEED_NAME if shared else None
    if page is None or not page.is_file():
        return []
    parts = seed_parts(page)
    texts: dict[str, GoldText] = {}
    for row in _read_tsv(GOLD_DIR / "seed.tsv"):
        part = row["part"]
        gt = texts.setdefault(part, GoldText(f"seed-{part}", parts[part], row["published_at"]))
        gt.expected.append({"pair": row["pair"], "actor1": row["actor1"], "date": row["date"],
                            "precision": row["precision"], "quad_class": int(row["quad_class"]),
                            "year_inferred": row["year_inferred"] == "1", "spans": int(row["spans"]),
                            "warning": row["warning"], "id": row["id"]})
    return list(texts.values())


def _pair(a: str, b: str) -> str:
    return "-".join(sorted((a, b)))


def _prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else (1.0 if ngold == 0 else 0.0)
    r = tp / ngold if ngold else (1.0 if npred == 0 else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(texts: list[GoldText]) -> dict:
    """Scores of the extractor on ``texts``: ``{'pairs'|'dates'|'quad': {'p','r','f1',
    'tp','pred','gold'}, 'actor1': share, 'texts': n, 'misses': [...], 'extras': [...]}``
    (misses and extras as ``(text id, metric, value)``)."""
    counts = {k: [0, 0, 0] for k in ("pairs", "dates", "quad")}
    a1_ok = a1_n = 0
    misses: list[tuple] = []
    extras: list[tuple] = []
    for gt in texts:
        events = extract_events(gt.text, gt.published_at)
        pred = {
            "pairs": {_pair(e.actor1, e.actor2) for e in events},
            "dates": {(e.date, e.date_precision) for e in events},
            "quad": {(_pair(e.actor1, e.actor2), e.quad_class) for e in events},
        }
        gold = {
            "pairs": {x["pair"] for x in gt.expected},
            "dates": {(x["date"], x["precision"]) for x in gt.expected},
            "quad": {(x["pair"], x["quad_class"]) for x in gt.expected},
        }
        for k in counts:
            counts[k][0] += len(pred[k] & gold[k])
            counts[k][1] += len(pred[k])
            counts[k][2] += len(gold[k])
            misses += [(gt.id, k, v) for v in sorted(gold[k] - pred[k], key=str)]
            extras += [(gt.id, k, v) for v in sorted(pred[k] - gold[k], key=str)]
        for x in gt.expected:
            if x["actor1"] in ("*", "-"):
                continue
            a1_n += 1
            a1_ok += any(_pair(e.actor1, e.actor2) == x["pair"] and e.quad_class == x["quad_class"]
                         and e.actor1 == x["actor1"] for e in events)
    out: dict = {}
    for k, (tp, npred, ngold) in counts.items():
        p, r, f = _prf(tp, npred, ngold)
        out[k] = {"p": p, "r": r, "f1": f, "tp": tp, "pred": npred, "gold": ngold}
    out["actor1"] = a1_ok / a1_n if a1_n else 1.0
    out["texts"] = len(texts)
    out["misses"] = misses
    out["extras"] = extras
    return out


_FILLER = (
    "Analysts in the region expect the debate to continue for several months.",
    "The Belarusian economy grew by 2.3 percent in 2019, according to official statistics.",
    "Russia's central bank raised its key rate to 16 percent on Friday.",
    "Food prices in Poland rose by 15 percent last year, the statistics office said.",
    "Ukraine's parliament is expected to vote on the budget next week.",
    "The Lithuanian government said the new terminal would open in 2024.",
    "Latvian farmers complained about the dry summer and the low price of milk.",
    "German industrial output fell for the third month in a row in March.",
    "The Chinese company plans to build a new plant near the capital by 2026.",
    "In Minsk, several hundred people gathered for a concert in the city centre on Sunday.",
    "The US Congress returned from its summer recess on 6 September.",
    "The statement gave no details of the timetable or of the costs involved.",
    "Officials declined to say how many people would be affected by the measures.",
    "Economists warned that inflation could rise further if energy prices stay high.",
    "The opposition called the decision a mistake and promised to challenge it in parliament.",
    "Local media reported long queues at petrol stations and at currency exchange offices.",
    "The ministry said the figures for the first quarter would be published in May.",
)


def bench_texts(n: int = 1000, size: int = 3000, seed: int = 7, gold_share: float = 0.25) -> list[tuple[str, str]]:
    """``n`` generated ``(text, published_at)`` of about ``size`` characters (about
    500 words): gold texts (share ``gold_share`` of the sentences drawn, each of
    them an event) mixed with filler that names one country, numbers and dates, in
    paragraphs of four sentences; deterministic for a given ``seed``. At 0.25 a text
    holds about nine events, more than the seed article's rate (four in 1,700
    characters)."""
    import random

    rng = random.Random(seed)
    gold = [g for g in load_gold() if g.expected]
    out = []
    for _ in range(n):
        parts: list[str] = []
        para: list[str] = []
        length = 0
        while length < size:
            s = rng.choice(gold).text if rng.random() < gold_share else rng.choice(_FILLER)
            para.append(s)
            length += len(s) + 1
            if len(para) == 4:
                parts.append(" ".join(para))
                para = []
        if para:
            parts.append(" ".join(para))
        out.append(("\n\n".join(parts), rng.choice(gold).published_at))
    return out


def bench(n: int = 1000, gold_share: float = 0.25) -> dict:
    """Time ``extract_events`` over :func:`bench_texts`. Returns ``{'wall': articles
    per second by the wall clock, 'cpu': articles per second of this process's CPU
    time (less sensitive to other load), 'chars': mean characters per text,
    'events': mean events per text, 'load': the 1-minute load average}``; the
    tables are loaded before the clock starts."""
    import time

    texts = bench_texts(n, gold_share=gold_share)
    extract_events(texts[0][0], texts[0][1])
    t, c = time.perf_counter(), time.process_time()
    events = sum(len(extract_events(text, pub)) for text, pub in texts)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {"wall": n / wall, "cpu": n / cpu, "chars": sum(len(x) for x, _ in texts) / n, "events": events / n,
            "load": load}


def main(argv: list[str] | None = None) -> int:
    """Print precision, recall and F1 for pairs, dates and QuadClass; exit code 0."""
    ap = argparse.ArgumentParser(prog="python -m devtools.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("--details", action="store_true", help="list every missed and every extra value")
    ap.add_argument("--no-seed", action="store_true", help="leave the seed article out")
    ap.add_argument("--bench", type=int, metavar="N", help="time extraction on N generated ~3,000-character texts")
    ap.add_argument("--gold-share", type=float, default=0.25, metavar="F",
                    help="share of event sentences in the generated texts (default 0.25)")
    ap.add_argument("--real", metavar="DIR",
                    help="score import, pair filter and events on labelled real pages (e.g. ../shared/realpages)")
    ap.add_argument("--json", metavar="FILE", help="with --real: also write the figures as JSON to FILE ('-': stdout)")
    args = ap.parse_args(argv)
    if args.real:
        from devtools.evaluate_real import run
        return run(args.real, details=args.details, json_path=args.json)
    if args.bench:
        b = bench(args.bench, args.gold_share)
        print(f"extract_events: {args.bench} texts, {b['chars']:,.0f} characters and {b['events']:.1f} events "
              f"per text: {b['wall']:,.0f} articles/s (wall clock), {b['cpu']:,.0f} articles/s (CPU time); "
              f"load average {b['load']:.2f} on {os.cpu_count()} CPUs")
        return 0
    texts = load_gold()
    seed = [] if args.no_seed else load_seed()
    res = score(texts + seed)
    n_events = sum(len(t.expected) for t in texts + seed)
    print(f"gold: {len(texts)} texts from gold/gold.tsv"
          + (f" + seed article ({len(seed)} texts)" if seed else " (seed article not available)")
          + f", {n_events} expected events")
    print(f"{'':8}{'precision':>10}{'recall':>8}{'F1':>7}   tp/pred/gold")
    for k in ("pairs", "dates", "quad"):
        r = res[k]
        print(f"{k:8}{r['p']:10.3f}{r['r']:8.3f}{r['f1']:7.3f}   {r['tp']}/{r['pred']}/{r['gold']}")
    print(f"actor1 right on found (pair, QuadClass): {res['actor1']:.3f}")
    if args.details:
        for tid, k, v in res["misses"]:
            print(f"  miss  {tid:8} {k:6} {v}")
        for tid, k, v in res["extras"]:
            print(f"  extra {tid:8} {k:6} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
