"""The public pages on a phone (390×844) in a real Chromium: the list of published plans and a
plan's status table, in Uzbek Latin and Cyrillic, readable without sideways scrolling and
without serious accessibility violations (axe-core)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

try:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect
except ImportError:  # CI installs both; a local checkout may not have them
    pytest.skip("Playwright and axe-playwright-python are needed", allow_module_level=True)

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def _publish_demo_plans(live_server: LiveServer) -> dict[str, int]:
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.open import services
    from tracker.plans.models import Plan

    with live_server.app.app_context():
        plans = {p.kind: p for p in db.session.scalars(select(Plan))}
        for plan in plans.values():
            if services.publication_of(plan) is None or not services.publication_of(plan).is_public:
                services.publish_plan(plan, actor=None)
        db.session.commit()
        return {str(kind): plan.id for kind, plan in plans.items()}


def _serious(page: Any) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _fits_the_screen(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_public_pages_on_a_phone_in_latin_and_cyrillic(chromium: Any, live_server: LiveServer) -> None:
    ids = _publish_demo_plans(live_server)
    context = chromium.new_context(viewport=PHONE, base_url=live_server.url, locale="uz-UZ")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/open/?lang=uz_Latn")
        expect(page.locator("html")).to_have_attribute("lang", "uz-Latn")
        links = page.locator("article h3 a")
        expect(links).to_have_count(len(ids))
        assert not CYRILLIC.search(page.locator("main").inner_text())
        assert _fits_the_screen(page)
        assert _serious(page) == []

        page.locator(f'article h3 a[href^="/open/plans/{ids["roadmap"]}"]').click()
        page.wait_for_url(re.compile(rf"/open/plans/{ids['roadmap']}"))
        title = page.locator("h1").inner_text()
        assert "YOʻL XARITASI" in title.upper() and not CYRILLIC.search(title)
        rows = page.locator("#measures tbody tr")
        assert rows.count() > 3
        expect(rows.first.locator("td[data-label]").first).to_be_visible()
        assert _fits_the_screen(page)
        assert _serious(page) == []

        page.locator('header a[lang="uz-Cyrl"]').click()
        expect(page.locator("html")).to_have_attribute("lang", "uz-Cyrl")
        title = page.locator("h1").inner_text()
        assert "ЙЎЛ ХАРИТАСИ" in title.upper()
        assert page.locator("#measures tbody tr").count() == rows.count()
        assert _fits_the_screen(page)
        assert _serious(page) == []

        page.goto("/open/?lang=uz_Cyrl")
        assert CYRILLIC.search(page.locator("article h3 a").first.inner_text())
        assert _serious(page) == []
    finally:
        context.close()
