"""Where a notification leads: one place for the bell, the e-mails, the digests and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.notifications.models import Notification


def link_of(notification: Notification) -> str:
    """The page a notification opens (site-relative)."""
    from flask import url_for

    if notification.measure_id is not None:
        anchor = f"s{notification.step_id}" if notification.step_id else None
        return url_for("plans.measure", measure_id=notification.measure_id, _anchor=anchor)
    if notification.plan_id is not None:
        return url_for("plans.show", plan_id=notification.plan_id)
    return url_for("notifications.index")
