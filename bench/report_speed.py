"""Report speed against headless Chromium printing the same HTML.

    .venv/bin/python bench/report_speed.py [--large 300]

Builds a throw-away SQLite database in a temporary folder with the demo data, gives the
30-measure work plan ~800-character status notes (seed size, about 12 pages), and adds a
300-measure plan. Measures, in this one process (an already running web process):

1. our status report, rendered (cache cold) — vs a fresh `chromium --headless --print-to-pdf`
   of the very same HTML (best of 3 each);
2. the same request again, served from the content-keyed cache (through the Flask view);
3. the 300-measure report, built by the background job runner — vs Chromium on its HTML.

Figures only; nothing here asserts a time (tests never do).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def chromium_pdf(html: str, folder: Path, name: str) -> float:
    """Seconds for a fresh headless Chromium to print ``html`` (stylesheet and fonts from static)."""
    from tracker.reports.render import STATIC_ROOT

    page_dir = folder / f"chromium-{name}"
    page_dir.mkdir(exist_ok=True)
    for sub in ("css", "fonts"):
        link = page_dir / sub
        if not link.exists():
            link.symlink_to(STATIC_ROOT / sub)
    page = page_dir / "report.html"
    page.write_text(html, encoding="utf-8")
    out = page_dir / "report.pdf"
    start = time.perf_counter()
    subprocess.run(  # noqa: S603
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={page_dir / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - start
    shutil.rmtree(page_dir / "profile", ignore_errors=True)
    return elapsed


def pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def best(times: list[float]) -> str:
    return f"best {min(times):.2f} s, median {statistics.median(times):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="report-bench-"))
    import flask_migrate
    from sqlalchemy import select

    from tracker import create_app
    from tracker.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "SECRET_KEY": "bench",
            "REPORTS_DIR": str(folder / "reports"),
            "REPORTS_WORKER": "off",
            "ATTACHMENTS_DIR": str(folder / "attachments"),
        }
    )
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        from tracker.auth.models import User
        from tracker.core.status import Status
        from tracker.demo.loader import load_demo
        from tracker.execution import services as execution
        from tracker.plans import services as plan_services
        from tracker.plans.models import Plan, PlanKind
        from tracker.reports import jobs, services
        from tracker.reports.data import ReportOptions
        from tracker.reports.models import ReportJob, ReportKind

        load_demo()
        plans = {p.kind: p for p in db.session.scalars(select(Plan))}
        work_plan, roadmap = plans[PlanKind.WORK_PLAN], plans[PlanKind.ROADMAP]
        notes = [m.status_note for m in roadmap.measures if m.status_note and len(m.status_note) > 300]
        for index, measure in enumerate(work_plan.measures):
            note = (notes[index % len(notes)] * 2)[:800]
            execution.submit_status_update(
                measure, status=Status.IN_PROGRESS, note=note, actor=None, effective_on=date(2024, 5, 1)
            )
        large = plan_services.create_plan(
            work_plan.organization,
            plan_services.PlanData(kind=PlanKind.WORK_PLAN, title=f"{args.large} {work_plan.title}"),
            actor=None,
        )
        sources = work_plan.measures
        for n in range(args.large):
            source = sources[n % len(sources)]
            measure = plan_services.add_measure(
                large,
                plan_services.MeasureData(
                    number=str(n + 1),
                    title=source.title,
                    mechanism=source.mechanism,
                    deadline_text=source.deadline_text,
                    legal_basis=source.legal_basis,
                    expected_result=source.expected_result,
                    added_on=date(2024, 1, 4),
                ),
                actor=None,
            )
            execution.submit_status_update(
                measure,
                status=Status.IN_PROGRESS,
                note=(notes[n % len(notes)] * 2)[:800],
                actor=None,
                effective_on=date(2024, 5, 1),
            )
        large.state = "approved"
        large.approval_name, large.approval_date = "А. Бурханов", date(2024, 1, 4)
        db.session.commit()
        viewer = db.session.scalar(select(User).where(User.email == "viewer@demo.uz"))

        as_of = date(2024, 6, 1)
        request = services.ReportRequest(
            ReportKind.STATUS,
            work_plan.organization_id,
            work_plan.id,
            ReportOptions(as_of=as_of, script="cyrl"),
        )
        html = services.render_html(services.TEMPLATES[ReportKind.STATUS], services.report_data_for(request))

        ours = []
        for _ in range(args.repeat):
            shutil.rmtree(folder / "reports", ignore_errors=True)
            start = time.perf_counter()
            result = services.build_report(request)
            ours.append(time.perf_counter() - start)
        theirs = [chromium_pdf(html, folder, "seed") for _ in range(args.repeat)]
        print(f"seed-size status report ({len(work_plan.measures)} measures, {pages(result.path)} pages)")
        print(f"  ours (WeasyPrint, warm process): {best(ours)}")
        print(
            f"  fresh chromium --print-to-pdf:   {best(theirs)} "
            f"({pages(folder / 'chromium-seed' / 'report.pdf')} pages)"
        )

        # the repeated request, through the real view and its permission checks
        client = app.test_client()
        with client:
            client.post("/login", data={"email": viewer.email, "password": "demo-viewer"})
        # sign in without CSRF fuss: reuse the session of a logged-in test request context
        from flask_login import login_user

        hits = []
        url = f"/plans/{work_plan.id}/report.pdf?kind=status&as_of={as_of.isoformat()}&script=cyrl"
        with app.test_request_context():
            login_user(viewer)
            view = app.view_functions["reports.plan_pdf"]
            for _ in range(20):
                with app.test_request_context(url):
                    login_user(viewer)
                    start = time.perf_counter()
                    response = view(plan_id=work_plan.id)
                    hits.append(time.perf_counter() - start)
            assert response.status_code == 200
        print(
            f"  repeated request (cache hit, whole view): median {statistics.median(hits) * 1000:.1f} ms, "
            f"max {max(hits) * 1000:.1f} ms"
        )

        big = services.ReportRequest(
            ReportKind.STATUS, large.organization_id, large.id, ReportOptions(as_of=as_of, script="cyrl")
        )
        assert services.is_large(big)
        job = services.queue_report(big, actor=viewer)
        db.session.commit()
        start = time.perf_counter()
        jobs.run_job(job.id)
        big_time = time.perf_counter() - start
        job = db.session.get(ReportJob, job.id)
        big_html = services.render_html(services.TEMPLATES[ReportKind.STATUS], services.report_data_for(big))
        big_chromium = chromium_pdf(big_html, folder, "large")
        print(f"{args.large}-measure status report (background job, {pages(services.job_file(job))} pages)")
        print(f"  ours (job, state {job.state}): {big_time:.2f} s")
        print(
            f"  fresh chromium --print-to-pdf: {big_chromium:.2f} s "
            f"({pages(folder / 'chromium-large' / 'report.pdf')} pages); ratio {big_time / big_chromium:.2f}"
        )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
