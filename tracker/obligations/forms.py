"""The report of one period of a standing duty."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.core.forms import BaseForm, DocDateField


class PeriodReportForm(BaseForm):
    reported_on = DocDateField(_l("Done on"), validators=[DataRequired()])
    evidence_url = StringField(_l("Link to the published page"), validators=[Optional(), Length(max=1000)])
    letter_number = StringField(_l("Letter number"), validators=[Optional(), Length(max=100)])
    files = MultipleFileField(_l("Evidence files"))
    checked = SelectMultipleField(
        _l("Items done in this period"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    note = TextAreaField(_l("Note: what was done"), validators=[DataRequired(), Length(max=20000)])
