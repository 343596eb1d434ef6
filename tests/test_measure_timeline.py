"""The measure page's one history: status reports, changes, extensions and comments, by date."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.conftest import login, soup_of
from tests.query_count import counting_statements
from tracker.comments import services as comments
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.plans import extensions
from tracker.plans.records import ItemChange


def _at(day: int, hour: int) -> datetime:
    return datetime(2024, 3, day, hour, 0, tzinfo=UTC)


def test_comments_stand_in_the_one_timeline_in_date_order(client, db, make_plan, make_unit, make_user):
    unit = make_unit("Тизимли таҳлил бўлими")
    plan = make_plan(measures=[{"number": "1", "title": "Миллий маъруза", "lead_unit_id": unit.id}])
    measure = plan.measures[0]
    executor = make_user(Role.EXECUTOR, unit=unit, name="Н. Турсунов")
    controller = make_user(Role.CONTROLLER, name="Д. Каримова")
    make_user(Role.UNIT_HEAD, unit=unit, name="А. Раҳимов")

    first = execution.submit_status_update(
        measure, status=Status.IN_PROGRESS, note="Бошланди", actor=executor
    )
    comment = comments.add_comment(
        measure, "Илтимос, @[А. Раҳимов] кўриб чиқинг", actor=controller, mention_unit_ids=[unit.id]
    )
    extension = extensions.submit_deadline(
        measure, extensions.ExtensionData(deadline_text="2024 йил апрель", reason="Кечикди"), actor=controller
    )
    last = execution.submit_status_update(
        measure, status=Status.IN_PROGRESS, note="Давом этмоқда", actor=executor
    )
    # Fixed moments, so that the order cannot come from the order of creation alone.
    first.effective_on, first.created_at = date(2024, 3, 1), _at(1, 6)
    comment.created_at = _at(5, 9)
    db.session.get(ItemChange, extension.change_id).recorded_at = _at(3, 9)
    last.effective_on, last.created_at = date(2024, 3, 5), _at(5, 7)
    db.session.commit()

    login(client, executor)
    page = soup_of(client.get(f"/measures/{measure.id}"))
    timelines = page.select("ol.timeline")
    assert len(timelines) == 1
    entries = timelines[0].find_all("li", recursive=False)
    assert [e["class"][0] for e in entries] == [
        "timeline-comment",  # 5 March, 14:00 in Tashkent
        "timeline-report",  # 5 March, 12:00
        "timeline-change",  # 3 March: the extension recorded by the secretariat
        "timeline-report",  # 1 March
    ]
    assert [e["data-day"] for e in entries] == ["2024-03-05", "2024-03-05", "2024-03-03", "2024-03-01"]
    shown = entries[0]
    assert shown["id"] == f"comment-{comment.id}"
    assert "Д. Каримова" in shown.select_one(".comment-author").get_text()
    notified = shown.select_one(".comment-mentions").get_text(" ")
    assert "А. Раҳимов" in notified and "Тизимли таҳлил бўлими" in notified
    assert "2024 йил апрель" in entries[2].get_text(" ")
    assert page.select_one("#comments form textarea[name=body]") is not None  # the form stays on the page
    people = [o.get_text() for o in page.select("#comments select[name=mention_users] option")]
    assert {"Н. Турсунов", "Д. Каримова", "А. Раҳимов"} <= set(people)


def test_the_page_reads_each_record_once(client, db, make_plan, make_unit, make_user):
    """The history's changes, extensions and comments are read once for the whole page (the
    deadline actions, the comment form's count and the timeline share them), and the people one
    may mention are read as names, not with their roles (issue 17)."""
    unit = make_unit("Тизимли таҳлил бўлими")
    plan = make_plan(measures=[{"number": "1", "title": "Миллий маъруза", "lead_unit_id": unit.id}])
    measure = plan.measures[0]
    controller = make_user(Role.CONTROLLER, name="Д. Каримова")
    comments.add_comment(measure, "Кўриб чиқинг", actor=controller)
    extensions.submit_deadline(
        measure, extensions.ExtensionData(deadline_text="2024 йил апрель", reason="Кечикди"), actor=controller
    )
    db.session.commit()
    login(client, controller)
    client.get(f"/measures/{measure.id}")
    with counting_statements(db.engine) as statements:
        page = soup_of(client.get(f"/measures/{measure.id}"))
    assert len(page.select("ol.timeline > li")) == 2  # the extension (a change) and the comment
    for table in ("item_changes", "deadline_extensions", "comments"):
        assert len([s for s in statements if f"FROM {table}" in s]) == 1, table
    names_only = [s for s in statements if " ".join(s.split()).startswith("SELECT users.id, users.name FROM")]
    assert len(names_only) == 1


def test_an_empty_history_says_so(client, db, make_plan, make_user):
    plan = make_plan()
    login(client, make_user(Role.VIEWER))
    page = soup_of(client.get(f"/measures/{plan.measures[0].id}"))
    entries = page.select_one("ol.timeline").find_all("li", recursive=False)
    assert len(entries) == 1 and "timeline-report" not in (entries[0].get("class") or [])
