"""Form base classes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_babel import LazyString
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice

from tracker.core.params import MAX_YEAR, MIN_YEAR


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Strips surrounding whitespace from every text field."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            # The unbound field belongs to the form class and is shared by every instance: the
            # filters are given to this binding only (prepending to its kwargs added one more
            # _strip to the class at every instantiation, a worker's fields slower each request).
            filters = (_strip, *unbound_field.kwargs.get("filters", ()))
            return unbound_field.bind(form=form, filters=filters, **options)


class EmptyForm(BaseForm):
    """For POST-only buttons (approve, accept, delete): carries just the CSRF token."""


class _BabelTranslations:
    """Routes WTForms' own messages ("This field is required.") through our catalogs."""

    # WTForms fills the placeholders (%(value)s, %(max)d) itself: the catalog's text is
    # returned unformatted (flask_babel's gettext/ngettext would format it and fail).
    def gettext(self, string: str) -> str:
        from flask_babel import get_translations

        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        from flask_babel import get_translations

        return get_translations().ngettext(singular, plural, n)


BaseForm.Meta.get_translations = lambda self, form: _BabelTranslations()  # type: ignore[attr-defined]


class DocDateField(DateField):
    """A date typed as 04.10.2022 (as in documents) or 2022-10-04 (as browsers send it)."""

    FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")
    #: The date read, None when empty (a required field's validator has refused that by then).
    data: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", list(self.FORMATS))
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        from flask_babel import gettext

        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        raw = valuelist[0].strip()[:40]
        for fmt in self.FORMATS:
            try:
                self.data = datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a date, no time zone)
            except ValueError:
                continue
            if MIN_YEAR <= self.data.year <= MAX_YEAR:
                return
            self.data = None
            raise ValueError(
                gettext("The year must be between %(low)s and %(high)s.", low=MIN_YEAR, high=MAX_YEAR)
            )
        self.data = None
        raise ValueError(gettext("“%(value)s” is not a date. Write it as DD.MM.YYYY.", value=raw))


def to_choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (tuples are deprecated from WTForms 3.3).

    Lazy labels stay lazy, so choices built when a module loads are translated when the form
    is drawn, in the reader's language.
    """
    return [
        SelectChoice(value, label if isinstance(label, LazyString) else str(label)) for value, label in pairs
    ]
