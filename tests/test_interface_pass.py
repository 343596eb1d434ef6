"""Issue 13's behaviour behind the pages: claims withdrawn, no report form while one awaits review,
plan content read in another script, the audit trail in words, the rating's opening period, the
calendar's opening month, highlighted search matches, and charts whose labels fit."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from tests.conftest import login, post_form, reload, soup_of
from tracker.core.errors import PermissionDenied
from tracker.core.models import AuditEntry
from tracker.core.permissions import Role
from tracker.core.status import ReviewState, Status
from tracker.execution import services
from tracker.execution.models import StatusUpdate

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def setting(make_unit, make_user, make_plan):
    unit, other = make_unit("Тизимли таҳлил бўлими"), make_unit("Кадрлар тармоғи")
    plan = make_plan(
        measures=[
            {
                "number": "1",
                "title": "Миллий стратегия лойиҳаси",
                "mechanism": "1. Лойиҳа. 2. Келишиш.",
                "lead_unit_id": unit.id,
                "steps": [{"number": "1", "text": "Лойиҳа тайёрлаш"}, {"number": "2", "text": "Келишиш"}],
            },
        ]
    )
    return {
        "plan": plan,
        "measure": plan.measures[0],
        "executor": make_user(Role.EXECUTOR, unit=unit, name="Н. Турсунов"),
        "outsider": make_user(Role.EXECUTOR, unit=other),
        "controller": make_user(Role.CONTROLLER, name="Д. Каримова"),
        "admin": make_user(Role.ADMIN, name="Тизим администратори"),
    }


def claim(setting) -> StatusUpdate:
    measure = setting["measure"]
    services.submit_status_update(
        measure, status=Status.IN_PROGRESS, note="Бошланди", actor=setting["executor"]
    )
    return services.submit_status_update(
        measure, status=Status.DONE_CLAIMED, note="Бажарилди", actor=setting["executor"]
    )


def test_a_unit_withdraws_its_pending_claim_and_the_previous_status_stands(db, setting):
    update = claim(setting)
    with pytest.raises(PermissionDenied):
        services.withdraw_claim(update, actor=setting["outsider"])
    services.withdraw_claim(update, actor=setting["executor"])
    assert update.review_state == ReviewState.WITHDRAWN
    assert reload(setting["measure"]).status == Status.IN_PROGRESS
    assert services.pending_claim(setting["measure"]) is None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "withdraw")).one()
    assert entry.entity_id == update.id


def test_no_report_form_while_a_claim_awaits_review_and_the_page_offers_withdrawal(client, db, setting):
    update = claim(setting)
    db.session.commit()
    measure = setting["measure"]
    login(client, setting["executor"])
    response = client.get(f"/measures/{measure.id}/status")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/measures/{measure.id}")
    page = soup_of(client.get(f"/measures/{measure.id}"))
    assert page.select_one(f'main a[href="/measures/{measure.id}/status"]') is None
    withdraw = page.select_one(f'form[action="/updates/{update.id}/withdraw"] button')
    assert withdraw is not None and withdraw.has_attr("data-confirm")
    response = post_form(client, f"/updates/{update.id}/withdraw")
    assert response.status_code == 302
    assert reload(update).review_state == ReviewState.WITHDRAWN
    page = soup_of(client.get(f"/measures/{measure.id}"))
    assert page.select_one(f'main a[href="/measures/{measure.id}/status"]') is not None


def test_measure_page_shows_the_mechanism_once_and_one_history(client, db, setting):
    measure = setting["measure"]
    step = measure.steps[0]
    services.submit_status_update(
        step, status=Status.IN_PROGRESS, note="Қадам бошланди", actor=setting["executor"]
    )
    services.submit_status_update(
        measure, status=Status.IN_PROGRESS, note="Чора бошланди", actor=setting["executor"]
    )
    db.session.commit()
    login(client, setting["executor"])
    page = soup_of(client.get(f"/measures/{measure.id}"))
    text = page.select_one("main").get_text(" ")
    assert "1. Лойиҳа. 2. Келишиш." not in text  # shown as its steps instead
    assert len(page.select(".step-row")) == 2
    timelines = page.select("ol.timeline")
    assert len(timelines) == 1
    notes = timelines[0].get_text(" ")
    assert "Қадам бошланди" in notes and "Чора бошланди" in notes


def test_reading_script_shows_plan_content_in_latin_and_never_changes_it(client, db, setting):
    plan, measure = setting["plan"], setting["measure"]
    login(client, setting["executor"])
    assert post_form(client, "/reading-script/latn", {"next": f"/plans/{plan.id}"}).status_code == 302
    assert reload(setting["executor"]).reading_script == "latn"
    page = soup_of(client.get(f"/plans/{plan.id}"))
    assert "Milliy strategiya loyihasi" in page.select_one("#measures").get_text(" ")
    assert page.select_one("h1").get_text(strip=True).startswith("2024 yil")
    assert reload(measure).title == "Миллий стратегия лойиҳаси"
    assert post_form(client, "/reading-script/original").status_code == 302
    assert (
        "Миллий стратегия лойиҳаси"
        in soup_of(client.get(f"/measures/{measure.id}")).select_one("h1").get_text()
    )
    # Neither the reading script nor the UI language is worth an audit entry.
    assert post_form(client, "/language/ru").status_code == 302
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.actor_id == setting["executor"].id)
        )
        == 0
    )


def test_audit_trail_tells_changes_in_words_with_names_and_filters(client, db, setting):
    update = claim(setting)
    services.return_claim(update, actor=setting["controller"], reason="Далил йўқ")
    db.session.commit()
    login(client, setting["admin"])
    page = soup_of(client.get("/admin/audit", headers={"Accept-Language": "en"}))
    rows = page.select("#audit tbody tr[data-entry]")
    text = " ".join(r.get_text(" ", strip=True) for r in rows)
    assert "Д. Каримова" in text and "Н. Турсунов" in text
    assert "Review" in text and "Returned" in text and "review_state" not in text and "{" not in text
    assert page.select_one(f'#audit a[href="/measures/{setting["measure"].id}"]') is not None
    controller_only = soup_of(client.get(f"/admin/audit?actor={setting['controller'].id}"))
    assert len(controller_only.select("#audit tbody tr[data-entry]")) == 1
    returned = soup_of(client.get("/admin/audit?action=return&entity=status_update"))
    assert len(returned.select("#audit tbody tr[data-entry]")) == 1
    future = soup_of(client.get("/admin/audit?from=2999-01-01"))
    assert future.select("#audit tbody tr[data-entry]") == []


def test_rating_opens_on_the_last_complete_quarter_with_deadlines(
    client, db, make_unit, make_user, make_plan
):
    unit = make_unit("Очиқлик бўлими")
    make_plan(
        measures=[{"number": "1", "title": "Ҳисобот", "due_on": date(2024, 5, 20), "lead_unit_id": unit.id}]
    )
    login(client, make_user(Role.VIEWER))
    page = soup_of(client.get("/rating"))
    assert page.select_one("#from")["value"] == "2024-04-01"
    assert page.select_one("#to")["value"] == "2024-06-30"
    assert page.select_one(f'#rating tr[data-unit="{unit.id}"]')["data-rank"] == "1"


def test_calendars_open_on_a_month_with_deadlines(client, db, setting):
    from tracker.core.time import today

    plan, measure = setting["plan"], setting["measure"]
    login(client, setting["executor"])
    # The plan (January–June 2024) is over: its calendar opens on its first month.
    page = soup_of(client.get(f"/plans/{plan.id}/calendar"))
    assert page.select_one("a[rel=prev]")["href"].endswith("month=2023-12")
    # My calendar opens on the month of my next deadline.
    upcoming = date.fromordinal(today().toordinal() + 70)
    measure.due_on = upcoming
    db.session.commit()
    page = soup_of(client.get("/calendar"))
    assert page.select_one("a[rel=next]")["href"].endswith(
        f"month={upcoming.year + (upcoming.month == 12)}-{upcoming.month % 12 + 1:02d}"
    )
    assert "№1" in page.select_one("#month-deadlines").get_text(" ")


def test_search_highlights_matched_words_in_either_script(client, db, setting):
    from tracker.core.templating import highlight
    from tracker.uzbek import search_tokens

    marked = str(highlight("Миллий стратегия лойиҳаси", search_tokens("strategiya")))
    assert marked == "Миллий <mark>стратегия</mark> лойиҳаси"
    assert str(highlight("<b>x</b>", ["b"])) == "&lt;<mark>b</mark>&gt;x&lt;/<mark>b</mark>&gt;"


def test_short_month_names_come_from_cldr_and_differ(app):
    from tracker.dashboard.charts import month_name

    with app.test_request_context(), force_locale("uz_Latn"):
        assert month_name(date(2024, 6, 1), short=True) != month_name(date(2024, 7, 1), short=True)
    with app.test_request_context(), force_locale("ru"):
        assert month_name(date(2024, 6, 1), short=True).lower().startswith("июн")


def test_timeline_ticks_follow_the_span_and_never_touch():
    from tracker.charts.svg import text_width
    from tracker.dashboard.drawing import scaled_ticks

    def label(d: date) -> str:
        return f"Iyn {d:%y}"

    def year(d: date) -> str:
        return str(d.year)

    short = scaled_ticks(date(2024, 1, 1), date(2024, 12, 31), 710, label, year)
    assert len(short) == 12  # a year: every month
    long = scaled_ticks(date(2021, 1, 1), date(2026, 12, 31), 710, label, year)
    assert all(re.fullmatch(r"\d{4}|Iyn \d\d", text) for _day, text in long)
    spacing = 710 / (date(2026, 12, 31) - date(2021, 1, 1)).days
    gaps = [(b[0] - a[0]).days * spacing for a, b in zip(long, long[1:], strict=False)]
    assert min(gaps) >= max(text_width(t, 10) for _d, t in long)


def test_bar_chart_labels_fit_their_column_with_the_full_name_as_tooltip():
    from tracker.charts import BarSeries, bar_chart

    name = "Давлат органлари ва ташкилотлари фаолияти очиқлигини таъминлаш бошқармаси"
    svg = ET.fromstring(str(bar_chart([BarSeries(name, 7, "danger")], title="t")))  # noqa: S314
    group = svg.find(f"{SVG}g")
    assert group.find(f"{SVG}title").text == name
    shown = group.find(f"{SVG}text").text
    assert shown.endswith("…") and len(shown) < len(name)


def read_xlsx(response):
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    return sheet.title, [[c.value for c in row] for row in sheet.iter_rows()]


def test_lists_download_as_excel_with_translated_sheet_and_headers(client, db, setting):
    claim(setting)
    db.session.commit()
    setting["controller"].locale = "ru"
    db.session.commit()
    login(client, setting["controller"])
    page = soup_of(client.get("/plans"))
    assert page.select_one('main a[href="/plans?format=xlsx"]') is not None
    title, rows = read_xlsx(client.get("/plans?format=xlsx"))
    assert title == "Планы" and rows[0][0] == "Наименование"
    assert rows[1][0].startswith("2024 йил I ярим")
    title, rows = read_xlsx(client.get("/reviews?format=xlsx"))
    assert rows[1][3] == "Бажарилди" and len(rows) == 2
    title, rows = read_xlsx(client.get("/search?q=strategiya&format=xlsx"))
    assert any(r[3] == "Миллий стратегия лойиҳаси" for r in rows[1:])
    title, rows = read_xlsx(client.get("/rating?from=2024-01-01&to=2024-12-31&format=xlsx"))
    assert rows[0][1] == "Подразделение"
