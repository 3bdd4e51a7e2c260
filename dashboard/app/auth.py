"""Who is using the dashboard and what they may do: the one home of sign-in and roles (issue #20).

A user is known in one of three ways (the mode, `serve --auth`, passed to the app as DASHBOARD_AUTH):

- none: nobody signs in. Allowed only on a loopback address (127.0.0.0/8, ::1, localhost): the analyst at
  the machine is the local admin, as the command line is.
- oidc: Streamlit's OpenID Connect sign-in (st.login / st.user), set up in the [auth] table of
  .streamlit/secrets.toml; the user is the e-mail the provider returns.
- proxy: a reverse proxy that signed the user in names them in a request header (`--proxy-header`).
  The header is read only in this mode, and only on connections from the proxy's own addresses
  (`--trusted-proxy`, loopback by default): a client that reaches the port directly cannot name itself.

Roles, lowest first: viewer (read, export), editor (+ edit events, pin notes, save views), admin
(+ import, delete saved views). They come from the [roles] table of the same secrets.toml:

    [roles]
    default = "viewer"                  # a signed-in user listed nowhere below; "none" = no access
    admin = ["ana@example.org"]
    editor = ["ivan@example.org", "*@analysts.example.org"]

A user listed under several roles has the highest. Names are compared without regard to case; `*`
matches any characters. serve checks all of this before the server starts (`serve_problem`), so a
mistake is one line on the terminal, never an open server.
"""
from __future__ import annotations

import fnmatch
import getpass
import ipaddress
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

MODES = ("none", "oidc", "proxy")
ROLES = ("viewer", "editor", "admin")   # lowest first
NO_ACCESS = "none"
DEFAULT_ROLE = "viewer"
DEFAULT_PROXY_HEADER = "X-Forwarded-User"

# action → the lowest role allowed to do it; pages ask can(action), never compare roles themselves.
ACTIONS = {
    "read": "viewer",
    "export": "viewer",
    "edit": "editor",          # an event's date, actors, CAMEO code, note
    "note": "editor",          # pin a note to a timeline
    "save_view": "editor",
    "import": "admin",
    "delete_view": "admin",
    "duplicates": "admin",     # find near-duplicates and store their links (Similar page)
}
ACTION_WORDS = {"read": "Reading", "export": "Exporting", "edit": "Editing events", "note": "Pinning notes",
                "save_view": "Saving views", "import": "Importing", "delete_view": "Deleting saved views",
                "duplicates": "Storing near-duplicates"}
# the [auth] keys st.login needs: shared ones, and per provider (in [auth] itself or an [auth.NAME] table)
AUTH_SHARED = ("redirect_uri", "cookie_secret")
AUTH_PROVIDER = ("client_id", "client_secret", "server_metadata_url")


@dataclass(frozen=True)
class User:
    """name: the e-mail or user name (None: not signed in); role: one of ROLES (None: no access);
    how: 'local', 'oidc' or 'proxy'."""
    name: str | None
    role: str | None
    how: str


def local_name() -> str:
    """The name the local admin's edits carry: the account that runs the CLI or the loopback server."""
    try:
        return f"{getpass.getuser()} (local)"
    except (OSError, KeyError):   # no login name (a container without passwd entry)
        return "local"


def local_user() -> User:
    return User(local_name(), "admin", "local")


# --- addresses -----------------------------------------------------------------------------------

def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 (also IPv4-mapped) and 'localhost'; False for anything else, an empty
    address (all interfaces) and host names, which may resolve anywhere."""
    h = (host or "").strip().strip("[]").lower()
    if h == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(h)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def _trusted(peer: str | None, trusted: list[str]) -> bool:
    """Is the connection's peer one of the trusted proxy addresses or networks? None is loopback
    (st.context.ip_address gives None for 127.0.0.1 and ::1)."""
    if peer is None or is_loopback(peer):
        return any(t in ("loopback", "localhost") or is_loopback(t.split("/")[0]) for t in trusted)
    try:
        ip = ipaddress.ip_address(peer.strip("[]"))
    except ValueError:
        return False
    for t in trusted:
        try:
            if ip in ipaddress.ip_network(t, strict=False):
                return True
        except ValueError:
            continue
    return False


# --- configuration -------------------------------------------------------------------------------

def secrets_paths() -> list[Path]:
    """The secrets.toml files Streamlit reads for the dashboard (serve runs it from the project folder):
    the user's, then the project's, which wins."""
    from dashboard.store import PROJECT_ROOT
    return [Path.home() / ".streamlit" / "secrets.toml", PROJECT_ROOT / ".streamlit" / "secrets.toml"]


def read_secrets(paths: list[Path] | None = None) -> dict:
    """The merged top-level tables of the secrets files (a later file's table replaces an earlier one's).
    Raises ValueError naming the file for TOML that cannot be read."""
    merged: dict = {}
    for path in paths if paths is not None else secrets_paths():
        if not path.is_file():
            continue
        try:
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise ValueError(f"{path}: not readable as TOML ({exc})") from None
    return merged


def auth_missing(auth: dict) -> list[str]:
    """The [auth] keys st.login still needs (empty: sign-in is configured): redirect_uri and cookie_secret,
    and client_id, client_secret, server_metadata_url in [auth] or in at least one [auth.NAME] table."""
    missing = [k for k in AUTH_SHARED if not auth.get(k)]
    providers = [auth] + [v for v in auth.values() if isinstance(v, dict)]
    if not any(all(p.get(k) for k in AUTH_PROVIDER) for p in providers):
        missing += [k for k in AUTH_PROVIDER if not auth.get(k)]
    return missing


def roles_problem(roles: dict) -> str | None:
    """What is wrong with a [roles] table, in one line (None: nothing)."""
    for key, value in roles.items():
        if key == "default":
            if value not in (*ROLES, NO_ACCESS):
                return f"[roles] default must be one of {', '.join(ROLES)} or {NO_ACCESS!r}, got {value!r}"
        elif key not in ROLES:
            return f"[roles] has {key!r}; its keys are default, {', '.join(ROLES)}"
        elif not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return f"[roles] {key} must be a list of names, e.g. {key} = [\"ana@example.org\"]"
    return None


def role_of(name: str | None, roles: dict) -> str | None:
    """The role of a signed-in `name` under a [roles] table: the highest role listing it, else the
    default (viewer unless the table says otherwise); None for no access."""
    if not name:
        return None
    who = name.strip().lower()
    for role in reversed(ROLES):
        if any(fnmatch.fnmatchcase(who, str(p).strip().lower()) for p in roles.get(role) or ()):
            return role
    default = roles.get("default", DEFAULT_ROLE)
    return default if default in ROLES else None


def default_mode(secrets: dict) -> str:
    """--auth when not given: oidc when secrets.toml has an [auth] table, else none."""
    return "oidc" if secrets.get("auth") else "none"


def serve_problem(host: str, mode: str, secrets: dict, *, authlib: bool | None = None) -> str | None:
    """Why `serve --host HOST --auth MODE` must not start, in one line; None when it may.
    `secrets`: read_secrets(); `authlib`: whether Authlib is installed (looked up when None)."""
    if mode not in MODES:
        return f"--auth must be one of {', '.join(MODES)}, got {mode!r}"
    if mode == "none" and not is_loopback(host):
        return (f"refusing to serve on {host or 'all interfaces'} without sign-in: anyone on the network could "
                "import, edit and read. Configure sign-in (an [auth] table in .streamlit/secrets.toml, then "
                "--auth oidc) or a signing-in reverse proxy (--auth proxy --proxy-header X-Forwarded-User), "
                "or bind to 127.0.0.1; see the README's 'Team server'")
    if mode == "oidc":
        missing = auth_missing(secrets.get("auth") or {})
        if missing:
            return ("--auth oidc needs an [auth] table in .streamlit/secrets.toml; missing: " + ", ".join(missing)
                    + " (see the README's 'Team server')")
        if authlib is None:
            from importlib.util import find_spec
            authlib = find_spec("authlib") is not None
        if not authlib:
            return "--auth oidc needs Authlib (Streamlit's sign-in uses it): pip install -e '.[team]'"
    roles = secrets.get("roles") or {}
    if not isinstance(roles, dict):
        return "[roles] in secrets.toml must be a table"
    return roles_problem(roles)


def serve_env(mode: str, header: str, trusted: list[str]) -> dict[str, str]:
    """The environment serve hands the server: the mode, the proxy's header and addresses."""
    return {"DASHBOARD_AUTH": mode, "DASHBOARD_PROXY_HEADER": header, "DASHBOARD_TRUSTED_PROXIES": ",".join(trusted)}


def mode() -> str:
    """The running server's sign-in mode (none when it was started without serve: tests, `streamlit run`)."""
    value = os.environ.get("DASHBOARD_AUTH", "none")
    return value if value in MODES else "none"


# --- the running app -------------------------------------------------------------------------------

def _secrets_table(name: str) -> dict | None:
    """A table of st.secrets as plain dicts ({} without a secrets file; None when a secrets file exists but
    cannot be read, so that a broken [roles] table grants nothing). Read through st.secrets so that an
    edited secrets.toml applies at the next rerun, and AppTest's `secrets` reach it."""
    import streamlit as st
    try:
        value = st.secrets.get(name)
    except FileNotFoundError:   # no secrets.toml at all, or one Streamlit cannot parse
        files = st.get_option("secrets.files") or []
        return None if any(Path(f).is_file() for f in files) else {}
    return _plain(value) if value else {}


def _plain(value):
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def request_headers() -> dict[str, str]:
    """The headers of this session's request (st.context.headers). Tests replace this function: AppTest
    cannot send headers."""
    import streamlit as st
    return {k.lower(): v for k, v in st.context.headers.to_dict().items()}


def request_peer() -> str | None:
    """The address this session's connection comes from (None: loopback). Tests may replace it."""
    import streamlit as st
    return st.context.ip_address


def current_user() -> User:
    """Who is using this session, with their role (see the module's docstring)."""
    import streamlit as st
    how = mode()
    if how == "none":
        return local_user()
    if how == "oidc":
        info = st.user.to_dict()
        if not info.get("is_logged_in"):
            return User(None, None, how)
        name = info.get("email") or info.get("preferred_username") or info.get("sub")
    else:
        trusted = [t.strip() for t in os.environ.get("DASHBOARD_TRUSTED_PROXIES", "loopback").split(",") if t.strip()]
        if not _trusted(request_peer(), trusted):
            return User(None, None, how)
        header = os.environ.get("DASHBOARD_PROXY_HEADER", DEFAULT_PROXY_HEADER).lower()
        name = (request_headers().get(header) or "").strip()[:200] or None
    roles = _secrets_table("roles")
    ok = isinstance(roles, dict) and roles_problem(roles) is None   # a broken table grants nothing
    return User(name, role_of(name, roles) if ok else None, how)


def can(action: str, user: User | None = None) -> bool:
    """May the session's user (or `user`) do `action` (a key of ACTIONS)?"""
    user = user or current_user()
    return user.role in ROLES and ROLES.index(user.role) >= ROLES.index(ACTIONS[action])


def why_not(action: str, user: User | None = None) -> str | None:
    """One line saying why `action` is off for the user (None when allowed), for a disabled widget."""
    user = user or current_user()
    if can(action, user):
        return None
    return (f"{ACTION_WORDS[action]} needs the {ACTIONS[action]} role; "
            f"{user.name or 'you'} {'is' if user.name else 'are'} {user.role or 'without a role'}.")


def by() -> str:
    """The name an edit, note, saved view or import made now is recorded under."""
    return current_user().name or "unknown"


def gate() -> User:
    """Run at the top of every page run: let a user with a role through (returned); otherwise show why
    and how to sign in, and stop. Also refuses a server started without serve on an open address."""
    import streamlit as st
    how = mode()
    if how == "none" and not st.get_option("global.appTest") and not is_loopback(st.get_option("server.address")):
        st.error("This server listens beyond this machine without sign-in, so it shows nothing. Start it with "
                 "`python -m dashboard serve` and sign-in configured (see the README's 'Team server').")
        st.stop()
    user = current_user()
    if user.name is None:
        if how == "oidc":
            st.title("Relations Dashboard")
            st.caption("Sign in to use the dashboard.")
            if st.button("Sign in", type="primary", key="auth_login"):
                st.login()
        else:
            st.error("The proxy in front of this server did not name a user, so the dashboard shows nothing.")
        st.stop()
    if user.role is None:
        st.error(f"{user.name} has no access to this dashboard: ask its admin for a role.")
        if how == "oidc" and st.button("Sign out", key="auth_logout"):
            st.logout()
        st.stop()
    return user


def sidebar_badge(user: User) -> None:
    """Who is signed in, with what role, and a Sign out button (OIDC), at the foot of the sidebar."""
    import streamlit as st
    from dashboard.app.render import md_escape
    if user.how == "local":
        return
    st.sidebar.caption(md_escape(f"Signed in as {user.name} · {user.role}"))
    if user.how == "oidc" and st.sidebar.button("Sign out", key="auth_logout_sidebar"):
        st.logout()


def require(action: str) -> None:
    """Stop a page the user may not use, with one line saying why (defence in depth: navigation already
    leaves it out)."""
    import streamlit as st
    problem = why_not(action)
    if problem:
        st.warning(problem)
        st.stop()
