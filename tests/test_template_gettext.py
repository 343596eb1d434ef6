"""Templates translate through tracker.core.i18n.install_template_gettext: the same text as
Flask-Babel's own gettext, in every locale, with variables escaped, plural forms, "%%", and a
locale forced in the middle of a request (e-mails are written in the recipient's language)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale, gettext, ngettext
from markupsafe import escape

from tests.test_i18n import LOCALES, compiled_catalogs  # noqa: F401  (the catalogues, compiled)

DECISIONS = "%(done)s of %(total)s decisions carried out (%(percent)s%%), %(overdue)s overdue."

TEMPLATE = (
    "{{ _('Status') }}|{{ _('Sign in') }}|{{ _('Measure №') }}"
    "|{{ _(decisions, done=3, total=4, percent=75, overdue=hostile) }}"
    "|{{ ngettext('%(num)s measure', '%(num)s measures', 1) }}"
    "|{{ ngettext('%(num)s measure', '%(num)s measures', 5) }}"
    "|{% trans %}Status{% endtrans %}"
)
HOSTILE = "<b>1</b>"


def expected() -> str:
    """The same strings through Flask-Babel, escaped as an autoescaped template escapes them."""
    decisions = gettext(DECISIONS, done=3, total=4, percent=75, overdue=str(escape(HOSTILE)))
    parts = [
        gettext("Status"),
        gettext("Sign in"),
        gettext("Measure №"),
        decisions,
        ngettext("%(num)s measure", "%(num)s measures", 1),
        ngettext("%(num)s measure", "%(num)s measures", 5),
        gettext("Status"),
    ]
    return "|".join(str(escape(p)) if p is not decisions else p for p in parts)


def render(app: Flask) -> str:
    template = app.jinja_env.from_string(TEMPLATE)
    template.environment.autoescape = True
    return template.render(decisions=DECISIONS, hostile=HOSTILE)


def test_templates_use_the_one_lookup(app: Flask) -> None:
    for name in ("_", "gettext", "ngettext"):
        assert app.jinja_env.globals[name].__module__ == "tracker.core.i18n", name


@pytest.mark.parametrize("locale", LOCALES)
def test_template_text_is_flask_babels(app: Flask, locale: str) -> None:
    with app.test_request_context("/"), force_locale(locale):
        shown = render(app)
        assert shown == expected()
        assert "&lt;b&gt;1&lt;/b&gt;" in shown and "<b>" not in shown  # variables are escaped
        assert "75%" in shown and "%%" not in shown
    if locale != "en":
        with app.test_request_context("/"), force_locale("en"):
            english = render(app)
        assert shown != english  # translated, not the English msgids


def test_a_forced_locale_inside_a_request_and_back(app: Flask) -> None:
    with app.test_request_context("/"), force_locale("uz_Cyrl"):
        before = render(app)
        with force_locale("ru"):
            russian = render(app)
            assert russian == expected()
        assert render(app) == before  # the request's own language again
        assert before.startswith("Ижро ҳолати|Кириш|"), before


def test_the_first_string_of_a_request_chooses_its_locale(app: Flask) -> None:
    """Nothing has asked for the locale yet: the first string chooses it, as Flask-Babel would."""
    with app.test_request_context("/", headers={"Accept-Language": "ru-RU"}):
        shown = render(app)
        assert shown == expected()
        assert shown.startswith("Ход исполнения|"), shown
