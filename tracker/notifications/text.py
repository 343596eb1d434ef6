"""What a notification says, in the reader's language, with the item in the reader's script.

Everything here runs inside the reader's locale (the page's, or ``force_locale`` for e-mail).
Plan, measure, step and unit names are written in the reader's script (Uzbek Cyrillic for the
uz_Cyrl and ru interfaces, Latin for uz_Latn and en) by the language engine; what people wrote
(reasons, comments) stays as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from tracker.core.time import today
from tracker.notifications.items import ItemInForce, ItemsInForce
from tracker.notifications.models import ESCALATION_KINDS, REMINDER_KINDS, Notification, NotificationKind
from tracker.uzbek import transliterate


def reader_script(locale: str | None = None) -> str:
    """ "cyrl" for the Uzbek Cyrillic and Russian interfaces, "latn" otherwise."""
    locale = locale or str(get_locale() or "uz_Latn")
    return "cyrl" if locale in ("uz_Cyrl", "ru") else "latn"


def in_script(text: str | None, script: str | None = None) -> str:
    if not text:
        return ""
    return transliterate(text, script or reader_script())


def due_phrase(occurrence: date, as_of: date) -> str:
    days = (occurrence - as_of).days
    if days > 0:
        return ngettext("due in %(num)s day", "due in %(num)s days", days)
    if days == 0:
        return _("due today")
    return ngettext("overdue by %(num)s day", "overdue by %(num)s days", -days)


def _reminder_headline(notification: Notification, unit: str) -> str:
    kind = NotificationKind(notification.kind)
    assert notification.occurrence_on is not None
    state = due_phrase(notification.occurrence_on, notification.send_on)
    if kind == NotificationKind.REVIEW:
        return _("Waiting for your review; the item is %(state)s", state=state)
    if kind in ESCALATION_KINDS:
        if unit:
            return _("Escalated to you: %(state)s; responsible: %(unit)s", state=state, unit=unit)
        return _("Escalated to you: %(state)s", state=state)
    return _("Reminder: %(state)s", state=state)


def _event_headline(kind: NotificationKind, person: str, unit: str, text: str) -> str:
    headlines = {
        NotificationKind.CLAIM_SUBMITTED: lambda: _("%(person)s reports this done: review it", person=person),
        NotificationKind.CLAIM_ACCEPTED: lambda: _("%(person)s accepted the report: done", person=person),
        NotificationKind.CLAIM_RETURNED: lambda: _(
            "%(person)s returned the report: %(reason)s", person=person, reason=text
        ),
        NotificationKind.PLAN_SUBMITTED: lambda: _(
            "%(person)s sent the plan for your approval", person=person
        ),
        NotificationKind.PLAN_APPROVED: lambda: _("%(person)s approved the plan", person=person),
        NotificationKind.PLAN_RETURNED: lambda: _(
            "%(person)s returned the plan: %(reason)s", person=person, reason=text
        ),
        NotificationKind.MEASURE_ASSIGNED: lambda: _("Assigned to your unit: %(unit)s", unit=unit),
        NotificationKind.MENTION: lambda: _("%(person)s mentioned you: %(text)s", person=person, text=text),
        NotificationKind.EXTENSION_REQUESTED: lambda: _(
            "%(person)s asks to extend the deadline: %(reason)s", person=person, reason=text
        ),
        NotificationKind.EXTENSION_GRANTED: lambda: _(
            "%(person)s extended the deadline: %(text)s", person=person, text=text
        ),
        NotificationKind.EXTENSION_REFUSED: lambda: _(
            "%(person)s refused to extend the deadline: %(reason)s", person=person, reason=text
        ),
    }
    return headlines[kind]().rstrip(": ")


@dataclass(frozen=True)
class Described:
    """A notification as people read it (all strings, ready for a page, an e-mail or the API)."""

    headline: str
    plan: str
    item: str
    unit: str
    person: str
    reason: str
    #: The deadline in force (with the extension it came from), for reminders and extensions.
    deadline: str = ""

    @property
    def text(self) -> str:
        """One line: what happened, then the item (and its deadline in force, when it matters)."""
        parts = [self.headline, self.item or self.plan]
        if self.deadline:
            parts.append(_("deadline: %(deadline)s", deadline=self.deadline))
        return " — ".join(p for p in parts if p)


#: Kinds whose text names the deadline in force.
_DEADLINE_KINDS = REMINDER_KINDS | {
    NotificationKind.EXTENSION_REQUESTED,
    NotificationKind.EXTENSION_GRANTED,
    NotificationKind.EXTENSION_REFUSED,
}


def _stored_item(notification: Notification, script: str) -> str:
    """The item as stored now, when the read model does not have it (a deleted measure)."""
    measure, step = notification.measure, notification.step
    if measure is None:
        return ""
    item = "№" + measure.number
    if step is not None:
        item += ", " + _("step %(n)s", n=step.number)
    return item + ". " + in_script(step.text if step is not None else measure.title, script)


def describe_all(notifications: list[Notification], script: str | None = None) -> list[Described]:
    """:func:`describe` for a page of notifications, each plan's read model read once."""
    script = script or reader_script()
    items = ItemsInForce(today(), script)
    items.preload_notifications(notifications)
    return [describe(n, script, items=items) for n in notifications]


def describe(
    notification: Notification, script: str | None = None, *, items: ItemsInForce | None = None
) -> Described:
    """What ``notification`` says, in the current locale and ``script`` (the reader's by default).

    The measure or step is named as the plan's read model has it in force today (``items``, when
    given, must be for the same script): its title, deadline and responsible units.
    """
    script = script or reader_script()
    event = notification.event
    measure, plan = notification.measure, notification.plan
    if plan is None and measure is not None:
        plan = measure.plan
    in_force: ItemInForce | None = None
    if measure is not None:
        in_force = (items or ItemsInForce(today(), script)).get(measure, notification.step_id)
    unit = _unit_named(notification, in_force, script)
    person = event.actor.name if event is not None and event.actor is not None else ""
    reason = (event.text or "") if event is not None else ""
    kind = NotificationKind(notification.kind)
    headline = (
        _event_headline(kind, person or _("Someone"), unit, reason)
        if event is not None
        else _reminder_headline(notification, unit)
    )
    return Described(
        headline=headline,
        plan=in_force.plan if in_force else in_script(plan.title if plan is not None else "", script),
        item=in_force.label if in_force else _stored_item(notification, script),
        unit=unit,
        person=person,
        reason=reason,
        deadline=in_force.deadline_story if in_force and kind in _DEADLINE_KINDS else "",
    )


def _unit_named(notification: Notification, in_force: ItemInForce | None, script: str) -> str:
    """The unit an event names; otherwise the lead unit(s) in force."""
    event = notification.event
    if event is not None and event.unit is not None:
        return in_script(event.unit.name, script)
    if in_force is not None:
        return in_force.lead_units
    measure = notification.measure
    lead = measure.lead if measure is not None else None
    return in_script(lead.unit.name if lead is not None and lead.unit is not None else "", script)
