"""The interface in a real Chromium, at an office laptop's 1366×768 and a phone's 390×844, in all
four languages, signed in as the admin (the role with the most menu items; the review list as the
controller).

On each of the ten main pages, at both sizes: the top bar holds one line; on the laptop the
sections hold one line too, and on the phone they are collapsed and the page never scrolls
sideways (wide tables and drawings scroll in their own box). On the laptop, no chart or timeline
label overlaps another or runs out of its drawing (the drawings scale uniformly, so the phone
shows the same) and no English msgid shows on a non-English page. axe-core (vendored from npm as
tests/browser/vendor/axe.min.js) finds no serious or critical violation at either size. One
browser, one context per language and user; the phone pass reuses the page with a smaller viewport.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.test_i18n_pages import ATTRIBUTES, english_msgids

try:
    from playwright.sync_api import Page, expect
except ImportError:  # CI installs Playwright; a local checkout may not have it
    pytest.skip("Playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ADMIN = ("admin@demo.uz", "demo-admin")
#: The review list is the controller's; the admin has the most menu items.
CONTROLLER = ("controller@demo.uz", "demo-controller")
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LANGUAGES = ("uz_Latn", "uz_Cyrl", "ru", "en")
MAIN_PAGES = (
    "/plans",
    "/plans/1",
    "/measures/1",
    "/dashboard",
    "/plans/2/timeline",
    "/plans/1/calendar",
    "/rating",
    "/search?q=strategiya",
    "/admin/audit",
)
CONTROLLER_PAGES = ("/reviews",)

#: Pairs of <text> boxes in one drawing that overlap, and boxes that leave their drawing.
LABEL_PROBLEMS_JS = """() => {
  const problems = [];
  for (const svg of document.querySelectorAll('.chart svg')) {
    const frame = svg.getBoundingClientRect();
    const boxes = [...svg.querySelectorAll('text')]
      .map(t => ({text: t.textContent.trim(), r: t.getBoundingClientRect()}))
      .filter(b => b.text && b.r.width > 0);
    for (const b of boxes) {
      const out = b.r.left < frame.left - 1 || b.r.right > frame.right + 1
        || b.r.top < frame.top - 1 || b.r.bottom > frame.bottom + 1;
      if (out) problems.push('clipped: ' + b.text);
    }
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].r, c = boxes[j].r;
      const w = Math.min(a.right, c.right) - Math.max(a.left, c.left);
      const h = Math.min(a.bottom, c.bottom) - Math.max(a.top, c.top);
      if (w > 1 && h > 1) problems.push('overlap: ' + boxes[i].text + ' / ' + boxes[j].text);
    }
  }
  return problems;
}"""

#: The header's shape: top bar height, the sections' distinct rows and right edge, the search box.
HEADER_JS = """() => {
  const links = [...document.querySelectorAll('#main-nav .nav-link')].filter(a => a.offsetParent);
  const search = document.querySelector('#nav-search');
  return {
    topbar: document.querySelector('.tracker-topbar').getBoundingClientRect().height,
    rows: new Set(links.map(a => Math.round(a.getBoundingClientRect().top))).size,
    right: Math.max(0, ...links.map(a => a.getBoundingClientRect().right)),
    links: links.length,
    search: search ? search.getBoundingClientRect().width : 0,
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  };
}"""


#: What people read or hear: text nodes, and the attributes that test_i18n_pages reads too.
WORDS_JS = """() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (['SCRIPT', 'STYLE', 'TITLE'].includes(node.parentElement.tagName)) continue;
    const text = node.textContent.split(/\\s+/).filter(Boolean).join(' ');
    if (text) words.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], [alt]'))
    for (const name of ATTRIBUTES) if (el.hasAttribute(name)) words.push(el.getAttribute(name).trim());
  return words;
}""".replace("ATTRIBUTES", json.dumps(list(ATTRIBUTES)))


def sign_in_in_language(page: Page, server: LiveServer, language: str, user: tuple[str, str] = ADMIN) -> None:
    page.goto("/login")
    page.fill("input[name=email]", user[0])
    page.fill("input[name=password]", user[1])
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{server.url}/inbox")  # sign-in lands on the inbox (issue 11)
    page.locator("#user-menu-button").click()
    page.locator(f'#user-menu form[action="/language/{language}"] button').click()
    expect(page.locator("html")).to_have_attribute("lang", language.replace("_", "-"))


def axe_violations(page: Page) -> list[str]:
    """Serious and critical axe-core violations of the page, as "rule: target" lines."""
    # Evaluated through the driver, not as a <script> tag: the page's CSP forbids inline script.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {node['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"][:3]
    ]


def check_page(page: Page, path: str, language: str, *, phone: bool, menu_items: int = 8) -> list[str]:
    """What is wrong with one page at the current viewport, in words."""
    problems: list[str] = []
    response = page.goto(path, wait_until="domcontentloaded")
    assert response is not None and response.status == 200, path
    header = page.evaluate(HEADER_JS)
    if header["topbar"] > 60:
        problems.append(f"top bar wraps ({header['topbar']:.0f} px)")
    if phone:
        if header["pageWidth"] > header["viewport"]:
            problems.append(f"page scrolls sideways ({header['pageWidth']} > {header['viewport']} px)")
        if header["links"]:
            problems.append("sections are not collapsed")
    else:
        if header["rows"] != 1 or header["right"] > header["viewport"] or header["links"] < menu_items:
            problems.append(f"sections not on one line: {header}")
        if header["search"] < 150:
            problems.append(f"search box {header['search']:.0f} px wide")
    if phone:  # the drawings scale uniformly, and the words are the laptop's: checked there
        return [f"{language} phone {path}: {p}" for p in problems]
    problems += page.evaluate(LABEL_PROBLEMS_JS)
    if language != "en":
        msgids = english_msgids(language)
        problems += [f"English: {w}" for w in page.evaluate(WORDS_JS) if w in msgids]
    return [f"{language} {'phone' if phone else 'laptop'} {path}: {p}" for p in problems]


def test_main_pages_in_four_languages_on_laptop_and_phone(
    new_page: Callable[..., Page], live_server: LiveServer
) -> None:
    problems: list[str] = []
    try:
        for language in LANGUAGES:
            for user, paths, menu_items in ((ADMIN, MAIN_PAGES, 8), (CONTROLLER, CONTROLLER_PAGES, 7)):
                page = new_page()
                page.set_viewport_size(LAPTOP)
                sign_in_in_language(page, live_server, language, user)
                for phone in (False, True):
                    page.set_viewport_size(PHONE if phone else LAPTOP)
                    for path in paths:
                        problems += check_page(page, path, language, phone=phone, menu_items=menu_items)
                        if language == "uz_Latn":  # axe's rules do not depend on the language
                            where = f"{path} {'phone' if phone else 'laptop'}"
                            problems += [f"axe {where}: {v}" for v in axe_violations(page)]
                page.context.close()
    finally:
        forget_chosen_languages(live_server, ADMIN[0], CONTROLLER[0])
    assert problems == [], "\n".join(problems)


def forget_chosen_languages(server: LiveServer, *emails: str) -> None:
    """The other browser tests expect the demo users to follow their browser's language again."""
    from sqlalchemy import update

    from tracker.auth.models import User
    from tracker.extensions import db

    with server.app.app_context():
        db.session.execute(update(User).where(User.email.in_(emails)).values(locale=None))
        db.session.commit()


def test_keyboard_reaches_content_sections_and_user_menu(
    new_page: Callable[..., Page], live_server: LiveServer
) -> None:
    page = new_page()
    page.set_viewport_size(LAPTOP)
    sign_in_in_language(page, live_server, "uz_Latn")
    page.goto("/plans")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/plans#content")
    # The user menu opens from the keyboard and its items are reachable with the arrow keys.
    page.locator("#user-menu-button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#user-menu")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.locator('#user-menu a[href="/profile"]')).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#user-menu")).to_be_hidden()
    # On a phone the sections open from their button.
    page.set_viewport_size(PHONE)
    forget_chosen_languages(live_server, ADMIN[0])
    toggle = page.locator('button[data-bs-target="#main-nav"]')
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator('#main-nav a[href="/dashboard"]')).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
