"""Import every file of ../shared/data into its own scratch store and print what each import
recorded: format, status, rows imported / duplicates / failed, updated and deleted (where the
store has those columns) and the encoding used when not UTF-8.

    python -m devtools.import_shared [--shared ../shared/data] [--python PY] [--tree DIR]

A file's rows read are its imported, duplicate, failed and updated rows. ``--tree`` runs the CLI of another checkout (``PYTHONPATH=DIR``), so one command gives the
before and after columns of a closing note. Skips with a message when the folder is absent.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

_WANTED = ("format", "status", "read", "imported", "duplicates", "failed", "updated", "deleted", "warnings",
           "encoding", "first error")


def import_one(path: Path, python: str, tree: Path, work: Path) -> dict:
    """The imports row of ``path`` imported alone into a new store (the last row for the file)."""
    db = work / "s.db"
    for p in work.glob("s.db*"):
        p.unlink()
    env = dict(os.environ, PYTHONPATH=str(tree))
    run = subprocess.run([python, "-m", "dashboard", "import", "--workers", "1", "--db", str(db), str(path)],
                         cwd=tree, env=env, capture_output=True, text=True, timeout=600)
    if not db.exists():
        return {"status": f"no store (exit {run.returncode})"}
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    row = con.execute("SELECT * FROM imports ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    if row is None:
        return {"status": f"no imports row (exit {run.returncode})"}
    got = {k: row[k] for k in _WANTED if k in row.keys()}
    got["read"] = sum(row[k] or 0 for k in ("imported", "duplicates", "failed", "updated") if k in row.keys())
    if "warnings" in row.keys():
        got["warnings"] = len(json.loads(row["warnings"] or "[]"))
    errors = json.loads(row["errors"] or "[]")
    if errors:
        e = errors[0]
        got["first error"] = (f"line {e.get('line')}, {e.get('field')}: " if isinstance(e, dict) else "") + \
            str(e.get("message") if isinstance(e, dict) else e)[:90].replace("|", "/")
    return got


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--tree", default=".")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    if not shared.is_dir():
        print(f"skipped: {shared} is absent")
        return 0
    tree = Path(args.tree).resolve()
    print("| file | " + " | ".join(_WANTED) + " |")
    print("|---" * (len(_WANTED) + 1) + "|")
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(p for p in shared.rglob("*") if p.is_file() and p.name != "SOURCES.md"):
            got = import_one(path.resolve(), args.python, tree, Path(tmp))
            cells = ["" if got.get(k) is None else str(got.get(k)) for k in _WANTED]
            print(f"| {path.relative_to(shared)} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
