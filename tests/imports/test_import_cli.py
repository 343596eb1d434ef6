"""``flask plans import`` (``flask plans export``: tests/exports/test_export_cli.py)."""

from __future__ import annotations

import pytest
from _import_docs import docx_bytes, seed, xlsx_bytes
from sqlalchemy import func, select

from tracker.orgs.models import Unit
from tracker.plans.models import Plan, PlanState


@pytest.fixture
def cli(app, db):
    return app.test_cli_runner()


def _count(db):
    return db.session.scalar(select(func.count(Plan.id)))


def test_import_prints_the_new_plan_id(cli, db, organization, tmp_path):
    path = tmp_path / "work-plan.docx"
    path.write_bytes(docx_bytes(*seed("003")))
    result = cli.invoke(args=["plans", "import", str(path), "--organization", str(organization.id)])
    assert result.exit_code == 0, result.output
    plan = db.session.get(Plan, int(result.stdout.strip().splitlines()[-1]))
    assert plan.state == PlanState.APPROVED and len(plan.measures) == 30


def test_dry_run_shows_the_preview_and_creates_nothing(cli, db, organization, tmp_path):
    path = tmp_path / "roadmap.xlsx"
    path.write_bytes(xlsx_bytes(*seed("004")))
    before = _count(db)
    result = cli.invoke(args=["plans", "import", str(path), "--dry-run", "--kind", "programme"])
    assert result.exit_code == 0, result.output
    assert "Kind:     programme" in result.output and "As of:    2022-10-04" in result.output
    assert "Measures: 8, steps: 12" in result.output
    assert _count(db) == before


def test_create_units(cli, db, organization, tmp_path):
    path = tmp_path / "work-plan.docx"
    path.write_bytes(docx_bytes(*seed("003")))
    result = cli.invoke(args=["plans", "import", str(path), "--create-units"])
    assert result.exit_code == 0, result.output
    names = set(db.session.scalars(select(Unit.name).where(Unit.organization_id == organization.id)))
    assert "Матбуот хизмати" in names and len(names) == 8


def test_bad_input_exits_non_zero_with_a_message(cli, db, organization, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"not a workbook")
    before = _count(db)
    result = cli.invoke(args=["plans", "import", str(path)])
    assert result.exit_code != 0
    assert "plan.xlsx" in result.output and "XLSX" in result.output
    assert _count(db) == before
