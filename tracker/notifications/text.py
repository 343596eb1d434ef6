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

from tracker.notifications.models import ESCALATION_KINDS, Notification, NotificationKind
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

    @property
    def text(self) -> str:
        """One line: what happened, then the item."""
        parts = [self.headline, self.item or self.plan]
        return " — ".join(p for p in parts if p)


def describe(notification: Notification, script: str | None = None) -> Described:
    """What ``notification`` says, in the current locale and ``script`` (the reader's by default)."""
    script = script or reader_script()
    event = notification.event
    measure, step, plan = notification.measure, notification.step, notification.plan
    if plan is None and measure is not None:
        plan = measure.plan
    unit_obj = event.unit if event is not None and event.unit is not None else None
    if unit_obj is None and measure is not None:
        lead = measure.lead
        unit_obj = lead.unit if lead is not None else None
    unit = in_script(unit_obj.name if unit_obj is not None else "", script)
    person = event.actor.name if event is not None and event.actor is not None else ""
    reason = (event.text or "") if event is not None else ""
    item = ""
    if measure is not None:
        item = "№" + measure.number
        if step is not None:
            item += ", " + _("step %(n)s", n=step.number)
        item += ". " + in_script(step.text if step is not None else measure.title, script)
    kind = NotificationKind(notification.kind)
    headline = (
        _event_headline(kind, person or _("Someone"), unit, reason)
        if event is not None
        else _reminder_headline(notification, unit)
    )
    return Described(
        headline=headline,
        plan=in_script(plan.title if plan is not None else "", script),
        item=item,
        unit=unit,
        person=person,
        reason=reason,
    )
