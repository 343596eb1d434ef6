"""The issue's journey in a real browser: the executor reports a measure done with a note and a
file, the controller accepts it, and the plan page shows it done.

Elements are found by stable attributes and URLs; where a label or name is checked, its expected
text is what the server itself renders in Uzbek (Latin), so the test holds whether or not the
translation catalogs are compiled.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # CI installs Playwright; a local checkout may not have it
    pytest.skip("Playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

EXECUTOR = ("executor@demo.uz", "demo-executor")
CONTROLLER = ("controller@demo.uz", "demo-controller")
NOTE = "Milliy strategiya loyihasi ishlab chiqildi va Vazirlar Mahkamasiga kiritildi."
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def minimal_pdf() -> bytes:
    """A small but well-formed one-page PDF, with a correct cross-reference table."""
    content = b"BT /F1 12 Tf 20 50 Td (Hisobot / Report) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def sign_in(page: Page, server: LiveServer, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label(server.gettext("E-mail"), exact=True).fill(email)
    page.get_by_label(server.gettext("Password"), exact=True).fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{server.url}/inbox")  # sign-in lands on the inbox


def sign_out(page: Page, server: LiveServer) -> None:
    page.locator("#user-menu-button").click()  # sign-out lives in the user menu
    button = page.locator('nav form[action="/logout"] button[type=submit]')
    expect(button).to_have_accessible_name(server.gettext("Sign out"))
    button.click()
    expect(page).to_have_url(f"{server.url}/login")


def success_alert(page: Page, server: LiveServer, message: str) -> None:
    alert = page.locator("main .alert-success")
    expect(alert).to_have_text(server.gettext(message))
    expect(alert).to_have_attribute("role", "status")


def status_badge(page: Page) -> Any:
    """The measure page's status badge, next to its heading."""
    return page.locator("main h1 + p .status-badge")


def expect_measure_done_on_plan(page: Page, server: LiveServer, plan_path: str) -> None:
    page.goto(plan_path)
    row = page.locator('#measures tr[data-number="1"]')
    expect(row).to_have_attribute("data-status", "done")
    expect(row).not_to_have_class(re.compile(r"\bis-overdue\b"))
    badge = row.locator("td:last-child .status-badge")
    expect(badge).to_have_text(server.gettext("Done"))
    expect(badge).to_have_class(re.compile(r"\btext-bg-success\b"))
    expect(row.locator("td:last-child")).to_contain_text(NOTE)


def save_screenshot(page: Page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 1000, f"{path} is not a real PNG"


def test_executor_reports_done_controller_accepts_plan_shows_done(
    new_page: Callable[..., Page], live_server: LiveServer, tmp_path: Path
) -> None:
    server = live_server
    pdf = minimal_pdf()
    evidence = tmp_path / "hisobot.pdf"
    evidence.write_bytes(pdf)

    # 1. The executor reports measure №1 done, with a note and a file.
    page = new_page()
    sign_in(page, server, *EXECUTOR)
    page.goto("/plans")
    page.get_by_role("link", name=re.compile("ИШ РЕЖАСИ", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/plans/\d+$"))
    plan_path = page.url.removeprefix(server.url)
    row = page.locator('#measures tr[data-number="1"]')
    expect(row).to_have_attribute("data-status", "not_started")
    row.locator('a[href^="/measures/"]').click()
    expect(page).to_have_url(re.compile(r"/measures/\d+$"))
    measure_path = page.url.removeprefix(server.url)

    report = page.locator(f'main a[href="{measure_path}/status"]')
    expect(report).to_have_accessible_name(server.gettext("Report progress"))
    report.click()
    expect(page).to_have_url(f"{server.url}{measure_path}/status")
    form = page.locator('main form[enctype="multipart/form-data"]')
    done = form.locator("input[name=status][value=done_claimed]")
    expect(done).to_have_accessible_name(server.gettext("Done (send for review)"))
    done.check()
    note = form.get_by_label(server.gettext("Note: what was done, what remains"), exact=True)
    expect(note).to_have_attribute("name", "note")
    note.fill(NOTE)
    files = form.locator("input[type=file][name=files]")
    expect(files).to_have_accessible_name(server.gettext("Evidence files"))
    files.set_input_files(str(evidence))
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(f"{server.url}{measure_path}")
    success_alert(page, server, "Your report is sent to the secretariat for review.")
    expect(status_badge(page)).to_have_text(server.gettext("Awaiting review"))
    expect(status_badge(page)).to_have_class(re.compile(r"\btext-bg-warning\b"))
    expect(page.locator("ol.timeline")).to_contain_text(NOTE)
    sign_out(page, server)

    # 2. The controller finds the claim among the reports to review, checks the file, accepts it.
    page = new_page()
    sign_in(page, server, *CONTROLLER)
    page.goto("/reviews")
    claim = page.locator("main tbody tr", has_text=NOTE)
    expect(claim).to_have_count(1)
    claim.locator(f'a[href="{measure_path}"]').click()
    expect(page).to_have_url(f"{server.url}{measure_path}")
    attachment = page.locator('main ol.timeline a[href^="/attachments/"]', has_text=evidence.name)
    expect(attachment).to_have_count(1)
    with page.expect_download() as download_info:
        attachment.click()
    download = download_info.value
    assert download.suggested_filename == evidence.name
    assert Path(download.path()).read_bytes() == pdf
    page.locator('main form[action$="/accept"] button[type=submit]').click()
    expect(page).to_have_url(f"{server.url}{measure_path}")
    success_alert(page, server, "Accepted: the item is done.")
    expect(status_badge(page)).to_have_text(server.gettext("Done"))

    # 3. The plan page shows measure №1 done, to the controller and to the executor.
    expect_measure_done_on_plan(page, server, plan_path)
    save_screenshot(page, tmp_path / "plan.png")
    sign_out(page, server)

    page = new_page()
    sign_in(page, server, *EXECUTOR)
    expect_measure_done_on_plan(page, server, plan_path)
    page.goto(measure_path)
    expect(status_badge(page)).to_have_text(server.gettext("Done"))
    save_screenshot(page, tmp_path / "measure.png")


def test_language_switcher_changes_html_lang(new_page: Callable[..., Page], live_server: LiveServer) -> None:
    # A browser asking for a language the app does not offer gets the default, Uzbek (Latin).
    page = new_page(locale="de-DE")
    page.goto("/login")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "uz-Latn")
    page.get_by_role("button", name="Русский", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/login")
    expect(html).to_have_attribute("lang", "ru")
    expect(page.get_by_role("button", name="Русский", exact=True)).to_have_attribute("aria-current", "true")
    page.get_by_role("button", name="Oʻzbekcha", exact=True).click()
    expect(html).to_have_attribute("lang", "uz-Latn")
