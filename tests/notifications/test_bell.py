"""The bell's unread count comes with the signed-in user's own statement on pages that change
nothing, and is counted afresh where a request may have changed it (issue 17)."""

from __future__ import annotations

from flask import g

from tests.conftest import login, post_form, soup_of
from tests.query_count import counting_statements
from tracker.auth.loaders import user_figure
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.notifications import services as notifications
from tracker.notifications.views import UNREAD


def _bell(page) -> str | None:
    badge = page.select_one("#notifications-bell [data-unread]")
    return badge["data-unread"] if badge is not None else None


def test_the_bell_comes_with_the_user_and_follows_what_is_read(db, client, office):
    measure = office.plan.measures[0]
    first = execution.submit_status_update(
        measure, status=Status.DONE_CLAIMED, note="Тайёр", actor=office.executor
    )
    execution.return_claim(first, actor=office.controller, reason="Илова йўқ")
    execution.submit_status_update(
        measure, status=Status.DONE_CLAIMED, note="Илова билан", actor=office.executor
    )
    db.session.commit()
    unread = notifications.unread_count(office.quiet_controller)
    assert unread >= 2
    login(client, office.quiet_controller)
    client.get("/plans")
    with counting_statements(db.engine) as statements:
        page = soup_of(client.get("/plans"))
    assert _bell(page) == str(unread)
    counts = [s for s in statements if "count(notifications.id)" in s]
    assert len(counts) == 1 and "FROM users" in counts[0]  # inside the signed-in user's statement

    item = soup_of(client.get("/notifications")).select_one('[data-unread="yes"]')
    post_form(client, item.select("form")[1]["action"])  # mark it read
    assert _bell(soup_of(client.get("/plans"))) == str(unread - 1)


def test_a_request_that_may_change_things_counts_afresh(app):
    with app.test_request_context("/plans", method="GET"):
        g.user_figures = {UNREAD: 3}
        assert user_figure(UNREAD) == 3
    with app.test_request_context("/notifications/1/read", method="POST"):
        g.user_figures = {UNREAD: 3}
        assert user_figure(UNREAD) is None
    with app.test_request_context("/api/v1/inbox", method="GET"):  # an API token's user: none read
        assert user_figure(UNREAD) is None
