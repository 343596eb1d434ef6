"""The bell, the notifications page (grouped by day) and the e-mail settings."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from tracker.auth.loaders import read_with_user, user_figure
from tracker.core.permissions import login_only
from tracker.core.time import TASHKENT
from tracker.core.web import run_service
from tracker.notifications import services
from tracker.notifications.access import get_own_notification_or_404
from tracker.notifications.forms import NEVER, NotificationSettingsForm
from tracker.notifications.links import link_of
from tracker.notifications.models import EmailTiming
from tracker.notifications.text import describe_all

bp = Blueprint("notifications", __name__)

#: The bell's count, read with the signed-in user (one statement a page fewer).
UNREAD = "unread_notifications"
bp.record_once(lambda _state: read_with_user(UNREAD, services.unread_count_column))


@bp.app_template_global("unread_notifications")
def unread_notifications() -> int:
    """The header counter: read with the signed-in user when the request changes nothing, else
    one COUNT query."""
    if not current_user.is_authenticated:
        return 0
    counted = user_figure(UNREAD)
    return int(counted) if counted is not None else services.unread_count(current_user)


@bp.get("/notifications")
@login_only
def index() -> str:
    items = services.notifications_of(current_user)
    said = dict(zip([n.id for n in items], describe_all(items), strict=True))
    days = [
        (day, [(n, said[n.id]) for n in group])
        for day, group in groupby(items, key=lambda n: n.created_at.astimezone(TASHKENT).date())
    ]
    return render_template(
        "notifications/index.html",
        days=days,
        unread=sum(1 for n in items if n.read_at is None),
        timing=services.email_timing(current_user),
    )


@bp.post("/notifications/<int:notification_id>/open")
@login_only
def open_notification(notification_id: int) -> Response:
    notification = get_own_notification_or_404(notification_id)
    run_service(lambda: services.mark_read(notification, user=current_user))
    return redirect(link_of(notification))


@bp.post("/notifications/<int:notification_id>/read")
@login_only
def read(notification_id: int) -> Response:
    notification = get_own_notification_or_404(notification_id)
    run_service(lambda: services.mark_read(notification, user=current_user))
    return redirect(url_for("notifications.index"))


@bp.post("/notifications/read-all")
@login_only
def read_all() -> Response:
    run_service(lambda: services.mark_all_read(current_user), _("All notifications are marked as read."))
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_only
def settings() -> Response | str:
    form = NotificationSettingsForm()
    if not form.is_submitted():
        timing = services.email_timing(current_user)
        form.email.data = timing.value if timing is not None else NEVER
    if form.validate_on_submit():
        chosen = None if form.email.data == NEVER else EmailTiming(form.email.data)
        if run_service(
            lambda: services.set_email_timing(current_user, chosen, actor=current_user),
            _("Your notification settings are saved."),
        ):
            return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)
