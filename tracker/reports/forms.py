"""The report form (a GET form: it only chooses what to print)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.core.forms import BaseForm, DocDateField, to_choices
from tracker.core.status import STATUS_LABELS, Status

KIND_LABELS = {
    "status": _l("Status report (as of a date)"),
    "plan": _l("Plan document (with the approval block)"),
    "summary": _l("Summary: counts, on-time rate, overdue list"),
}
SCRIPT_LABELS = {"cyrl": _l("Uzbek (Cyrillic)"), "latn": _l("Uzbek (Latin)")}
#: The script a report is printed in unless the reader chooses (organizations have no setting
#: of their own yet); the pre-built report uses it too.
DEFAULT_SCRIPT = "cyrl"
COLUMN_LABELS = {
    "basis": _l("Legal basis"),
    "responsible": _l("Responsible"),
    "result": _l("Expected result"),
}


class ReportForm(BaseForm):
    class Meta:
        csrf = False

    kind = RadioField(_l("Report"), choices=to_choices(KIND_LABELS.items()), default="status")
    as_of = DocDateField(_l("As of"), validators=[InputRequired()])
    script = RadioField(
        _l("Script of the report"), choices=to_choices(SCRIPT_LABELS.items()), default=DEFAULT_SCRIPT
    )
    unit = SelectField(_l("Unit"), coerce=int, choices=[], validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], validators=[Optional()])
    columns = SelectMultipleField(
        _l("Extra columns (status report)"),
        choices=to_choices(COLUMN_LABELS.items()),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        # No Optional(): it would clear the "not a valid choice" error of a forged empty value.
    )
    include_pending = BooleanField(_l("Count claims still awaiting review"))

    def set_choices(self, units: list[tuple[int, str]]) -> None:
        from flask_babel import gettext as _

        self.unit.choices = to_choices([(0, _("All units")), *units])
        self.status.choices = to_choices(
            [
                ("", _("All statuses")),
                *((s.value, STATUS_LABELS[s]) for s in Status),
                ("overdue", _("Overdue")),
            ]
        )
