"""The status report of a plan of decisions prints its meeting's header; a proposal's content is printed."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from _text_docs import FULL_MINUTES, seed_text

from tracker.core.time import today
from tracker.imports import services
from tracker.reports.data import ReportOptions, plan_document, status_report
from tracker.reports.render import render_pdf


def _text_of(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    args = ["/usr/bin/pdftotext", "-enc", "UTF-8", str(source), "-"]
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")  # noqa: S603


def _imported(name, text, organization, make_user):
    preview = services.preview_file(name, text.encode(), organization)
    return services.import_plan(preview, organization, actor=make_user("controller"))


def test_status_report_of_decisions_prints_the_meeting(db, organization, make_user, tmp_path):
    plan = _imported("bayon.txt", FULL_MINUTES, organization, make_user)
    data = status_report(plan, ReportOptions(as_of=date(2024, 4, 20), script="latn"))
    assert data["meeting_lines"][1] == "Raislik qildi: B.Umurzakov"
    assert data["meeting_lines"][-1] == "Bayonlashtiruvchi: J.Qalandarov"
    text = " ".join(_text_of(render_pdf("reports/status.html", data), tmp_path).split())
    assert "2024-yil 15-mart · № 3" in text
    assert "Raislik qildi: B.Umurzakov" in text and "Qatnashdilar: Hayitov, Qodirov, Umarova" in text


def test_printed_plan_and_status_report_of_a_proposal_show_the_content(db, organization, make_user, tmp_path):
    plan = _imported("taklif.txt", seed_text("002"), organization, make_user)
    data = plan_document(plan, ReportOptions(as_of=today(), script="cyrl"))
    assert data["rows"][3]["content"].endswith("Жамоатчилик тадбирларида фаоллик")
    text = " ".join(_text_of(render_pdf("reports/plan.html", data), tmp_path).split())
    assert "Баҳолаш мезонлари:" in text
    status = status_report(plan, ReportOptions(as_of=today(), script="cyrl"))
    assert status["meeting_lines"] == [] and "Бюджет маблағлари" in status["rows"][0]["content"]
