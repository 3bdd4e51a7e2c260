"""`python -m dashboard …`: the command line, calling the same library functions as the pages.

Every command and option here is documented in the README (a test checks it).
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path

from dashboard.queries import articles as art
from dashboard.queries.export import write_csv
from dashboard.knowledge.countries import is_actor_code
from dashboard.queries.filters import MAX_ID, Filter, parse_day, parse_id
from dashboard.store import PROJECT_ROOT, StoreError, check_writable, default_path, is_url, open_store
from dashboard.store.postgres import shown_url


class _Parser(argparse.ArgumentParser):
    """argparse with one line on stderr for a bad argument (its usage block buried the reason)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _int_in(lo: int, hi: int = MAX_ID):
    """An argparse type: a whole number lo … hi (hi defaults to SQLite's largest integer, so that
    no value can overflow a query)."""
    def whole_number(text: str) -> int:
        value = text.strip()
        digits = value[1:] if value[:1] in "+-" else value
        if not (digits.isascii() and digits.isdigit()) or not lo <= int(value) <= hi:
            shown = value if len(value) <= 30 else value[:30] + "…"
            raise argparse.ArgumentTypeError(f"must be a whole number from {lo} to {hi}, got {shown!r}")
        return int(value)
    return whole_number


def _article_id(text: str) -> int:
    try:
        return parse_id(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _address_list(text: str) -> list[str]:
    """--trusted-proxy: 'loopback' or IP addresses / networks, comma-separated."""
    import ipaddress
    out = [t.strip() for t in text.split(",") if t.strip()]
    for t in out:
        if t != "loopback":
            try:
                ipaddress.ip_network(t, strict=False)
            except ValueError:
                raise argparse.ArgumentTypeError(f"not an IP address or network: {t[:40]!r}") from None
    if not out:
        raise argparse.ArgumentTypeError("give at least one address, or 'loopback'")
    return out


def _view_id(text: str) -> int:
    try:
        return parse_id(text, "view id")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _db(args, *, write: bool = False, postgres: bool = False):
    """The store of --db; `write`: refuse at once, in one line, a store opened read-only (and a PostgreSQL
    store, unless `postgres`: the writes of import, reextract and duplicates run on SQLite). A command that
    only reads refuses a store that does not exist (a mistyped --db must not create folders and an empty
    store that then answers "0 of 0")."""
    path = args.db or default_path()
    if is_url(path):
        # a PostgreSQL store (issue #20): read by every query command; written only through `migrate` so far
        if write and not postgres:
            raise StoreError(f"{shown_url(path)}: this command writes, and a PostgreSQL store is written only by "
                             "`python -m dashboard migrate` in this version: run it on a SQLite store, then migrate")
        return open_store(path)
    if not write and not Path(path).exists():
        raise StoreError(f"no store at {path}: check --db (or $DASHBOARD_DB); 'python -m dashboard demo' builds "
                         "the demo store there, 'python -m dashboard import FILES' creates one from your files")
    db = open_store(path)
    if write:
        check_writable(db)
    return db


def _limit(args) -> int | None:
    """--limit, else 20 rows for a table on a terminal and every row for csv and json."""
    return args.limit if args.limit is not None else (20 if args.format == "table" else None)


def _add_db(p):
    p.add_argument("--db", help="store file, or a postgresql://… URL of a store copied there by `migrate` "
                                "(default: $DASHBOARD_DB, else data/relations.db)")


def _add_filter(p):
    p.add_argument("--pair", help="country pair, e.g. BLR-RUS (order does not matter)")
    p.add_argument("--query", "-q", default="", help="keyword query (see README: Keyword queries)")
    p.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD (inclusive)")
    p.add_argument("--no-variants", action="store_true", help="match the words as typed, without spelling variants")
    _add_language(p)


def _add_language(p):
    p.add_argument("--language", choices=["en", "ru", "other"],
                   help="only articles detected as English, Russian or another language (events: those extracted from them)")


def _check_range(args) -> None:
    """Name the option of a bad date; a reversed range is a mistake on a command line (the pages
    swap it, with a notice)."""
    days = []
    for option, value in (("--from", args.date_from), ("--to", args.date_to)):
        try:
            days.append(parse_day(value))
        except ValueError as exc:
            raise ValueError(f"{option}: {exc}") from None
    if days[0] and days[1] and days[0] > days[1]:
        raise ValueError(f"--from {days[0]} is after --to {days[1]}")


def _add_any_mention(p):
    p.add_argument("--any-mention", action="store_true",
                   help="with --pair, count every article naming both countries, not only the articles about the pair")


def _filter(args) -> Filter:
    _check_range(args)
    return Filter.build(pair=args.pair, date_from=args.date_from, date_to=args.date_to,
                        query=args.query, variants=not args.no_variants,
                        any_mention=getattr(args, "any_mention", False), language=args.language)


def _add_output(p, formats=("table", "csv", "json")):
    p.add_argument("--format", choices=formats, default=formats[0], help="output format")
    p.add_argument("--limit", type=_int_in(0), help="at most N rows (csv and json print every row unless given)")
    p.add_argument("--bom", action="store_true", help="start CSV output with a UTF-8 BOM (for Excel)")


def emit(rows, columns, fmt: str, *, bom: bool = False, out=None) -> int:
    """Print rows as an aligned table, CSV (through export.write_csv) or one JSON array."""
    out = out or sys.stdout
    if fmt == "csv":
        return write_csv(rows, columns, out, bom=bom)
    if fmt == "json":
        rows = list(rows)
        json.dump([{c: r.get(c) for c in columns} for r in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
        return len(rows)
    rows = list(rows)
    cells = [[("" if r.get(c) is None else str(r.get(c))).replace("\n", " ")[:70] for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip() + "\n")
    for row in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() + "\n")
    return len(rows)


def cmd_import(args) -> int:
    from dashboard.ingest import import_paths
    import time
    db = _db(args, write=True)
    countries = [c.strip().upper() for c in (args.countries or "").split(",") if c.strip()] or None
    tty = sys.stderr.isatty()
    state = {"label": "", "t0": time.monotonic()}

    def progress(i, n, path):
        state["label"] = f"[{i + 1}/{n}] {path[-50:]}" if path else ""
        state["t0"] = time.monotonic()
        if path and tty:
            print(f"\r{state['label']:60}", end="", file=sys.stderr, flush=True)

    def on_rows(path, rows, fraction):
        # A progress line for long event tables: rows read, rows/s and the time left (from bytes read).
        elapsed = time.monotonic() - state["t0"]
        if not tty or rows < 10_000 or elapsed <= 0:
            return
        line = f"{state['label']}  {rows:,} rows, {rows / elapsed:,.0f} rows/s"
        if fraction:
            left = elapsed * (1 - fraction) / fraction
            line += f", {fraction:.0%}, ETA {int(left) // 60}:{int(left) % 60:02d}"
        print(f"\r{line:90}", end="", file=sys.stderr, flush=True)

    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    from dashboard.app.auth import local_name
    from dashboard.store import last_import_id, sign_imports
    before = last_import_id(db)
    try:
        report = import_paths(db, args.paths, force=args.force, progress=progress, countries=countries,
                              workers=workers, pair_only=args.pair_only, on_rows=on_rows,
                              max_unpacked=args.max_unpacked)
    except KeyboardInterrupt:
        print(("\n" if tty else "") + "import interrupted: files and event batches committed so far are kept; "
              "run the same command again to resume (nothing is imported twice)", file=sys.stderr)
        return 130
    finally:
        sign_imports(db, before, local_name())   # the command line runs as the local admin
    if tty:
        print(file=sys.stderr)
    print(report.summary())
    _keep_store_answers(db, report, tty)
    return report.exit_code


def _keep_store_answers(db, report, tty: bool) -> None:
    """After an import that changed the store: the pages' store-wide answers, computed now (queries.totals)."""
    t = report.totals()
    if not any(t[k] for k in ("imported", "events", "links", "updated", "deleted")) or getattr(db, "readonly", False):
        return
    from dashboard.queries.totals import keep_store_answers
    if tty:
        print("computing the store's totals for the pages …", end="", file=sys.stderr, flush=True)
    keep_store_answers(db)
    if tty:
        print("\r" + " " * 60 + "\r", end="", file=sys.stderr, flush=True)


def _known_pair(db, f: Filter) -> Filter:
    """``f``, after checking that each code of its pair names something: a typo ("BLX-RUS")
    is an error that says so, not an empty table."""
    for code in f.pair or ():
        if not is_actor_code(code) and code not in art.actor_counts(db):
            raise ValueError(f"--pair: unknown actor code {code} (not an ISO 3166-1 alpha-3 code, EU or NATO, "
                             "and no article or event in the store names it)")
    return f


def cmd_articles(args) -> int:
    db = _db(args)
    f = _known_pair(db, _filter(args))
    limit = _limit(args)
    from dashboard.queries.search import parse_query
    q = parse_query(f.query, variants=f.variants, db=db)
    for line in q.notices:
        print(f"note: {line}", file=sys.stderr)
    if f.query:
        print(f"query read as: {q.reading}", file=sys.stderr)
        for word, vs in q.also_matched.items():
            print(f"also matched for {word}: {', '.join(vs)}", file=sys.stderr)
    rows = art.iter_articles(db, f, limit=limit, order=args.order)
    n = emit(rows, art.EXPORT_COLUMNS, args.format, bom=args.bom)
    if args.format == "table":
        total = art.count_articles(db, f)
        print(f"{n} of {total} articles", file=sys.stderr)
    return 0


def cmd_generate(args) -> int:
    from devtools.generate import generate
    import time
    t = time.perf_counter()
    m = generate(args.articles, args.events, args.seed, Path(args.out))
    print(f"wrote {args.articles} articles (pages/ and articles.jsonl, {len(m['near_duplicates'])} near-duplicates) "
          f"and {args.events} GDELT rows (gdelt.export.CSV) to {args.out} in {time.perf_counter() - t:.1f} s")
    return 0


def cmd_bench(args) -> int:
    from devtools import bench
    res = bench.run(size=args.size, events_per_article=args.events_per_article, queries=args.queries,
                    seed=args.seed, workdir=args.workdir, keep=args.keep, skip_naive=args.skip_naive,
                    skip_apptest=args.skip_apptest, results_dir=args.results_dir)
    print(bench.markdown(res))
    print(f"\nresults: {res['results_file']}")
    return 0


def cmd_similar(args) -> int:
    from dashboard.queries import similar
    db = _db(args)
    limit = args.limit if args.limit is not None else 10
    if args.article is not None:
        rows = similar.more_like_this(db, args.article, limit=limit)
        columns = similar.MORE_LIKE_THIS_COLUMNS
    else:
        if not similar.normalise(args.text):
            raise ValueError("--text has no words to look up")
        rows = similar.lookup(db, args.text, limit=limit)
        columns = similar.SIMILAR_COLUMNS
    if args.format != "json":
        rows = [{**r, "shared_terms": ", ".join(r["shared_terms"])} for r in rows]
    n = emit(rows, columns, args.format, bom=args.bom)
    if args.format == "table":
        print(f"{n} similar articles (score 0-100)", file=sys.stderr)
    return 0


def cmd_duplicates(args) -> int:
    import time
    from dashboard.queries import similar
    if not 0 <= args.threshold <= 100:
        raise ValueError("--threshold must be between 0 and 100")
    db = _db(args, write=True)
    t0 = time.perf_counter()
    try:
        report = similar.update_near_duplicates(db, args.threshold, whole=args.all)
    except sqlite3.OperationalError as exc:
        print(f"error: cannot store the near_duplicate links ({exc})", file=sys.stderr)
        return 2
    groups = similar.stored_near_duplicates(db)
    links = sum(len(g) for g in groups) and db.conn.execute(
        "SELECT count(*) FROM article_links WHERE kind = 'near_duplicate'").fetchone()[0]
    rows = [d for g in groups for d in g]
    if args.limit is not None:
        rows = rows[:args.limit]
    emit(rows, similar.DUPLICATE_COLUMNS, args.format, bom=args.bom)
    how = (f"whole store ({report.reason}), {report.compared} articles keyed" if report.whole
           else f"incremental: {report.compared} new or changed articles compared with the store")
    print(f"{len(groups)} near-duplicate groups ({sum(map(len, groups))} articles); "
          f"{links} near_duplicate links stored (threshold {args.threshold:g}; {how}) "
          f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


def serve_decision(args) -> tuple[str | None, str]:
    """(why serve must not start — None when it may —, the sign-in mode) for serve's arguments: an address
    beyond loopback needs sign-in or a proxy, and their configuration must be complete (auth.serve_problem)."""
    from dashboard.app import auth
    try:
        secrets = auth.read_secrets()
    except ValueError as exc:
        return str(exc), "none"
    mode = args.auth or auth.default_mode(secrets)
    return auth.serve_problem(args.host, mode, secrets), mode


def cmd_serve(args) -> int:
    from dashboard.app import auth
    problem, mode = serve_decision(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    env = dict(os.environ)
    env.update(auth.serve_env(mode, args.proxy_header, args.trusted_proxy))
    if args.db:
        env["DASHBOARD_DB"] = args.db if is_url(args.db) else str(Path(args.db).resolve())
    store = env.get("DASHBOARD_DB") or f"{default_path()} (the demo store, built on first launch if missing)"
    store = shown_url(store) if is_url(store) else store
    ports = list(range(args.port, args.port + args.workers))
    if ports[-1] > 65535:
        print(f"error: --workers {args.workers} from --port {args.port} goes past port 65535", file=sys.stderr)
        return 2
    cmds = [[sys.executable, "-m", "dashboard.app.launch", str(PROJECT_ROOT / "streamlit_app.py"),
             "--server.address", args.host, "--server.port", str(port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false",
             # our banner names the address: Streamlit's own, for 0.0.0.0, asks checkip.amazonaws.com for
             # the machine's external address, and nothing is fetched from outside the machine
             "--logger.hideWelcomeMessage", "true"]
            # a team's processes do not watch the source files (a restart applies an upgrade): 5 % of a page run's CPU
            + (["--server.fileWatcherType", "none"] if args.workers > 1 else []) for port in ports]
    signin = {"none": "no sign-in: you are the local admin", "oidc": "sign-in: OpenID Connect (secrets.toml [auth])",
              "proxy": f"sign-in: the proxy's {args.proxy_header} header from {', '.join(args.trusted_proxy)}"}[mode]
    where = f"http://{args.host}:{args.port}" + (f"-{ports[-1]} ({args.workers} processes)" if args.workers > 1 else "")
    print(f"Relations Dashboard on {where}  (store: {store}; {signin})", file=sys.stderr, flush=True)
    os.chdir(PROJECT_ROOT)
    if args.workers > 1:
        from dashboard.app import workers
        try:
            workers.prepare_store(env)
        except StoreError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return workers.run(cmds, env, str(PROJECT_ROOT))
    cmd = cmds[0]
    # Become the server process, so that stopping this command stops the server with it.
    os.execve(sys.executable, cmd, env)


def cmd_demo(args) -> int:
    from dashboard.ingest.demo import build_demo_store
    path = Path(args.db) if args.db else default_path()
    from dashboard.ingest.demo import needs_demo
    if not needs_demo(path) and not args.force:
        print(f"{path} already holds articles; use --force to rebuild it", file=sys.stderr)
        return 1
    report = build_demo_store(path)
    print(report.summary())
    return report.exit_code


def cmd_migrate(args) -> int:
    from dashboard.store.transfer import migrate, upgrade
    if args.upgrade:
        if args.source or args.target or args.replace:
            raise ValueError("--upgrade URL works in place: give it alone, without --from, --to or --replace")
        if not is_url(args.upgrade):
            raise ValueError("--upgrade takes a postgresql:// URL: a SQLite store is upgraded when it is opened")
        report = upgrade(args.upgrade)
        print("\n".join(report.lines()))
        return 0 if report.ok else 1
    if not (args.source and args.target):
        raise ValueError("give --from STORE and --to STORE (or --upgrade URL)")
    report = migrate(args.source, args.target, replace=args.replace)
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


def _event_filter(args) -> Filter:
    _check_range(args)
    if args.direction and not args.pair:
        # ab/ba name the pair's first and second code: without a pair they would be silently ignored
        raise ValueError("--direction needs --pair (ab: the pair's first code acts on the second), e.g. "
                         "--pair BLR-RUS --direction ab")
    return Filter.build(pair=args.pair, date_from=args.date_from, date_to=args.date_to, query=args.query,
                        variants=not args.no_variants, sources=args.source or (), quad=args.quad or (),
                        direction=args.direction, hide_uncertain=args.hide_uncertain,
                        any_mention=getattr(args, "any_mention", False), language=args.language)


def cmd_events(args) -> int:
    from dashboard.queries import events as ev
    db = _db(args)
    f = _known_pair(db, _event_filter(args))
    limit = _limit(args)
    rows = ev.iter_events_and_notes(db, f) if args.notes else ev.iter_events(db, f, limit=limit)
    if args.notes and limit is not None:
        import itertools
        rows = itertools.islice(rows, limit)
    n = emit(rows, ev.EVENT_COLUMNS, args.format, bom=args.bom)
    if args.format == "table":
        print(f"{n} of {ev.count_events(db, f)} events", file=sys.stderr)
    return 0


def cmd_timeline(args) -> int:
    from dashboard.queries import timeline as tl
    db = _db(args)
    f = _known_pair(db, _event_filter(args))
    if args.compare:
        if args.by_source:
            raise ValueError("--compare and --by-source cannot be combined: give one of them")
        if not f.pair:
            raise ValueError("--compare needs --pair (the pair to compare with), e.g. --pair BLR-RUS --compare BLR-EU")
        try:
            other = _known_pair(db, Filter.build(pair=args.compare)).pair
        except ValueError as exc:
            raise ValueError(f"--compare: {str(exc).removeprefix('--pair: ')}") from None
        if other == f.pair:
            raise ValueError(f"--compare: give a pair other than --pair {args.compare}")
        if f.direction:
            print("note: --direction does not apply to a comparison: both directions of each pair are counted",
                  file=sys.stderr)
        period, rows = tl.timeline_compare(db, f, other, args.period)
        columns = tl.COMPARE_COLUMNS
    elif args.by_source:
        period, rows = tl.timeline_by_source(db, f, args.period)
        columns = tl.SOURCE_COLUMNS
    else:
        period, rows = tl.timeline(db, f, args.period)
        columns = tl.TIMELINE_COLUMNS
    print(f"period: {period}", file=sys.stderr)
    emit(rows, columns, args.format, bom=args.bom)
    return 0


def cmd_pairs(args) -> int:
    from dashboard.queries import pairs
    db = _db(args)
    _check_range(args)
    f = Filter.build(date_from=args.date_from, date_to=args.date_to, query=args.query, variants=not args.no_variants,
                     sources=args.source or (), quad=args.quad or (), hide_uncertain=args.hide_uncertain,
                     any_mention=args.any_mention, language=args.language)
    limit = _limit(args)
    rows = pairs.pair_rows(db, f)
    emit(rows if limit is None else rows[:limit], pairs.PAIR_COLUMNS, args.format, bom=args.bom)
    if args.format == "table":
        print(f"{min(len(rows), limit)} of {len(rows)} pairs", file=sys.stderr)
    return 0


def cmd_places(args) -> int:
    from dashboard.queries import places
    db = _db(args)
    f = _known_pair(db, _event_filter(args))
    limit = _limit(args)
    rows, total, without = places.place_rows(db, f, limit=limit)
    emit(rows, places.PLACE_COLUMNS, args.format, bom=args.bom)
    if args.format == "table":
        print(f"{len(rows)} of {total} places; {without} matching events without a location", file=sys.stderr)
    return 0


def cmd_explain(args) -> int:
    from dashboard.queries import explain
    db = _db(args)
    f = _known_pair(db, _event_filter(args))
    try:
        first, last = parse_day(args.first), parse_day(args.last or args.first)
    except ValueError as exc:
        raise ValueError(f"--first/--last: {exc}") from None
    x = explain.explain_period(db, f, first, last, limit=args.limit)
    print(explain.summary(x), file=sys.stderr)
    emit(explain.explain_rows(x), explain.EXPLAIN_COLUMNS, args.format, bom=args.bom)
    return 0


def cmd_views(args) -> int:
    from dashboard.queries import views
    if args.delete is not None:
        db = _db(args, write=True, postgres=True)   # deleting a saved view: plain SQL, both engines
        if not views.delete_view(db, args.delete):
            print(f"error: no saved view has id {args.delete}", file=sys.stderr)
            return 1
        print(f"deleted saved view {args.delete}", file=sys.stderr)
        return 0
    rows = views.list_views(_db(args))
    emit(rows, views.VIEW_COLUMNS, args.format)
    if args.format == "table":
        print(f"{len(rows)} saved view{'' if len(rows) == 1 else 's'} (open one: the dashboard's address + its url)",
              file=sys.stderr)
    return 0


def cmd_reextract(args) -> int:
    from dashboard.ingest.reextract import reextract
    articles, events = reextract(_db(args, write=True))
    print(f"re-extracted {articles} articles: {events} events (analyst edits re-applied)")
    return 0


def _add_event_filter(p):
    _add_filter(p)
    p.add_argument("--source", help="event sources, comma-separated: extracted,gdelt,acled,icews,polecat,manual")
    p.add_argument("--quad", help="QuadClass values, comma-separated: 1,2,3,4")
    p.add_argument("--direction", choices=["ab", "ba"], help="only events where the pair's first (ab) or second (ba) code acts")
    p.add_argument("--hide-uncertain", action="store_true", help="drop events with an inferred year or low confidence")


def _size_arg(text: str) -> int:
    from dashboard.ingest.archive import parse_size
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_import_command(sub) -> None:
    """The `import` subcommand."""
    s = sub.add_parser("import", help="import files or folders into the store")
    s.add_argument("paths", nargs="+", help="files or folders (recursive)")
    s.add_argument("--force", action="store_true", help="re-read files already imported (same sha256)")
    s.add_argument("--countries", metavar="BLR,RUS,POL",
                   help="keep only events whose two actors are both in this comma-separated list of codes")
    s.add_argument("--pair-only", action="store_true",
                   help="keep only events with two distinct country actors (ISO alpha-3, EU or NATO)")
    s.add_argument("--workers", type=_int_in(1, 64), help="processes that analyse articles (actors, events) of large files, and a "
                   "parser process for event tables; default: the number of CPUs, 1 = no extra processes")
    s.add_argument("--max-unpacked", type=_size_arg, metavar="SIZE",
                   help="the most a .zip (with the archives inside it) may unpack, e.g. 2GiB, 500MB or bytes; "
                        "default: $DASHBOARD_MAX_UNPACKED, else 1GiB")
    _add_db(s)
    s.set_defaults(func=cmd_import)


def _add_query_commands(sub) -> None:
    """`articles`, `events` and `timeline`: the store read through a Filter, as the pages read it."""
    s = sub.add_parser("articles", help="list articles matching filters")
    _add_filter(s)
    s.add_argument("--order", choices=["auto", "date", "oldest", "rank", "salience"], default="auto",
                   help="auto (default, as the Articles page and its CSV: best match first with a keyword, else most "
                        "about the pair with --pair, else newest first), newest first, oldest first, by BM25 rank of "
                        "the keyword query, or with --pair most about the pair first")
    _add_any_mention(s)
    _add_output(s)
    _add_db(s)
    s.set_defaults(func=cmd_articles)

    s = sub.add_parser("events", help="list events matching filters")
    _add_event_filter(s)
    s.add_argument("--notes", action="store_true",
                   help="with --pair: add the notes pinned to the pair's timeline as rows (source 'note'), as the pages' CSV does")
    _add_output(s)
    _add_db(s)
    s.set_defaults(func=cmd_events)

    s = sub.add_parser("pairs", help="per pair of actors: events by QuadClass, mean Goldstein, articles (the Pairs page)")
    s.add_argument("--query", "-q", default="", help="keyword query: events whose article matches (see README: Keyword queries)")
    s.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD (inclusive)")
    s.add_argument("--no-variants", action="store_true", help="match the words as typed, without spelling variants")
    s.add_argument("--source", help="event sources, comma-separated: extracted,gdelt,acled,icews,polecat,manual")
    s.add_argument("--quad", help="QuadClass values, comma-separated: 1,2,3,4")
    s.add_argument("--hide-uncertain", action="store_true", help="drop events with an inferred year or low confidence")
    s.add_argument("--any-mention", action="store_true",
                   help="count every article naming both countries, not only the articles about the pair")
    _add_language(s)
    _add_output(s)
    _add_db(s)
    s.set_defaults(func=cmd_pairs)

    s = sub.add_parser("places", help="where the filtered events happen: one row per 0.1° place (the Map page)")
    _add_event_filter(s)
    _add_output(s)
    _add_db(s)
    s.set_defaults(func=cmd_places)

    s = sub.add_parser("explain", help="what happened in a period: its top event types, actors and words against the usual")
    _add_event_filter(s)
    _add_any_mention(s)
    s.add_argument("--first", required=True, help="the period's first day, YYYY-MM-DD")
    s.add_argument("--last", help="the period's last day, YYYY-MM-DD (default: --first)")
    s.add_argument("--limit", type=_int_in(1, 1000), default=5, help="rows of each kind (default 5)")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    s.add_argument("--bom", action="store_true", help="start CSV output with a UTF-8 BOM (for Excel)")
    _add_db(s)
    s.set_defaults(func=cmd_explain)

    s = sub.add_parser("timeline", help="events per period for a pair, as the chart draws them")
    _add_event_filter(s)
    s.add_argument("--period", default="auto", choices=["auto", "day", "week", "month", "quarter", "year"],
                   help="bucket size (default: chosen from the date span)")
    s.add_argument("--by-source", action="store_true", help="one row per period and source (events, mean Goldstein, mean AvgTone)")
    s.add_argument("--compare", metavar="C-D",
                   help="with --pair: one row per period and pair for --pair and this pair, by the same period and "
                        "filters (--direction does not apply)")
    _add_any_mention(s)
    s.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    s.add_argument("--bom", action="store_true", help="start CSV output with a UTF-8 BOM (for Excel)")
    _add_db(s)
    s.set_defaults(func=cmd_timeline)


def _add_corpus_commands(sub) -> None:
    """`reextract`, `generate` and `bench`: recompute the store or make a synthetic corpus."""
    s = sub.add_parser("reextract", help="recompute actors and extracted events of every article (edits survive)")
    _add_db(s)
    s.set_defaults(func=cmd_reextract)

    s = sub.add_parser("generate", help="write a synthetic corpus (pages, JSONL, GDELT rows) for benchmarks and tests")
    s.add_argument("--articles", type=_int_in(0), default=1000, help="number of articles (default 1000)")
    s.add_argument("--events", type=_int_in(0), default=10000, help="number of GDELT 2.0 event rows (default 10000)")
    s.add_argument("--seed", type=int, default=1, help="random seed: the same seed writes the same bytes (default 1)")
    s.add_argument("--out", required=True, help="output folder (pages/, articles.jsonl, gdelt.export.CSV, manifest.json)")
    s.set_defaults(func=cmd_generate)

    s = sub.add_parser("bench", help="benchmark import, queries and pages on a synthetic corpus (see BENCHMARKS.md)")
    s.add_argument("--size", type=_int_in(1), default=100_000, help="number of articles (default 100000)")
    s.add_argument("--events-per-article", type=_int_in(0), default=10, help="GDELT rows per article (default 10)")
    s.add_argument("--queries", type=_int_in(1), default=200, help="number of analyst queries (default 200)")
    s.add_argument("--seed", type=int, default=1, help="random seed of the corpus and the queries (default 1)")
    s.add_argument("--workdir", help="folder for the cached corpus and the store (default $TMPDIR/relations-bench)")
    s.add_argument("--keep", action="store_true", help="keep the benchmark store in the work folder")
    s.add_argument("--skip-naive", action="store_true", help="skip the naive pandas/rapidfuzz comparison")
    s.add_argument("--skip-apptest", action="store_true", help="skip the Streamlit AppTest page runs (time and RSS)")
    s.add_argument("--results-dir", help="where to write <date>-<size>.json (default benchmarks/results)")
    s.set_defaults(func=cmd_bench)


def _add_lookup_commands(sub) -> None:
    """`similar` and `duplicates`: articles compared with other articles or a text."""
    s = sub.add_parser("similar", help="articles like one article (--article) or like a pasted text (--text)")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--article", type=_article_id, metavar="ID", help="more like this article id")
    g.add_argument("--text", metavar="TEXT", help="a title or a paragraph to look up (typos and word order tolerated)")
    _add_output(s)
    _add_db(s)
    s.set_defaults(func=cmd_similar)

    s = sub.add_parser("duplicates", help="find near-duplicate articles and store them as near_duplicate links")
    s.add_argument("--threshold", type=float, default=90, help="minimum pair score 0-100 (default 90)")
    s.add_argument("--all", action="store_true",
                   help="compare every article with every other (default: only the articles imported, changed "
                        "or deleted since the last pass, compared with the store)")
    _add_output(s)
    _add_db(s)
    s.set_defaults(func=cmd_duplicates)


def _add_app_commands(sub) -> None:
    """`views`, `serve`, `migrate` and `demo`: saved views, the Streamlit dashboard, moving a store, the demo store."""
    s = sub.add_parser("views", help="list the saved views (the Overview's list), or delete one")
    s.add_argument("--delete", type=_view_id, metavar="ID", help="delete the saved view with this id")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    _add_db(s)
    s.set_defaults(func=cmd_views)

    s = sub.add_parser("serve", help="launch the dashboard (Streamlit) on localhost")
    s.add_argument("--port", type=_int_in(1, 65535), default=8501, help="port (default 8501)")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1); any other than loopback needs --auth oidc or proxy")
    s.add_argument("--auth", choices=["none", "oidc", "proxy"],
                   help="who signs users in: none (loopback only), oidc (.streamlit/secrets.toml [auth]) or proxy "
                        "(a reverse proxy's header); default oidc when secrets.toml has [auth], else none")
    s.add_argument("--proxy-header", default="X-Forwarded-User", metavar="NAME",
                   help="with --auth proxy: the request header naming the signed-in user (default X-Forwarded-User)")
    s.add_argument("--trusted-proxy", type=_address_list, default=["loopback"], metavar="ADDR,...",
                   help="with --auth proxy: addresses or networks the proxy connects from (default loopback)")
    s.add_argument("--workers", type=_int_in(1, 64), default=1, metavar="N",
                   help="run N server processes on ports PORT … PORT+N-1, for a reverse proxy in front (default 1)")
    _add_db(s)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("migrate", help="copy a whole store between SQLite and PostgreSQL, verified by counts and checksums")
    s.add_argument("--from", dest="source", metavar="STORE",
                   help="the store to copy: a SQLite file or a postgresql:// URL")
    s.add_argument("--to", dest="target", metavar="STORE",
                   help="where to copy it: a SQLite file or a postgresql:// URL")
    s.add_argument("--replace", action="store_true", help="overwrite a target that already holds a store with rows")
    s.add_argument("--upgrade", metavar="URL",
                   help="bring the PostgreSQL store at URL to this dashboard's schema version, in place and verified")
    s.set_defaults(func=cmd_migrate)

    s = sub.add_parser("demo", help="build the demo store from data/demo")
    s.add_argument("--force", action="store_true", help="rebuild even if the store exists")
    _add_db(s)
    s.set_defaults(func=cmd_demo)


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of `python -m dashboard` with every subcommand."""
    p = _Parser(prog="python -m dashboard", description="Relations Dashboard command line")
    sub = p.add_subparsers(dest="command", required=True)
    # the subcommands are listed in --help in the order they are added
    _add_import_command(sub)
    _add_query_commands(sub)
    _add_corpus_commands(sub)
    _add_lookup_commands(sub)
    _add_app_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status (1 when an import had failures or input was invalid)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as exc:
        # Damage that quick_check did not see (it skips index contents), met by a query.
        print(f"error: {args.db or default_path()}: the store could not be read (SQLite: {exc}); "
              "check it with `sqlite3 STORE 'PRAGMA integrity_check'`", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if not type(exc).__module__.startswith("psycopg"):
            raise
        # PostgreSQL refused a statement (a lost connection, a permission): one line, as for SQLite
        print(f"error: the PostgreSQL store could not be read ({type(exc).__name__}: "
              f"{(str(exc).strip().splitlines() or [''])[0][:200]})", file=sys.stderr)
        return 2
