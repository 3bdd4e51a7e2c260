"""A throw-away PostgreSQL cluster on a Unix socket in a temporary folder (tests, benchmarks).

The server binaries are found on PATH, else in /usr/lib/postgresql/*/bin (Debian's `postgresql` package).
initdb refuses to run as root, so as root the cluster runs as the `postgres` user (else `nobody`) through
runuser or su, in a folder under /tmp that user owns (pytest's own temporary folders are private to root).
No TCP port is opened (listen_addresses=''), so clusters of parallel runs cannot collide.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


class Unavailable(Exception):
    """No cluster can be started here: the reason, for a test's skip."""


def find_bin(name: str = "initdb") -> Path | None:
    found = shutil.which(name)
    if found:
        return Path(found).resolve().parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / name).exists():
            return Path(folder)
    return None


def _run_as() -> list[str]:
    """The command prefix that runs the server as a user other than root (empty when not root)."""
    if os.geteuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        if shutil.which("runuser"):
            return ["runuser", "-u", user, "--"]
        if shutil.which("su"):
            return ["su", "-s", "/bin/sh", user, "-c", ""]   # the command is joined into -c (see _cmd)
    raise Unavailable("running as root, and neither a 'postgres' nor a 'nobody' user to run PostgreSQL as")


def _cmd(prefix: list[str], args: list[str]) -> list[str]:
    if prefix and prefix[0] == "su":
        import shlex
        return prefix[:-1] + [" ".join(shlex.quote(a) for a in args)]
    return prefix + args


class Cluster:
    """start() → url of its `postgres` database; stop() removes everything."""

    def __init__(self):
        self.bin = find_bin()
        if self.bin is None:
            raise Unavailable("PostgreSQL server binaries (initdb) not found on PATH or in /usr/lib/postgresql/*/bin")
        self.prefix = _run_as()
        self.dir = Path(tempfile.mkdtemp(prefix="pgtest-", dir="/tmp"))
        if self.prefix:
            user = self.prefix[2] if self.prefix[0] == "runuser" else self.prefix[3]
            pw = pwd.getpwnam(user)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.data = self.dir / "data"
        self.started = False

    def _run(self, *args: str) -> None:
        done = subprocess.run(_cmd(self.prefix, list(args)), capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise Unavailable(f"{Path(args[0]).name} failed: {(done.stderr or done.stdout).strip()[-400:]}")

    def start(self) -> str:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        self._run(str(self.bin / "pg_ctl"), "start", "-w", "-D", str(self.data), "-l", str(self.dir / "log"),
                  "-o", f"-k {self.dir} -c listen_addresses='' -c fsync=off -c full_page_writes=off")
        self.started = True
        return self.url("postgres")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.dir}"

    def stop(self) -> None:
        if self.started:
            subprocess.run(_cmd(self.prefix, [str(self.bin / "pg_ctl"), "stop", "-m", "immediate", "-D", str(self.data)]),
                           capture_output=True, timeout=60)
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)
