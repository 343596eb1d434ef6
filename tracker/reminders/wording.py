"""How reminders read in e-mail: the state phrase, the digest's sections, an item, the rendering.

Everything here runs inside the recipient's locale (``force_locale`` in :func:`render_email`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.notifications.items import ItemsInForce
from tracker.plans.models import Measure, Step
from tracker.reminders.models import ReminderKind

if TYPE_CHECKING:
    from tracker.auth.models import User


def describe(kind: str, occurrence: date, as_of: date) -> str:
    """What a reminder says, as of a day: "Due in 3 days", "Overdue by 4 days", …"""
    days = (occurrence - as_of).days
    if days > 0:
        state = ngettext("due in %(num)s day", "due in %(num)s days", days)
    elif days == 0:
        state = _("due today")
    else:
        state = ngettext("overdue by %(num)s day", "overdue by %(num)s days", -days)
    if kind == ReminderKind.REVIEW:
        return _("Waiting for your review; the item is %(state)s", state=state)
    if kind in (ReminderKind.ESCALATION_HEAD, ReminderKind.ESCALATION_DIRECTOR):
        return _("Escalated to you: %(state)s", state=state)
    return _("Reminder: %(state)s", state=state)


KIND_SECTIONS = {
    ReminderKind.ESCALATION_DIRECTOR: "escalated",
    ReminderKind.ESCALATION_HEAD: "escalated",
    ReminderKind.REVIEW: "review",
    ReminderKind.OVERDUE: "overdue",
    ReminderKind.DUE: "soon",
    ReminderKind.BEFORE: "soon",
}


def section_titles() -> dict[str, str]:
    return {
        "events": _("What happened"),
        "escalated": _("Escalated to you"),
        "overdue": _("Overdue"),
        "soon": _("Due soon"),
        "review": _("Waiting for your review"),
    }


def item_view(
    items: ItemsInForce, measure: Measure, step: Step | None, occurrence: date, text: str, base_url: str
) -> dict[str, Any]:
    """One item of a digest or summary, as the plan's read model has it in force on the e-mail's
    day (title, deadline, responsible units), in the reader's script (inside their locale)."""
    from flask import url_for

    from tracker.core.templating import doc_date
    from tracker.notifications.text import in_script

    url = url_for("plans.measure", measure_id=measure.id, _external=True)
    if step is not None:
        url += f"#s{step.id}"
    in_force = items.get(measure, step.id if step is not None else None)
    if in_force is None:  # no longer in the plan (deleted since): as stored
        return {
            "plan": in_script(measure.plan.title),
            "number": measure.number,
            "title": in_script(measure.title),
            "step": step.number if step is not None else None,
            "step_text": in_script(step.text) if step is not None else None,
            "deadline": doc_date(occurrence),
            "deadline_text": in_script((step or measure).deadline_text),
            "units": "",
            "state": text,
            "url": url,
        }
    return {
        "plan": in_force.plan,
        "number": in_force.number,
        "title": in_force.title,
        "step": in_force.step_number,
        "step_text": in_force.step_title,
        "deadline": doc_date(occurrence),
        "deadline_text": in_force.deadline_story,
        "units": in_force.units,
        "state": text,
        "url": url,
    }


def items_for(pairs: list[tuple[Measure, Step | None]], today: date) -> ItemsInForce:
    """The read model of these items as of ``today``, in the reader's script (inside their locale)."""
    from tracker.notifications.text import reader_script

    items = ItemsInForce(today, reader_script())
    items.preload(measure for measure, _step in pairs)
    return items


def render_email(user: User, template: str, context_builder: Any) -> tuple[str, str, str]:
    """Render ``reminders/email/<template>.txt|.html`` in the recipient's language, with absolute links."""
    from flask import render_template
    from flask_babel import force_locale

    from tracker.core.i18n import DEFAULT_LOCALE

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types the proxy as Flask
    base_url = app.config.get("TRACKER_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    locale = user.locale or app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    with app.test_request_context("/", base_url=base_url), force_locale(locale):
        context = context_builder(base_url)
        subject = context["subject"]
        text = render_template(f"reminders/email/{template}.txt", user=user, **context)
        html = render_template(
            f"reminders/email/{template}.html", user=user, html_lang=locale.replace("_", "-"), **context
        )
    return subject[:300], text, html
