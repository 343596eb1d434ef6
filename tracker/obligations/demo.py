"""The demo's standing obligations: the openness duties of ПФ-6247 (16.06.2021, seed 000),
with reports from 2021 on, so that the compliance view is alive on a fresh install."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tracker.extensions import db
from tracker.obligations import services
from tracker.orgs.models import Organization, Unit
from tracker.plans import services as plans
from tracker.plans.models import Plan

TITLE = "Давлат органлари ва ташкилотлари фаолиятининг очиқлигини таъминлаш бўйича доимий мажбуриятлар"
BASIS = "Президентнинг 2021 йил 16 июндаги ПФ-6247-сон Фармони"
SITE = "https://anticorruption.uz/uz/ochiq-malumotlar"

#: The four kinds of data the decree names for quarterly updates from 1 July 2021.
QUARTERLY_DATA = [
    "Амалга оширилган давлат харидлари",
    "Мансабдор шахсларнинг хизмат сафарлари ва хориждан ташриф буюрган меҳмонларни кутиб олиш харажатлари",
    "Президент, Вазирлар Маҳкамаси ҳужжатлари билан солиқ ва божхона имтиёзлари ҳамда преференциялар",
    "Йиллик харажатлар сметаси ва унинг ижроси",
]


def _duties(unit_id: int) -> list[services.DutyData]:
    yearly = services.Frequency.YEARLY
    quarterly = services.Frequency.QUARTERLY
    start = date(2021, 6, 16)
    return [
        services.DutyData(
            "1",
            "Фаолиятга оид йиллик ҳисоботни расмий веб-сайтга жойлаштириш",
            "Ҳар йили 1 мартгача",
            yearly,
            start,
            month=3,
            day=1,
            lead_unit_id=unit_id,
        ),
        services.DutyData(
            "2",
            "Ҳисоботни жамоатчилик иштирокида муҳокама этиш ҳақида хабар бериш",
            "Ҳар йили 10 мартгача",
            yearly,
            start,
            month=3,
            day=10,
            lead_unit_id=unit_id,
        ),
        services.DutyData(
            "3",
            "Ҳисоботни кенг жамоатчилик иштирокида муҳокама этиш учун матбуот анжуманини ўтказиш",
            "Ҳар йили 1 апрелгача",
            yearly,
            start,
            month=4,
            day=1,
            lead_unit_id=unit_id,
        ),
        services.DutyData(
            "4",
            "Давлат харидлари, хизмат сафарлари, имтиёзлар ва харажатлар сметаси "
            "тўғрисидаги маълумотларни Очиқ маълумотлар порталида ва веб-сайтда янгилаш",
            "2021 йил 1 июлдан ҳар чоракда",
            quarterly,
            date(2021, 7, 1),
            lead_unit_id=unit_id,
            checklist=QUARTERLY_DATA,
        ),
        services.DutyData(
            "5",
            "Ижтимоий аҳамиятга молик маълумотлар рўйхатидаги (33 та) маълумотларни "
            "веб-сайтда жойлаштириш ва янгилаб бориш",
            "2021 йил 1 июлдан ҳар чоракда",
            quarterly,
            date(2021, 7, 1),
            lead_unit_id=unit_id,
            checklist=[f"Рўйхатнинг {n}-банди" for n in range(1, 34)],
        ),
    ]


def load_obligations(organization: Organization, unit: Unit, *, director_name: str, today: date) -> int:
    """Create the plan and its history once; returns 1 when created, 0 when it was there."""
    exists = db.session.scalar(
        select(Plan.id).where(Plan.organization_id == organization.id, Plan.title == TITLE)
    )
    if exists is not None:
        return 0
    plan = services.create_obligations_plan(organization, TITLE, basis=BASIS, actor=None)
    duties = [services.add_duty(plan, data, actor=None) for data in _duties(unit.id)]
    plans.record_document_approval(
        plan, actor=None, position="Директор", name=director_name, approval_date=date(2021, 6, 25)
    )
    services.ensure_periods(today)
    for duty in duties:
        _history(duty, today)
    return 1


def _history(duty: object, today: date) -> None:
    """Mostly on time; now and then late or with items missing; the last quarter not yet reported."""
    items = services.checklist_of(duty)  # type: ignore[arg-type]
    past = [p for p in services.periods_of(duty) if p.due_on < today]  # type: ignore[arg-type]
    for index, period in enumerate(past):
        if index == len(past) - 1 and len(past) > 4:
            continue  # the latest period is still missing: the view shows what is owed
        late = index % 5 == 3
        ticked = [i.id for i in items] if not late else [i.id for i in items[: max(0, len(items) - 2)]]
        services.report_period(
            period,
            services.PeriodReport(
                reported_on=period.due_on + timedelta(days=6) if late else period.due_on - timedelta(days=2),
                note="Маълумотлар жойлаштирилди." if not late else "Кечикиб жойлаштирилди.",
                evidence_url=SITE,
                letter_number=f"01-05/{period.due_on.year}-{index + 1}",
                checked_item_ids=ticked,
            ),
            actor=None,
            today=today,
        )
