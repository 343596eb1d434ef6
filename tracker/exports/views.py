"""Export buttons of the plan page: XLSX, CSV or open-data JSON, in either script, as of a date."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug import Response

from tracker.core.permissions import permission_required
from tracker.exports.data import plan_open_data
from tracker.exports.forms import ExportForm
from tracker.exports.writers import MIME_TYPES, filename_for, render
from tracker.plans.access import get_plan_or_404

bp = Blueprint("exports", __name__)


@bp.get("/plans/<int:plan_id>/export")
@permission_required("plan.view")
def export(plan_id: int) -> Response:
    plan = get_plan_or_404(plan_id)
    form = ExportForm(request.args)
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        flash(_("Choose a format, a script and a date written as DD.MM.YYYY."), "danger")
        return redirect(url_for("plans.show", plan_id=plan.id))
    data = plan_open_data(plan, script=form.script.data or None, as_of=form.as_of.data)
    content = render(data, form.format.data)
    return send_file(
        io.BytesIO(content),
        mimetype=MIME_TYPES[form.format.data],
        as_attachment=True,
        download_name=filename_for(data, form.format.data),
    )
