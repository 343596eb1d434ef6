from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from tracker.core.forms import BaseForm, DocDateField, to_choices
from tracker.reminders.models import CONTINUOUS_PERIOD_LABELS


class PolicyForm(BaseForm):
    days_before = StringField(
        _l("Remind this many days before a deadline"), validators=[DataRequired(), Length(max=60)]
    )
    remind_on_due_day = BooleanField(_l("Remind on the due day"))
    overdue_every_days = IntegerField(
        _l("While overdue, remind every (days)"), validators=[DataRequired(), NumberRange(min=1, max=365)]
    )
    escalate_head_after_days = IntegerField(
        _l("Tell the unit head after this many days overdue (0: never)"),
        validators=[NumberRange(min=0, max=365)],
    )
    escalate_director_after_days = IntegerField(
        _l("Tell the director after this many days overdue (0: never)"),
        validators=[NumberRange(min=0, max=365)],
    )
    continuous_period = SelectField(_l("Continuous measures report"), choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.continuous_period.choices = to_choices((k.value, v) for k, v in CONTINUOUS_PERIOD_LABELS.items())


class HolidayForm(BaseForm):
    day = DocDateField(_l("Day"), validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
