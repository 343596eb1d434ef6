"""Recording a meeting from its minutes, and reading meetings with their decisions' execution."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from tracker.core import audit
from tracker.core.status import Status
from tracker.execution import files
from tracker.extensions import db
from tracker.meetings.models import Meeting
from tracker.plans.models import Measure, Plan

if TYPE_CHECKING:
    from tracker.auth.models import User
    from tracker.imports.minutes import ParsedMeeting
    from tracker.imports.textdocs import IncomingSource

logger = logging.getLogger(__name__)


def record_meeting(
    plan: Plan,
    parsed: ParsedMeeting,
    decisions: Sequence[Measure],
    *,
    source: IncomingSource | None,
    actor: User | None,
) -> Meeting:
    """The meeting record of a plan of decisions; the minutes file is kept like an evidence file.

    Deadlines the minutes count from the meeting ("bir oy muddatda") get their dates here, from
    the meeting date. Raises :class:`InvalidInput` when the source file is refused.
    """
    assert parsed.held_on is not None  # parse_minutes refuses minutes without a date
    meeting = Meeting(
        organization_id=plan.organization_id,
        plan=plan,
        held_on=parsed.held_on,
        number=parsed.number,
        body=parsed.body,
        place=parsed.place,
        chair=parsed.chair,
        secretary=parsed.secretary,
        attendees=list(parsed.attendees),
        agenda=list(parsed.agenda),
    )
    if source is not None:
        checked = files.check_file(files.IncomingFile(source.filename, source.data))
        files.store(checked)
        meeting.source_name = checked.original_name
        meeting.source_sha256 = checked.sha256
        meeting.source_mime_type = checked.mime_type
    for measure, deadline in zip(decisions, parsed.deadlines, strict=False):
        if deadline is not None and (deadline.due or deadline.kind.value != "date"):
            measure.deadline_kind = deadline.kind.value
            measure.start_on = deadline.start
            measure.due_on = deadline.due
            measure.deadline_recurrence = deadline.recurrence
    db.session.add(meeting)
    db.session.flush()
    audit.record(actor, "meeting", meeting.id, "create", after={**meeting.header_json(), "plan_id": plan.id})
    return meeting


#: The words of a printed meeting header, in the report's script (document words, not UI strings).
HEADER_WORDS = {
    "cyrl": {
        "meeting": "Йиғилиш",
        "chair": "Раислик қилди",
        "secretary": "Баённомачи",
        "attendees": "Қатнашдилар",
    },
    "latn": {
        "meeting": "Yigʻilish",
        "chair": "Raislik qildi",
        "secretary": "Bayonlashtiruvchi",
        "attendees": "Qatnashdilar",
    },
}


def printed_header(meeting: Meeting, text: Any, date_text: str, script: str) -> list[str]:
    """The lines a report prints above the decisions: body, date and number, chair, minute-taker."""
    words = HEADER_WORDS[script]
    first = " · ".join(
        part
        for part in (text(meeting.body), date_text, f"№ {meeting.number}" if meeting.number else "")
        if part
    )
    lines = [f"{words['meeting']}: {first}"]
    if meeting.chair:
        lines.append(f"{words['chair']}: {text(meeting.chair)}")
    if meeting.attendees:
        lines.append(f"{words['attendees']}: {', '.join(text(n) for n in meeting.attendees)}")
    if meeting.secretary:
        lines.append(f"{words['secretary']}: {text(meeting.secretary)}")
    return lines


def meetings_of(organization_id: int, plan_ids: Any) -> list[Meeting]:
    """Meetings of the organization whose plan the reader may see, newest first."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.organization_id == organization_id, Meeting.plan_id.in_(plan_ids))
            .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        )
    )


def meeting_of_plan(plan: Plan) -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.plan_id == plan.id))


@dataclass(frozen=True)
class Execution:
    """How far the decisions of a meeting are carried out."""

    total: int
    done: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def execution_of(meeting: Meeting) -> Execution:
    decisions = [m for m in meeting.plan.measures if m.status != Status.CANCELLED]
    return Execution(
        total=len(decisions),
        done=sum(1 for m in decisions if m.status == Status.DONE),
        overdue=sum(1 for m in decisions if m.is_overdue),
    )
