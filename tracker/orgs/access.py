"""Loading a unit for a view: the one way an id from a URL or a form becomes a unit."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from tracker.extensions import db
from tracker.orgs.models import Unit


def get_unit_or_404(unit_id: int) -> Unit:
    """The unit, if it belongs to the signed-in user's organization: else 404 (none) or 403."""
    unit = db.get_or_404(Unit, unit_id)
    if unit.organization_id != current_user.organization_id:
        abort(403)
    return unit
