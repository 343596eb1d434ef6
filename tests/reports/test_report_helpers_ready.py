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
    assert splitting.FIRST_SHARE == 0.95  # the first piece's process also joins the pieces
    assert splitting._cuts(row_starts, 1000, 2) == [0, 48]  # 475 of 1000 characters
    # 200 characters of title and approval before the table: the first piece's share is
    # (1000 + 200) × 0.95 / 2 - 200 = 370 characters of rows
    assert splitting._cuts(row_starts, 1000, 2, preamble=200) == [0, 37]
    assert splitting._cuts(row_starts, 1000, 3, preamble=150) == [0, 22, 61]
    # a preamble larger than a share still leaves the first piece a row
    assert splitting._cuts(row_starts, 1000, 2, preamble=5000) == [0, 1]
