"""Administration: units, users and the audit trail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response

from tracker.admin import audit_view
from tracker.admin.forms import AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, ROLE_LABELS, UnitForm, UserForm
from tracker.auth import services as user_services
from tracker.auth.models import User
from tracker.core.forms import to_choices
from tracker.core.models import AuditEntry
from tracker.core.params import arg_page
from tracker.core.permissions import Role, permission_required
from tracker.core.web import run_service
from tracker.extensions import db
from tracker.orgs import services as unit_services
from tracker.orgs.access import get_unit_or_404
from tracker.orgs.models import Unit
from tracker.orgs.queries import organization_units

bp = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_PAGE_SIZE = 100


def _unit_pairs(blank: str) -> list[tuple[int, str]]:
    units = organization_units(current_user.organization_id, include_inactive=True)
    return [(0, blank)] + [(u.id, u.path_name()) for u in units]


@bp.get("/units")
@permission_required("admin.manage")
def units() -> str:
    rows = organization_units(current_user.organization_id, include_inactive=True)
    return render_template("admin/units.html", units=rows)


@bp.route("/units/new", methods=["GET", "POST"])
@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@permission_required("admin.manage")
def edit_unit(unit_id: int | None = None) -> Response | str:
    unit = get_unit_or_404(unit_id) if unit_id else None
    form = UnitForm(obj=unit)
    form.parent_id.choices = to_choices(
        c for c in _unit_pairs(_("— top level —")) if unit is None or c[0] != unit.id
    )
    if unit is not None and request.method == "GET":
        form.parent_id.data = unit.parent_id or 0
    if form.validate_on_submit():
        parent = get_unit_or_404(form.parent_id.data) if form.parent_id.data else None

        def save() -> Unit:
            if unit is None:
                return unit_services.create_unit(
                    current_user.organization, form.name.data, parent=parent, actor=current_user
                )
            return unit_services.update_unit(
                unit, name=form.name.data, parent=parent, is_active=form.is_active.data, actor=current_user
            )

        if run_service(save, _("The unit is saved.")):
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit)


@bp.get("/users")
@permission_required("admin.manage")
def users() -> str:
    rows = db.session.scalars(
        select(User).where(User.organization_id == current_user.organization_id).order_by(User.name)
    ).all()
    return render_template("admin/users.html", users=rows, role_labels=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@permission_required("admin.manage")
def edit_user(user_id: int | None = None) -> Response | str:
    user = db.get_or_404(User, user_id) if user_id else None
    if user is not None and user.organization_id != current_user.organization_id:
        abort(403)
    form = UserForm(obj=user)
    form.unit_id.choices = to_choices(_unit_pairs(_("— no unit —")))
    if user is not None and request.method == "GET":
        form.unit_id.data = user.unit_id or 0
        form.roles.data = sorted(user.roles)
        form.locale.data = user.locale or ""
    if form.validate_on_submit():
        unit = get_unit_or_404(form.unit_id.data) if form.unit_id.data else None
        roles = {Role(r) for r in form.roles.data}
        if user is None and not form.password.data:
            flash(_("Set a password for the new user."), "danger")
        elif run_service(lambda: _save_user(user, form, unit, roles), _("The user is saved.")):
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.get("/audit")
@permission_required("audit.view")
def audit_log() -> str:
    page = arg_page()
    filters = audit_view.AuditFilters.from_args(request.args)
    query = (
        select(AuditEntry)
        .where(AuditEntry.organization_id == current_user.organization_id)
        .order_by(AuditEntry.id.desc())
    )
    query = filters.apply(query)
    entries = db.session.scalars(query.limit(AUDIT_PAGE_SIZE + 1).offset((page - 1) * AUDIT_PAGE_SIZE)).all()
    return render_template(
        "admin/audit.html",
        entity_labels=AUDIT_ENTITY_LABELS,
        action_labels=AUDIT_ACTION_LABELS,
        rows=audit_view.present(entries[:AUDIT_PAGE_SIZE]),
        page=page,
        has_next=len(entries) > AUDIT_PAGE_SIZE,
        filters=filters,
        people=audit_view.people(current_user.organization_id),
    )


def _save_user(user: User | None, form: UserForm, unit: Unit | None, roles: set[Role]) -> User:
    fields = {
        "name": form.name.data,
        "position": form.position.data or None,
        "locale": form.locale.data or None,
    }
    if user is None:
        return user_services.create_user(
            email=form.email.data,
            password=form.password.data,
            organization=current_user.organization,
            roles=roles,
            unit=unit,
            actor=current_user,
            **fields,
        )
    return user_services.update_user(
        user,
        actor=current_user,
        roles=roles,
        password=form.password.data or None,
        email=form.email.data,
        unit_id=unit.id if unit else None,
        is_active=form.is_active.data,
        **fields,
    )
