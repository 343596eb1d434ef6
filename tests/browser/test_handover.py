"""A hand-over in a real browser: the controller returns a claim from the review list with a
reason; the executor signs in, finds it in the inbox with the reason, reports again; the
controller accepts it from the review list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # CI installs Playwright; a local checkout may not have it
    pytest.skip("Playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

from tests.browser.test_journey import CONTROLLER, EXECUTOR, sign_in, sign_out

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

REASON = "Dalolatnoma ilova qilinmagan"
AGAIN = "Dalolatnoma ilova qilindi, natijalar saytda eʼlon qilindi."


def _claim_row(page: Page, number: str):  # noqa: ANN202
    return page.locator("#reviews li[data-update]", has_text=f"№{number}.")


def test_returned_claim_reaches_the_executor_who_reports_again_and_is_accepted(
    new_page: Callable[..., Page], live_server: LiveServer
) -> None:
    server = live_server
    # 1. The controller returns the demo's claim on measure №4 from the review list, with a reason.
    page = new_page()
    sign_in(page, server, *CONTROLLER)
    row = _claim_row(page, "4")
    expect(row).to_have_count(1)
    row.locator("input[name=update_ids]").check()
    page.locator("#bulk-review textarea[name=comment]").fill(REASON)
    page.locator("#bulk-review [name=send_back]").click()
    expect(page.locator("main .alert-success")).to_have_count(1)
    expect(_claim_row(page, "4")).to_have_count(0)
    sign_out(page, server)

    # 2. The executor lands on the inbox, sees it returned with the reason, and reports again.
    page = new_page()
    sign_in(page, server, *EXECUTOR)
    returned = page.locator("#returned li[data-update]", has_text="№4.")
    expect(returned).to_have_count(1)
    expect(returned.locator(".returned-reason")).to_contain_text(REASON)
    expect(page.locator("#notifications-bell [data-unread]")).to_have_count(1)  # the bell rang too
    returned.locator("a.btn").click()
    expect(page).to_have_url(re.compile(r"/measures/\d+/status$"))
    form = page.locator('main form[enctype="multipart/form-data"]')
    form.locator("input[name=status][value=done_claimed]").check()
    form.locator("textarea[name=note]").fill(AGAIN)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/measures/\d+$"))
    measure_path = page.url.removeprefix(server.url)
    page.goto("/inbox")
    expect(page.locator("#returned li[data-update]", has_text="№4.")).to_have_count(0)
    sign_out(page, server)

    # 3. The controller accepts the new report from the review list.
    page = new_page()
    sign_in(page, server, *CONTROLLER)
    row = _claim_row(page, "4")
    expect(row).to_contain_text(AGAIN)
    row.locator("input[name=update_ids]").check()
    page.locator("#bulk-review [name=accept]").click()
    expect(page.locator("main .alert-success")).to_have_count(1)
    page.goto(measure_path)
    expect(page.locator("main h1 + p .status-badge")).to_have_text(server.gettext("Done"))
