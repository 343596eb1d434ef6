from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.core.forms import BaseForm, DocDateField, to_choices
from tracker.plans.measures import MeasureData
from tracker.plans.models import MEASURE_TEXTS, PLAN_KIND_LABELS, PLAN_STATE_LABELS


class PlanForm(BaseForm):
    kind = SelectField(
        _l("Kind"), choices=to_choices((k.value, label) for k, label in PLAN_KIND_LABELS.items())
    )
    title = TextAreaField(_l("Title"), validators=[DataRequired(), Length(max=2000)])
    period_start = DocDateField(_l("Period start"), validators=[Optional()])
    period_end = DocDateField(_l("Period end"), validators=[Optional()])
    basis = TextAreaField(
        _l("Basis (the document the plan implements)"), validators=[Optional(), Length(max=4000)]
    )
    lock_version = HiddenField()


class PlanFilterForm(BaseForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), choices=[], validate_choice=False)
    state = SelectField(_l("State"), choices=[], validate_choice=False)
    year = IntegerField(_l("Year"), validators=[Optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", str(_l("All")))
        self.kind.choices = to_choices([everything, *((k.value, v) for k, v in PLAN_KIND_LABELS.items())])
        self.state.choices = to_choices([everything, *((k.value, v) for k, v in PLAN_STATE_LABELS.items())])


class MeasureForm(BaseForm):
    number = StringField(_l("№"), validators=[DataRequired(), Length(max=20)])
    title = TextAreaField(_l("Measure"), validators=[DataRequired(), Length(max=4000)])
    mechanism = TextAreaField(_l("Implementation mechanism"), validators=[Optional(), Length(max=20000)])
    deadline_text = StringField(_l("Deadline (as written)"), validators=[Optional(), Length(max=500)])
    due_on = DocDateField(_l("Due date (when the text gives none)"), validators=[Optional()])
    legal_basis = TextAreaField(_l("Legal basis"), validators=[Optional(), Length(max=4000)])
    expected_result = TextAreaField(_l("Expected result"), validators=[Optional(), Length(max=4000)])
    lead_unit_id = SelectField(_l("Lead unit"), coerce=int, choices=[], validate_choice=True)
    co_unit_ids = SelectMultipleField(_l("Co-executors"), coerce=int, choices=[])
    other_responsible = TextAreaField(
        _l("Other responsible (one per line, e.g. “Барча таркибий тармоқлар”)"), validators=[Optional()]
    )
    lock_version = HiddenField()

    def set_units(self, units: list[tuple[int, str]]) -> None:
        self.lead_unit_id.choices = to_choices([(0, _l("— none —")), *units])
        self.co_unit_ids.choices = to_choices(units)

    def measure_data(self) -> MeasureData:
        """The measure as typed. Every text of ``MEASURE_TEXTS`` the form has a field for is read
        by its name, so a new text column needs only its field here."""
        texts = {name: self[name].data or None for name in MEASURE_TEXTS if name in self}
        return MeasureData(
            number=self.number.data,
            title=self.title.data,
            deadline_text=self.deadline_text.data or None,
            due_on=self.due_on.data,
            lead_unit_id=self.lead_unit_id.data or None,
            co_unit_ids=list(self.co_unit_ids.data or []),
            other_responsible=(self.other_responsible.data or "").splitlines(),
            **texts,
        )


class StepForm(BaseForm):
    number = StringField(_l("№"), validators=[DataRequired(), Length(max=20)])
    text = TextAreaField(_l("Step"), validators=[DataRequired(), Length(max=10000)])
    deadline_text = StringField(_l("Deadline (as written)"), validators=[Optional(), Length(max=500)])
    due_on = DocDateField(_l("Due date (when the text gives none)"), validators=[Optional()])
    lock_version = HiddenField()


class ApproveForm(BaseForm):
    position = StringField(_l("Position (as printed)"), validators=[Optional(), Length(max=300)])
    name = StringField(_l("Name (as printed)"), validators=[DataRequired(), Length(max=200)])
    approval_date = DocDateField(_l("Approval date"), validators=[DataRequired()])


class ReturnPlanForm(BaseForm):
    comment = TextAreaField(_l("What must change"), validators=[DataRequired(), Length(max=4000)])


class MeasureFilterForm(BaseForm):
    class Meta:
        csrf = False

    unit = SelectField(_l("Unit"), coerce=int, choices=[], validate_choice=False)
    status = SelectField(_l("Status"), choices=[], validate_choice=False)
    overdue = SelectField(_l("Deadline"), choices=[], validate_choice=False)


class DeadlineExtensionForm(BaseForm):
    """Ask for (or, for the secretariat, record) a new deadline of a measure or step."""

    deadline_text = StringField(
        _l("New deadline, as it is to be written"), validators=[DataRequired(), Length(max=500)]
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=4000)])
    basis = StringField(_l("Letter or document it rests on"), validators=[Optional(), Length(max=1000)])
    effective_on = DocDateField(_l("In force from (today when empty)"), validators=[Optional()])


class ExtensionDecisionForm(BaseForm):
    comment = TextAreaField(_l("Comment (required to refuse)"), validators=[Optional(), Length(max=4000)])
