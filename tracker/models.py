"""Imports every model so that metadata (Alembic, relationships) sees all tables."""

from tracker.auth.models import ApiToken, LoginFailure, User, UserRole
from tracker.comments.models import Comment
from tracker.core.models import AuditEntry
from tracker.dashboard.models import CalendarFeed
from tracker.execution.models import Attachment, StatusUpdate
from tracker.imports.models import ImportConfirmation
from tracker.meetings.models import Meeting
from tracker.notifications.models import Notification, NotificationSetting, WorkflowEvent
from tracker.obligations.models import ChecklistItem, ObligationPeriod
from tracker.open.models import PlanPublication, PublicAttachment
from tracker.orgs.models import Organization, Unit
from tracker.plans.models import Measure, Plan, PlanVersion, Responsible, Step
from tracker.plans.records import DeadlineExtension, ItemChange
from tracker.reminders.models import DeliveryAttempt, Holiday, OutboundEmail, Reminder, ReminderPolicy
from tracker.reports.models import ReportJob
from tracker.search.models import SearchEntry

__all__ = [
    # dashboard and search
    "CalendarFeed",
    # history of measures and steps
    "DeadlineExtension",
    "ItemChange",
    "SearchEntry",
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "LoginFailure",
    "Measure",
    "Organization",
    "Plan",
    "PlanVersion",
    "Responsible",
    "Step",
    "StatusUpdate",
    "Unit",
    "User",
    "UserRole",
    # reminders
    "DeliveryAttempt",
    "Holiday",
    "OutboundEmail",
    "Reminder",
    "ReminderPolicy",
    # reports
    "ReportJob",
    # hardening (issue 12)
    "ImportConfirmation",
    # notifications and comments
    "Comment",
    "Notification",
    "NotificationSetting",
    "WorkflowEvent",
    # meetings and standing obligations
    "ChecklistItem",
    "Meeting",
    "ObligationPeriod",
    # open data
    "PlanPublication",
    "PublicAttachment",
]
