"""Reports as of a day print the approved version then in force: titles, units, approval block."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from freezegun import freeze_time

from tests.reports.conftest import pdf_text
from tracker.core.permissions import Role
from tracker.plans import changes
from tracker.plans import services as plan_services
from tracker.plans.snapshot import snapshot_of
from tracker.reports import services as report_services
from tracker.reports.data import ReportOptions
from tracker.reports.models import ReportKind


def _pdf(plan: Any, kind: ReportKind, as_of: date, tmp_path: Any) -> str:
    options = ReportOptions(as_of=as_of, script="cyrl", columns=("responsible",))
    job = report_services.ReportRequest(kind, plan.organization_id, plan.id, options)
    return " ".join(pdf_text(report_services.build_report(job).path.read_bytes(), tmp_path).split())


def test_two_approved_versions_each_printed_as_of_a_day_in_force(
    db, make_plan, make_user, make_unit, tmp_path
):
    first_unit, second_unit, third_unit = (
        make_unit("Стратегия бошқармаси"),
        make_unit("Молия бошқармаси"),
        make_unit("Кадрлар бўлими"),
    )
    plan = make_plan(
        measures=[
            {
                "number": "1",
                "title": "Миллий маъруза лойиҳасини тайёрлаш",
                "deadline_text": "2024 йил июнь",
                "lead_unit_id": first_unit.id,
                "added_on": date(2024, 1, 4),
            }
        ]
    )
    controller, director = make_user(Role.CONTROLLER), make_user(Role.DIRECTOR)
    measure = plan.measures[0]
    with freeze_time(datetime(2024, 3, 1, 9)):
        plan_services.revise_plan(plan, actor=controller)
        plan_services.update_measure(
            measure,
            plan_services.MeasureData(
                number="1",
                title="Миллий маърузани тайёрлаш ва эълон қилиш",
                deadline_text="2024 йил июнь",
                lead_unit_id=second_unit.id,
            ),
            actor=controller,
            expected_version=None,
        )
        plan_services.add_measure(
            plan, plan_services.MeasureData(number="2", title="Мониторинг ўтказиш"), actor=controller
        )
        plan_services.submit_plan(plan, actor=controller)
    with freeze_time(datetime(2024, 3, 10, 9)):
        plan_services.approve_plan(
            plan,
            actor=director,
            position="Агентлик директори",
            name="Б. Каримов",
            approval_date=date(2024, 3, 10),
        )
    with freeze_time(datetime(2024, 4, 1, 9)):
        changes.reassign_responsibles(
            measure,
            changes.Reassignment(
                lead_unit_id=third_unit.id,
                co_unit_ids=[],
                other_responsible=[],
                reason="Вазифалар қайта тақсимланди",
            ),
            actor=controller,
        )
    db.session.commit()

    february = snapshot_of(plan, date(2024, 2, 1))
    assert february.version == 1 and february.approval.name == "А. Бурханов"
    assert [m.title for m in february.measures] == ["Миллий маъруза лойиҳасини тайёрлаш"]
    assert [r.name for r in february.measures[0].responsibles] == ["Стратегия бошқармаси"]
    # while the revision awaited approval, version 1 stood
    assert snapshot_of(plan, date(2024, 3, 5)).measures[0].title == "Миллий маъруза лойиҳасини тайёрлаш"
    march = snapshot_of(plan, date(2024, 3, 20))
    assert march.version == 2 and march.approval.name == "Б. Каримов"
    assert [m.title for m in march.measures] == [
        "Миллий маърузани тайёрлаш ва эълон қилиш",
        "Мониторинг ўтказиш",
    ]
    assert [r.name for r in march.measures[0].responsibles] == ["Молия бошқармаси"]
    april = snapshot_of(plan, date(2024, 4, 2))
    assert [r.name for r in april.measures[0].responsibles] == ["Кадрлар бўлими"]

    text = _pdf(plan, ReportKind.STATUS, date(2024, 2, 1), tmp_path)
    assert "Миллий маъруза лойиҳасини тайёрлаш" in text and "Стратегия бошқармаси" in text
    assert "Мониторинг" not in text and "Молия" not in text
    text = _pdf(plan, ReportKind.STATUS, date(2024, 3, 20), tmp_path)
    assert "эълон қилиш" in text and "Молия бошқармаси" in text and "Мониторинг ўтказиш" in text
    assert "Стратегия" not in text
    # the plan document prints the approval block of the version in force
    assert "Бурханов" in _pdf(plan, ReportKind.PLAN, date(2024, 2, 1), tmp_path)
    document = _pdf(plan, ReportKind.PLAN, date(2024, 3, 20), tmp_path)
    assert "Каримов" in document and "Бурханов" not in document
    # the approved version 1 page's data is that version exactly
    assert snapshot_of(plan, version=1).measures[0].title == "Миллий маъруза лойиҳасини тайёрлаш"


def test_a_draft_prints_a_blank_block_to_sign_and_optional_signature_lines(db, make_plan, tmp_path):
    plan = make_plan(state="draft")
    plan.organization.print_signature_lines = True
    db.session.commit()
    text = _pdf(plan, ReportKind.PLAN, date.today(), tmp_path)
    assert "ТАСДИҚЛАЙМАН" in text and "20__ йил «__» ______" in text
    assert "Келишилди" in text and "Тайёрлади" in text
