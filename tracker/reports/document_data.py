"""The plan document's data (seed 003): the approval block, the title and the seven-column table."""

from __future__ import annotations

from typing import Any

from tracker.orgs.models import Organization
from tracker.plans.models import Plan, PlanState
from tracker.plans.snapshot import PlanSnapshot
from tracker.reports.common import ReportOptions, Writer, common_fields, report_items, responsible_names
from tracker.reports.models import ReportKind


def _signing(view: PlanSnapshot, w: Writer, organization: Organization | None) -> dict[str, Any]:
    """The approval block as printed; a blank one for a draft; the optional signature lines."""
    if view.approval is not None:
        block: dict[str, Any] | None = {
            "position": view.approval.position,
            "name": view.approval.name,
            "date": w.date(view.approval.approved_on, "approval"),
        }
    elif view.state in (PlanState.DRAFT, PlanState.IN_REVIEW):
        block = {"position": "", "name": "", "date": "", "blank": True}
    else:
        block = None
    return {
        "approval": block,
        "signature_lines": bool(organization and organization.print_signature_lines),
    }


def plan_document(plan: Plan, options: ReportOptions) -> dict[str, Any]:
    """The approval block top right, the title, and the seven-column table of the plan.

    A draft or a plan awaiting approval prints the version being written, with a blank block to
    sign; an approved plan prints the version in force on the report date.
    """
    w = Writer(options.script)
    is_draft = plan.state in (PlanState.DRAFT, PlanState.IN_REVIEW)
    view, items = report_items(plan, options, working_copy=is_draft)
    rows = [
        {
            "number": m.number,
            "title": m.title,
            "content": m.content,
            "mechanism": "" if m.steps else m.mechanism,
            "steps": [
                {"number": s.number, "text": s.title, "deadline": w.deadline(s.deadline)} for s in m.steps
            ],
            "deadline": w.deadline(m.deadline),
            "basis": m.legal_basis,
            "result": m.expected_result,
            "responsible": responsible_names(m, w),
        }
        for m in items
    ]
    data = common_fields(ReportKind.PLAN, options, w, view.title)
    data["as_of_line"] = ""  # the plan document is the plan, not a status: no "as of" line
    data.update(_signing(view, w, plan.organization))
    data["rows"] = rows
    return data
