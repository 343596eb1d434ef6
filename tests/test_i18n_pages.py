"""Every page and form, drawn in each non-English UI language, shows no English words of our catalog.

The demo organization is loaded; each GET route is filled with demo ids and visited by the
roles that see the most (admin, controller, executor). A text node, option, button, placeholder,
title or aria-label that equals a msgid whose translation differs is English left on the page,
such as form choices turned into text when a module loads.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, NavigableString
from sqlalchemy import select

from tests.conftest import login, post_form, soup_of

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
LOCALES = ("uz_Latn", "uz_Cyrl", "ru")
ROLES = (
    ("admin@demo.uz", "demo-admin"),
    ("controller@demo.uz", "demo-controller"),
    ("executor@demo.uz", "demo-executor"),
)
ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
#: Routes that are not pages: files, feeds, JSON, or pages that need a one-off token.
NOT_PAGES = re.compile(
    r"^(static|api\.|core\.health|dashboard\.ics_feed|execution\.download|reports\.(download|plan_pdf|summary_pdf)|exports\.)"
)


@cache
def english_msgids(locale: str) -> frozenset[str]:
    """Msgids (without placeholders) that ``locale`` translates into something else."""
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=locale)
    return frozenset(
        m.id
        for m in catalog
        if isinstance(m.id, str)
        and m.id
        and m.string
        and m.string != m.id
        and "%(" not in m.id
        and len(m.id) > 2
    )


def visible_words(soup: BeautifulSoup) -> list[str]:
    """Text nodes and the attributes people read (or hear), each stripped."""
    found = []
    for node in soup.find_all(string=True):
        if isinstance(node, NavigableString) and node.parent.name not in ("script", "style", "title"):
            if text := " ".join(node.split()):
                found.append(text)
    for element in soup.find_all(True):
        found.extend(" ".join(element[a].split()) for a in ATTRIBUTES if element.has_attr(a))
        if (
            element.name == "input"
            and element.get("type") in ("submit", "button")
            and element.has_attr("value")
        ):
            found.append(element["value"])
    return found


def page_urls(app: Any) -> list[str]:
    """One URL per GET route, its arguments taken from the demo data."""
    from tracker.auth.models import User
    from tracker.extensions import db
    from tracker.orgs.models import Unit
    from tracker.plans.models import Measure, Plan, Step

    ids = {
        "plan_id": db.session.scalar(select(Plan.id).order_by(Plan.id)),
        "measure_id": db.session.scalar(select(Measure.id).order_by(Measure.id)),
        "step_id": db.session.scalar(select(Step.id).order_by(Step.id)),
        "unit_id": db.session.scalar(select(Unit.id).order_by(Unit.id)),
        "user_id": db.session.scalar(select(User.id).order_by(User.id)),
        "number": 1,
    }
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or NOT_PAGES.match(rule.endpoint):
            continue
        if any(arg not in ids for arg in rule.arguments):
            continue
        with app.test_request_context():
            from flask import url_for

            urls.add(url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments}))
    return sorted(urls)


@pytest.fixture
def demo(db: Any) -> None:
    from tracker.demo.loader import load_demo

    load_demo()
    db.session.commit()


def english_on_pages(client: Any, db: Any, urls: list[str], locale: str) -> tuple[int, dict[str, set[str]]]:
    """Pages visited, and the English msgids found on each, for every role in ``locale``."""
    from tracker.auth.models import User

    msgids = english_msgids(locale)
    english: dict[str, set[str]] = {}
    visited = 0
    for email, password in ROLES:
        user = db.session.scalar(select(User).where(User.email == email))
        user.locale = locale
        db.session.commit()
        login(client, user, password)
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            visited += 1
            page = soup_of(response)
            assert page.html["lang"] == locale.replace("_", "-")
            found = {word for word in visible_words(page) if word in msgids}
            if found:
                english.setdefault(url, set()).update(found)
        assert post_form(client, "/logout").status_code == 302
    return visited, english


def test_no_english_msgid_on_any_page(app, client, db, demo):
    urls = page_urls(app)
    assert "/plans/new" in urls and "/reports/summary" in urls and len(urls) > 30
    for locale in LOCALES:
        visited, english = english_on_pages(client, db, urls, locale)
        assert visited > 60
        assert english == {}, f"English on {locale} pages: {english}"
