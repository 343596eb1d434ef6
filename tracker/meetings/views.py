"""/meetings: the meetings whose minutes were imported, each with its decisions and their execution."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user
from werkzeug import Response

from tracker.core.permissions import permission_required
from tracker.execution import files
from tracker.extensions import db
from tracker.meetings import services
from tracker.meetings.models import Meeting
from tracker.plans.access import can_view_plan, visible_plans_query
from tracker.plans.models import Plan

bp = Blueprint("meetings", __name__)


@bp.app_template_global("meeting_of_plan")
def meeting_of_plan(plan: Plan) -> Meeting | None:
    """The plan page shows the meeting header of a plan of decisions."""
    return services.meeting_of_plan(plan) if plan.kind == "decisions" else None


def load_meeting(meeting_id: int) -> Meeting:
    meeting = db.get_or_404(Meeting, meeting_id)
    if not can_view_plan(current_user, meeting.plan):
        abort(403)
    return meeting


@bp.get("/meetings")
@permission_required("plan.view")
def index() -> str:
    plan_ids = visible_plans_query(current_user).with_only_columns(Plan.id)
    meetings = services.meetings_of(current_user.organization_id, plan_ids)
    return render_template(
        "meetings/index.html",
        meetings=[(m, services.execution_of(m)) for m in meetings],
    )


@bp.get("/meetings/<int:meeting_id>")
@permission_required("plan.view")
def show(meeting_id: int) -> str:
    meeting = load_meeting(meeting_id)
    return render_template("meetings/show.html", meeting=meeting, execution=services.execution_of(meeting))


@bp.get("/meetings/<int:meeting_id>/minutes")
@permission_required("plan.view")
def source(meeting_id: int) -> Response:
    meeting = load_meeting(meeting_id)
    if not meeting.source_sha256:
        abort(404)
    path = files.storage_path(meeting.source_sha256)
    if not path.exists():
        abort(404)
    # Always a download, never rendered inline: the file came from a user.
    return send_file(
        path,
        mimetype=meeting.source_mime_type or "application/octet-stream",
        as_attachment=True,
        download_name=meeting.source_name or "minutes",
    )
