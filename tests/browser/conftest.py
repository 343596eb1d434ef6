"""A live server on its own database, and Debian's Chromium driven by Playwright.

The main suite wraps each test in a rolled-back transaction, which a server thread cannot share,
so the browser tests get their own database: a fresh SQLite file, or, when
TRACKER_TEST_DATABASE_URL names a PostgreSQL database, a sibling database "<name>_browser" on the
same server, created here and dropped afterwards (the main suite's database is never touched).
The schema comes from the migrations and the data from the demo loader, as in a real install.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy.engine import URL, make_url
from werkzeug.serving import BaseWSGIServer, make_server

from tests.conftest import database_url, make_test_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class LiveServer:
    app: Flask
    url: str

    def gettext(self, message: str, locale: str = "uz_Latn") -> str:
        """``message`` as the server renders it in ``locale``, whether or not catalogs are compiled."""
        from flask_babel import force_locale, gettext

        with self.app.test_request_context("/"), force_locale(locale):
            return gettext(message)


def _server_url(url: URL, database: str) -> str:
    """A libpq connection string for another database on the same PostgreSQL server."""
    return url.set(drivername="postgresql", database=database).render_as_string(hide_password=False)


def _create_postgres_database(url: URL) -> Callable[[], None]:
    """Create ``url``'s database afresh; returns the function that drops it."""
    import psycopg
    from psycopg import sql

    admin = _server_url(url, "postgres")
    name = sql.Identifier(str(url.database))

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))

    drop()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    return drop


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium; skips when Playwright or Debian's Chromium is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        pytest.skip(f"Debian chromium not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app with the demo data, served by Werkzeug on a free port in a daemon thread."""
    from tracker.demo.loader import load_demo
    from tracker.extensions import db

    tmp_dir = tmp_path_factory.mktemp("browser")
    url = make_url(database_url(tmp_dir))
    drop_database: Callable[[], None] | None = None
    if url.get_backend_name() == "postgresql":
        url = url.set(database=f"{url.database}_browser")
        drop_database = _create_postgres_database(url)
    try:
        app = make_test_app(url.render_as_string(hide_password=False), tmp_dir)
        with app.app_context():
            flask_migrate.upgrade()
            load_demo()
            db.session.commit()
        server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        try:
            yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
            with app.app_context():
                db.engine.dispose()
    finally:
        if drop_database is not None:
            drop_database()


@pytest.fixture
def new_page(chromium: Any, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """Pages in fresh browser contexts (own cookies), all closed after the test."""
    contexts: list[Any] = []

    def factory(locale: str = "uz-UZ") -> Any:
        context = chromium.new_context(locale=locale, base_url=live_server.url, accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()
