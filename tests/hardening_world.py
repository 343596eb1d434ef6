"""A small but complete organization (every role, plans in every state, evidence, a report job,
a token, a feed, reminders), built through the services, for the URL-map walks."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from tracker.auth.models import User
from tracker.auth.services import create_api_token
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.execution import files
from tracker.execution import services as execution
from tracker.orgs.models import Organization, Unit
from tracker.plans.models import Plan, PlanState

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class OrgWorld:
    organization: Organization
    users: dict[str, User]
    tokens: dict[str, str]
    plan: Plan
    draft: Plan
    unit: Unit
    #: Path argument name → an id of this organization's object.
    ids: dict[str, int] = field(default_factory=dict)


def build_org(
    db: Any,
    *,
    organization: Organization,
    make_unit: Callable[..., Unit],
    make_user: Callable[..., User],
    make_plan: Callable[..., Plan],
    tag: str,
) -> OrgWorld:
    unit = make_unit(f"{tag} бошқармаси", org=organization)
    sub = make_unit(f"{tag} бўлими", parent=unit, org=organization)
    users = {
        role.value: make_user(
            role, unit=unit if role in (Role.UNIT_HEAD, Role.EXECUTOR) else None, org=organization
        )
        for role in Role
    }
    plan = make_plan(
        title=f"{tag} approved plan",
        org=organization,
        measures=[
            {
                "number": "1",
                "title": f"{tag} measure one",
                "lead_unit_id": unit.id,
                "steps": [{"number": "1", "text": f"{tag} step"}],
            },
            {"number": "2", "title": f"{tag} measure two", "lead_unit_id": sub.id},
        ],
    )
    draft = make_plan(title=f"{tag} draft plan", org=organization, state=PlanState.DRAFT)
    measure = plan.measures[0]
    claim = execution.submit_status_update(
        measure,
        status=Status.DONE_CLAIMED,
        note=f"{tag} evidence note",
        actor=None,
        attachments=[files.IncomingFile(f"{tag}.txt", f"{tag} evidence".encode())],
    )
    tokens = {}
    for role, user in users.items():
        _row, tokens[role] = create_api_token(user, f"{tag} {role}", actor=user)
    target = make_user(Role.VIEWER, org=organization, name=f"{tag} target person")
    target_token, _ = create_api_token(target, f"{tag} target", actor=target)
    db.session.flush()
    ids = {
        "plan_id": plan.id,
        "measure_id": measure.id,
        "step_id": measure.steps[0].id,
        "unit_id": unit.id,
        "user_id": target.id,
        "update_id": claim.id,
        "attachment_id": claim.attachments[0].id,
        "token_id": target_token.id,
        "number": plan.version,
    }
    return OrgWorld(organization, users, tokens, plan, draft, unit, ids)


def add_optional_ids(db: Any, world: OrgWorld) -> None:
    """Ids of rows that other features may or may not have (jobs, feeds, holidays, reminders)."""
    from sqlalchemy import select

    from tracker import models

    for name, model in (
        ("job_id", "ReportJob"),
        ("feed_id", "CalendarFeed"),
        ("holiday_id", "Holiday"),
        ("reminder_id", "Reminder"),
        ("email_id", "OutboundEmail"),
    ):
        cls = getattr(models, model, None)
        if cls is None:
            continue
        column = getattr(cls, "organization_id", None)
        query = select(cls.id)
        if column is not None:
            query = query.where(column == world.organization.id)
        found = db.session.scalar(query.limit(1))
        if found is not None:
            world.ids[name] = found


_NAME_PATTERNS = (
    re.compile(r"""args\.get(?:list)?\(\s*["']([a-z_][a-z0-9_]*)["']"""),
    re.compile(r"""form\.get(?:list)?\(\s*f?["']([a-z_][a-z0-9_]*)"""),
    re.compile(r"""arg_[a-z]+\(\s*["']([a-z_][a-z0-9_]*)["']"""),
)


def parameter_names(app: Flask, endpoint: str) -> list[str]:
    """Query and form names a view may read: literals in its feature's code and its forms' fields."""
    from wtforms import Form
    from wtforms.fields.core import UnboundField

    view = app.view_functions[endpoint]
    module = __import__(view.__module__, fromlist=["*"])
    package = Path(module.__file__).parent
    names: set[str] = set()
    for source in package.glob("*.py"):
        text = source.read_text()
        for pattern in _NAME_PATTERNS:
            names.update(pattern.findall(text))
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, Form):
            names.update(n for n, v in vars(value).items() if isinstance(v, UnboundField))
            for base in value.__mro__:
                names.update(n for n, v in vars(base).items() if isinstance(v, UnboundField))
    names.discard("csrf_token")
    return sorted(names)
