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
from typing import Any

import flask_migrate
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.conftest import make_test_app

#: (file name, path, who looks at it): each page as the person whose page it is (the review list
#: is the secretariat's, so the administrator would only get its "no access" page).
PAGES = (
    ("plans", "/plans", "admin"),
    ("plan", "/plans/1", "admin"),
    ("measure", "/measures/1", "admin"),
    ("dashboard", "/dashboard", "admin"),
    ("timeline", "/plans/2/timeline", "admin"),
    ("calendar", "/plans/1/calendar", "admin"),
    ("rating", "/rating", "admin"),
    ("search", "/search?q=strategiya", "admin"),
    ("reviews", "/reviews", "controller"),
    ("audit", "/admin/audit", "admin"),
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


def sign_in(page: Any, who: str) -> Any:
    """``page`` signed in as the demo's ``who`` (admin, controller…; passwords "demo-<who>")."""
    page.goto("/login")
    page.fill("input[name=email]", f"{who}@demo.uz")
    page.fill("input[name=password]", f"demo-{who}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda address: "/login" not in address)
    return page


def main(out_dir: Path, suffix: str) -> None:
    url = serve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for width, height, names, tag in ((1366, 768, None, "laptop"), (390, 844, PHONE_PAGES, "phone")):
            pages: dict[str, Any] = {}  # one signed-in browser context per person
            for name, path, who in PAGES:
                if names is not None and name not in names:
                    continue
                if who not in pages:
                    context = browser.new_context(
                        base_url=url, viewport={"width": width, "height": height}, locale="uz-UZ"
                    )
                    pages[who] = sign_in(context.new_page(), who)
                page = pages[who]
                page.goto(path)
                page.screenshot(path=str(out_dir / f"{name}-{tag}-{suffix}.png"), full_page=tag == "phone")
            for page in pages.values():
                page.context.close()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
