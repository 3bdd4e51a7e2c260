"""Team server (issue #20 item 4): serve refuses an open address without sign-in, sign-in by OpenID Connect
or a trusted proxy's header, roles from secrets.toml [roles] applied on the pages, and who made each edit,
note, saved view and import."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from dashboard.app import auth
from dashboard.cli import build_parser, main, serve_decision
from dashboard.queries import events as ev
from dashboard.queries import views
from dashboard.queries.filters import Filter

APP = str(ROOT / "streamlit_app.py")
OIDC = {"redirect_uri": "https://dash.example.org/oauth2callback", "cookie_secret": "s" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}
ROLES = {"default": "viewer", "admin": ["ana@example.org"], "editor": ["ivan@example.org", "*@analysts.example.org"]}


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.4.5.6", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("LOCALHOST", True), ("::ffff:127.0.0.1", True),
    ("0.0.0.0", False), ("::", False), ("", False), ("192.168.1.20", False), ("dashboard.example.org", False),
])
def test_which_addresses_are_loopback(host, loopback):
    assert auth.is_loopback(host) is loopback


def test_serve_refuses_an_open_address_without_sign_in():
    assert auth.serve_problem("127.0.0.1", "none", {}) is None
    assert auth.serve_problem("localhost", "none", {}) is None
    problem = auth.serve_problem("0.0.0.0", "none", {})
    assert problem.startswith("refusing to serve on 0.0.0.0 without sign-in") and "Team server" in problem
    assert auth.serve_problem("", "none", {}).startswith("refusing to serve on all interfaces without sign-in")
    # a proxy that signs users in, or a complete [auth] table with Authlib installed, may serve anywhere
    assert auth.serve_problem("0.0.0.0", "proxy", {}) is None
    assert auth.serve_problem("0.0.0.0", "oidc", {"auth": OIDC}, authlib=True) is None


def test_serve_names_what_sign_in_still_needs():
    assert auth.serve_problem("0.0.0.0", "oidc", {}, authlib=True) == (
        "--auth oidc needs an [auth] table in .streamlit/secrets.toml; missing: redirect_uri, cookie_secret, "
        "client_id, client_secret, server_metadata_url (see the README's 'Team server')")
    # a named provider's table holds the provider's keys
    named = {"redirect_uri": OIDC["redirect_uri"], "cookie_secret": OIDC["cookie_secret"],
             "google": {k: OIDC[k] for k in auth.AUTH_PROVIDER}}
    assert auth.serve_problem("0.0.0.0", "oidc", {"auth": named}, authlib=True) is None
    assert auth.serve_problem("0.0.0.0", "oidc", {"auth": OIDC}, authlib=False) == (
        "--auth oidc needs Authlib (Streamlit's sign-in uses it): pip install -e '.[team]'")
    assert auth.serve_problem("127.0.0.1", "none", {"roles": {"owner": ["x"]}}) == (
        "[roles] has 'owner'; its keys are default, viewer, editor, admin")
    assert auth.serve_problem("127.0.0.1", "none", {"roles": {"default": "guest"}}).startswith(
        "[roles] default must be one of viewer, editor, admin or 'none'")


def test_serve_decides_from_its_arguments_and_the_secrets_files(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    monkeypatch.setattr(auth, "secrets_paths", lambda: [secrets])
    parse = build_parser().parse_args
    assert serve_decision(parse(["serve"])) == (None, "none")
    problem, mode = serve_decision(parse(["serve", "--host", "0.0.0.0"]))
    assert mode == "none" and problem.startswith("refusing to serve on 0.0.0.0")
    assert serve_decision(parse(["serve", "--host", "0.0.0.0", "--auth", "proxy"])) == (None, "proxy")
    # an [auth] table makes OIDC the default; an incomplete one is refused
    secrets.write_text('[auth]\nredirect_uri = "https://dash.example.org/oauth2callback"\n', encoding="utf-8")
    problem, mode = serve_decision(parse(["serve", "--host", "0.0.0.0"]))
    assert mode == "oidc" and problem.endswith("missing: cookie_secret, client_id, client_secret, "
                                               "server_metadata_url (see the README's 'Team server')")
    secrets.write_text("[auth\n", encoding="utf-8")
    assert serve_decision(parse(["serve"]))[0].startswith(f"{secrets}: not readable as TOML")


def test_serve_exits_2_with_one_line_on_an_open_address(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "dashboard", "serve", "--host", "0.0.0.0", "--auth", "none",
                           "--port", "8599"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("error: refusing to serve on 0.0.0.0 without sign-in: anyone on the network")
    assert "Relations Dashboard on" not in done.stderr   # no server was started


def test_trusted_proxy_option_is_checked():
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["serve", "--trusted-proxy", "proxy.example.org"])
    assert exc.value.code == 2
    args = build_parser().parse_args(["serve", "--trusted-proxy", "10.0.0.5, 10.1.0.0/16"])
    assert args.trusted_proxy == ["10.0.0.5", "10.1.0.0/16"] and args.proxy_header == "X-Forwarded-User"


def test_roles_from_the_table():
    assert auth.role_of("ana@example.org", ROLES) == "admin"
    assert auth.role_of("Ivan@Example.org", ROLES) == "editor"           # case does not matter
    assert auth.role_of("olga@analysts.example.org", ROLES) == "editor"  # a pattern
    assert auth.role_of("someone@example.org", ROLES) == "viewer"        # the default
    assert auth.role_of("someone@example.org", {}) == "viewer"           # viewer when nothing says otherwise
    assert auth.role_of("someone@example.org", {**ROLES, "default": "none"}) is None
    assert auth.role_of("ana@example.org", {"viewer": ["ana@example.org"], "admin": ["ana@example.org"]}) == "admin"
    assert auth.role_of(None, ROLES) is None


def test_what_each_role_may_do():
    viewer, editor, admin = (auth.User("u", r, "proxy") for r in auth.ROLES)
    assert [a for a in auth.ACTIONS if auth.can(a, viewer)] == ["read", "export"]
    assert [a for a in auth.ACTIONS if auth.can(a, editor)] == ["read", "export", "edit", "note", "save_view"]
    assert all(auth.can(a, admin) for a in auth.ACTIONS)
    assert not auth.can("read", auth.User("u", None, "proxy"))
    assert auth.why_not("edit", viewer) == "Editing events needs the editor role; u is viewer."
    assert auth.why_not("edit", editor) is None
    assert auth.local_user().role == "admin"


def test_the_proxy_header_is_believed_only_from_the_trusted_proxy():
    assert auth._trusted(None, ["loopback"])                  # st.context.ip_address: None on loopback
    assert not auth._trusted("203.0.113.7", ["loopback"])
    assert auth._trusted("10.0.0.5", ["10.0.0.0/24"]) and not auth._trusted("10.0.1.5", ["10.0.0.0/24"])
    assert not auth._trusted(None, ["10.0.0.5"])


# --- the pages ------------------------------------------------------------------------------------------

def _proxy_app(monkeypatch, db_path, user: str | None, peer: str | None = None) -> AppTest:
    """The app behind a proxy naming `user` (AppTest cannot send headers: auth's request functions are
    replaced), with ROLES as the secrets' [roles] table."""
    monkeypatch.setenv("DASHBOARD_DB", str(db_path))
    monkeypatch.setenv("DASHBOARD_AUTH", "proxy")
    monkeypatch.setenv("DASHBOARD_PROXY_HEADER", "X-Forwarded-User")
    monkeypatch.setenv("DASHBOARD_TRUSTED_PROXIES", "loopback")
    monkeypatch.setattr(auth, "request_headers", lambda: {"x-forwarded-user": user} if user else {})
    monkeypatch.setattr(auth, "request_peer", lambda: peer)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets = {"roles": ROLES}
    return at


def _page_paths(at: AppTest) -> set[str]:
    return {info["script_path"].rsplit("/", 1)[-1] for info in at._registered_pages.values()}


def test_a_viewer_reads_but_cannot_import_edit_or_pin(monkeypatch, fixture_db_path):
    at = _proxy_app(monkeypatch, fixture_db_path, "vera@example.org")
    at.run()
    assert not at.exception and at.title[0].value == "Relations Dashboard"
    assert "import.py" not in _page_paths(at)                           # not in the menu
    assert any(c.value == "Signed in as vera@example\\.org · viewer" for c in at.sidebar.caption)
    assert at.button(key="view_save").disabled
    # the Import page itself refuses, should it be reached
    page = AppTest.from_file(str(ROOT / "pages" / "import.py"), default_timeout=60)
    page.secrets = {"roles": ROLES}
    page.run()
    assert [w.value for w in page.warning] == ["Importing needs the admin role; vera@example.org is viewer."]
    assert not page.get("file_uploader") and not page.button
    # the Timeline's note form: shown, disabled, with the reason
    at.query_params["pair"] = "BLR-RUS"
    at.switch_page("pages/timeline.py").run()
    assert not at.exception
    assert at.text_input(key="note_text").disabled and at.date_input(key="note_day").disabled
    assert "🔒 Pinning notes needs the editor role; vera@example\\.org is viewer\\." in [c.value for c in at.caption]


def test_an_editor_pins_a_note_that_names_them(monkeypatch, fixture_db_path):
    import datetime as dt
    at = _proxy_app(monkeypatch, fixture_db_path, "ivan@example.org")
    at.run()
    assert "import.py" not in _page_paths(at)
    at.query_params["pair"] = "BLR-RUS"
    at.switch_page("pages/timeline.py").run()
    assert not at.text_input(key="note_text").disabled
    at.date_input(key="note_day").set_value(dt.date(2020, 8, 10))
    at.text_input(key="note_text").set_value("election day")
    at.button(key="FormSubmitter:note-Pin note").click().run()
    assert not at.exception
    from dashboard.store import open_store
    store = open_store(fixture_db_path)
    try:
        assert [(n["text"], n["by"]) for n in ev.list_notes(store, Filter.build(pair="BLR-RUS"))] == [
            ("election day", "ivan@example.org")]
    finally:
        store.conn.close()
    assert any("election day (ivan@example.org)" in c.value.replace("\\", "") for c in at.caption)


def test_an_admin_has_the_import_page(monkeypatch, fixture_db_path):
    at = _proxy_app(monkeypatch, fixture_db_path, "ANA@example.org")
    at.run()
    assert "import.py" in _page_paths(at)
    at.switch_page("pages/import.py").run()
    assert not at.exception and not at.warning and at.button(key="import_go")


def test_no_user_or_an_untrusted_peer_sees_nothing(monkeypatch, fixture_db_path):
    for user, peer in ((None, None), ("ana@example.org", "203.0.113.7")):
        at = _proxy_app(monkeypatch, fixture_db_path, user, peer)
        at.run()
        assert not at.exception and not at.title and not at.metric
        assert [e.value for e in at.error] == [
            "The proxy in front of this server did not name a user, so the dashboard shows nothing."]


def test_a_user_without_a_role_is_told_so(monkeypatch, fixture_db_path):
    at = _proxy_app(monkeypatch, fixture_db_path, "stranger@example.org")
    at.secrets = {"roles": {**ROLES, "default": "none"}}
    at.run()
    assert not at.metric
    assert [e.value for e in at.error] == ["stranger@example.org has no access to this dashboard: ask its admin for a role."]


def test_oidc_sign_in_button_then_the_signed_in_user(monkeypatch, fixture_db_path):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))
    monkeypatch.setenv("DASHBOARD_AUTH", "oidc")
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets = {"roles": ROLES}
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception and not at.metric and at.button(key="auth_login").label == "Sign in"
    at.user = {"is_logged_in": True, "email": "ana@example.org", "name": "Ana"}
    at.run()
    assert not at.exception and at.metric
    assert any(c.value == "Signed in as ana@example\\.org · admin" for c in at.sidebar.caption)
    assert at.sidebar.button(key="auth_logout_sidebar").label == "Sign out"


def test_local_use_is_the_admin_as_before(monkeypatch, fixture_db_path):
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and "import.py" in _page_paths(at)
    assert not at.button(key="view_save").disabled
    assert not any(c.value.startswith("Signed in as") for c in at.sidebar.caption)


# --- who did what -------------------------------------------------------------------------------------------

def test_edits_notes_views_and_imports_carry_who(fixture_db, fixture_db_path, tmp_path, capsys):
    event = ev.list_events(fixture_db, Filter.build(pair="BLR-RUS"), limit=1)[0]
    ev.edit_event(fixture_db, event["id"], {"note": "check the date"}, by="ivan@example.org")
    ev.edit_event(fixture_db, event["id"], {"actor1": "rus"}, by="ana@example.org")
    assert [(d["field"], d["value"], d["by"]) for d in ev.event_edits(fixture_db, event["id"])] == [
        ("note", "check the date", "ivan@example.org"), ("actor1", "RUS", "ana@example.org")]
    ev.add_note(fixture_db, ("RUS", "BLR"), "2020-08-09", "election", by="vera@example.org")
    views.save_view(fixture_db, "BLR-RUS", "timeline", {"pair": "BLR-RUS"}, by="ivan@example.org")
    assert views.list_views(fixture_db)[0]["by"] == "ivan@example.org"
    # the events CSV: who made an event's latest edit, and on a note's row who pinned it
    assert main(["events", "--db", str(fixture_db_path), "--pair", "BLR-RUS", "--notes", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert ev.EVENT_COLUMNS[-1] == "by" and list(rows[0]) == list(ev.EVENT_COLUMNS)
    assert [r["by"] for r in rows if r["id"] == str(event["id"])] == ["ana@example.org"]
    assert [(r["note"], r["by"]) for r in rows if r["source"] == "note"] == [("election", "vera@example.org")]
    # the command line imports as the local account
    table = tmp_path / "manual.csv"
    table.write_text("date,country_a,country_b,headline\n2021-01-02,BLR,POL,border talks\n", encoding="utf-8")
    assert main(["import", str(table), "--db", str(fixture_db_path), "--workers", "1"]) == 0
    assert fixture_db.execute("SELECT by FROM imports ORDER BY id DESC LIMIT 1").fetchone()[0] == auth.local_name()
    assert auth.local_name().endswith(" (local)") or auth.local_name() == "local"


def test_a_broken_roles_table_grants_nothing(monkeypatch, fixture_db_path):
    """A [roles] table edited into a wrong shape while the server runs lets nobody in (serve refuses it at
    start; here it changed afterwards)."""
    at = _proxy_app(monkeypatch, fixture_db_path, "ana@example.org")
    at.secrets = {"roles": {"admin": "ana@example.org"}}   # a name, not a list
    at.run()
    assert not at.metric
    assert [e.value for e in at.error] == ["ana@example.org has no access to this dashboard: ask its admin for a role."]


def test_serve_asks_nothing_from_outside_the_machine(monkeypatch, tmp_path):
    """Streamlit's welcome message, for 0.0.0.0, asked checkip.amazonaws.com for the external address: our
    own banner names the address, and the welcome message is off."""
    from dashboard import cli
    seen = {}
    monkeypatch.setattr(cli.os, "execve", lambda exe, cmd, env: seen.setdefault("cmd", cmd))
    monkeypatch.setattr(cli.os, "chdir", lambda path: None)
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "s.db"))
    cli.main(["serve", "--host", "0.0.0.0", "--auth", "proxy", "--port", "8598"])
    cmd = seen["cmd"]
    assert cmd[cmd.index("--logger.hideWelcomeMessage") + 1] == "true"
    assert cmd[cmd.index("--server.address") + 1] == "0.0.0.0"
