"""The four UI languages: complete catalogs, intact placeholders, locale selection and switching.

The rendering tests need compiled catalogs; .mo files are not committed, so the session compiles
them here when they are missing or older than their .po files.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import get_babel

from tests.conftest import PASSWORD, post_form, reload, soup_of
from tracker.auth.models import User
from tracker.core import translate_cli
from tracker.core.i18n import SESSION_KEY
from tracker.core.permissions import Role
from tracker.plans.models import Plan

LOCALES = translate_cli.LOCALES

#: What each locale must show for a few words: <html lang>, the sign-in button, the
#: "not started" status badge and the approval block of a plan.
EXPECTED = {
    "uz_Latn": {
        "lang": "uz-Latn",
        "sign_in": "Kirish",
        "not_started": "Boshlanmagan",
        "approved": "TASDIQLAYMAN",
    },
    "uz_Cyrl": {
        "lang": "uz-Cyrl",
        "sign_in": "Кириш",
        "not_started": "Бошланмаган",
        "approved": "ТАСДИҚЛАЙМАН",
    },
    "ru": {"lang": "ru", "sign_in": "Войти", "not_started": "Не начато", "approved": "УТВЕРЖДАЮ"},
    "en": {"lang": "en", "sign_in": "Sign in", "not_started": "Not started", "approved": "APPROVED"},
}

#: Python-format placeholders: %(name)s, %(num)d, and the bare forms %s / %d.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def po_path(locale: str) -> Path:
    return translate_cli.TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def load_catalog(locale: str) -> Catalog:
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def messages(locale: str) -> list[Message]:
    return [m for m in load_catalog(locale) if m.id]


def forms(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def source_msgids() -> set[str]:
    """The strings the code marks for translation, extracted as babel.cfg describes (paths from the root)."""
    with (translate_cli.ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(translate_cli.ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs(app: Flask) -> Iterator[None]:
    """Compile the catalogs if a .mo file is missing or older than its .po; drop cached translations."""
    stale = []
    for locale in LOCALES:
        po = po_path(locale)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(locale)
    if stale:
        result = app.test_cli_runner().invoke(args=["translate", "compile"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        get_babel(app).instance.domain_instance.cache.clear()
    yield


def page_lang(response: Any) -> str:
    html = soup_of(response).find("html")
    assert html is not None
    return str(html["lang"])


def sign_in_button(response: Any) -> str:
    button = soup_of(response).select_one("main form button[type=submit]")
    assert button is not None
    return button.get_text(strip=True)


def assert_login_page_in(response: Any, locale: str) -> None:
    assert response.status_code == 200
    assert page_lang(response) == EXPECTED[locale]["lang"]
    assert sign_in_button(response) == EXPECTED[locale]["sign_in"]


# -- the catalogs -------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete(locale: str) -> None:
    assert translate_cli.catalog_problems(locale) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_has_every_string_of_the_code(locale: str) -> None:
    """A catalog without the code's strings would pass the check above while showing English."""
    wanted = source_msgids()
    assert len(wanted) > 200
    have = {m.id[0] if isinstance(m.id, tuple) else m.id for m in messages(locale)}
    assert sorted(wanted - have) == [], "run `flask translate update` and translate the new strings"


def test_extract_command_finds_the_code_strings(tmp_path: Path) -> None:
    translate_cli.extract(tmp_path / "messages.pot")
    with (tmp_path / "messages.pot").open("rb") as handle:
        extracted = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(handle) if m.id}
    assert extracted == source_msgids()


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_are_kept(locale: str) -> None:
    catalog = load_catalog(locale)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = forms(message.id)
        expected = placeholders(ids[-1])
        if any(placeholders(i) != expected for i in ids):  # msgid and msgid_plural disagree: compare sets
            expected = Counter(set().union(*(placeholders(i) for i in ids)))
        for text in forms(message.string):
            if placeholders(text) != expected:
                wrong.append((ids[0], text))
        wrong.extend((ids[0], str(error)) for error in message.check(catalog))
    assert wrong == []


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_entries_fill_every_form(locale: str) -> None:
    catalog = load_catalog(locale)
    for message in catalog:
        if message.id and message.pluralizable:
            assert len(message.string) == catalog.num_plurals, message.id
            assert all(message.string), message.id


def test_latin_catalog_is_in_the_latin_alphabet() -> None:
    """No Cyrillic left over, and oʻ/gʻ written with U+02BB, not with an apostrophe or quote mark."""
    for message in messages("uz_Latn"):
        for text in forms(message.string):
            assert not re.search(r"[\u0400-\u04ff]", text), text
            assert not re.search(r"[OoGg]['‘’`]", text), text


def test_glossary_terms() -> None:
    """A few words that must match the documents (see the glossary)."""
    terms = {
        "Work plan": ("Иш режаси", "Ish rejasi", "План работы"),
        "Measure": ("Чора-тадбир", "Chora-tadbir", "Мероприятие"),
        "Implementation mechanism": (
            "Амалга ошириш механизми",
            "Amalga oshirish mexanizmi",
            "Механизм реализации",
        ),
        "Deadline": ("Ижро муддати", "Ijro muddati", "Срок исполнения"),
        "Legal basis": ("Норматив-ҳуқуқий асоси", "Normativ-huquqiy asosi", "Нормативно-правовое основание"),
        "Expected result": (
            "Мақсад (кутилаётган натижа)",
            "Maqsad (kutilayotgan natija)",
            "Ожидаемый результат",
        ),
        "Responsible": ("Масъул ижрочилар", "Masʼul ijrochilar", "Ответственные исполнители"),
        "Done": ("Бажарилди", "Bajarildi", "Исполнено"),
        "In progress": ("Бажарилмоқда", "Bajarilmoqda", "Исполняется"),
        "Awaiting review": ("Текширувда", "Tekshiruvda", "На проверке"),
        "Overdue": ("Муддати ўтган", "Muddati oʻtgan", "Просрочено"),
        "Accepted": ("Назоратдан ечилди", "Nazoratdan yechildi", "Снято с контроля"),
        "All structural units": (
            "Барча таркибий тармоқлар",
            "Barcha tarkibiy tarmoqlar",
            "Все структурные подразделения",
        ),
        "Evidence files": ("Тасдиқловчи ҳужжатлар", "Tasdiqlovchi hujjatlar", "Подтверждающие документы"),
    }
    catalogs = {locale: {m.id: m.string for m in messages(locale)} for locale in ("uz_Cyrl", "uz_Latn", "ru")}
    for msgid, (cyrl, latn, ru) in terms.items():
        assert catalogs["uz_Cyrl"][msgid] == cyrl
        assert catalogs["uz_Latn"][msgid] == latn
        assert catalogs["ru"][msgid] == ru


# -- choosing the locale ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "locale"),
    [
        ("uz-Cyrl-UZ", "uz_Cyrl"),
        ("uz-Latn-UZ", "uz_Latn"),
        ("uz-UZ", "uz_Latn"),
        ("uz", "uz_Latn"),
        ("ru-RU", "ru"),
        ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
        ("en-GB", "en"),
        ("de-DE", "uz_Latn"),
        ("de;q=1, ru;q=0.8", "ru"),
        ("ru;q=0.5, en;q=0.9", "en"),
        ("fr-FR, uz-Cyrl;q=0.3, en;q=0.2", "uz_Cyrl"),
        ("", "uz_Latn"),
    ],
)
def test_accept_language(client: FlaskClient, accept_language: str, locale: str) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    assert_login_page_in(client.get("/login", headers=headers), locale)


def test_session_beats_accept_language(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session[SESSION_KEY] = "en"
    assert_login_page_in(client.get("/login", headers={"Accept-Language": "ru-RU"}), "en")


def test_unknown_session_value_falls_back(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session[SESSION_KEY] = "klingon"
    assert_login_page_in(client.get("/login", headers={"Accept-Language": "ru-RU"}), "ru")


def test_user_preference_beats_session_and_browser(
    client: FlaskClient, make_user: Callable[..., User], login_as: Callable[[User], FlaskClient]
) -> None:
    login_as(make_user(Role.VIEWER, locale="ru"))
    with client.session_transaction() as session:
        session[SESSION_KEY] = "en"
    response = client.get("/profile", headers={"Accept-Language": "uz-Cyrl-UZ"})
    assert response.status_code == 200
    assert page_lang(response) == "ru"


def test_user_without_preference_follows_session(
    client: FlaskClient, make_user: Callable[..., User], login_as: Callable[[User], FlaskClient]
) -> None:
    login_as(make_user(Role.VIEWER))
    with client.session_transaction() as session:
        session[SESSION_KEY] = "uz_Cyrl"
    response = client.get("/profile", headers={"Accept-Language": "en-GB"})
    assert page_lang(response) == "uz-Cyrl"


# -- switching the language ---------------------------------------------------------------------


def test_switch_language_for_the_session(client: FlaskClient) -> None:
    response = post_form(client, "/language/uz_Cyrl", {"next": "/login"}, headers={"Accept-Language": "en"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert_login_page_in(client.get("/login", headers={"Accept-Language": "en"}), "uz_Cyrl")
    # a new session knows nothing of it
    assert_login_page_in(
        client.application.test_client().get("/login", headers={"Accept-Language": "en"}), "en"
    )


@pytest.mark.parametrize("code", ["uz-cyrl", "UZ_CYRL"])
def test_switch_accepts_spelling_variants(client: FlaskClient, code: str) -> None:
    assert post_form(client, f"/language/{code}").status_code == 302
    assert page_lang(client.get("/login")) == "uz-Cyrl"


@pytest.mark.parametrize("code", ["de", "uz_Arab", "xx", "uz"])
def test_switch_to_unknown_language_is_refused(client: FlaskClient, code: str) -> None:
    assert post_form(client, f"/language/{code}").status_code == 400
    assert_login_page_in(client.get("/login"), "uz_Latn")


def test_switch_without_csrf_token_is_refused(client: FlaskClient) -> None:
    assert client.post("/language/ru").status_code == 400
    assert_login_page_in(client.get("/login"), "uz_Latn")


def test_switch_does_not_redirect_off_site(client: FlaskClient) -> None:
    response = post_form(client, "/language/ru", {"next": "//evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_signed_in_switch_is_stored_and_survives_a_new_session(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], login_as: Callable[[User], FlaskClient]
) -> None:
    user = make_user(Role.VIEWER)
    login_as(user)
    assert post_form(client, "/language/uz_Cyrl").status_code == 302
    assert reload(user).locale == "uz_Cyrl"
    assert page_lang(client.get("/profile", headers={"Accept-Language": "en"})) == "uz-Cyrl"

    other = app.test_client()  # another browser: no session, a different Accept-Language
    assert_login_page_in(other.get("/login", headers={"Accept-Language": "ru"}), "ru")
    response = post_form(other, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert page_lang(other.get("/profile", headers={"Accept-Language": "ru"})) == "uz-Cyrl"


# -- pages in the four languages ----------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_plan_page_in_every_language(
    client: FlaskClient,
    make_plan: Callable[..., Plan],
    make_user: Callable[..., User],
    login_as: Callable[[User], FlaskClient],
    locale: str,
) -> None:
    plan = make_plan()
    login_as(make_user(Role.VIEWER, locale=locale))
    response = client.get(f"/plans/{plan.id}")
    assert response.status_code == 200
    soup = soup_of(response)
    assert page_lang(response) == EXPECTED[locale]["lang"]
    badges = [b.get_text(strip=True) for b in soup.select(".status-badge")]
    assert badges == [EXPECTED[locale]["not_started"]]
    # The approval block is shown as printed (the Cyrillic plan's own words and date form) in every
    # UI language, with the Latin transliteration on demand.
    block = soup.select_one("#approval-block")
    assert block.find("div").get_text(strip=True) == "ТАСДИҚЛАЙМАН"
    assert "2024 йил 04 январь" in block.get_text(" ")
    assert "TASDIQLAYMAN" in block.select_one("details").get_text(" ")
