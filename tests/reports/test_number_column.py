"""The "№" column is as wide as the longest number needs: "151." on one line, not "15" / "1."."""

from __future__ import annotations

import re

from tests.reports.conftest import row_numbers
from tests.reports.test_report_speed_paths import status_data
from tracker.reports.engine import write_pdf
from tracker.reports.render import render_html

NUMBER_COLUMN = re.compile(r'<colgroup>\s*<col style="width: ([\d.]+)mm">')


def _status_html(app, numbers: list[str]) -> str:  # noqa: ANN001
    data = status_data(len(numbers))
    for row, number in zip(data["rows"], numbers, strict=True):
        row["number"] = number
    with app.app_context():
        return render_html("reports/status.html", data)


def test_three_and_four_digit_numbers_stay_on_one_line(app, read_pdf):
    html = _status_html(app, ["7", "151", "1002"])
    assert float(NUMBER_COLUMN.search(html).group(1)) > 9
    assert row_numbers(read_pdf(write_pdf(html), layout=True)) == ["7", "151", "1002"]


def test_plans_under_a_hundred_measures_keep_the_nine_millimetre_column(app):
    assert NUMBER_COLUMN.search(_status_html(app, ["1", "12", "99"])).group(1) == "9"


def test_the_plan_document_widens_its_number_column_too(app, db, make_plan, tmp_path, read_pdf):
    plan = make_plan(
        measures=[{"number": "9", "title": "Биринчи"}, {"number": "120", "title": "Юз йигирманчи"}]
    )
    db.session.commit()
    output = tmp_path / "plan.pdf"
    result = app.test_cli_runner().invoke(
        args=["reports", "pdf", str(plan.id), "--kind", "plan", "--script", "cyrl", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert row_numbers(read_pdf(output.read_bytes(), layout=True)) == ["9", "120"]
