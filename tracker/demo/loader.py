"""The demo organization: units, one user per role, and the two seed plans with their statuses.

Loading is idempotent: what exists (matched by e-mail, unit name, plan title) is left alone.
Everything goes through the real services, so the audit trail and approval records are genuine.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tracker.auth import services as user_services
from tracker.auth.models import User
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.core.time import today
from tracker.execution import services as execution
from tracker.extensions import db
from tracker.obligations.demo import load_obligations
from tracker.orgs.models import Organization, Unit
from tracker.orgs.services import create_unit, get_or_create_organization
from tracker.plans import services as plans
from tracker.plans.models import Measure, Plan, PlanKind, Step

logger = logging.getLogger(__name__)

FIXTURES = Path(__file__).parent / "fixtures"
ORGANIZATION = "Ўзбекистон Республикаси Коррупцияга қарши курашиш агентлиги"
SECRETARIAT = "Котибият"
#: The roadmap names no responsible units; the demo gives it to the openness department.
ROADMAP_UNIT = "Давлат органлари ва ташкилотлари фаолияти очиқлигини таъминлаш бошқармаси"
ANALYSIS_UNIT = "Тизимли таҳлил ва прогнозлаштириш йиғма бўлими"


@dataclass(frozen=True)
class DemoUser:
    role: Role
    email: str
    password: str
    name: str
    unit: str | None
    position: str | None = None


DEMO_USERS = (
    DemoUser(Role.ADMIN, "admin@demo.uz", "demo-admin", "Тизим администратори", None),
    DemoUser(
        Role.DIRECTOR,
        "director@demo.uz",
        "demo-director",
        "А. Бурханов",
        None,
        "Коррупцияга қарши курашиш агентлиги директори",
    ),
    DemoUser(Role.CONTROLLER, "controller@demo.uz", "demo-controller", "Д. Каримова", SECRETARIAT),
    DemoUser(Role.UNIT_HEAD, "head@demo.uz", "demo-head", "Ш. Алиев", ANALYSIS_UNIT),
    DemoUser(Role.EXECUTOR, "executor@demo.uz", "demo-executor", "Н. Турсунов", ANALYSIS_UNIT),
    DemoUser(Role.VIEWER, "viewer@demo.uz", "demo-viewer", "М. Раҳимова", None),
)


def load_fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def load_demo() -> dict[str, int]:
    """Create what is missing; returns how many of each thing were created."""
    created = {"units": 0, "users": 0, "plans": 0}
    organization = get_or_create_organization(ORGANIZATION)
    work_plan = load_fixture("work_plan_2024_h1")
    roadmap = load_fixture("open_data_roadmap_2021")

    units = {
        u.name: u for u in db.session.scalars(select(Unit).where(Unit.organization_id == organization.id))
    }
    for name in [SECRETARIAT, *work_plan["units"]]:
        if name not in units:
            units[name] = create_unit(organization, name, actor=None)
            created["units"] += 1

    users: dict[Role, User] = {}
    for demo in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == demo.email))
        if user is None:
            user = user_services.create_user(
                email=demo.email,
                name=demo.name,
                password=demo.password,
                organization=organization,
                roles={demo.role},
                unit=units[demo.unit] if demo.unit else None,
                position=demo.position,
            )
            created["users"] += 1
        users[demo.role] = user

    for fixture, default_unit in ((work_plan, None), (roadmap, ROADMAP_UNIT)):
        exists = db.session.scalar(
            select(Plan.id).where(Plan.organization_id == organization.id, Plan.title == fixture["title"])
        )
        if exists is None:
            plan = _load_plan(organization, fixture, units, users, default_unit)
            if fixture is work_plan:
                _demo_activity(plan, users)
            created["plans"] += 1
    # Standing obligations of seed 000 (issue 15), with reports since 2021.
    created["plans"] += load_obligations(
        organization, units[ROADMAP_UNIT], director_name=users[Role.DIRECTOR].name, today=today()
    )
    db.session.flush()
    return created


def _demo_activity(plan: Plan, users: dict[Role, User]) -> None:
    """Work in motion, so the demo shows the workflow: a report in progress and a claim to review.

    Measure 1 is left untouched for the browser journey test and for trying the forms.
    """
    by_number = {m.number: m for m in plan.measures}
    executor = users[Role.EXECUTOR]
    execution.submit_status_update(
        by_number["3"],
        status=Status.IN_PROGRESS,
        actor=executor,
        note="Миллий маъруза тузилмаси тасдиқланди, бўлимлардан маълумотлар йиғилмоқда.",
    )
    execution.submit_status_update(
        by_number["4"],
        status=Status.DONE_CLAIMED,
        actor=executor,
        note="Давлат дастури ижроси бўйича маълумотлар йиғилди ва таҳлил қилинди; натижалар Агентлик "
        "расмий веб-сайтида эълон қилинди.",
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _load_plan(
    organization: Organization,
    fixture: dict[str, Any],
    units: dict[str, Unit],
    users: dict[Role, User],
    default_unit: str | None,
) -> Plan:
    plan = plans.create_plan(
        organization,
        plans.PlanData(
            kind=PlanKind(fixture["kind"]),
            title=fixture["title"],
            period_start=_date(fixture["period"]["start"]),
            period_end=_date(fixture["period"]["end"]),
            basis=fixture.get("basis"),
        ),
        actor=users[Role.CONTROLLER],
    )
    approval = fixture.get("approval")
    # The measures are in force from the approval (or the period start), not from the day of loading.
    in_force_from = _date(approval["date"]) if approval else _date(fixture["period"]["start"])
    for item in fixture["measures"]:
        _add_measure(plan, item, units, users[Role.CONTROLLER], default_unit, in_force_from)
    _approve(plan, fixture, users)
    as_of = _date(fixture.get("as_of"))
    if as_of is not None:
        _record_statuses(plan, fixture, as_of)
    return plan


def _add_measure(
    plan: Plan,
    item: dict[str, Any],
    units: dict[str, Unit],
    controller: User,
    default_unit: str | None,
    in_force_from: date | None,
) -> None:
    """One fixture measure with its steps; names of no demo unit are kept as written."""
    names = item["responsible"] or ([default_unit] if default_unit else [])
    matched = [units[n].id for n in names if n in units]
    measure = plans.add_measure(
        plan,
        plans.MeasureData(
            number=item["number"],
            title=item["title"],
            mechanism=item.get("mechanism"),
            deadline_text=item.get("deadline"),
            legal_basis=item.get("legal_basis"),
            expected_result=item.get("expected_result"),
            lead_unit_id=matched[0] if matched else None,
            co_unit_ids=matched[1:],
            other_responsible=[n for n in names if n not in units],
            added_on=in_force_from,
        ),
        actor=controller,
    )
    for step in item.get("steps", []):
        plans.add_step(
            measure,
            plans.StepData(number=step["number"], text=step["text"], deadline_text=step.get("deadline")),
            actor=controller,
        )


def _approve(plan: Plan, fixture: dict[str, Any], users: dict[Role, User]) -> None:
    """The plan approved as its document says: signed by the director, or (no block) in force."""
    approval = fixture.get("approval")
    if approval is None:
        # seed 004 has no approval block: the roadmap is in force with its resolution's year
        plans.record_document_approval(
            plan,
            actor=users[Role.CONTROLLER],
            position=None,
            name="",
            approval_date=_date(fixture["period"]["start"]) or today(),
            has_block=False,
        )
        return
    plans.submit_plan(plan, actor=users[Role.CONTROLLER])
    plans.approve_plan(
        plan,
        actor=users[Role.DIRECTOR],
        position=approval["position"],
        name=approval["name"],
        approval_date=date.fromisoformat(approval["date"]),
    )


def _record_statuses(plan: Plan, fixture: dict[str, Any], as_of: date) -> None:
    """The statuses printed in an "as of" report become updates effective on that date."""
    for measure, item in zip(plan.measures, fixture["measures"], strict=True):
        for step, step_item in zip(measure.steps, item.get("steps", []), strict=True):
            _record(step, step_item, as_of)
        _record(measure, item, as_of)


def _record(target: Measure | Step, item: dict[str, Any], as_of: date) -> None:
    if item.get("status"):
        execution.submit_status_update(
            target,
            status=Status(item["status"]),
            actor=None,
            effective_on=as_of,
            note=item.get("status_note") or "—",
            # the fixture's statuses are an "(… ҳолатига)" report: done by then, day unknown
            completion_unknown=item["status"] == Status.DONE,
        )
