"""The page that reassigns a measure's responsible units on an approved plan (issue 10), on ``plans``.

The rules are :func:`tracker.plans.changes.reassign_responsibles`: dated (in force from the day
given, earlier days keep the old units), with a reason and the document it rests on, audited,
and the units that newly have the measure are notified. Reached from the measure page's
"Deadlines and changes" section (``templates/plans/_deadline_history.html``).
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug import Response
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.core.forms import BaseForm, DocDateField, to_choices
from tracker.core.permissions import permission_required
from tracker.core.web import refuse_with, run_service
from tracker.orgs.queries import unit_names
from tracker.plans import changes
from tracker.plans.access import get_measure_or_404
from tracker.plans.blueprint import bp
from tracker.plans.models import Measure, PlanState


class ReassignForm(BaseForm):
    """New responsible units, from a day, with the reason and the document it rests on.

    Kept with its one view (rather than in plans/forms.py) so that the page is one module."""

    lead_unit_id = SelectField(_l("Lead unit"), coerce=int, choices=[], validate_choice=True)
    co_unit_ids = SelectMultipleField(_l("Co-executors"), coerce=int, choices=[])
    other_responsible = TextAreaField(
        _l("Other responsible (one per line, e.g. “Барча таркибий тармоқлар”)"), validators=[Optional()]
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=4000)])
    basis = StringField(_l("Letter or document it rests on"), validators=[Optional(), Length(max=1000)])
    effective_on = DocDateField(_l("In force from (today when empty)"), validators=[Optional()])

    def set_units(self, units: list[tuple[int, str]]) -> None:
        self.lead_unit_id.choices = to_choices([(0, _l("— none —")), *units])
        self.co_unit_ids.choices = to_choices(units)

    def fill_from(self, measure: Measure) -> None:
        lead = measure.lead
        self.lead_unit_id.data = lead.unit_id if lead and lead.unit_id else 0
        self.co_unit_ids.data = [r.unit_id for r in measure.responsibles if r.unit_id and not r.is_lead]
        self.other_responsible.data = "\n".join(
            r.name for r in measure.responsibles if r.unit_id is None and r.name
        )


def _reassignment(form: ReassignForm) -> changes.Reassignment:
    return changes.Reassignment(
        lead_unit_id=form.lead_unit_id.data or None,
        co_unit_ids=[u for u in form.co_unit_ids.data or [] if u != form.lead_unit_id.data],
        other_responsible=[
            line.strip() for line in (form.other_responsible.data or "").splitlines() if line.strip()
        ],
        reason=form.reason.data or "",
        basis=form.basis.data or None,
        effective_on=form.effective_on.data,
    )


@bp.route("/measures/<int:measure_id>/responsibles", methods=["GET", "POST"])
@permission_required("plan.edit")
def reassign_measure(measure_id: int) -> Response | str:
    measure = get_measure_or_404(measure_id)
    if not changes.can_reassign(current_user, measure.plan):
        abort(403)
    if measure.plan.state != PlanState.APPROVED or measure.deleted_at is not None:
        abort(409)
    form = ReassignForm()
    form.set_units([(u.id, u.name) for u in unit_names(measure.plan.organization_id)])
    if request.method == "GET":
        form.fill_from(measure)
    elif form.validate_on_submit():
        data = _reassignment(form)
        if run_service(
            lambda: changes.reassign_responsibles(measure, data, actor=current_user),
            _("The responsible units are changed."),
        ):
            return redirect(url_for("plans.measure", measure_id=measure.id, _anchor="deadline-history"))
    else:
        refuse_with(400)  # a unit of another organization, no reason: the form again, as a 400
    return render_template("plans/reassign_form.html", form=form, measure=measure, plan=measure.plan)
