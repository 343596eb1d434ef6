"""The export buttons of the plan page, and who may export."""

from __future__ import annotations

from _import_docs import seed, xlsx_bytes

from tests.conftest import login, soup_of
from tracker.imports import services
from tracker.plans.models import PlanState


def _imported(db, organization, make_user):
    controller = make_user("controller")
    preview = services.preview_file("roadmap.xlsx", xlsx_bytes(*seed("004")), organization)
    plan = services.import_plan(preview, organization, actor=controller)
    db.session.commit()
    return plan


def test_export_buttons_download_each_format(client, db, organization, make_user):
    plan = _imported(db, organization, make_user)
    start = plan.period_start
    plan.approval_name, plan.approval_date, plan.state = "X", start, PlanState.APPROVED
    db.session.commit()
    login(client, make_user("viewer"))
    page = soup_of(client.get(f"/plans/{plan.id}"))
    form = page.select_one("form.export-form")
    assert form is not None and form["action"].endswith(f"/plans/{plan.id}/export")
    xlsx = client.get(f"/plans/{plan.id}/export?format=xlsx&script=latn&as_of=2022-10-04")
    assert xlsx.status_code == 200 and xlsx.data.startswith(b"PK")
    assert "attachment" in xlsx.headers["Content-Disposition"]
    csv_file = client.get(f"/plans/{plan.id}/export?format=csv")
    assert csv_file.data.startswith("\ufeff".encode())
    data = client.get(f"/plans/{plan.id}/export?format=json&as_of=04.10.2022").get_json(force=True)
    assert data["as_of"] == "2022-10-04" and data["measures"][0]["status"] == "done"
    bad = client.get(f"/plans/{plan.id}/export?format=pdf")
    assert bad.status_code == 302


def test_export_and_api_respect_plan_visibility(client, db, organization, make_user):
    draft = _imported(db, organization, make_user)  # a draft never approved
    viewer = make_user("viewer")
    db.session.commit()
    login(client, viewer)
    assert client.get(f"/plans/{draft.id}/export?format=json").status_code == 403
    assert client.get(f"/api/v1/plans/{draft.id}").status_code == 403
