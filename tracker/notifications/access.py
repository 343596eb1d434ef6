"""The loader of a notification from the URL, for the pages and the API alike."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from tracker.extensions import db
from tracker.notifications.models import Notification


def get_own_notification_or_404(notification_id: int) -> Notification:
    """The signed-in user's notification: 404 when there is none, 403 when it is someone else's."""
    notification = db.get_or_404(Notification, notification_id)
    if notification.recipient_id != current_user.id:
        abort(403)
    return notification
