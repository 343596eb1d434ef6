"""The comment thread of a measure page (a partial) and the form that posts to it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response

from tracker.comments import services, timeline
from tracker.comments.forms import CommentForm
from tracker.core.forms import to_choices
from tracker.core.permissions import permission_required
from tracker.core.web import run_service
from tracker.extensions import db
from tracker.orgs.queries import unit_names
from tracker.plans.access import get_measure_or_404
from tracker.plans.models import Measure

bp = Blueprint("comments", __name__)


def comment_form(measure: Measure, formdata: Any = None) -> CommentForm:
    from tracker.auth.models import User

    form = CommentForm(formdata=formdata)
    form.step_id.choices = to_choices(
        [("", _("The whole measure")), *((str(s.id), _("Step %(n)s", n=s.number)) for s in measure.steps)]
    )
    org_id = measure.plan.organization_id
    form.mention_units.choices = to_choices((u.id, u.name) for u in unit_names(org_id, include_inactive=True))
    # Ids and names only: an organization's people as objects (with their units and roles) were
    # most of the statements' work of a measure page.
    people = select(User.id, User.name).where(User.organization_id == org_id, User.is_active)
    form.mention_users.choices = to_choices(db.session.execute(people.order_by(User.name)).all())
    return form


@bp.app_template_global("comment_thread")
def comment_thread(measure: Measure) -> dict[str, Any]:
    """What the comment form shows: the number of comments and an empty form (the comments
    themselves, also here, are entries of the page's one history)."""
    comments = services.comments_of(measure)
    return {"count": len(comments), "comments": comments, "form": comment_form(measure)}


@bp.app_template_global("measure_history")
def measure_history(
    updates: list[Any], thread: dict[str, Any], deadlines: dict[str, Any]
) -> list[timeline.Entry]:
    """The measure page's one history (see :mod:`tracker.comments.timeline`), from the comments
    of ``thread`` (:func:`comment_thread`) and the changes and extensions of ``deadlines``
    (``deadline_history`` of the plans feature), which the page has read for its other parts."""
    return timeline.measure_history(
        updates,
        change_records=deadlines["changes"],
        extension_records=deadlines["extensions"],
        comments=thread["comments"],
    )


@bp.post("/measures/<int:measure_id>/comments")
@permission_required("plan.view")
def add(measure_id: int) -> Response:
    measure = get_measure_or_404(measure_id)
    form = comment_form(measure, formdata=request.form)
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("plans.measure", measure_id=measure.id, _anchor="comments"))
    step = next((s for s in measure.steps if str(s.id) == form.step_id.data), None)
    run_service(
        lambda: services.add_comment(
            measure,
            form.body.data,
            actor=current_user,
            step=step,
            mention_user_ids=form.mention_users.data,
            mention_unit_ids=form.mention_units.data,
        ),
        _("Your comment is added."),
    )
    return redirect(url_for("plans.measure", measure_id=measure.id, _anchor="comments"))
