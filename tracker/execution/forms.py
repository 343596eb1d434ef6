from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.core.forms import BaseForm, DocDateField, to_choices
from tracker.core.status import STATUS_LABELS, UNIT_STATUSES, Status


class StatusUpdateForm(BaseForm):
    status = RadioField(_l("Status"), choices=[], validators=[DataRequired()])
    note = TextAreaField(
        _l("Note: what was done, what remains"), validators=[DataRequired(), Length(max=20000)]
    )
    #: Internal notes never reach the public pages or open data (tracker/open/).
    is_internal = BooleanField(_l("Internal note: never published"))
    files = MultipleFileField(_l("Evidence files"))
    lock_version = HiddenField()
    #: The occurrence a report is for (recurring obligations); offered only when choices are set.
    period_due_on = SelectField(
        _l("Reporting period"), choices=[], validate_choice=False, validators=[Optional()]
    )

    #: The secretariat may date a report earlier than today (e.g. to fix an imported row), saying why.
    effective_on = DocDateField(
        _l("The day the report speaks for (today when empty)"), validators=[Optional()]
    )
    effective_reason = TextAreaField(_l("Why it is dated earlier"), validators=[Optional(), Length(max=2000)])

    def set_statuses(self, *, is_controller: bool) -> None:
        allowed = list(Status) if is_controller else list(UNIT_STATUSES)
        labels = dict(STATUS_LABELS)
        labels[Status.DONE_CLAIMED] = _l("Done (send for review)")
        self.status.choices = to_choices((s.value, labels[s]) for s in allowed)


class ReviewForm(BaseForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])


class ReturnClaimForm(BaseForm):
    reason = TextAreaField(_l("Why is it returned?"), validators=[DataRequired(), Length(max=4000)])
