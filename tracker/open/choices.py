"""What a visitor of the public pages chose in the URL: the day, the script and the language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import request
from flask_babel import gettext as _

from tracker.core.i18n import normalise_locale, select_locale
from tracker.core.time import today

SCRIPTS = ("cyrl", "latn")


@dataclass(frozen=True)
class Choices:
    as_of: date
    #: The day was asked for (a fixed day never changes by itself; "today" does at midnight).
    is_fixed_day: bool
    script: str | None
    locale: str
    #: The language was chosen in the URL (links then keep it).
    is_fixed_language: bool = False
    #: The script was chosen in the URL (else it follows the language, and links leave it out).
    is_fixed_script: bool = False

    def link(self, path: str, **changes: Any) -> str:
        """``path`` with these choices in its query, some changed (None leaves one out)."""
        args: dict[str, Any] = {
            "as_of": self.as_of.isoformat() if self.is_fixed_day else None,
            "script": self.script if self.is_fixed_script else None,
            "lang": self.locale if self.is_fixed_language else None,
        }
        args.update(changes)
        query = urlencode({k: v for k, v in args.items() if v is not None})
        return f"{path}?{query}" if query else path

    def key(self) -> tuple[object, ...]:
        return (
            self.as_of,
            self.is_fixed_day,
            self.script,
            self.locale,
            self.is_fixed_language,
            self.is_fixed_script,
        )


class BadChoice(ValueError):
    pass


def request_locale() -> str:
    return normalise_locale(request.args.get("lang")) or select_locale()


def request_choices(*, default_script_from_locale: bool) -> Choices:
    """The day, script and language of the request; raises :class:`BadChoice` with the reason."""
    locale = request_locale()
    raw_day = request.args.get("as_of", "").strip()
    try:
        as_of = date.fromisoformat(raw_day) if raw_day else today()
    except ValueError:
        raise BadChoice(_("Write the date as YYYY-MM-DD, for example 2024-03-31.")) from None
    if as_of > today():
        raise BadChoice(_("The date cannot be later than today."))
    script = request.args.get("script") or None
    is_fixed_script = script is not None
    if script is not None and script not in SCRIPTS:
        raise BadChoice(_("The script is either cyrl or latn."))
    if script is None and default_script_from_locale and locale.startswith("uz_"):
        script = "cyrl" if locale == "uz_Cyrl" else "latn"
    is_fixed_language = normalise_locale(request.args.get("lang")) is not None
    return Choices(as_of, bool(raw_day), script, locale, is_fixed_language, is_fixed_script)
