"""The loader of a status update from the URL, for the pages and the API alike."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from tracker.execution.models import StatusUpdate
from tracker.extensions import db
from tracker.plans.access import can_view_plan


def get_update_or_404(update_id: int) -> StatusUpdate:
    """The status update, if the signed-in user may see its plan: else 404 (none) or 403."""
    update = db.get_or_404(StatusUpdate, update_id)
    if not can_view_plan(current_user, update.measure.plan):
        abort(403)
    return update
