"""Each page's first run after a server start and its warm run, on any store (the bench's page stage alone).

    python -m devtools.page_runs --db STORE [--pair BLR-RUS] [--query sanctions]

Runs every page through Streamlit's AppTest in its own process, exactly as `python -m dashboard bench`
does (devtools.bench.apptest_pages): the first run goes straight to the page with the pair (and on
Articles the keyword) in the URL, then three reruns, whose median is the warm figure. Prints one Markdown
table. Used to measure changes on the 1M benchmark store kept by `bench --keep` without a 75-minute rerun.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from devtools.bench import apptest_pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="the store (a SQLite file)")
    ap.add_argument("--pair", default="BLR-RUS", help="the pair in the pages' URLs (default BLR-RUS)")
    ap.add_argument("--query", default="sanctions", help="the keyword on the Articles page (default sanctions)")
    args = ap.parse_args(argv)
    pair = tuple(args.pair.split("-"))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    pages = apptest_pages(Path(args.db), pair, args.query)
    print("| page | first run after a server start ms | warm run ms | exceptions |\n|---|---|---|---|")
    for name, r in pages.items():
        if "first_ms" in r:
            print(f"| {name} | {r['first_ms']:,.0f} | {r['warm_ms']:,.0f} | {len(r.get('exceptions', []))} |")
        else:
            print(f"| {name} | {r.get('skipped') or r.get('error', '')[-200:]} | | |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
