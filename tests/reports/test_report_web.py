"""The report pages: form, PDF, permissions, the content-keyed cache, background jobs, the CLI."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import login, soup_of
from tracker.core.permissions import Role
from tracker.core.status import Status
from tracker.core.time import today
from tracker.execution import services as execution
from tracker.orgs.models import Organization
from tracker.plans.models import PlanState
from tracker.reports import jobs
from tracker.reports.models import JobState, ReportJob
from tracker.uzbek import format_doc_date


def report_url(plan_id: int) -> str:
    """The "as of today" report; today is read when the test asks (a module-level date went stale
    when a run crossed midnight in Tashkent, and the plan was approved "tomorrow")."""
    return f"/plans/{plan_id}/report.pdf?kind=status&as_of={today().isoformat()}&script=latn"


def test_the_plan_page_links_to_the_report_form(client, db, make_plan, make_user, login_as):
    plan = make_plan()
    login_as(make_user(Role.VIEWER))
    page = soup_of(client.get(f"/plans/{plan.id}"))
    link = page.find("a", href=f"/plans/{plan.id}/report")
    assert link is not None
    form_page = soup_of(client.get(f"/plans/{plan.id}/report"))
    form = form_page.find("form", action=f"/plans/{plan.id}/report.pdf")
    assert form is not None and form.get("method") == "get"
    assert {i["value"] for i in form.select("input[name=script]")} == {"cyrl", "latn"}
    assert {i["value"] for i in form.select("input[name=kind]")} == {"status", "plan", "summary"}


def test_a_viewer_downloads_the_status_report(client, db, make_plan, make_user, login_as, read_pdf):
    plan = make_plan(
        measures=[{"number": "1", "title": "Миллий маъруза"}, {"number": "3", "title": "Мониторинг"}]
    )
    login_as(make_user(Role.VIEWER))
    response = client.get(report_url(plan.id))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "inline" in response.headers["Content-Disposition"]
    text = read_pdf(response.data)
    assert "Milliy maʼruza" in text and format_doc_date(today(), "latn", "as_of") in " ".join(text.split())


def test_bad_options_show_the_form_again(client, db, make_plan, make_user, login_as):
    plan = make_plan()
    login_as(make_user(Role.VIEWER))
    response = client.get(f"/plans/{plan.id}/report.pdf?as_of=yesterday&script=arab")
    assert response.status_code == 400
    assert soup_of(response).select(".invalid-feedback")


def test_a_forged_empty_column_is_refused_not_a_server_error(client, db, make_plan, make_user, login_as):
    # The fuzz walk found it: an empty "columns" value got past the form and broke the report.
    plan = make_plan()
    login_as(make_user(Role.CONTROLLER))
    for url in (f"/plans/{plan.id}/report.pdf?columns=", "/reports/summary.pdf?columns=&columns=basis"):
        response = client.get(url)
        assert response.status_code == 400
        assert soup_of(response).select(".invalid-feedback")


def test_reports_follow_plan_visibility(client, db, make_plan, make_user, login_as):
    draft = make_plan(state=PlanState.DRAFT)
    other_org = Organization(name="Other")
    db.session.add(other_org)
    db.session.flush()
    foreign = make_plan(org=other_org)
    login_as(make_user(Role.EXECUTOR))
    assert client.get(report_url(draft.id)).status_code == 403
    assert client.get(f"/plans/{draft.id}/report").status_code == 403
    assert client.get(report_url(foreign.id)).status_code == 403
    assert client.get("/reports/summary.pdf").status_code == 403
    assert client.get("/reports/summary").status_code == 403


def test_controllers_get_the_organization_summary(client, db, make_plan, make_user, login_as, read_pdf):
    make_plan()
    login_as(make_user(Role.CONTROLLER))
    assert client.get("/reports/summary").status_code == 200
    response = client.get("/reports/summary.pdf?script=cyrl")
    assert response.status_code == 200
    assert "Жами чора-тадбирлар: 1" in " ".join(read_pdf(response.data).split())


def test_an_unchanged_report_comes_from_the_cache_and_a_status_change_renews_it(
    client, db, make_plan, make_user, login_as, report_settings
):
    plan = make_plan()
    login_as(make_user(Role.VIEWER))
    first = client.get(report_url(plan.id))
    again = client.get(report_url(plan.id))
    assert first.headers["ETag"] == again.headers["ETag"] and first.data == again.data
    assert len(list(report_settings.rglob("*.pdf"))) == 1
    unchanged = client.get(report_url(plan.id), headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304

    execution.submit_status_update(plan.measures[0], status=Status.IN_PROGRESS, note="Бошланди", actor=None)
    db.session.commit()
    changed = client.get(report_url(plan.id))
    later = client.get(report_url(plan.id))
    assert changed.headers["ETag"] == later.headers["ETag"]
    execution.submit_status_update(plan.measures[0], status=Status.DONE, note="Бажарилди", actor=None)
    db.session.commit()
    renewed = client.get(report_url(plan.id))
    assert renewed.headers["ETag"] != changed.headers["ETag"]


def test_a_large_report_is_built_in_the_background(
    app, client, db, make_plan, make_user, login_as, monkeypatch, read_pdf
):
    monkeypatch.setitem(app.config, "REPORTS_BACKGROUND_THRESHOLD", 2)
    plan = make_plan(measures=[{"number": str(n), "title": f"Тадбир {n}"} for n in range(1, 4)])
    login_as(make_user(Role.VIEWER))

    response = client.get(report_url(plan.id))
    assert response.status_code == 303
    job_url = response.headers["Location"]
    job = db.session.scalar(select(ReportJob).where(ReportJob.plan_id == plan.id))
    assert job.state == JobState.QUEUED and job.options["script"] == "latn"
    # asking again while it waits reuses the job
    assert client.get(report_url(plan.id)).headers["Location"] == job_url

    waiting = client.get(job_url)
    assert "Refresh" not in waiting.headers  # no reloading every 2 s: tracker.js waits for the job
    assert soup_of(waiting).select_one("#job")["data-wait-url"] == job_url + "/wait"
    assert soup_of(waiting).select_one("#job")["data-state"] == "queued"
    assert soup_of(waiting).select_one("[role=progressbar]") is not None

    jobs.run_job(job.id)  # what the worker thread does, run here synchronously
    assert jobs.run_job(job.id) is None  # claimed once: a second run does nothing
    for _attempt in range(3):  # bounded: the job row is the source of truth
        db.session.expire_all()
        if db.session.get(ReportJob, job.id).is_finished:
            break
    done = db.session.get(ReportJob, job.id)
    assert done.state == JobState.DONE and done.progress == 100 and len(done.result_hash) == 64

    ready = client.get(job_url)
    assert "Refresh" not in ready.headers
    link = soup_of(ready).select_one("a#download")["href"]
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "Tadbir 3" in read_pdf(pdf.data)


def _controller_of_another_organization(app, db, make_user):
    """A client signed in as a controller of another organization."""
    other_org = Organization(name="Other")
    db.session.add(other_org)
    db.session.flush()
    stranger = app.test_client()
    login(stranger, make_user(Role.CONTROLLER, org=other_org))
    return stranger


def test_jobs_are_private_to_those_who_may_see_the_plan(
    app, client, db, make_plan, make_user, login_as, monkeypatch
):
    monkeypatch.setitem(app.config, "REPORTS_BACKGROUND_THRESHOLD", 0)
    plan = make_plan()
    login_as(make_user(Role.VIEWER))
    job_url = client.get(report_url(plan.id)).headers["Location"]
    stranger = _controller_of_another_organization(app, db, make_user)
    assert stranger.get(job_url).status_code == 403
    assert stranger.get(job_url + "/download").status_code == 403


def test_a_failed_job_says_so(app, db, make_plan, make_user):
    from tracker.reports import services
    from tracker.reports.data import ReportOptions
    from tracker.reports.models import ReportKind

    plan = make_plan()
    request = services.ReportRequest(
        ReportKind.STATUS, plan.organization_id, plan.id, ReportOptions(as_of=today())
    )
    job = services.queue_report(request, actor=make_user(Role.VIEWER))
    job.options = {**job.options, "script": "arab"}  # an option no renderer accepts
    db.session.commit()
    failed = jobs.run_job(job.id)
    assert failed.state == JobState.FAILED and "script" in failed.error


def test_the_cli_writes_a_pdf(app, db, make_plan, tmp_path, read_pdf):
    plan = make_plan()
    db.session.commit()
    output = tmp_path / "plan.pdf"
    result = app.test_cli_runner().invoke(
        args=["reports", "pdf", str(plan.id), "--kind", "plan", "--script", "cyrl", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert "“ТАСДИҚЛАЙМАН”" in read_pdf(output.read_bytes())


def test_the_job_page_waits_for_the_job_rather_than_reloading(
    app, client, db, make_plan, make_user, login_as, monkeypatch
):
    monkeypatch.setitem(app.config, "REPORTS_BACKGROUND_THRESHOLD", 0)
    monkeypatch.setitem(app.config, "REPORTS_WAIT_SECONDS", 0.3)
    plan = make_plan()
    login_as(make_user(Role.VIEWER))
    job_url = client.get(report_url(plan.id)).headers["Location"]
    wait_url = soup_of(client.get(job_url)).select_one("#job")["data-wait-url"]

    first = client.get(wait_url)  # nothing seen yet: answered at once
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    assert first.json == {"state": "queued", "progress": 0, "finished": False, "download": None}
    # the page has seen "queued, 0 %": with no change, the request is held, then says the same
    assert client.get(wait_url + "?seen=queued:0").json["state"] == "queued"
    assert client.get(wait_url + "?seen=nonsense:%ff").json["state"] == "queued"

    job_id = int(job_url.rsplit("/", 1)[1])
    jobs.run_job(job_id)
    done = client.get(wait_url + "?seen=queued:0").json
    assert done["finished"] is True and done["state"] == "done" and done["progress"] == 100
    assert done["download"] == job_url + "/download"
    assert client.get(done["download"]).mimetype == "application/pdf"


def test_waiting_for_someone_elses_job_is_refused(
    app, client, db, make_plan, make_user, login_as, monkeypatch
):
    monkeypatch.setitem(app.config, "REPORTS_BACKGROUND_THRESHOLD", 0)
    plan = make_plan()
    login_as(make_user(Role.VIEWER))
    job_url = client.get(report_url(plan.id)).headers["Location"]
    stranger = _controller_of_another_organization(app, db, make_user)
    assert stranger.get(job_url + "/wait").status_code == 403
    assert client.get("/reports/jobs/999999/wait").status_code == 404
