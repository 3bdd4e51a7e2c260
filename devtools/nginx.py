"""nginx in front of several dashboard processes, with the README's own configuration (tests, load test).

The README's section "Team server" holds the nginx configuration a team installs (the fenced block after
`<!-- nginx-several-processes -->`). `Proxy` runs exactly that block on loopback: its `listen` and its
upstream's `server` lines are replaced by the ports of this run, its sign-in (an oauth2-proxy) by one
fixed user, and it is wrapped in the few lines a private nginx needs (no daemon, pid, logs and temporary files in a temporary folder). The binary is found
on PATH or in /usr/sbin (Debian's `nginx` package); `Unavailable` says why it cannot run.
"""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- nginx-several-processes -->"
USER = "loadtest@example.org"     # who the proxy signs in on every request


class Unavailable(Exception):
    """No nginx can be started here: the reason, for a test's skip."""


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def readme_block(readme: Path = ROOT / "README.md") -> str:
    """The nginx configuration the README gives for several processes."""
    text = readme.read_text(encoding="utf-8").split(MARKER, 1)[1]
    return re.search(r"```nginx\n(.*?)```", text, re.S)[1]


def local_config(block: str, listen: int, ports: list[int], user: str = USER) -> str:
    """`block` listening on 127.0.0.1:`listen`, its upstream being the dashboard processes on `ports`, and its
    sign-in (auth_request to an oauth2-proxy, not run here) replaced by `user` signed in on every request."""
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in ports)
    block, n = re.subn(r"(upstream dashboard \{\n(?:.*\n)*?)(?:    server .*;.*\n)+", lambda m: m[1] + servers, block)
    block, k = re.subn(r"\blisten \S+;", f"listen 127.0.0.1:{listen};", block)
    block, u = re.subn(r"auth_request_set \$user \S+;", f'set $user "{user}";', block)
    block = re.sub(r"\n *(auth_request|error_page 401) [^\n]*", "", block)
    if (n, k) != (1, 1) or u > 1:
        raise ValueError("the README's nginx block lost its `upstream dashboard` servers or its `listen` line")
    return block


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy:
    """start() → the proxy's loopback URL; stop() ends nginx and removes its folder."""

    def __init__(self, ports: list[int], block: str | None = None, user: str = USER):
        self.binary = find_nginx()
        if self.binary is None:
            raise Unavailable("nginx not found on PATH or in /usr/sbin (Debian: apt-get install nginx)")
        self.ports, self.user, self.block = ports, user, block if block is not None else readme_block()
        self.dir = Path(tempfile.mkdtemp(prefix="nginx-", dir="/tmp"))
        self.dir.chmod(0o755)        # nginx's workers (user nobody when run as root) read its temporary folders
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def config(self) -> str:
        d = self.dir
        temps = "".join(f"    {kind}_temp_path {d / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        body = local_config(self.block, self.port, self.ports, self.user)
        return (f"daemon off;\nworker_processes 1;\npid {d / 'nginx.pid'};\nerror_log {d / 'error.log'} warn;\n"
                f"events {{ worker_connections 1024; }}\nhttp {{\n    access_log off;\n{temps}"
                + "".join("    " + ln + "\n" if ln else "\n" for ln in body.splitlines()) + "}\n")

    def start(self) -> str:
        conf = self.dir / "nginx.conf"
        conf.write_text(self.config(), encoding="utf-8")
        test = subprocess.run([self.binary, "-t", "-q", "-p", str(self.dir), "-c", str(conf), "-e", str(self.dir / "error.log")],
                              capture_output=True, text=True, timeout=30)
        if test.returncode:
            raise Unavailable(f"nginx refused the configuration: {(test.stderr or test.stdout).strip()[-400:]}")
        self.proc = subprocess.Popen([self.binary, "-p", str(self.dir), "-c", str(conf), "-e", str(self.dir / "error.log")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return f"http://127.0.0.1:{self.port}"
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise Unavailable(f"nginx did not start: {(self.dir / 'error.log').read_text(errors='replace')[-400:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()      # SIGTERM: nginx's fast shutdown, its workers with it
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(15)
        shutil.rmtree(self.dir, ignore_errors=True)
