"""Seed 002 (a proposal of measures): .txt, .docx and pasted text give the same draft plan."""

from __future__ import annotations

import pytest
from _text_docs import docx_of_text, seed_text
from sqlalchemy import func, select

from tracker.core.errors import InvalidInput
from tracker.imports import services
from tracker.plans.models import Measure, Plan, PlanKind, PlanState

HEADINGS = [
    "Очиқ маълумотлар базасини кенгайтириш ва янгилаш",
    "Жамоатчилик билан очиқ мулоқот форматларини кенгайтириш",
    "Мурожаатлар билан ишлаш тизимини шаффофлаштириш",
    "чиқлик индикаторлари бўйича ички рейтинг жорий этиш",
    "Норматив-ҳуқуқий ҳужжатлар лойиҳаларини жамоатчилик муҳокамасига қўйиш",
]
STEP_COUNTS = [3, 3, 2, 0, 3]


def _import(name, data, organization, make_user):
    preview = services.preview_file(name, data, organization)
    return preview, services.import_plan(preview, organization, actor=make_user("controller"))


def _as_data(plan):
    return [
        (m.number, m.title, m.content, m.expected_result, [s.text for s in m.steps], m.deadline_text)
        for m in plan.measures
    ]


def test_seed_002_becomes_a_draft_with_every_block(db, organization, make_user):
    preview, plan = _import("proposal.txt", seed_text("002").encode(), organization, make_user)
    assert preview.shape == "proposal"
    assert not any("no deadlines" in w for w in preview.warnings)  # said by the notice instead
    assert any("block 4" in w and "small letter" in w for w in preview.warnings)
    assert plan.state == PlanState.DRAFT and plan.kind == PlanKind.WORK_PLAN
    assert [m.title for m in plan.measures] == HEADINGS
    assert [m.number for m in plan.measures] == ["1", "2", "3", "4", "5"]
    assert [len(m.steps) for m in plan.measures] == STEP_COUNTS
    assert [[s.number for s in m.steps] for m in plan.measures][0] == ["1", "2", "3"]
    first, second, third, fourth, fifth = plan.measures
    # A line broken mid-sentence is joined; bullets stay one per line.
    assert first.content.splitlines() == [
        "Ташкилот фаолиятига оид очиқ маълумотлар рўйхатини қайта кўриб чиқиш ва қўшимча равишда "
        "қуйидаги маълумотларни жойлаштириш:",
        "• Бюджет маблағлари тақсимоти ва ижроси (чораклик кесимда)",
        "• Давлат харидлари бўйича тўлиқ маълумотлар",
        "• Лойиҳалар ижроси ҳолати",
        "• Раҳбарият қабул кунлари ва мурожаатлар статистикаси",
    ]
    assert [s.text for s in first.steps] == [
        "Расмий веб-сайтда “Очиқ маълумотлар” бўлимини янгилаш",
        "Маълумотларни ойлик/чораклик янгилаш тартибини жорий этиш",
        "Маълумотларни Excel/CSV форматда юклаб олиш имкониятини яратиш",
    ]
    assert first.expected_result == (
        "Фуқаролар ва ОАВ учун ахборотга тез ва қулай кириш имконияти яратилади, шаффофлик даражаси ошади."
    )
    assert second.content.startswith("• Ҳар чоракда очиқ ҳисобот тақдимотини ўтказиш\n")
    assert "• Келиб тушган мурожаатлар сони ва турлари бўйича очиқ статистика эълон қилиш" in third.content
    # An unknown label is kept, with its label, after the content.
    assert fourth.content == (
        "Ташкилот бўлимлари кесимида очиқлик ва ахборот бериш самарадорлигини баҳоловчи ички рейтинг "
        "тизимини ишлаб чиқиш.\n\nБаҳолаш мезонлари:\n• Ахборотни ўз вақтида эълон қилиш\n"
        "• Сўровларга жавоб бериш тезлиги\n• Жамоатчилик тадбирларида фаоллик"
    )
    assert fourth.expected_result == "Ички рақобат орқали очиқлик маданиятини ошириш."
    assert fifth.expected_result.endswith("жамоатчилик иштироки таъминланади.")
    assert all(m.deadline_text is None and not m.responsibles for m in plan.measures)


@pytest.mark.parametrize("shape", ["docx", "pasted"])
def test_docx_and_pasted_text_give_the_same_plan(db, organization, make_user, shape):
    text = seed_text("002")
    _p, from_txt = _import("proposal.txt", text.encode(), organization, make_user)
    if shape == "docx":
        _p, other = _import("proposal.docx", docx_of_text(text), organization, make_user)
    else:
        _p, other = _import("pasted.txt", text.replace("\n", "\r\n").encode(), organization, make_user)
    assert _as_data(other) == _as_data(from_txt)


def test_the_plan_cannot_be_sent_for_approval_until_the_grid_is_filled(
    db, organization, make_user, make_unit
):
    from tracker.core.errors import InvalidTransition
    from tracker.plans import services as plans

    unit = make_unit("Ахборот хизмати")
    _preview, plan = _import("proposal.txt", seed_text("002").encode(), organization, make_user)
    controller = make_user("controller")
    with pytest.raises(InvalidTransition, match="1, 2, 3, 4, 5"):
        plans.submit_plan(plan, actor=controller)
    from tracker.plans.grid import GridRow, fill_grid

    fill_grid(
        plan,
        [GridRow(m.id, "2025 йил 1 март", unit.id) for m in plan.measures],
        actor=controller,
    )
    assert {m.due_on.isoformat() for m in plan.measures} == {"2025-03-01"}
    assert all(m.lead.unit_id == unit.id for m in plan.measures)
    assert plans.submit_plan(plan, actor=controller).state == PlanState.IN_REVIEW


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Таклифлар\n\nМазмуни: бир нарса\n", "Line 1: no numbered block was found"),
        ("Таклифлар\n1.\nМазмуни:\nМатн\n", "Line 2: block 1 has no heading"),
        ("\n\nОддий матн, рақамсиз.\n", "Line 3: no numbered block was found"),
    ],
    ids=["no blocks", "block without heading", "plain text"],
)
def test_bad_proposals_name_the_line_and_write_nothing(db, organization, make_user, text, message):
    before = db.session.scalar(select(func.count(Measure.id)))
    plans_before = db.session.scalar(select(func.count(Plan.id)))
    with pytest.raises(InvalidInput, match=message):
        services.preview_file("bad.txt", text.encode(), organization)
    assert db.session.scalar(select(func.count(Measure.id))) == before
    assert db.session.scalar(select(func.count(Plan.id))) == plans_before
