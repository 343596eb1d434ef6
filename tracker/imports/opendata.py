"""Reading a plan back from the project's open-data JSON (``docs/open-data.md``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from tracker.core.errors import InvalidInput
from tracker.core.status import Status
from tracker.imports.parsed import Approval, ParsedMeasure, ParsedPlan, ParsedStep
from tracker.imports.preamble import kind_of
from tracker.imports.readers import RawDocument
from tracker.plans.models import PlanKind
from tracker.uzbek import normalise


def _text(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float):
        raise InvalidInput(_("%(where)s: a text was expected.", where=where))
    return normalise(str(value)) or None


def _date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(
            _("%(where)s: “%(value)s” is not a date (YYYY-MM-DD).", where=where, value=value)
        ) from None


def _status(value: Any, where: str) -> Status | None:
    if value in (None, "", Status.NOT_STARTED.value):
        return None
    if value not in {s.value for s in Status}:
        raise InvalidInput(_("%(where)s: “%(value)s” is not a status.", where=where, value=value))
    return Status(value) if value != Status.DONE_CLAIMED else Status.IN_PROGRESS


def _deadline_text(value: Any, where: str) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("text"), where)
    return _text(value, where)


def parse_open_data(document: RawDocument, kind: PlanKind | None) -> ParsedPlan:
    data = document.payload or {}
    title = _text(data.get("title"), "title")
    if not title:
        raise InvalidInput(_("The plan has no title."))
    if kind is None:
        value = data.get("kind")
        kind = PlanKind(value) if value in {k.value for k in PlanKind} else kind_of(title)
    period = data.get("period") or {}
    approval = _approval(data.get("approval") or None)
    measures = [_measure(item, index) for index, item in enumerate(data["measures"], start=1)]
    return ParsedPlan(
        format="json",
        filename=document.filename,
        title=title,
        kind=kind or PlanKind.WORK_PLAN,
        kind_detected=True,
        period_start=_date(period.get("start"), "period.start"),
        period_end=_date(period.get("end"), "period.end"),
        basis=_text(data.get("basis"), "basis"),
        approval=approval,
        as_of=_date(data.get("as_of"), "as_of"),
        measures=measures,
        columns={},
        warnings=[],
    )


def _approval(approval_data: Any) -> Approval | None:
    if isinstance(approval_data, dict) and approval_data.get("name") and approval_data.get("date"):
        approval_date = _date(approval_data["date"], "approval.date")
        assert approval_date is not None  # the date is given: checked just above
        return Approval(
            position=_text(approval_data.get("position"), "approval.position"),
            name=_text(approval_data["name"], "approval.name") or "",
            date=approval_date,
        )
    return None


def _measure(item: Any, index: int) -> ParsedMeasure:
    where = _("measure %(n)s", n=index)
    if not isinstance(item, dict):
        raise InvalidInput(_("%(where)s: an object was expected.", where=where))
    number = _text(item.get("number"), where)
    title = _text(item.get("title"), where)
    if not number or not title:
        raise InvalidInput(_("%(where)s: a measure needs a number and a title.", where=where))
    basis = item.get("legal_basis")
    responsible = item.get("responsible") or []
    measure = ParsedMeasure(
        number=number,
        title=title,
        content=_text(item.get("content"), where),
        mechanism=_text(item.get("mechanism"), where),
        deadline_text=_deadline_text(item.get("deadline"), where),
        legal_basis=_text(basis.get("text") if isinstance(basis, dict) else basis, where),
        expected_result=_text(item.get("expected_result"), where),
        responsible_names=[
            normalise(str(r.get("name") if isinstance(r, dict) else r)) for r in responsible if r
        ],
        status=_status(item.get("status"), where),
        status_note=_text(item.get("status_note"), where),
        rows=(index, index),
        source={"json": [str(item.get("title"))]},
    )
    for step_index, step in enumerate(item.get("steps") or [], start=1):
        measure.steps.append(_step(step, index, step_index))
    return measure


def _step(step: Any, index: int, step_index: int) -> ParsedStep:
    step_where = _("measure %(n)s, step %(s)s", n=index, s=step_index)
    text = _text(step.get("text"), step_where) if isinstance(step, dict) else None
    if not text:
        raise InvalidInput(_("%(where)s: the step has no text.", where=step_where))
    return ParsedStep(
        number=_text(step.get("number"), step_where) or str(step_index),
        text=text,
        deadline_text=_deadline_text(step.get("deadline"), step_where),
        status=_status(step.get("status"), step_where),
        status_note=_text(step.get("status_note"), step_where),
        row=index,
    )
