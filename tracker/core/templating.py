"""Template globals and filters shared by every page."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from flask import Flask, g, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale
from markupsafe import Markup, escape

from tracker.core.forms import EmptyForm
from tracker.core.i18n import LANGUAGE_NAMES, html_lang
from tracker.core.status import REVIEW_LABELS, STATUS_COLOURS, STATUS_LABELS, ReviewState, Status
from tracker.core.time import TASHKENT, today


def ui_locale() -> str:
    """The request's UI locale as a string ("uz_Cyrl"), as :func:`flask_babel.get_locale` gives it.

    Read for every row of a table (status badges, dates): Flask-Babel keeps the locale it chose
    (or that ``force_locale`` set) on ``g._flask_babel``; one lookup there instead of the several
    context-proxy lookups of ``get_locale()``, which falls in when nothing is chosen yet.
    """
    chosen = getattr(g.get("_flask_babel"), "babel_locale", None) if has_request_context() else None
    return str(chosen or get_locale() or "")


def status_label(status: str) -> Any:
    return STATUS_LABELS[Status(status)]


def status_badge(status: str, overdue: bool = False) -> Markup:
    """The status as colour and word (never colour alone), plus an "overdue" badge."""
    # Drawn for every row and step of a table: the same few badges, built once per language.
    return _status_badge(Status(status), overdue, ui_locale())


@lru_cache(maxsize=256)
def _status_badge(status: Status, overdue: bool, _locale: str) -> Markup:
    from flask_babel import gettext as _

    html = Markup('<span class="badge text-bg-{colour} status-badge">{label}</span>').format(
        colour=STATUS_COLOURS[status], label=STATUS_LABELS[status]
    )
    if overdue:
        html += Markup(' <span class="badge text-bg-danger">{}</span>').format(_("Overdue"))
    return html


def paragraphs(text: str | None) -> Markup:
    """Plain text with its line breaks kept, escaped."""
    if not text:
        return Markup("")
    return Markup("<br>").join(escape(line) for line in text.splitlines())


def _uz_script() -> str | None:
    """ "cyrl" or "latn" in the Uzbek UIs, where dates follow the documents rather than CLDR."""
    locale = ui_locale()
    if locale.startswith("uz"):
        return "cyrl" if locale == "uz_Cyrl" else "latn"
    return None


def show_date(value: date | datetime | None, fmt: str = "medium") -> str:
    """A date or time for people: the official forms in Uzbek ("04.10.2022", "2022 йил 4 октябрь"), Babel's
    otherwise. Times are shown in Asia/Tashkent."""
    if value is None:
        return ""
    script = _uz_script()
    if isinstance(value, datetime):
        if script is None:
            return format_datetime(value, "short")
        from tracker.uzbek import format_doc_date

        local = value.astimezone(TASHKENT)
        return f"{format_doc_date(local.date(), script, 'numeric')} {local:%H:%M}"
    if script is None:
        return format_date(value, fmt)
    from tracker.uzbek import format_doc_date

    return format_doc_date(value, script, "numeric" if fmt == "short" else "long")


def doc_date(value: date | None, style: str = "long") -> str:
    """A date as official documents write it ("2024 йил 04 январь") in the Uzbek UIs, else Babel's."""
    if value is None:
        return ""
    script = _uz_script()
    if script is None:
        return format_date(value, "long")
    from tracker.uzbek import format_doc_date

    return format_doc_date(value, script, style)


def number(value: float | int | None, digits: int = 0) -> str:
    """A number in the UI language's digits and separators ("1 234,5" in Russian and Uzbek)."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)


def percent(value: float | None, digits: int = 0) -> str:
    """A share 0–1 as a percentage in the UI language ("45 %" in Russian, "45%" in English)."""
    if value is None:
        return ""
    return format_percent(value, format="#,##0" + ("." + "0" * digits if digits else "") + "%")


def file_size(size: int | None) -> str:
    """Bytes for people, with the unit in the UI language ("12,3 КБ", "1.2 MB")."""
    from flask_babel import gettext as _

    if size is None:
        return ""
    if size < 1024:
        return _("%(n)s B", n=number(size))
    if size < 1024 * 1024:
        return _("%(n)s KB", n=number(size / 1024, 1))
    return _("%(n)s MB", n=number(size / 1024 / 1024, 1))


_WORD = re.compile(r"[\w\u02bb\u02bc\u2018\u2019'-]+")


def highlight(text: str | None, tokens: list[str] | None) -> Markup:
    """``text`` escaped, with each word that a search token starts (in either script) in <mark>."""
    from tracker.uzbek import search_tokens

    if not text:
        return Markup("")
    if not tokens:
        return escape(text)
    out, position = [], 0
    for match in _WORD.finditer(text):
        folded = search_tokens(match.group())
        if any(word.startswith(token) for word in folded for token in tokens):
            out.append(escape(text[position : match.start()]))
            out.append(Markup("<mark>{}</mark>").format(match.group()))
            position = match.end()
    out.append(escape(text[position:]))
    return Markup("").join(out)


def reading_script() -> str | None:
    """The script the signed-in reader chose for plan content ("latn", "cyrl"), or None."""
    # Called for every text of a table (hundreds per page): read the user Flask-Login already loaded
    # for this request from ``g`` instead of going through the ``current_user`` proxy each time.
    user = g.get("_login_user") if has_request_context() else None
    if user is None:
        from flask_login import current_user

        user = current_user
    if user and getattr(user, "is_authenticated", False):
        return getattr(user, "reading_script", None)
    return None


def readable(text: str | None) -> str | None:
    """Plan content in the reader's script, through the project's transliterator (display only)."""
    script = reading_script()
    if not text or script is None:
        return text
    from tracker.uzbek import transliterate

    return transliterate(text, script)


def document_script(text: str | None) -> str:
    """ "cyrl" or "latn": the script a document is written in (Cyrillic when unclear)."""
    from tracker.uzbek import detect_script

    return "latn" if detect_script(text or "") == "latn" else "cyrl"


def in_script(text: str | None, script: str) -> str:
    """``text`` written in ``script`` ("latn"/"cyrl"); unchanged when it is already."""
    from tracker.uzbek import transliterate

    return transliterate(text, script) if text else ""


def printed_date(value: date | None, script: str) -> str:
    """A date as an approval block prints it, in ``script`` ("2024 йил 04 январь")."""
    from tracker.uzbek import format_doc_date

    return format_doc_date(value, script, "approval") if value else ""


def dict_without(value: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k not in keys}


def as_json(value: Any) -> str:
    """JSON with letters kept readable (Cyrillic stays Cyrillic); escaped by the template as usual."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def url_with(**changes: Any) -> str:
    """The current URL with some query arguments changed (filters, pagination)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        args.pop(key, None)
    values: dict[str, Any] = {**(request.view_args or {}), **args}
    return url_for(request.endpoint or "core.index", **values)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        STATUS_LABELS=STATUS_LABELS,
        REVIEW_LABELS=REVIEW_LABELS,
        Status=Status,
        ReviewState=ReviewState,
        status_badge=status_badge,
        status_label=status_label,
        url_with=url_with,
        reading_script=reading_script,
        document_script=document_script,
        printed_date=printed_date,
        today=today,
    )
    app.jinja_env.filters.update(
        paragraphs=paragraphs,
        show_date=show_date,
        as_json=as_json,
        doc_date=doc_date,
        number=number,
        percent=percent,
        file_size=file_size,
        dict_without=dict_without,
        highlight=highlight,
        in_script=in_script,
        readable=readable,
    )

    @app.context_processor
    def _page_context() -> dict[str, Any]:
        locale = str(get_locale() or "uz_Latn")
        return {"current_locale": locale, "html_lang": html_lang(locale), "empty_form": EmptyForm()}
