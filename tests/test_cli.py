"""The command line: import, articles (table/csv/json), and the README documents every command and option."""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys

from dashboard.queries import articles as art
from dashboard.cli import build_parser, main
from dashboard.queries.filters import Filter
from dashboard.store import open_store

from conftest import FIXTURES, ROOT


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_seed_twice(capsys, tmp_path, seed_path):
    db = str(tmp_path / "x.db")
    code, out, _ = run(capsys, "import", str(seed_path), "--db", db)
    assert code == 0
    assert "imported 2 records, 0 duplicates, 0 failed rows, 0 failed files, 0 files skipped as already imported; 1 link" in out
    code, out, _ = run(capsys, "import", str(seed_path), "--db", db)
    assert code == 0
    assert "imported 0 records, 0 duplicates, 0 failed rows, 0 failed files, 1 file skipped as already imported" in out


def test_articles_csv_pair_and_query_on_seed(capsys, seed_db_path):
    code, out, _ = run(capsys, "articles", "--db", str(seed_db_path), "--pair", "BLR-RUS", "--query", "Iskander", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    assert rows[0]["title"] == "Minsk’s attempt to benefit from the conflict between Moscow and Washington failed"
    assert rows[0]["published_at"] == "2016-04-22 17:51"
    assert out.startswith("id,published_at,title,actors,url,source,section,is_stub,language,score,matched_via,snippet\r\n")
    assert rows[0]["matched_via"] == "body: Iskander ×2; pair: about BLR-RUS, salience 11.0"
    code, out, _ = run(capsys, "articles", "--db", str(seed_db_path), "--pair", "BLR-POL", "--format", "json")
    rows = json.loads(out)
    assert [r["title"] for r in rows] == ["Minsk hopes Warsaw would revise decision regarding ban on electricity supply from Belarusian NPP"]
    assert rows[0]["is_stub"] == 1


def test_articles_json_has_the_csv_columns(capsys, fixture_store_path):
    _, out_json, _ = run(capsys, "articles", "--db", str(fixture_store_path), "--format", "json")
    _, out_csv, _ = run(capsys, "articles", "--db", str(fixture_store_path), "--format", "csv")
    rows = json.loads(out_json)
    header = out_csv.splitlines()[0].split(",")
    assert list(rows[0]) == header
    assert len(rows) == len(list(csv.DictReader(io.StringIO(out_csv))))


def test_csv_bom_only_when_asked(capsys, fixture_store_path):
    _, plain, _ = run(capsys, "articles", "--db", str(fixture_store_path), "--format", "csv", "--limit", "1")
    _, bom, _ = run(capsys, "articles", "--db", str(fixture_store_path), "--format", "csv", "--limit", "1", "--bom")
    assert not plain.startswith("\ufeff") and bom.startswith("\ufeff")


def test_bad_pair_is_a_clear_error(capsys, fixture_store_path):
    code, _, err = run(capsys, "articles", "--db", str(fixture_store_path), "--pair", "Belarus")
    assert code == 2 and "pair must be two different actor codes" in err


def test_not_a_store_is_a_clear_error(capsys, tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("this is not sqlite" * 100)
    code, _, err = run(capsys, "articles", "--db", str(bad))
    assert code == 2 and "not a usable SQLite store" in err and "Traceback" not in err


def test_import_exit_status_is_1_after_good_files_land(capsys, tmp_path):
    db = str(tmp_path / "y.db")
    code, out, _ = run(capsys, "import", str(FIXTURES / "bad" / "no_date.txt"), str(FIXTURES / "pages" / "astravets.txt"), "--db", db)
    assert code == 1
    assert "no_date.txt: line 3, field published_at" in out
    code, out, _ = run(capsys, "articles", "--db", db, "--format", "json")
    assert len(json.loads(out)) == 1


def test_python_m_dashboard_runs(tmp_path):
    r = subprocess.run([sys.executable, "-m", "dashboard", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and "import" in r.stdout


def test_listing_commands_start_without_pandas_or_numpy(fixture_store_path):
    # sqlite-utils would load both (0.3 s of every call) only to convert their values
    code = ("import runpy, sys; sys.argv = ['dashboard', 'articles', '--db', sys.argv[1], '--limit', '1']\n"
            "try:\n    runpy.run_module('dashboard', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print('LOADED', 'pandas' in sys.modules, 'numpy' in sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, str(fixture_store_path)], capture_output=True, text=True, cwd=ROOT)
    assert "LOADED False False" in r.stderr
    assert r.stdout.splitlines()[0].startswith("id")


def _commands_and_options():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        opts = [s for a in p._actions for s in a.option_strings if s.startswith("--") and s != "--help"]
        yield name, opts


def _readme_sections(readme: str) -> dict[str, str]:
    """command → its entry in the README's "Command-line reference" (one bullet line each)."""
    ref = readme.split("## Command-line reference", 1)[-1].split("\n## ", 1)[0]
    return {m[1]: m[0] for m in re.finditer(r"^- `python -m dashboard (\w+)\b.*$", ref, re.M)}


def _undocumented(readme: str) -> list[str]:
    """Each command without its own entry, and each option missing from its command's entry."""
    sections = _readme_sections(readme)
    missing = []
    for name, opts in _commands_and_options():
        section = sections.get(name)
        if section is None:
            missing.append(f"{name} (no entry)")
            continue
        # whole option names: --pair must not be found inside --pair-only
        missing += [f"{name} {o}" for o in opts if not re.search(re.escape(o) + r"(?![\w-])", section)]
    return missing


def test_every_cli_command_and_option_is_documented_in_readme():
    assert _undocumented((ROOT / "README.md").read_text(encoding="utf-8")) == []


def test_readme_check_finds_an_option_documented_only_under_another_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = _readme_sections(readme)["duplicates"]
    assert "--threshold" in section
    # --threshold still appears in the README (in a copy moved to the end), but not in its command's entry
    moved = readme.replace(section, section.replace("--threshold", "--limit")) + "\n`--threshold N`\n"
    assert _undocumented(moved) == ["duplicates --threshold"]
    import_entry = _readme_sections(readme)["import"]
    assert _undocumented(readme.replace(import_entry, import_entry.replace("--pair-only", ""))) == ["import --pair-only"]
    assert _undocumented(readme.replace("- `python -m dashboard serve", "- `python -m dashboard_serve")) == ["serve (no entry)"]


def test_cli_import_interrupted_says_how_to_resume(capsys, tmp_path, monkeypatch):
    import dashboard.ingest as ingest

    def interrupted(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr(ingest, "import_paths", interrupted)
    code = main(["import", str(tmp_path), "--db", str(tmp_path / "x.db")])
    err = capsys.readouterr().err
    assert code == 130
    assert "import interrupted" in err and "run the same command again to resume" in err
    assert "Traceback" not in err


def test_cli_articles_order(capsys, fixture_store_path):
    rows = {}
    for order in ("date", "oldest", "rank"):
        assert main(["articles", "--db", str(fixture_store_path), "--order", order, "--pair", "BLR-RUS",
                     "--query", "Lukashenka", "--format", "json"]) == 0
        rows[order] = [r["id"] for r in json.loads(capsys.readouterr().out)]
    assert len(rows["date"]) >= 2 and sorted(rows["date"]) == sorted(rows["oldest"]) == sorted(rows["rank"])
    assert rows["oldest"] == rows["date"][::-1]
    f = Filter.build(pair="BLR-RUS", query="Lukashenka")
    db = open_store(fixture_store_path)
    assert rows["rank"] == [r["id"] for r in art.list_articles(db, f, limit=100)]
