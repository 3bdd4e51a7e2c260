"""The README's "Team server" section, followed step by step (issue #20, item 6).

Every command line of the section's command blocks is listed in FOLLOWED with how it is followed here:
run as written but for local names (a throw-away PostgreSQL cluster on a Unix socket for db.example.org,
a temporary folder for /srv, free loopback ports), or skipped with the reason. A line added to the
section and not listed here fails the first test. The TOML blocks are checked as the server reads them,
the nginx block is run by a private nginx in front of the section's `serve --workers` command. Parts
skip cleanly where psycopg, the PostgreSQL server binaries, sqlite3 or nginx are absent.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request

import pytest

from conftest import ROOT

from dashboard.app import auth

SECTION = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Team server\n", 1)[1].split("\n## ", 1)[0]
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", SECTION, re.S | re.M)
COMMANDS = [line for lang, text in BLOCKS if lang == "" for line in text.splitlines() if line.strip()]

# how each command line of the section is followed: "pg" and "sqlite" lines run in order in their test
FOLLOWED = {
    "python -m dashboard serve --host 0.0.0.0 --auth none": "refused",
    "python -m dashboard serve --host 127.0.0.1 --port 8501 --auth proxy --proxy-header X-Forwarded-User": "server",
    "sudo apt-get install postgresql postgresql-contrib": "skip: installs system packages (.ci/run installs them)",
    "pip install -e '.[team]'": "skip: installs packages; the tests need psycopg from it, or skip",
    "sudo -u postgres createuser --pwprompt analysts": "pg",
    "sudo -u postgres createdb --owner analysts relations": "pg",
    "python -m dashboard migrate --from data/relations.db --to postgresql://analysts:PASSWORD@db.example.org/relations": "pg",
    "python -m dashboard migrate --from postgresql://analysts:PASSWORD@db.example.org/relations --to copy.db": "pg",
    "python -m dashboard migrate --upgrade postgresql://analysts:PASSWORD@db.example.org/relations": "pg",
    "python -m dashboard serve --workers 3 --port 8601 --db /srv/dashboard/relations.db --auth proxy": "workers",
    "sudo nginx -t && sudo systemctl reload nginx": "skip: the system's nginx; the block runs in a private nginx",
    'sqlite3 /srv/dashboard/relations.db ".backup /srv/backups/relations-$(date +%F).db"': "sqlite",
    'sqlite3 /srv/backups/relations-$(date +%F).db "PRAGMA integrity_check"': "sqlite",
    "pg_dump --format=custom --file=/srv/backups/relations-$(date +%F).dump "
    "postgresql://analysts:PASSWORD@db.example.org/relations": "pg",
    'sqlite3 /srv/dashboard/relations.db ".restore /srv/backups/relations-2026-12-04.db"': "sqlite",
    "sudo -u postgres createdb --owner analysts relations_restored": "pg",
    "pg_restore --no-owner --dbname=postgresql://analysts:PASSWORD@db.example.org/relations_restored "
    "/srv/backups/relations-2026-12-04.dump": "pg",
}


def test_every_command_of_the_section_is_followed_here():
    assert [c for c in COMMANDS if c not in FOLLOWED] == []
    assert [c for c in FOLLOWED if c not in COMMANDS] == []      # nothing left over from an older README


def _local(line: str, tmp_path, pg_dir=None, pg_bin=None) -> str:
    """The command line with the section's example names replaced by local ones."""
    line = line.replace("2026-12-04", dt.date.today().isoformat())   # the backup made today
    line = line.replace("/srv/", f"{tmp_path}/srv/").replace("python -m dashboard", f"{sys.executable} -m dashboard")
    if pg_dir is not None:
        # the throw-away cluster trusts local connections: no password prompt, and its superuser is `postgres`
        line = line.replace("sudo -u postgres ", "").replace(" --pwprompt", "")
        line = re.sub(r"^(createuser|createdb) ", rf"{pg_bin}/\1 -h {pg_dir} -U postgres ", line)
        line = re.sub(r"^(pg_dump|pg_restore) ", rf"{pg_bin}/\1 ", line)
        line = re.sub(r"postgresql://analysts:PASSWORD@db\.example\.org/(\w+)",
                      rf"'postgresql://analysts:PASSWORD@/\1?host={pg_dir}'", line)
    return line


def _run(line: str, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(cwd)}
    done = subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{line}\n{done.stdout[-800:]}\n{done.stderr[-800:]}"
    return done


def _store(tmp_path, fixture_db_path):
    """The section's stores: data/relations.db (the project's) and /srv/dashboard/relations.db, both the fixtures."""
    for place in (tmp_path / "data", tmp_path / "srv" / "dashboard", tmp_path / "srv" / "backups"):
        place.mkdir(parents=True, exist_ok=True)
    shutil.copy(fixture_db_path, tmp_path / "data" / "relations.db")
    shutil.copy(fixture_db_path, tmp_path / "srv" / "dashboard" / "relations.db")


def _count(path, table: str = "articles") -> int:
    import sqlite3
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_serve_refuses_an_open_address_as_the_section_says(tmp_path):
    line = next(c for c, how in FOLLOWED.items() if how == "refused")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(["bash", "-c", _local(line, tmp_path) + " --port 8599"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("error: refusing to serve on 0.0.0.0 without sign-in")


def test_the_sign_in_examples_are_complete_and_give_the_roles_described():
    tables = [tomllib.loads(text) for lang, text in BLOCKS if lang == "toml"]
    oidc = next(t for t in tables if "auth" in t)
    assert auth.serve_problem("0.0.0.0", auth.default_mode(oidc), oidc, authlib=True) is None
    roles = oidc["roles"]
    assert auth.roles_problem(roles) is None
    assert [auth.role_of(name, roles) for name in ("ana@example.org", "IVAN@example.org", "lena@analysts.example.org",
                                                   "someone@example.com")] == ["admin", "editor", "editor", "viewer"]


@pytest.fixture
def pg_tools(pg_cluster):
    """The throw-away cluster's socket folder and its client programs' folder (createuser, pg_dump …)."""
    for tool in ("createuser", "createdb", "pg_dump", "pg_restore"):
        if not (pg_cluster.bin / tool).exists():
            pytest.skip(f"no {tool} beside the PostgreSQL server binaries")
    return pg_cluster.dir, pg_cluster.bin


def test_postgresql_setup_migration_backup_and_restore(tmp_path, fixture_db_path, pg_tools):
    import psycopg
    pg_dir, pg_bin = pg_tools
    _store(tmp_path, fixture_db_path)
    with psycopg.connect(f"postgresql://postgres@/postgres?host={pg_dir}", autocommit=True) as conn:
        for name in ("relations", "relations_restored"):   # a fixture cluster shared with other tests
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute("DROP ROLE IF EXISTS analysts")
    for line in (c for c, how in FOLLOWED.items() if how == "pg"):
        if "--upgrade" in line:   # the store as an older version left it: v16 added the `by` columns
            with psycopg.connect(f"postgresql://analysts@/relations?host={pg_dir}") as conn:
                for table in ("edits", "notes", "saved_views", "imports"):
                    conn.execute(f'ALTER TABLE {table} DROP COLUMN "by"')
                conn.execute("UPDATE schema_version SET version = 15")
        done = _run(_local(line, tmp_path, pg_dir, pg_bin), tmp_path)
        if " migrate " in line:
            assert done.stdout.strip().splitlines()[-1].startswith("ok: ")
    articles = _count(fixture_db_path)
    assert _count(tmp_path / "copy.db") == articles                       # migrate there and back
    assert (tmp_path / "srv" / "backups" / f"relations-{dt.date.today().isoformat()}.dump").stat().st_size > 0
    for name in ("relations", "relations_restored"):                      # the dump restored, owned by analysts
        with psycopg.connect(f"postgresql://analysts@/{name}?host={pg_dir}") as conn:
            assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == articles
            assert conn.execute("SELECT count(*) FROM articles WHERE fts @@ to_tsquery('simple', 'belarus')").fetchone()[0] > 0


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 command-line program")
def test_sqlite_backup_check_and_restore(tmp_path, fixture_db_path):
    _store(tmp_path, fixture_db_path)
    live = tmp_path / "srv" / "dashboard" / "relations.db"
    mentions = _count(live, "mentions")
    outputs = [_run(_local(line, tmp_path), tmp_path).stdout.strip()
               for line in (c for c, how in FOLLOWED.items() if how == "sqlite" and ".restore" not in c)]
    assert outputs == ["", "ok"]                                           # the backup, then its check
    import sqlite3
    with sqlite3.connect(live) as conn:                                    # a change after the backup …
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("DELETE FROM mentions")
        keep_wal_open = sqlite3.connect(live)                              # (the change still in the WAL)
        keep_wal_open.execute("SELECT count(*) FROM mentions").fetchone()
    assert _count(live, "mentions") == 0 and mentions > 0
    restore = next(c for c, how in FOLLOWED.items() if how == "sqlite" and ".restore" in c)
    _run(_local(restore, tmp_path), tmp_path)
    keep_wal_open.close()
    assert _count(live, "mentions") == mentions                            # … undone by the restore
    from dashboard.store import open_store
    open_store(live, readonly=True).conn.close()                            # a good store (quick_check)


def _wait(url: str, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while True:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.5)


def _stop(proc: subprocess.Popen) -> int:
    proc.terminate()
    try:
        return proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait(10)


def test_the_proxy_sign_in_command_serves(tmp_path, fixture_db_path):
    from devtools.nginx import free_port
    port = free_port()
    line = next(c for c, how in FOLLOWED.items() if how == "server").replace("--port 8501", f"--port {port}")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "DASHBOARD_DB": str(fixture_db_path)}
    proc = subprocess.Popen(["bash", "-c", "exec " + _local(line, tmp_path)], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait(f"http://127.0.0.1:{port}")
    finally:
        _stop(proc)
    assert "sign-in: the proxy's X-Forwarded-User header from loopback" in proc.stderr.read()


def test_several_processes_behind_the_sections_nginx(tmp_path, fixture_db_path):
    from devtools import nginx
    from devtools.loadtest import free_ports, load
    try:
        proxy_check = nginx.Proxy([1])    # nginx present? (not started)
    except nginx.Unavailable as exc:
        pytest.skip(str(exc))
    shutil.rmtree(proxy_check.dir, ignore_errors=True)
    _store(tmp_path, fixture_db_path)
    base = free_ports(2)
    line = next(c for c, how in FOLLOWED.items() if how == "workers")
    # two processes rather than three: CI machines have two CPUs
    line = line.replace("--workers 3", "--workers 2").replace("--port 8601", f"--port {base}")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    proc = subprocess.Popen(["bash", "-c", "exec " + _local(line, tmp_path)], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    proxy = None
    try:
        for port in (base, base + 1):
            _wait(f"http://127.0.0.1:{port}")
        proxy = nginx.Proxy([base, base + 1])
        url = proxy.start()
        first = urllib.request.urlopen(url + "/", timeout=30)
        assert first.status == 200
        assert re.match(r"dashboard_route=\w+; Path=/; HttpOnly; SameSite=Lax$", first.headers["Set-Cookie"])
        for _ in range(2):                  # two sessions (a process each, or both on one), every page once
            assert asyncio.run(_every_page(url, load)) == [(page, True, []) for page, _ in load.PAGES]
        signed_in = asyncio.run(_first_texts(url))
        assert f"Signed in as {nginx.USER}" in " ".join(signed_in).replace("\\", "")
    finally:
        if proxy:
            proxy.stop()
        status = _stop(proc)
    assert status == 0                                                        # SIGTERM stops both processes
    assert f"Relations Dashboard on http://127.0.0.1:{base}-{base + 1} (2 processes)" in proc.stderr.read()


async def _every_page(url: str, load) -> list[tuple[str, bool, list[str]]]:
    """(page, finished without an exception, the exceptions shown) for each page of the load test, one session."""
    import websockets
    done = []
    async with websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, origin=url, open_timeout=30) as ws:
        for page, query in load.PAGES:
            problems: list[str] = []
            _, ok = await load.load_page(ws, page, query, timeout=120, problems=problems)
            done.append((page, ok, problems))
    return done


async def _first_texts(url: str) -> list[str]:
    """The Markdown texts of the Overview, loaded through the proxy."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    texts = []
    async with websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, origin=url, open_timeout=30) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        await ws.send(msg.SerializeToString())
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
            if fm.WhichOneof("type") == "delta" and fm.delta.WhichOneof("type") == "new_element" \
                    and fm.delta.new_element.WhichOneof("type") == "markdown":
                texts.append(fm.delta.new_element.markdown.body)
            if fm.WhichOneof("type") == "script_finished":
                return texts
