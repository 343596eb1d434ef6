"""The plain data each report template prints: dicts, strings and numbers, no ORM objects.

The pieces live by report (:mod:`tracker.reports.common`, :mod:`~tracker.reports.status_data`,
:mod:`~tracker.reports.document_data`, :mod:`~tracker.reports.summary_data`); this module keeps
the one import path the rest of tracker and the tests use.
"""

from __future__ import annotations

from tracker.reports.common import OPTIONAL_COLUMNS, OVERDUE, STATUS_ORDER, ReportOptions, Writer
from tracker.reports.document_data import plan_document
from tracker.reports.status_data import snapshot_status_report, status_report
from tracker.reports.summary_data import (
    count_measures,
    organization_summary,
    plan_summary,
    plans_in_force,
    summary,
)

__all__ = [
    "OPTIONAL_COLUMNS",
    "OVERDUE",
    "STATUS_ORDER",
    "ReportOptions",
    "Writer",
    "count_measures",
    "organization_summary",
    "plan_document",
    "plan_summary",
    "plans_in_force",
    "status_report",
    "snapshot_status_report",
    "summary",
]
