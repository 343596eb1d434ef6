"""Inboxes by role, the bulk review, comments with mentions, the notifications page and settings."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import flashes, login, post_form, soup_of
from tests.notifications.conftest import TITLE, inbox_of
from tracker.comments.models import Comment
from tracker.core.models import AuditEntry
from tracker.core.permissions import Role
from tracker.core.status import ReviewState, Status
from tracker.execution import services as execution
from tracker.notifications.models import EmailTiming, NotificationKind, NotificationSetting
from tracker.plans.models import PlanState


def _claim(db, measure, user, note="Тайёр"):
    update = execution.submit_status_update(measure, status=Status.DONE_CLAIMED, note=note, actor=user)
    db.session.commit()
    return update


def test_sign_in_lands_on_the_inbox_and_the_executor_sees_what_came_back(db, client, office):
    measure = office.plan.measures[0]
    update = _claim(db, measure, office.executor)
    execution.return_claim(update, actor=office.controller, reason="Илова йўқ")
    db.session.commit()
    response = post_form(client, "/login", {"email": office.executor.email, "password": "password123"})
    assert response.headers["Location"].endswith("/inbox")
    page = soup_of(client.get("/inbox"))
    returned = page.select("#returned [data-update]")
    assert len(returned) == 1 and "Илова йўқ" in returned[0].get_text()
    assert returned[0].select_one("a.btn")["href"] == f"/measures/{measure.id}/status"
    counts = {a["href"]: a["data-count"] for a in page.select("#inbox-counts a")}
    assert counts["#returned"] == "1" and page.select_one("#returned") is not None
    assert all(page.select_one(href) is not None for href in counts)  # every count links to its list
    assert page.select_one("#reviews") is None  # not a controller


def test_controller_filters_and_accepts_or_returns_several_with_one_comment(db, client, office, make_plan):
    other = make_plan(
        title="Бошқа режа",
        measures=[
            {"number": "1", "title": "A"},
            {"number": "2", "title": "B", "lead_unit_id": office.department.id},
        ],
    )
    db.session.commit()
    first = _claim(db, office.plan.measures[0], office.executor)
    second = _claim(db, other.measures[1], office.executor)
    third = _claim(db, other.measures[0], office.controller)
    login(client, office.controller)
    page = soup_of(client.get("/inbox"))
    assert {li["data-update"] for li in page.select("#reviews [data-update]")} == {
        str(first.id),
        str(second.id),
        str(third.id),
    }
    filtered = soup_of(client.get(f"/inbox?plan={other.id}&unit={office.department.id}"))
    assert [li["data-update"] for li in filtered.select("#reviews [data-update]")] == [str(second.id)]
    assert soup_of(client.get("/inbox?age=30")).select("#reviews [data-update]") == []

    response = post_form(client, "/inbox/reviews", {"update_ids": [first.id, second.id], "send_back": "1"})
    assert flashes(client.get("/inbox")) == ["Hisobot nima sababdan qaytarilayotganini koʻrsating."]
    assert db.session.get(type(first), first.id).review_state == ReviewState.SUBMITTED  # all or nothing
    response = post_form(
        client,
        "/inbox/reviews",
        {"update_ids": [first.id, second.id], "comment": "Далолат йўқ", "send_back": "1"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert {
        u.review_state
        for u in (db.session.get(type(first), first.id), db.session.get(type(first), second.id))
    } == {ReviewState.RETURNED}
    assert len(inbox_of(db, office.executor, NotificationKind.CLAIM_RETURNED)) == 2
    post_form(client, "/inbox/reviews", {"update_ids": [third.id], "accept": "1"})
    assert db.session.get(type(first), third.id).review_state == ReviewState.ACCEPTED


def test_director_sees_plans_awaiting_approval_and_overdue_by_unit(db, client, office, make_plan, make_user):
    waiting = make_plan(state=PlanState.IN_REVIEW, title="Кутаётган режа")
    db.session.commit()
    login(client, office.director)
    page = soup_of(client.get("/inbox"))
    assert [a.get_text() for a in page.select("#awaiting li a:not(.btn)")] == ["Кутаётган режа"]
    rows = {tr["data-unit"]: tr for tr in page.select("#overdue-by-unit tr[data-unit]")}
    # The fixture's measure was due in March 2024: overdue for its department.
    link = rows[str(office.department.id)].select_one("a")
    assert link.get_text() == "1"
    listing = soup_of(client.get(link["href"]))
    assert [li["data-item"] for li in listing.select("[data-item]")] == [f"m{office.plan.measures[0].id}"]
    assert waiting.id


def test_a_comment_mentions_a_person_and_a_unit_and_stays_in_the_audit(db, client, office):
    measure = office.plan.measures[0]
    login(client, office.controller)
    response = post_form(
        client,
        f"/measures/{measure.id}/comments",
        {
            "body": "@[Бошлиқ Вали] ва @quiet, илтимос текширинг",
            "mention_units": [office.department.id],
            "step_id": "",
        },
    )
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment))
    assert {m.get("user_id") for m in comment.mentions} >= {office.head.id, office.quiet_controller.id}
    assert len(inbox_of(db, office.head, NotificationKind.MENTION)) == 1  # named and via the unit: once
    assert len(inbox_of(db, office.executor, NotificationKind.MENTION)) == 1  # via the unit
    assert len(inbox_of(db, office.quiet_controller, NotificationKind.MENTION)) == 1
    assert inbox_of(db, office.controller, NotificationKind.MENTION) == []  # not the author
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "comment"))
    assert audit.after["body"].startswith("@[Бошлиқ Вали]")
    page = soup_of(client.get(f"/measures/{measure.id}"))
    assert "илтимос текширинг" in page.select_one(f"#comment-{comment.id}").get_text()
    empty = post_form(client, f"/measures/{measure.id}/comments", {"body": "   "})
    assert (
        empty.status_code == 302
        and db.session.scalar(select(Comment).where(Comment.id != comment.id)) is None
    )


def test_notifications_page_groups_by_day_marks_read_and_the_settings_form(db, client, office):
    _claim(db, office.plan.measures[0], office.executor)
    login(client, office.quiet_controller)
    page = soup_of(client.get("/notifications"))
    assert page.select("#notifications h2[data-day]")
    item = page.select_one(f'[data-kind="{NotificationKind.CLAIM_SUBMITTED}"]')
    assert item["data-unread"] == "yes" and "Ижрочи Али" in item.get_text()
    post_form(client, item.select("form")[1]["action"])
    page = soup_of(client.get("/notifications"))
    assert page.select_one(f'[data-notification="{item["data-notification"]}"]')["data-unread"] == "no"

    # The profile links to the settings; "never" switches e-mail off, "at once" back on.
    assert (
        soup_of(client.get("/profile")).select_one("#notification-settings-link")["href"]
        == "/notifications/settings"
    )
    assert post_form(client, "/notifications/settings", {"email": "immediate"}).status_code == 302
    db.session.expire_all()
    user = db.session.get(type(office.executor), office.quiet_controller.id)
    assert (
        user.wants_email
        and db.session.get(NotificationSetting, user.id).email_timing == EmailTiming.IMMEDIATE
    )
    post_form(client, "/notifications/settings", {"email": "never"})
    db.session.expire_all()
    assert not db.session.get(type(office.executor), office.quiet_controller.id).wants_email
    assert post_form(client, "/notifications/settings", {"email": "hourly"}).status_code == 200


def test_the_director_escalation_names_the_unit(db, client, office):
    from tests.reminders.conftest import at
    from tracker.reminders import jobs

    jobs.sweep(at("2024-04-08"), deliver=False)  # due 31.03.2024: a week overdue
    [escalation] = inbox_of_reminders(db, office.director)
    login(client, office.director)
    text = soup_of(client.get("/inbox")).select_one("#escalations").get_text()
    assert "responsible: Tizimli tahlil boʻlimi" in text  # English UI: the unit in Latin script
    assert escalation.kind == NotificationKind.ESCALATION_DIRECTOR
    assert TITLE


def inbox_of_reminders(db, user):
    from tracker.notifications.models import Notification

    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.recipient_id == user.id,
                Notification.kind == NotificationKind.ESCALATION_DIRECTOR,
            )
        )
    )


def test_roles_see_only_their_sections(db, client, office, make_user):
    viewer = make_user(Role.VIEWER)
    login(client, viewer)
    page = soup_of(client.get("/inbox"))
    assert page.select("section") == []


def test_the_inboxes_take_the_same_number_of_queries_for_one_claim_or_many(db, client, office, make_plan):
    from sqlalchemy import event

    from tracker.extensions import db as _db

    def statements_for(user):
        seen: list[str] = []

        def count(conn, cursor, statement, *args):
            seen.append(statement)

        login(client, user)
        event.listen(_db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/inbox").status_code == 200
        finally:
            event.remove(_db.engine, "before_cursor_execute", count)
        post_form(client, "/logout")
        return len(seen)

    make_plan(state=PlanState.IN_REVIEW, title="Кутаётган 0")
    _claim(db, office.plan.measures[0], office.executor)
    few = {u: statements_for(u) for u in (office.controller, office.director, office.executor)}
    big = make_plan(
        title="Катта режа",
        measures=[
            {"number": str(n), "title": f"Т {n}", "lead_unit_id": office.department.id} for n in range(1, 13)
        ],
    )
    for n in range(1, 4):
        make_plan(state=PlanState.IN_REVIEW, title=f"Кутаётган {n}")
    db.session.commit()
    for measure in big.measures:
        _claim(db, measure, office.executor)
    many = {u: statements_for(u) for u in (office.controller, office.director, office.executor)}
    assert many == few
