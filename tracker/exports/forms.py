"""The export buttons' options."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from tracker.core.forms import BaseForm, DocDateField, to_choices


class ExportForm(BaseForm):
    """The export buttons' options, sent as a GET query."""

    class Meta:
        csrf = False

    format = SelectField(
        _l("Format"),
        choices=to_choices([("xlsx", "Excel (XLSX)"), ("csv", "CSV"), ("json", _l("Open data (JSON)"))]),
        default="xlsx",
    )
    script = SelectField(
        _l("Script"),
        choices=to_choices(
            [("", _l("As written")), ("cyrl", "Ўзбекча (кирилл)"), ("latn", "Oʻzbekcha (lotin)")]
        ),
        validators=[Optional()],
    )
    as_of = DocDateField(_l("As of"), validators=[Optional()])
