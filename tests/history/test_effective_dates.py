"""A status report's own day and the day it was recorded: the secretariat may date one earlier, saying why."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from freezegun import freeze_time

from tests.conftest import login, post_form, soup_of
from tracker.core.errors import InvalidInput, PermissionDenied
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.plans.snapshot import snapshot_of


@pytest.fixture
def setting(db, make_plan, make_user, make_unit):
    unit = make_unit("Стратегия бошқармаси")
    plan = make_plan(
        measures=[
            {
                "number": "1",
                "title": "Маъруза",
                "deadline_text": "2024 йил март",
                "lead_unit_id": unit.id,
                "added_on": date(2024, 1, 4),
            }
        ]
    )
    return plan, make_user(Role.EXECUTOR, unit=unit), make_user(Role.CONTROLLER)


def test_an_earlier_effective_date_needs_the_secretariat_and_a_reason(db, setting):
    plan, executor, controller = setting
    measure = plan.measures[0]
    with freeze_time(datetime(2024, 4, 15, 9)):
        with pytest.raises(PermissionDenied):
            execution.submit_status_update(
                measure,
                status=Status.IN_PROGRESS,
                note="x",
                actor=executor,
                effective_on=date(2024, 3, 1),
                effective_reason="Импорт хатоси",
            )
        with pytest.raises(InvalidInput):
            execution.submit_status_update(
                measure, status=Status.DONE, note="x", actor=controller, effective_on=date(2024, 3, 1)
            )
        with pytest.raises(InvalidInput):
            execution.submit_status_update(
                measure,
                status=Status.DONE,
                note="x",
                actor=controller,
                effective_on=date(2024, 4, 16),
                effective_reason="Эртага",
            )
        update = execution.submit_status_update(
            measure,
            status=Status.DONE,
            note="Бажарилди",
            actor=controller,
            effective_on=date(2024, 3, 20),
            effective_reason="Импортда ҳолат сўзи йўқ эди",
        )
    assert update.effective_on == date(2024, 3, 20) and update.created_at.date() == date(2024, 4, 15)
    # as of the effective day it is done, on time, though recorded later
    view = snapshot_of(plan, date(2024, 3, 25)).measures[0]
    assert view.status == Status.DONE and view.is_done_on_time is True and view.done_on == date(2024, 3, 20)
    assert snapshot_of(plan, date(2024, 3, 19)).measures[0].is_overdue is False


def test_the_status_form_offers_the_earlier_date_to_the_secretariat_only(app, db, setting):
    plan, executor, controller = setting
    measure = plan.measures[0]
    db.session.commit()
    client = app.test_client()
    login(client, executor)
    assert soup_of(client.get(f"/measures/{measure.id}/status")).find(id="effective_on") is None
    client = app.test_client()
    login(client, controller)
    assert soup_of(client.get(f"/measures/{measure.id}/status")).find(id="effective_on") is not None
    day = date.today() - timedelta(days=3)
    response = post_form(
        client,
        f"/measures/{measure.id}/status",
        {
            "status": "in_progress",
            "note": "Ишлар бошланди",
            "effective_on": day.isoformat(),
            "effective_reason": "Кеч киритилди",
        },
    )
    assert response.status_code == 302
    page = soup_of(client.get(f"/measures/{measure.id}")).get_text(" ")
    assert "Кеч киритилди" in page
