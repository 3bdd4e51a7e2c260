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
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = [
    ("overview", "/"),
    ("timeline", "/timeline?pair=BLR-RUS&from=2008-01-01&to=2024-12-31"),
    ("articles", "/articles?pair=BLR-LTU&q=Astravets"),
    ("similar", "/similar?pair=BLR-POL"),
    ("events", "/events?pair=BLR-POL"),
    ("pairs", "/pairs"),
]
# The views also taken at a phone's width (390 × 844), as `<name>_phone.png`.
PHONE_VIEWS = ("overview", "timeline", "articles", "pairs")


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
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--port", str(port), "--db", args.db],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, DASHBOARD_DB=args.db))
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"])
            shots = [(name, path, {"width": 1400, "height": 1000}, "") for name, path in VIEWS]
            shots += [(name, path, {"width": 390, "height": 844}, "_phone") for name, path in VIEWS if name in PHONE_VIEWS]
            for name, path, viewport, suffix in shots:
                page = browser.new_page(viewport=viewport)
                page.goto(url + path)
                page.wait_for_selector("[data-testid='stSidebar']", state="attached", timeout=30000)
                page.wait_for_timeout(2500)
                if name == "similar":
                    box = page.get_by_label("Paste a title or a paragraph")
                    box.fill("Lukashenka mets Polish ministers about the border crossings")
                    box.press("Control+Enter")
                    page.wait_for_timeout(3000)
                page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)
                if name in ("overview", "timeline", "pairs"):   # a chart draws after the script has run
                    page.wait_for_selector(".js-plotly-plot", timeout=30000)
                # the skeletons Streamlit shows while a rerun replaces the elements
                page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=30000)
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out / f"{name}{suffix}.png"), full_page=False)
                print(out / f"{name}{suffix}.png")
                page.close()
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:  # a server still draining its sessions
            proc.kill()
            proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
