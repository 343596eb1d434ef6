"""A report built in the background reaches its waiting page by itself, under the strict CSP:
the page asks the server, which answers when the job moves on; no reloading every 2 s."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # CI installs Playwright; a local checkout may not have it
    pytest.skip("Playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

from tests.browser.test_journey import CONTROLLER, sign_in

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def _work_plan_id(server: LiveServer) -> int:
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.plans.models import Plan, PlanKind

    with server.app.app_context():
        return db.session.scalar(select(Plan.id).where(Plan.kind == PlanKind.WORK_PLAN).limit(1))


@pytest.fixture
def background_reports(live_server: LiveServer) -> Iterator[None]:
    """Every report goes to the background, built by the server's worker thread."""
    config = live_server.app.config
    saved = {key: config.get(key) for key in ("REPORTS_BACKGROUND_THRESHOLD", "REPORTS_WORKER")}
    config.update(REPORTS_BACKGROUND_THRESHOLD=0, REPORTS_WORKER="thread")
    yield
    config.update(saved)


def test_the_job_page_shows_the_download_when_the_report_is_ready(
    new_page: Callable[..., Page], live_server: LiveServer, background_reports: None
) -> None:
    page = new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security" in message.text else None,
    )
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, live_server, *CONTROLLER)
    plan_id = _work_plan_id(live_server)

    page.goto(f"/plans/{plan_id}/report.pdf?kind=status&as_of=2024-06-01&script=latn")
    expect(page).to_have_url(re.compile(r"/reports/jobs/\d+$"))
    download = page.locator("#job a#download")
    expect(download).to_be_visible(timeout=120_000)  # the worker thread builds it; the page hears it
    assert page.locator("#job").get_attribute("data-state") == "done"
    assert any("/wait?seen=" in url for url in requests)  # it waited on the server, not on a timer
    assert blocked == []
    response = page.request.get(download.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
