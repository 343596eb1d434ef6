"""The import page: upload a file, see what will be created, map unknown units, confirm."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from tracker.core.errors import DomainError, PermissionDenied
from tracker.core.forms import EmptyForm
from tracker.core.permissions import permission_required
from tracker.core.status import STATUS_LABELS
from tracker.core.transaction import after_commit
from tracker.extensions import db
from tracker.imports import reimport, services, textdocs
from tracker.imports.forms import ImportForm
from tracker.imports.models import ImportConfirmation
from tracker.imports.readers import max_upload_bytes
from tracker.orgs.queries import unit_names
from tracker.plans.models import PLAN_KIND_LABELS, Plan, PlanKind

T = TypeVar("T")

bp = Blueprint("imports", __name__)

_SESSION_KEY = "plan_import"


def _pending() -> dict[str, str] | None:
    value = session.get(_SESSION_KEY)
    return value if isinstance(value, dict) else None


def _forget() -> None:
    pending = session.pop(_SESSION_KEY, None)
    if isinstance(pending, dict):
        services.delete_upload(pending.get("token"))


def _preview() -> services.Preview | None:
    """Re-read the kept file; on a bad file flash why and forget it."""
    pending = _pending()
    data = services.load_upload(pending.get("token") if pending else None)
    if pending is None or data is None:
        flash(_("Upload the file again: the previous upload is no longer available."), "warning")
        session.pop(_SESSION_KEY, None)
        return None
    kind = pending.get("kind") or None
    try:
        return services.preview_file(
            pending["filename"],
            data,
            current_user.organization,
            kind=PlanKind(kind) if kind in {k.value for k in PlanKind} else None,
            meeting_date=_meeting_date(pending),
        )
    except DomainError as error:
        flash(error.message, "danger")
        _forget()
        return None


def _meeting_date(pending: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(pending.get("meeting_date") or "")
    except ValueError:
        return None


@bp.route("/plans/import", methods=["GET", "POST"])
@permission_required("plan.edit")
def upload() -> ResponseReturnValue:
    form = ImportForm()
    if form.validate_on_submit():
        if form.file.data:
            filename = form.file.data.filename or ""
            data = form.file.data.read(max_upload_bytes() + 1)
        else:
            filename, data = textdocs.PASTED_NAME, form.text.data.encode("utf-8")
        try:
            services.preview_file(
                filename,
                data,
                current_user.organization,
                kind=PlanKind(form.kind.data) if form.kind.data else None,
                meeting_date=form.meeting_date.data,
            )
        except DomainError as error:
            flash(error.message, "danger")
            return render_template("imports/upload.html", form=form), 400
        _forget()
        session[_SESSION_KEY] = {
            "token": services.save_upload(filename, data),
            "filename": filename,
            "kind": form.kind.data or "",
            "meeting_date": form.meeting_date.data.isoformat() if form.meeting_date.data else "",
        }
        return redirect(url_for("imports.preview"))
    return render_template("imports/upload.html", form=form), 400 if form.errors else 200


@bp.get("/plans/import/preview")
@permission_required("plan.edit")
def preview() -> str | Response:
    result = _preview()
    if result is None:
        return redirect(url_for("imports.upload"))
    units = unit_names(current_user.organization_id)
    same = services.same_plans(result.plan, current_user.organization)
    target = reimport.updatable_plan(same)
    return render_template(
        "imports/preview.html",
        preview=result,
        same_plans=same,
        update=reimport.compare(result, target) if target is not None else None,
        copy_title=services.copy_title(result.plan.title, current_user.organization) if same else None,
        units=units,
        form=EmptyForm(),
        filename=(_pending() or {}).get("filename"),  # a preview was read: the upload is pending
        keep=services.KEEP,
        create=services.CREATE,
        status_labels=STATUS_LABELS,
        kind_labels=PLAN_KIND_LABELS,
        guess_choices=services.GUESS_CHOICES,
    )


@bp.post("/plans/import/confirm")
@permission_required("plan.edit")
def confirm() -> Response:
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    token = (_pending() or {}).get("token")
    if (done := services.imported_plan(token, current_user.organization)) is not None:
        return _already_imported(done)
    result = _preview()
    if result is None or token is None:
        # The file is gone: perhaps a first click imported it meanwhile.
        done = services.imported_plan(token, current_user.organization)
        return _already_imported(done) if done else redirect(url_for("imports.upload"))
    mapping = {
        key: request.form.get(f"unit-{index}", services.KEEP) for index, key in enumerate(result.unmatched)
    }
    title = None
    choice = request.form.get("duplicate")
    same = services.same_plans(result.plan, current_user.organization)
    target = reimport.updatable_plan(same) if same and choice == "update" else None
    if same:
        # Imported before: a new version of that plan, or a copy that can be told apart; only when asked.
        if choice not in ("copy", "update") or (choice == "update" and target is None):
            flash(_("This plan was imported before. Choose what to do with the file."), "warning")
            return redirect(url_for("imports.preview"))
        if choice == "copy":
            title = services.copy_title(result.plan.title, current_user.organization)
    confirmation = services.claim_upload(token, current_user.organization)
    if confirmation is None:  # a second click, which waited for the first one to commit
        done = services.imported_plan(token, current_user.organization)
        return _already_imported(done) if done else redirect(url_for("imports.upload"))
    result.set_statuses(
        {key: request.form.get(f"status-{key}", "") for key, _row, _item in result.guessed_statuses()}
    )
    if target is not None:
        return _update_existing(result, target, confirmation, mapping, token)
    plan = _unless_refused(
        lambda: services.import_plan(
            result, current_user.organization, actor=current_user, mapping=mapping, title=title
        )
    )
    if plan is None:
        return redirect(url_for("imports.preview"))
    _close_upload(confirmation, plan, token)
    flash(
        _(
            "The plan was imported: %(measures)s measures, %(steps)s steps.",
            measures=len(result.plan.measures),
            steps=result.plan.step_count,
        ),
        "success",
    )
    return redirect(url_for("plans.show", plan_id=plan.id))


def _update_existing(
    result: services.Preview,
    plan: Plan,
    confirmation: ImportConfirmation,
    mapping: dict[str, str],
    token: str,
) -> Response:
    """The file updates the plan it was imported as before (a new version when it is approved)."""
    update = _unless_refused(
        lambda: reimport.update_plan_from_import(
            result, plan, current_user.organization, actor=current_user, mapping=mapping
        )
    )
    if update is None:
        return redirect(url_for("imports.preview"))
    _close_upload(confirmation, plan, token)
    flash(
        _(
            "The plan was updated from the file (version %(version)s): %(added)s measures added, "
            "%(changed)s changed, %(removed)s removed.",
            version=plan.version,
            added=len(update.added),
            changed=len(update.changed),
            removed=len(update.removed),
        ),
        "success",
    )
    return redirect(url_for("plans.show", plan_id=plan.id))


def _unless_refused(importing: Callable[[], T]) -> T | None:
    """What ``importing`` gives, or None when the rules refuse it (said in a flash message)."""
    try:
        return importing()
    except PermissionDenied as error:
        db.session.rollback()
        abort(403, error.message)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return None


def _close_upload(confirmation: ImportConfirmation, plan: Plan, token: str) -> None:
    """The confirmation names the plan; the uploaded file is kept until the plan is surely stored."""
    confirmation.plan_id = plan.id
    session.pop(_SESSION_KEY, None)
    after_commit(lambda: services.delete_upload(token))


def _already_imported(plan: Plan) -> Response:
    session.pop(_SESSION_KEY, None)
    flash(_("This file was already imported: here is the plan it created."), "info")
    return redirect(url_for("plans.show", plan_id=plan.id))


@bp.post("/plans/import/cancel")
@permission_required("plan.edit")
def cancel() -> Response:
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    _forget()
    flash(_("The import was cancelled; nothing was created."), "info")
    return redirect(url_for("imports.upload"))
