"""Layout helpers started when the report form opens, and pieces balanced with the title block
(issue 17): the parallel layout's processes should be warm and finish together."""

from __future__ import annotations

from tracker.core.permissions import Role
from tracker.reports import layout_pool, splitting


def test_opening_the_report_form_starts_the_layout_helpers(
    app, client, db, make_plan, make_user, login_as, monkeypatch
):
    started: list[int] = []
    monkeypatch.setattr(layout_pool, "prestart", lambda count, idle=60.0: started.append(count))
    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_PROCESSES", 3)
    plan = make_plan()
    login_as(make_user(Role.VIEWER))

    monkeypatch.setitem(app.config, "REPORTS_PRESTART_HELPERS", False)
    assert client.get(f"/plans/{plan.id}/report").status_code == 200
    assert started == []

    monkeypatch.setitem(app.config, "REPORTS_PRESTART_HELPERS", True)
    assert client.get(f"/plans/{plan.id}/report").status_code == 200
    assert started == [2]  # every process but the web worker itself

    monkeypatch.setitem(app.config, "REPORTS_LAYOUT_PROCESSES", 1)
    assert client.get(f"/plans/{plan.id}/report").status_code == 200
    assert started == [2]  # one process: no helper to start


def test_the_first_piece_takes_fewer_rows_when_it_also_lays_out_the_title():
    row_starts = [*range(0, 1000, 10), 1000]  # 100 rows of 10 characters
    assert splitting._cuts(row_starts, 1000, 2) == [0, 50]  # even shares
    # 200 characters of title and approval before the table: the first piece's share is
    # (1000 + 200) / 2 - 200 = 400 characters of rows
    assert splitting._cuts(row_starts, 1000, 2, preamble=200) == [0, 40]
    # (1000 + 150) / 3 - 150 = 233.3, then two shares of 383.3: ends at 233.3 and 616.7
    assert splitting._cuts(row_starts, 1000, 3, preamble=150) == [0, 23, 62]
    # a preamble larger than a share still leaves the first piece a row
    assert splitting._cuts(row_starts, 1000, 2, preamble=5000) == [0, 1]


def test_a_piece_ends_at_the_row_boundary_nearest_to_its_share():
    # rows of 100, 350, 200, 350 characters: the share ends at 500; the boundaries around it
    # are 450 (50 before) and 650 (150 after): the nearer one, not the first one past it
    row_starts = [0, 100, 450, 650, 1000]
    assert splitting._cuts(row_starts, 1000, 2) == [0, 2]
    assert splitting._cuts([0, 100, 520, 1000], 1000, 2) == [0, 2]  # 520 is nearer than 100
    # a table of one row cannot be cut; nor can three pieces be made of two rows
    assert splitting._cuts([0, 1000], 1000, 2) is None
    assert splitting._cuts([0, 500, 1000], 1000, 3) is None
