"""What the list and scale benches share: sign in through the login form, and time a page with
the number of SQL statements it sent (Flask test client; figures only, nothing asserted)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event


def sign_in(app: Any, email: str, password: str) -> Any:
    """A test client signed in as ``email`` (the real form, CSRF token included)."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, (email, response.status_code)
    return client


def timed_get(app: Any, client: Any, url: str, repeat: int) -> tuple[list[float], int, Any]:
    """Milliseconds of ``repeat`` GETs of ``url`` after one warm-up, the statements of the last
    one, and the last response."""
    from tracker.extensions import db

    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    client.get(url)  # warm up (templates, caches)
    times = []
    response = None
    for _ in range(repeat):
        statements.clear()
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
    return times, len(statements), response
