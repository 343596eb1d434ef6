"""Imports every model so that metadata (Alembic, relationships) sees all tables."""

from tracker.auth.models import ApiToken, LoginFailure, User, UserRole
from tracker.core.models import AuditEntry
from tracker.execution.models import Attachment, StatusUpdate
from tracker.orgs.models import Organization, Unit
from tracker.plans.models import Measure, Plan, PlanVersion, Responsible, Step

__all__ = [
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
]
