"""Regenerate the README's screenshots from the real app in headless Chromium.

    python scripts/screenshots.py [--db data/relations.db] [--out docs/screenshots]

Needs Debian's `chromium` and the `playwright` package (the test extra); builds the
demo store first when it is missing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every page, as `<name>.png` at 1440 × 900 and as `<name>_phone.png` at a phone's 390 × 844.
VIEWS = [
    ("overview", "/"),
    ("timeline", "/timeline?pair=BLR-RUS&from=2008-01-01&to=2024-12-31"),
    ("events", "/events?pair=BLR-POL"),
    ("pairs", "/pairs"),
    ("map", "/map"),
    ("articles", "/articles?pair=BLR-LTU&q=Astravets"),
    # a half-remembered title, typo included, pasted (the text rides in the URL)
    ("similar", "/similar?pair=BLR-POL&text=Lukashenka%20mets%20Polish%20ministers%20about%20the%20border%20crossings"),
    ("import", "/import"),
]
SIZES = [({"width": 1440, "height": 900}, ""), ({"width": 390, "height": 844}, "_phone")]
# The demo's events are read from its articles and carry no coordinates; the Map is shown on a copy of the
# demo store with the test fixtures' small ACLED, ICEWS, POLECAT and GDELT samples added (real places).
LOCATED = ["acled_api.json", "acled_sample.csv", "icews_sample.tab", "ngecEvents.20230109.fixture.txt",
           "gdelt2.export.CSV", "gdelt1_mixed.txt"]
# Pages with a chart: it draws after the script has run.
CHARTS = ("overview", "timeline", "pairs", "map")


def serve(db: str):
    """Start the dashboard on a free port; (process, url) once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--port", str(port), "--db", db],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, DASHBOARD_DB=db))
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    return proc, url


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:  # a server still draining its sessions
        proc.kill()
        proc.wait(10)


def located_store(db: str, folder: Path) -> str:
    """A copy of the demo store with the fixtures' located events imported (for the Map's screenshot)."""
    path = folder / "located.db"
    shutil.copyfile(db, path)
    files = [str(ROOT / "tests" / "fixtures" / "events" / name) for name in LOCATED]
    # exit 1: the samples hold a few malformed rows on purpose (they are rejected; the rest is imported)
    subprocess.run([sys.executable, "-m", "dashboard", "import", "--db", str(path), *files], cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return str(path)


def shoot(browser, url: str, name: str, path: str, out: Path) -> None:
    for viewport, suffix in SIZES:
        page = browser.new_page(viewport=viewport)
        page.goto(url + path)
        page.locator("h1").first.wait_for(timeout=60000)
        page.wait_for_timeout(2500)
        page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)
        if name in CHARTS:
            page.wait_for_selector(".js-plotly-plot", timeout=30000)
        # the skeletons Streamlit shows while a rerun replaces the elements
        page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=30000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(out / f"{name}{suffix}.png"), full_page=False)
        print(out / f"{name}{suffix}.png")
        page.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(ROOT / "data" / "relations.db"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium not found: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    if not Path(args.db).exists():
        subprocess.run([sys.executable, "-m", "dashboard", "demo", "--db", args.db], cwd=ROOT, check=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"])
        for db, names in ((args.db, [v for v in VIEWS if v[0] != "map"]),
                          (located_store(args.db, Path(tmp)), [v for v in VIEWS if v[0] == "map"])):
            proc, url = serve(db)
            try:
                for name, path in names:
                    shoot(browser, url, name, path, out)
            finally:
                stop(proc)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
