"""The measure or step a notification names, as the plan's read model has it in force.

Reminders and workflow notifications (in the bell, the inbox, the API and e-mail) format their
item from :func:`tracker.plans.snapshot.snapshot_of`: the title, the deadline and the responsible
units in force on the reader's day (after an extension, the new deadline with the old one; after a
revision or a reassignment, the new title and units), written in the reader's script.

:class:`ItemsInForce` reads the measures asked together, in a fixed number of queries whatever
the number of notifications and plans (a plan being revised costs one snapshot of its approved
version); :meth:`ItemsInForce.preload` takes a page's notifications at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from tracker.plans.models import Measure
from tracker.plans.snapshot import Deadline, MeasureSnapshot
from tracker.plans.snapshot_lists import measures_in_force

if TYPE_CHECKING:
    from tracker.notifications.models import Notification


@dataclass(frozen=True)
class ItemInForce:
    """Plain strings, in the reader's script, ready for a page or an e-mail."""

    plan: str
    number: str
    title: str
    step_number: str | None
    step_title: str | None
    #: The deadline in force as written ("2024 йил апрель"), empty when there is none.
    deadline: str
    #: With an extension in force: "2024 йил март → 2024 йил апрель (… асосида)"; else ``deadline``.
    deadline_story: str
    #: The responsible units in force, lead first, separated by commas.
    units: str
    #: The lead unit(s) in force only (all of them when none is marked lead).
    lead_units: str

    @property
    def label(self) -> str:
        """ "№1, step 2. Text of the step" (or of the measure)."""
        text = "№" + self.number
        if self.step_number is not None:
            text += ", " + _("step %(n)s", n=self.step_number)
        return text + ". " + ((self.step_title or "") if self.step_number is not None else self.title)


def deadline_story(deadline: Deadline) -> str:
    """The deadline in force; with an extension, the old one, the new one and what it rests on."""
    if not deadline.extended_from:
        return deadline.text
    if deadline.extension_basis:
        return _(
            "%(old)s → %(new)s (on the basis of %(basis)s)",
            old=deadline.extended_from,
            new=deadline.text or "—",
            basis=deadline.extension_basis,
        )
    return f"{deadline.extended_from} → {deadline.text or '—'}"


def _item(plan_title: str, measure: MeasureSnapshot, step_id: int | None) -> ItemInForce | None:
    step = next((s for s in measure.steps if s.id == step_id), None) if step_id is not None else None
    if step_id is not None and step is None:
        return None  # the step was not in the plan that day
    deadline = step.deadline if step is not None else measure.deadline
    leads = [r.name for r in measure.responsibles if r.is_lead] or [r.name for r in measure.responsibles]
    return ItemInForce(
        plan=plan_title,
        number=measure.number,
        title=measure.title,
        step_number=step.number if step is not None else None,
        step_title=step.title if step is not None else None,
        deadline=deadline.text,
        deadline_story=deadline_story(deadline),
        units=", ".join(r.name for r in measure.responsibles if r.name),
        lead_units=", ".join(n for n in leads if n),
    )


class ItemsInForce:
    """Items as of one day in one script; the measures asked are read together (a fixed number of
    queries, see :func:`tracker.plans.snapshot_lists.measures_in_force`) and kept for the next asks."""

    def __init__(self, as_of: date, script: str) -> None:
        self.as_of = as_of
        self.script = script
        self._measures: dict[int, tuple[str, MeasureSnapshot] | None] = {}

    def preload(self, measures: Iterable[Measure]) -> None:
        """Read these measures as of the day, those not read yet, all at once."""
        wanted = {m.id for m in measures if m.id not in self._measures}
        if not wanted:
            return
        found = measures_in_force(wanted, self.as_of, script=self.script)
        for measure_id in wanted:
            self._measures[measure_id] = found.get(measure_id)

    def get(self, measure: Measure, step_id: int | None = None) -> ItemInForce | None:
        """The item in force; None when the measure (or step) was not in the plan that day."""
        self.preload([measure])
        entry = self._measures.get(measure.id)
        if entry is None:
            return None
        return _item(*entry, step_id)

    def preload_notifications(self, notifications: Iterable[Notification]) -> None:
        self.preload(n.measure for n in notifications if n.measure is not None)
