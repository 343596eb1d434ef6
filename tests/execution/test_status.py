"""Status updates, done claims and their review, optimistic locking and evidence files."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from tests.conftest import flashes, login, post_form, reload, soup_of
from tracker.core.errors import InvalidInput, InvalidTransition, PermissionDenied, StaleEdit
from tracker.core.permissions import Role
from tracker.core.status import ReviewState, Status
from tracker.execution import services
from tracker.execution.files import IncomingFile, storage_path
from tracker.execution.history import derive_status
from tracker.execution.models import Attachment, StatusUpdate
from tracker.plans.models import PlanState

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setting(make_unit, make_user, make_plan):
    """An approved plan whose measure 1 is led by unit A with unit B as co-executor; C is unrelated."""
    a, b, c = make_unit("Тизимли таҳлил бўлими"), make_unit("Матбуот хизмати"), make_unit("Кадрлар тармоғи")
    plan = make_plan(
        measures=[
            {
                "number": "1",
                "title": "Миллий стратегия",
                "lead_unit_id": a.id,
                "co_unit_ids": [b.id],
                "steps": [{"number": "1", "text": "Лойиҳа", "deadline_text": "2024 йил февраль"}],
            },
            {"number": "3", "title": "Миллий маъруза", "lead_unit_id": c.id},
        ]
    )
    return {
        "plan": plan,
        "m1": plan.measures[0],
        "m3": plan.measures[1],
        "units": (a, b, c),
        "executor": make_user(Role.EXECUTOR, unit=a, name="Н. Турсунов"),
        "co_executor": make_user(Role.EXECUTOR, unit=b),
        "outsider": make_user(Role.EXECUTOR, unit=c),
        "controller": make_user(Role.CONTROLLER, name="Д. Каримова"),
        "viewer": make_user(Role.VIEWER, unit=a),
    }


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# -- services -----------------------------------------------------------------------------------


def test_lead_and_co_executor_units_may_report(db, setting):
    services.submit_status_update(
        setting["m1"], status=Status.IN_PROGRESS, note="Бошланди", actor=setting["executor"]
    )
    services.submit_status_update(
        setting["m1"], status=Status.IN_PROGRESS, note="Давом этмоқда", actor=setting["co_executor"]
    )
    assert setting["m1"].status == Status.IN_PROGRESS
    assert setting["m1"].status_note == "Давом этмоқда"


def test_a_unit_cannot_report_on_a_measure_it_is_not_responsible_for(db, setting):
    with pytest.raises(PermissionDenied):
        services.submit_status_update(
            setting["m1"], status=Status.IN_PROGRESS, note="x", actor=setting["outsider"]
        )
    assert count(db, StatusUpdate) == 0


def test_a_viewer_cannot_report(db, setting):
    with pytest.raises(PermissionDenied):
        services.submit_status_update(
            setting["m1"], status=Status.IN_PROGRESS, note="x", actor=setting["viewer"]
        )


def test_units_cannot_set_done_or_cancelled_themselves(db, setting):
    for status in (Status.DONE, Status.CANCELLED):
        with pytest.raises(PermissionDenied):
            services.submit_status_update(setting["m1"], status=status, note="x", actor=setting["executor"])
    assert setting["m1"].status == Status.NOT_STARTED


def test_a_note_is_required(db, setting):
    with pytest.raises(InvalidInput):
        services.submit_status_update(
            setting["m1"], status=Status.IN_PROGRESS, note="   ", actor=setting["executor"]
        )


def test_claim_accept_makes_the_measure_done(db, setting):
    claim = services.submit_status_update(
        setting["m1"], status=Status.DONE_CLAIMED, note="Бажарилди", actor=setting["executor"]
    )
    assert setting["m1"].status == Status.DONE_CLAIMED
    assert claim.review_state == ReviewState.SUBMITTED
    services.accept_claim(claim, actor=setting["controller"])
    assert setting["m1"].status == Status.DONE
    assert claim.reviewer_id == setting["controller"].id and claim.reviewed_at is not None


def test_claim_return_goes_back_to_in_progress_with_the_reason(db, setting):
    claim = services.submit_status_update(
        setting["m1"], status=Status.DONE_CLAIMED, note="Бажарилди", actor=setting["executor"]
    )
    with pytest.raises(InvalidInput):
        services.return_claim(claim, actor=setting["controller"], reason=" ")
    services.return_claim(claim, actor=setting["controller"], reason="Далил йўқ")
    assert setting["m1"].status == Status.IN_PROGRESS
    assert derive_status([claim]).return_reason == "Далил йўқ"
    with pytest.raises(InvalidTransition):
        services.accept_claim(claim, actor=setting["controller"])


def test_only_controllers_review(db, setting):
    claim = services.submit_status_update(
        setting["m1"], status=Status.DONE_CLAIMED, note="x", actor=setting["executor"]
    )
    with pytest.raises(PermissionDenied):
        services.accept_claim(claim, actor=setting["executor"])
    assert claim.review_state == ReviewState.SUBMITTED


def test_units_cannot_report_again_while_a_claim_waits_or_after_done(db, setting):
    claim = services.submit_status_update(
        setting["m1"], status=Status.DONE_CLAIMED, note="x", actor=setting["executor"]
    )
    with pytest.raises(InvalidTransition):
        services.submit_status_update(
            setting["m1"], status=Status.IN_PROGRESS, note="y", actor=setting["executor"]
        )
    services.accept_claim(claim, actor=setting["controller"])
    with pytest.raises(InvalidTransition):
        services.submit_status_update(
            setting["m1"], status=Status.IN_PROGRESS, note="y", actor=setting["executor"]
        )
    # the secretariat may reopen
    services.submit_status_update(
        setting["m1"], status=Status.IN_PROGRESS, note="Қайта очилди", actor=setting["controller"]
    )
    assert setting["m1"].status == Status.IN_PROGRESS


def test_steps_have_their_own_status(db, setting):
    step = setting["m1"].steps[0]
    services.submit_status_update(
        step, status=Status.DONE_CLAIMED, note="Лойиҳа тайёр", actor=setting["executor"]
    )
    assert step.status == Status.DONE_CLAIMED
    # the measure is made of this one step: it takes its status from it (tracker/plans/inforce.py)
    assert setting["m1"].status == Status.DONE_CLAIMED
    with freeze_time(date.today() + timedelta(days=1)):
        services.submit_status_update(
            setting["m1"],
            status=Status.IN_PROGRESS,
            note="Қайта кўриб чиқилмоқда",
            actor=setting["controller"],
        )
    # a later report on the measure itself stands over its steps'
    assert setting["m1"].status == Status.IN_PROGRESS
    assert step.status == Status.DONE_CLAIMED


def test_status_updates_are_refused_on_drafts_never_approved_and_closed_plans(db, setting, make_plan):
    draft = make_plan(
        state=PlanState.DRAFT,
        measures=[{"number": "1", "title": "x", "lead_unit_id": setting["units"][0].id}],
    )
    with pytest.raises(PermissionDenied):
        services.submit_status_update(
            draft.measures[0], status=Status.IN_PROGRESS, note="x", actor=setting["executor"]
        )
    closed = make_plan(
        state=PlanState.CLOSED,
        measures=[{"number": "1", "title": "x", "lead_unit_id": setting["units"][0].id}],
    )
    with pytest.raises(PermissionDenied):
        services.submit_status_update(
            closed.measures[0], status=Status.IN_PROGRESS, note="x", actor=setting["executor"]
        )


def test_optimistic_locking_names_who_changed_it(db, setting):
    opened_at = setting["m1"].lock_version
    services.submit_status_update(
        setting["m1"],
        status=Status.IN_PROGRESS,
        note="Биринчи",
        actor=setting["co_executor"],
        expected_version=opened_at,
    )
    db.session.commit()  # the first person's request ends
    with pytest.raises(StaleEdit) as error:
        services.submit_status_update(
            setting["m1"],
            status=Status.DONE_CLAIMED,
            note="Иккинчи",
            actor=setting["executor"],
            expected_version=opened_at,
        )
    assert setting["co_executor"].name in error.value.message
    db.session.rollback()
    assert count(db, StatusUpdate) == 1


def test_the_cached_status_always_equals_the_history(db, setting):
    m1 = setting["m1"]
    services.submit_status_update(m1, status=Status.IN_PROGRESS, note="a", actor=setting["executor"])
    claim = services.submit_status_update(m1, status=Status.DONE_CLAIMED, note="b", actor=setting["executor"])
    services.return_claim(claim, actor=setting["controller"], reason="c")
    claim = services.submit_status_update(m1, status=Status.DONE_CLAIMED, note="d", actor=setting["executor"])
    services.accept_claim(claim, actor=setting["controller"])
    updates = db.session.scalars(
        select(StatusUpdate).where(StatusUpdate.measure_id == m1.id, StatusUpdate.step_id.is_(None))
    ).all()
    assert derive_status(updates).status == m1.status == Status.DONE
    assert m1.status_note == "d"


def test_history_rebuilds_any_past_date(db, setting):
    """As-of derivation: the status in effect on each date, pending claims optional."""
    m1, controller = setting["m1"], setting["controller"]
    services.submit_status_update(
        m1, status=Status.IN_PROGRESS, note="Январь", actor=None, effective_on=date(2024, 1, 15)
    )
    claim = services.submit_status_update(
        m1, status=Status.DONE_CLAIMED, note="Март", actor=None, effective_on=date(2024, 3, 20)
    )
    services.accept_claim(claim, actor=controller)
    claim.reviewed_at = datetime(2024, 4, 2, 6, 0, tzinfo=UTC)
    db.session.flush()
    updates = [u for u in db.session.scalars(select(StatusUpdate).where(StatusUpdate.measure_id == m1.id))]
    assert derive_status(updates, date(2024, 1, 1)).status == Status.NOT_STARTED
    assert derive_status(updates, date(2024, 2, 1)).status == Status.IN_PROGRESS
    assert derive_status(updates, date(2024, 3, 25)).status == Status.DONE_CLAIMED
    assert derive_status(updates, date(2024, 3, 25), include_pending=False).status == Status.IN_PROGRESS
    assert derive_status(updates, date(2024, 4, 2)).status == Status.DONE


# -- evidence files -----------------------------------------------------------------------------


def test_evidence_is_stored_by_hash_with_its_details(db, setting):
    update = services.submit_status_update(
        setting["m1"],
        status=Status.IN_PROGRESS,
        note="Далил",
        actor=setting["executor"],
        attachments=[IncomingFile("../../Маълумотнома.pdf", PDF)],
    )
    (attachment,) = update.attachments
    digest = hashlib.sha256(PDF).hexdigest()
    assert (attachment.original_name, attachment.size, attachment.sha256, attachment.mime_type) == (
        "Маълумотнома.pdf",
        len(PDF),
        digest,
        "application/pdf",
    )
    assert storage_path(digest).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"MZ\x90\x00 not a pdf"),
        ("report.docx", b"PK\x03\x04 broken zip"),
        ("photo.png", PDF),
        ("script.exe", b"MZ"),
        ("empty.pdf", b""),
        ("notes.txt", b"\xff\xfe\x00bad utf"),
    ],
    ids=["fake pdf", "broken docx", "pdf named png", "exe", "empty", "not utf-8"],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(db, setting, name, data):
    good = IncomingFile("ok.pdf", PDF)
    with pytest.raises(InvalidInput):
        services.submit_status_update(
            setting["m1"],
            status=Status.IN_PROGRESS,
            note="x",
            actor=setting["executor"],
            attachments=[good, IncomingFile(name, data)],
        )
    db.session.rollback()
    assert count(db, StatusUpdate) == 0 and count(db, Attachment) == 0


# -- through the web ----------------------------------------------------------------------------


def test_executor_reports_with_a_file_and_controller_accepts_on_the_pages(db, client, setting, login_as):
    m1 = setting["m1"]
    login_as(setting["executor"])
    form_page = client.get(f"/measures/{m1.id}/status")
    assert form_page.status_code == 200
    version = soup_of(form_page).find("input", {"name": "lock_version"})["value"]
    response = post_form(
        client,
        f"/measures/{m1.id}/status",
        {
            "status": "done_claimed",
            "note": "Миллий стратегия лойиҳаси киритилди",
            "lock_version": version,
            "files": (io.BytesIO(PDF), "Хат.pdf"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert len(flashes(response)) == 1
    assert reload(m1).status == Status.DONE_CLAIMED

    other = client.application.test_client()  # the controller, in a browser of their own
    login(other, setting["controller"])
    queue = other.get("/reviews")
    assert "Миллий стратегия" in queue.get_data(as_text=True)
    claim = db.session.scalar(select(StatusUpdate).where(StatusUpdate.measure_id == m1.id))
    attachment = claim.attachments[0]
    with other.get(f"/attachments/{attachment.id}") as download:
        assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    accepted = post_form(other, f"/updates/{claim.id}/accept", {}, follow_redirects=True)
    assert accepted.status_code == 200
    assert reload(m1).status == Status.DONE
    row = soup_of(other.get(f"/plans/{setting['plan'].id}")).find("tr", {"data-number": "1"})
    assert row["data-status"] == "done"


def test_the_returned_reason_is_visible_on_the_measure_page(db, client, setting, login_as):
    claim = services.submit_status_update(
        setting["m1"], status=Status.DONE_CLAIMED, note="Тайёр", actor=setting["executor"]
    )
    services.return_claim(claim, actor=setting["controller"], reason="Тасдиқловчи ҳужжат илова қилинмаган")
    login_as(setting["executor"])
    page = client.get(f"/measures/{setting['m1'].id}").get_data(as_text=True)
    assert "Тасдиқловчи ҳужжат илова қилинмаган" in page


def test_second_save_from_a_stale_form_is_refused_with_the_name(db, client, setting, login_as):
    m1 = setting["m1"]
    login_as(setting["executor"])
    stale_version = soup_of(client.get(f"/measures/{m1.id}/status")).find("input", {"name": "lock_version"})[
        "value"
    ]
    services.submit_status_update(m1, status=Status.IN_PROGRESS, note="Матбуот", actor=setting["co_executor"])
    db.session.commit()  # the co-executor's request ends
    response = post_form(
        client,
        f"/measures/{m1.id}/status",
        {"status": "in_progress", "note": "Менинг ёзувим", "lock_version": stale_version},
    )
    assert response.status_code == 409  # a stale edit is a conflict
    assert any(setting["co_executor"].name in f for f in flashes(response))
    assert reload(m1).status_note == "Матбуот"


def test_a_broken_upload_on_the_form_shows_an_error_and_keeps_the_note(db, client, setting, login_as):
    m1 = setting["m1"]
    login_as(setting["executor"])
    response = post_form(
        client,
        f"/measures/{m1.id}/status",
        {
            "status": "in_progress",
            "note": "Узун изоҳ",
            "files": (io.BytesIO(b"not a pdf"), "hisobot.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400  # refused input, the form shown again
    assert any("hisobot.pdf" in f for f in flashes(response))
    assert soup_of(response).find("textarea", {"name": "note"}).get_text().strip() == "Узун изоҳ"
    assert count(db, StatusUpdate) == 0


def test_overdue_is_derived_and_shown(db, client, setting, login_as):
    """Measures of the 2024 plan are past their deadline: overdue until done, shown on the table."""
    m1 = setting["m1"]
    assert m1.due_on == date(2024, 3, 31) and m1.is_overdue
    login_as(setting["executor"])
    row = soup_of(client.get(f"/plans/{setting['plan'].id}")).find("tr", {"data-number": "1"})
    assert "is-overdue" in row["class"]
    claim = services.submit_status_update(m1, status=Status.DONE_CLAIMED, note="x", actor=setting["executor"])
    services.accept_claim(claim, actor=setting["controller"])
    assert not m1.is_overdue
    m1.due_on = date.today() + timedelta(days=10)
    assert not m1.is_overdue


def test_plan_as_of_rebuilds_every_measure_and_step_and_leaves_out_later_measures(db, setting, make_plan):
    """Statuses change over several dates; each date gives back what was in effect then."""
    from tracker.execution.history import plan_as_of
    from tracker.plans import services as plan_services

    plan, m1, m3 = setting["plan"], setting["m1"], setting["m3"]
    for measure in (m1, m3):
        measure.added_on = date(2024, 1, 4)
    step = m1.steps[0]
    services.submit_status_update(
        m1, status=Status.IN_PROGRESS, note="Январь", actor=None, effective_on=date(2024, 1, 20)
    )
    services.submit_status_update(
        step, status=Status.DONE, note="Лойиҳа тайёр", actor=None, effective_on=date(2024, 2, 10)
    )
    services.submit_status_update(
        m3, status=Status.DONE_CLAIMED, note="Маъруза", actor=None, effective_on=date(2024, 3, 1)
    )
    plan.state = PlanState.DRAFT  # a revision adds a measure in April
    late = plan_services.add_measure(
        plan, plan_services.MeasureData(number="9", title="Кейин", added_on=date(2024, 4, 15)), actor=None
    )

    january = plan_as_of(plan.id, date(2024, 1, 31))
    assert january.measure_ids == [m1.id, m3.id]
    assert (
        january.measures[m1.id].status == Status.IN_PROGRESS
        and january.steps[step.id].status == Status.NOT_STARTED
    )
    march = plan_as_of(plan.id, date(2024, 3, 31))
    assert march.steps[step.id].status == Status.DONE
    assert march.measures[m3.id].status == Status.NOT_STARTED  # the pending claim is left out by default
    assert (
        plan_as_of(plan.id, date(2024, 3, 31), include_pending=True).measures[m3.id].status
        == Status.DONE_CLAIMED
    )
    assert late.id in plan_as_of(plan.id, date(2024, 5, 1)).measure_ids
    assert late.id not in march.measure_ids
