"""Locale selection and the language names shown in the switcher."""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user

#: The four UI languages, each named in its own language for the switcher.
LANGUAGE_NAMES: dict[str, str] = {
    "uz_Latn": "Oʻzbekcha",
    "uz_Cyrl": "Ўзбекча",
    "ru": "Русский",
    "en": "English",
}
DEFAULT_LOCALE = "uz_Latn"
SESSION_KEY = "locale"


def _from_accept_language() -> str | None:
    """Map Accept-Language tags (uz-Cyrl-UZ, uz-UZ, ru-RU, en-GB, …) onto our four locales."""
    for tag, _quality in request.accept_languages:
        parts = tag.replace("_", "-").lower().split("-")
        if parts[0] == "uz":
            return "uz_Cyrl" if "cyrl" in parts[1:] else "uz_Latn"
        if parts[0] in ("ru", "en"):
            return parts[0]
    return None


def normalise_locale(value: str | None) -> str | None:
    """One of our four identifiers for a value such as "uz-cyrl", or None."""
    if not value:
        return None
    wanted = value.replace("-", "_").lower()
    for code in LANGUAGE_NAMES:
        if code.lower() == wanted:
            return code
    return None


def select_locale() -> str:
    """User preference, then session, then Accept-Language, then the default: always one of four."""
    if current_user and getattr(current_user, "is_authenticated", False):
        chosen = normalise_locale(getattr(current_user, "locale", None))
        if chosen:
            return chosen
    if request:
        chosen = normalise_locale(session.get(SESSION_KEY)) or _from_accept_language()
        if chosen:
            return chosen
    return current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)


def html_lang(locale: str) -> str:
    """BCP 47 tag for the <html lang> attribute."""
    return locale.replace("_", "-")
