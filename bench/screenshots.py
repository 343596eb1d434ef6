"""Screenshots of the main pages with the demo data, for docs/screenshots/ and the README.

    .venv/bin/python bench/screenshots.py docs/screenshots after

Serves the app on a fresh SQLite file in a thread and drives Debian's Chromium through Playwright.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import flask_migrate
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.conftest import make_test_app

PAGES = (
    ("plans", "/plans"),
    ("plan", "/plans/1"),
    ("measure", "/measures/1"),
    ("dashboard", "/dashboard"),
    ("timeline", "/plans/2/timeline"),
    ("calendar", "/plans/1/calendar"),
    ("rating", "/rating"),
    ("search", "/search?q=strategiya"),
    ("reviews", "/reviews"),
    ("audit", "/admin/audit"),
)
PHONE_PAGES = ("plans", "measure", "dashboard")


def serve(prepare: Callable[[], None] | None = None) -> str:
    """The demo on a fresh SQLite file, served in a thread; ``prepare`` adds to it (in the app)."""
    from tracker.demo.loader import load_demo
    from tracker.extensions import db

    tmp_dir = Path(tempfile.mkdtemp())
    app = make_test_app(f"sqlite:///{tmp_dir / 'shots.sqlite'}", tmp_dir)
    with app.app_context():
        flask_migrate.upgrade()
        load_demo()
        db.session.commit()
        if prepare is not None:
            prepare()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def main(out_dir: Path, suffix: str) -> None:
    url = serve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for width, height, names, tag in ((1366, 768, None, "laptop"), (390, 844, PHONE_PAGES, "phone")):
            context = browser.new_context(
                base_url=url, viewport={"width": width, "height": height}, locale="uz-UZ"
            )
            page = context.new_page()
            page.goto("/login")
            page.fill("input[name=email]", "admin@demo.uz")
            page.fill("input[name=password]", "demo-admin")
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(lambda url: "/login" not in url)
            for name, path in PAGES:
                if names is not None and name not in names:
                    continue
                page.goto(path)
                page.screenshot(path=str(out_dir / f"{name}-{tag}-{suffix}.png"), full_page=tag == "phone")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
