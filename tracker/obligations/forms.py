"""The report of one period of a standing duty."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
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


class DutyForm(BaseForm):
    number = StringField(_l("Number"), validators=[DataRequired(), Length(max=20)])
    title = TextAreaField(_l("Duty"), validators=[DataRequired(), Length(max=5000)])
    deadline_text = StringField(
        _l("Deadline as the act words it"), validators=[DataRequired(), Length(max=200)]
    )
    frequency = SelectField(_l("Recurrence"), choices=[], validators=[DataRequired()])
    month = IntegerField(_l("Month (yearly duties)"), validators=[Optional(), NumberRange(1, 12)])
    day = IntegerField(
        _l("Day of the month (-1: the last day)"), validators=[Optional(), NumberRange(-1, 31)]
    )
    starts_on = DocDateField(_l("Owed from"), validators=[DataRequired()])
    lead_unit = SelectField(_l("Lead unit"), coerce=int, choices=[], validators=[Optional()])
    checklist = TextAreaField(
        _l("Checklist: one item per line (optional)"), validators=[Optional(), Length(max=20000)]
    )
