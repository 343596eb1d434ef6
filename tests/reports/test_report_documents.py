"""The three reports read back from the PDF: numbers, statuses, scripts, approval block, pages."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from tests.reports.conftest import CYRILLIC, LATIN, page_count, row_numbers
from tracker.core.status import Status
from tracker.demo.loader import ROADMAP_UNIT, load_demo
from tracker.extensions import db as _db
from tracker.orgs.models import Organization, Unit
from tracker.plans.models import Plan, PlanKind
from tracker.reports import services
from tracker.reports.data import ReportOptions
from tracker.reports.headings import HEADINGS, STATUS_WORDS
from tracker.reports.models import ReportKind
from tracker.reports.render import render_pdf


@pytest.fixture
def demo(db: Any) -> dict[str, Plan]:
    load_demo()
    db.session.commit()
    plans = {p.kind: p for p in db.session.scalars(select(Plan))}
    return {"work_plan": plans[PlanKind.WORK_PLAN], "roadmap": plans[PlanKind.ROADMAP]}


def flat(text: str) -> str:
    """Text with line breaks undone ("Норматив-\\nҳуқуқий" → "Норматив-ҳуқуқий")."""
    return re.sub(r"(?<=\w-) (?=\w)", "", " ".join(text.split()))


def has_words(text: str, heading: str) -> bool:
    """Every word of a heading is in the text (table cells interleave in extracted text)."""
    return all(word in text for word in re.split(r"[\s-]+", heading) if word)


def source_texts(plan: Plan) -> list[str]:
    from tracker.execution.models import StatusUpdate

    texts = [plan.title]
    for m in plan.measures:
        texts += [m.title, m.mechanism or "", *(s.text for s in m.steps)]
    texts += [u.note or "" for u in _db.session.scalars(select(StatusUpdate))]
    return texts


def build(plan: Plan, kind: str, **options: Any) -> bytes:
    request = services.ReportRequest(
        ReportKind(kind), plan.organization_id, plan.id, ReportOptions(**options)
    )
    return services.build_report(request).path.read_bytes()


def test_headings_are_written_in_their_own_script():
    for key, text in HEADINGS["latn"].items():
        assert not CYRILLIC.search(text), key
    for key, text in HEADINGS["cyrl"].items():
        assert not LATIN.search(re.sub(r"\{\w+\}", "", text)), key
    assert not any(CYRILLIC.search(w) for w in STATUS_WORDS["latn"].values())


@pytest.mark.parametrize("script", ["cyrl", "latn"])
def test_status_report_of_the_roadmap_as_of_4_october_2022(demo, read_pdf, script):
    roadmap = demo["roadmap"]
    pdf = build(roadmap, "status", as_of=date(2022, 10, 4), script=script, columns=("responsible",))
    text = read_pdf(pdf)
    layout = read_pdf(pdf, layout=True)

    assert row_numbers(layout) == [m.number for m in roadmap.measures]
    heading = "(2022 йил 4 октябрь ҳолатига)" if script == "cyrl" else "(2022-yil 4-oktabr holatiga)"
    assert heading in flat(text)
    words = STATUS_WORDS[script]
    for measure in roadmap.measures:
        assert words[Status(measure.status)] in text
    assert HEADINGS[script]["status"] in text and HEADINGS[script]["mechanism"] in flat(text)
    if script == "latn":
        assert CYRILLIC.search(text) is None, CYRILLIC.findall(text)[:20]
    else:
        # Latin stays only where the source wrote Latin: foreign names, URLs ("Open Data Charter")
        source = re.sub(r"[^A-Za-z]", "", " ".join(source_texts(roadmap)))
        foreign = {w for w in re.findall(r"[A-Za-z]+", text) if w not in source}
        assert foreign == set()
    # each step is a row of its own, as in the Word original (which runs to about 20 pages)
    assert 6 <= page_count(pdf) <= 26


def test_overdue_measures_are_marked_with_the_word(demo, read_pdf):
    pdf = build(demo["work_plan"], "status", as_of=date(2024, 6, 1), script="cyrl")
    text = flat(read_pdf(pdf))
    assert "Муддати ўтган" in text
    pdf = build(demo["work_plan"], "status", as_of=date(2024, 1, 10), script="cyrl")
    assert "Муддати ўтган" not in flat(read_pdf(pdf))


def test_plan_document_has_the_approval_block_and_seven_columns(demo, read_pdf):
    plan = demo["work_plan"]
    pdf = build(plan, "plan", as_of=date(2024, 6, 30), script="cyrl")
    text = flat(read_pdf(pdf))
    assert "“ТАСДИҚЛАЙМАН”" in text
    assert "Коррупцияга қарши курашиш агентлиги директори" in text
    assert "А. Бурханов" in text and "2024 йил 04 январь" in text
    for heading in ("measures", "mechanism", "plan_deadline", "basis", "result", "responsible"):
        assert has_words(text, HEADINGS["cyrl"][heading]), heading
    assert row_numbers(read_pdf(pdf, layout=True)) == [m.number for m in plan.measures]

    latin = flat(read_pdf(build(plan, "plan", as_of=date(2024, 6, 30), script="latn")))
    assert "“TASDIQLAYMAN”" in latin and "2024-yil 04-yanvar" in latin and "A. Burxanov" in latin
    assert CYRILLIC.search(latin) is None


def test_optional_columns_and_filters(demo, read_pdf, db):
    roadmap = demo["roadmap"]
    unit = db.session.scalar(select(Unit).where(Unit.name == ROADMAP_UNIT))
    text = flat(read_pdf(build(roadmap, "status", as_of=date(2022, 10, 4), columns=("basis", "result"))))
    assert has_words(text, HEADINGS["cyrl"]["basis"]) and has_words(text, HEADINGS["cyrl"]["result"])
    assert not has_words(text, HEADINGS["cyrl"]["responsible"])

    in_progress = [m.number for m in roadmap.measures if m.status == Status.IN_PROGRESS]
    pdf = build(roadmap, "status", as_of=date(2022, 10, 4), status="in_progress", unit_id=unit.id)
    layout = read_pdf(pdf, layout=True)
    assert row_numbers(layout) == in_progress
    assert "Ҳолат: Бажарилмоқда" in flat(layout)


def test_summary_counts_statuses_units_and_lists_the_overdue(demo, read_pdf):
    plan = demo["work_plan"]
    text = flat(read_pdf(build(plan, "summary", as_of=date(2024, 6, 1), script="latn")))
    assert "Jami chora-tadbirlar: 30" in text
    assert "Muddati oʻtgan chora-tadbirlar" in text
    assert "Muddatida bajarilganlar ulushi: 0%" in text
    assert "<svg" not in text  # the chart is drawn, not printed as source
    assert CYRILLIC.search(text) is None


def test_summary_chart_is_an_embedded_svg(demo):
    from tracker.reports import data

    summary = data.plan_summary(demo["work_plan"], ReportOptions(as_of=date(2024, 6, 1)))
    assert summary["status_chart"].startswith("<svg") and "Бошланмаган: 30" in summary["status_chart"]


def test_organization_summary_covers_every_plan_in_force(demo, read_pdf, db):
    organization = db.session.get(Organization, demo["roadmap"].organization_id)
    request = services.ReportRequest(
        ReportKind.SUMMARY, organization.id, None, ReportOptions(as_of=date(2024, 6, 1))
    )
    text = flat(read_pdf(services.build_report(request).path.read_bytes()))
    assert "Жами чора-тадбирлар: 38" in text
    assert HEADINGS["cyrl"]["by_plan"] in text


def test_render_pdf_takes_a_template_and_plain_data(app, db):
    pdf = render_pdf(
        "reports/status.html",
        {
            "kind": "status",
            "lang": "uz-Cyrl",
            "h": HEADINGS["cyrl"],
            "title": "Синов",
            "as_of_line": "(2024 йил 1 июнь ҳолатига)",
            "filters_line": "",
            "columns": [],
            "rows": [],
        },
    )
    assert pdf.startswith(b"%PDF") and page_count(pdf) == 1
    _db.session.rollback()


def test_steps_without_their_own_deadline_print_the_measures_deadline_once(demo, read_pdf):
    """Seed 003, measure 1: two steps, one deadline ("2024 йил январь-март") for the measure. The
    status report prints it once across the steps' rows (not an empty cell under each step), and
    a measure whose steps have deadlines of their own prints each step's."""
    from bs4 import BeautifulSoup

    from tracker.reports.data import status_report
    from tracker.reports.render import render_html

    options = ReportOptions(as_of=date(2024, 5, 1), script="cyrl")
    data = status_report(demo["work_plan"], options)
    page = BeautifulSoup(render_html("reports/status.html", data), "html.parser")
    first = page.select_one('tr[data-number="1"]')
    cells = first.select("td.deadline")
    assert len(cells) == 1 and cells[0].get("rowspan") == "2"
    assert "2024 йил январь-март" in cells[0].get_text() and "Муддати ўтган" in cells[0].get_text()
    assert not first.find_next_sibling("tr").select("td.deadline")  # the step's row shares it
    fifth = page.select_one('tr[data-number="5"]')
    rows = [fifth, *fifth.find_next_siblings("tr", limit=2)]
    assert [r.select_one("td.deadline").get_text(" ", strip=True).split(" Муддати")[0] for r in rows] == [
        "2024 йил февраль",
        "2024 йил март",
        "2024 йил апрель",
    ]
    text = flat(read_pdf(build(demo["work_plan"], "status", as_of=date(2024, 5, 1), script="cyrl")))
    measure_one = text[text.index("“Ўзбекистон — 2030”") : text.index("Ўзбекистон Республикасида")]
    assert "2024 йил январь-март" in measure_one
