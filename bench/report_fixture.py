"""The benchmark's content, shared by bench/report_speed.py and bench/report_profile.py.

The issue's fixture: the 2024 H1 work plan of the demo (seed 003, Cyrillic), every measure with
a ~800-character status note; and a plan of N (300) measures made of the same measures repeated.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = date(2024, 6, 1)
VIEWER = ("viewer@demo.uz", "demo-viewer")


@dataclass(frozen=True)
class BenchPlans:
    small_id: int
    small_measures: int
    large_id: int
    large_measures: int


def create_if_missing(url) -> None:  # noqa: ANN001
    """Create the PostgreSQL database ``url`` names when it does not exist (a fresh machine)."""
    from sqlalchemy import create_engine, text

    if url.get_backend_name() != "postgresql":
        return
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        known = "SELECT 1 FROM pg_database WHERE datname = :name"
        if connection.execute(text(known), {"name": url.database}).first() is None:
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    server.dispose()


def reset_database(app) -> None:  # noqa: ANN001
    """An empty schema at the newest migration (every table of the database is dropped first;
    a PostgreSQL database that does not exist yet is created)."""
    import flask_migrate
    from sqlalchemy import MetaData, text

    from tracker.extensions import db

    with app.app_context():
        create_if_missing(db.engine.url)
        metadata = MetaData()
        metadata.reflect(db.engine)
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                for table in metadata.tables:
                    connection.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
        else:
            metadata.drop_all(db.engine)
        flask_migrate.upgrade(revision="heads")


def fill(app, large: int) -> BenchPlans:  # noqa: ANN001
    """The demo, 800-character notes on the work plan, and a plan of ``large`` measures."""
    from sqlalchemy import select

    from tracker.core.status import Status
    from tracker.demo.loader import load_demo
    from tracker.execution import services as execution
    from tracker.extensions import db
    from tracker.plans import services as plan_services
    from tracker.plans.models import Plan, PlanKind

    with app.app_context():
        load_demo()
        plans = {p.kind: p for p in db.session.scalars(select(Plan))}
        work_plan, roadmap = plans[PlanKind.WORK_PLAN], plans[PlanKind.ROADMAP]
        notes = [m.status_note for m in roadmap.measures if m.status_note and len(m.status_note) > 300]
        for index, measure in enumerate(work_plan.measures):
            note = (notes[index % len(notes)] * 2)[:800]
            execution.submit_status_update(
                measure, status=Status.IN_PROGRESS, note=note, actor=None, effective_on=date(2024, 5, 1)
            )
        plan = plan_services.create_plan(
            work_plan.organization,
            plan_services.PlanData(kind=PlanKind.WORK_PLAN, title=f"{large} {work_plan.title}"),
            actor=None,
        )
        sources = work_plan.measures
        for n in range(large):
            source = sources[n % len(sources)]
            measure = plan_services.add_measure(
                plan,
                plan_services.MeasureData(
                    number=str(n + 1),
                    title=source.title,
                    mechanism=source.mechanism,
                    deadline_text=source.deadline_text,
                    legal_basis=source.legal_basis,
                    expected_result=source.expected_result,
                    added_on=date(2024, 1, 4),
                ),
                actor=None,
            )
            execution.submit_status_update(
                measure,
                status=Status.IN_PROGRESS,
                note=(notes[n % len(notes)] * 2)[:800],
                actor=None,
                effective_on=date(2024, 5, 1),
            )
        plan.state = "approved"
        plan.approval_name, plan.approval_date = "А. Бурханов", date(2024, 1, 4)
        db.session.commit()
        return BenchPlans(work_plan.id, len(work_plan.measures), plan.id, large)


def status_html(app, plan_id: int) -> str:  # noqa: ANN001
    """The status report's HTML as of :data:`AS_OF` in Cyrillic (what the PDF is made from)."""
    from tracker.extensions import db
    from tracker.plans.models import Plan
    from tracker.reports import services
    from tracker.reports.data import ReportOptions
    from tracker.reports.models import ReportKind

    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        request = services.ReportRequest(
            ReportKind.STATUS, plan.organization_id, plan.id, ReportOptions(as_of=AS_OF, script="cyrl")
        )
        return services.render_html(services.TEMPLATES[ReportKind.STATUS], services.report_data_for(request))
