"""The request's edge: headers, redirects, proxies, sign-in throttling, sessions, bounded input,
files that follow the transaction, report job leases, and the CSV formula guard."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, IsolatedClient, login, make_test_app, post_form, soup_of
from tracker.auth.models import ApiToken
from tracker.auth.services import create_api_token
from tracker.core.permissions import Role
from tracker.core.time import utcnow
from tracker.execution import files
from tracker.exports.writers import _csv_safe
from tracker.extensions import db as _db
from tracker.orgs.models import Organization
from tracker.reports import jobs
from tracker.reports.models import JobState, ReportJob

# -- headers ------------------------------------------------------------------------------------


def test_security_headers_and_no_store_when_signed_in(client, make_user):
    anonymous = client.get("/login")
    csp = anonymous.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
        and "unsafe-inline" not in csp.split("style-src-attr")[0]
    )
    assert anonymous.headers["X-Content-Type-Options"] == "nosniff"
    assert anonymous.headers["X-Frame-Options"] == "DENY"
    assert anonymous.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in anonymous.headers  # development: no HTTPS assumed
    login(client, make_user(Role.VIEWER))
    assert client.get("/plans").headers["Cache-Control"] == "no-store"


def test_pages_carry_no_inline_script(client, make_user, make_plan):
    plan = make_plan()
    login(client, make_user(Role.ADMIN))
    for url in ("/plans", f"/plans/{plan.id}", "/profile", "/admin/users", "/search?q=x", "/dashboard"):
        page = soup_of(client.get(url))
        assert all(tag.get("src") for tag in page.find_all("script")), url
        handlers = [a for tag in page.find_all(True) for a in tag.attrs if a.startswith("on")]
        assert handlers == [], url


def test_production_sends_hsts(tmp_path, app):
    production = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, TRACKER_ENV="production")
    response = production.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    with production.app_context():
        _db.engine.dispose()  # its own engine: close its connections now, not at garbage collection


# -- redirects and proxies ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.com",
        "//evil.com",
        "/\\evil.com",
        "https://evil.com",
        "/x\r\nLocation: //evil",
    ],
)
def test_sign_in_never_redirects_off_site(client, make_user, target):
    user = make_user(Role.VIEWER)
    response = post_form(
        client, "/login", {"email": user.email, "password": PASSWORD}, query_string={"next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/inbox"  # each person's first page (issue 11)


def test_a_tab_encoded_in_the_sign_in_link_does_not_redirect_off_site(client, make_user):
    user = make_user(Role.VIEWER)
    response = post_form(client, "/login?next=/%09/evil.com", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/inbox"  # each person's first page (issue 11)


def test_behind_a_proxy_the_client_address_and_scheme_are_the_forwarded_ones(tmp_path, app, db, make_user):
    proxied = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, TRACKER_PROXY_HOPS=1)
    proxied.test_client_class = IsolatedClient
    seen = []

    @proxied.after_request
    def _record(response):  # what the app itself sees of the request
        from flask import request, url_for

        seen.append(
            (request.scheme, request.host, request.remote_addr, url_for("auth.login", _external=True))
        )
        return response

    client = proxied.test_client()
    headers = {
        "X-Forwarded-For": "203.0.113.7",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "plans.gov.uz",
    }
    client.get("/healthz", headers=headers)
    assert seen == [("https", "plans.gov.uz", "203.0.113.7", "https://plans.gov.uz/login")]
    with proxied.app_context():
        _db.engine.dispose()


# -- throttling ---------------------------------------------------------------------------------


def test_an_account_locks_but_the_address_stays_open_for_others(client, app, make_user):
    target, colleague = make_user(Role.VIEWER), make_user(Role.VIEWER)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert post_form(client, "/login", {"email": target.email, "password": "nope"}).status_code == 200
    locked = post_form(client, "/login", {"email": target.email, "password": PASSWORD})
    assert locked.status_code == 429 and 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    same_office = app.test_client()  # the same address (one NAT, one proxy)
    response = post_form(same_office, "/login", {"email": colleague.email, "password": PASSWORD})
    assert response.status_code == 302


def test_an_address_is_slowed_only_after_many_more_failures(client, app, make_user):
    user = make_user(Role.VIEWER)
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        post_form(client, "/login", {"email": f"nobody{n}@example.uz", "password": "nope"})
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429 and "Retry-After" in response.headers


# -- sessions and tokens ------------------------------------------------------------------------


def test_sign_out_ends_the_session_on_the_server(client, app, make_user):
    user = make_user(Role.VIEWER)
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    stolen = {name: client.get_cookie(name).value for name in ("session", "remember_token")}
    assert post_form(client, "/logout").status_code == 302
    replay = app.test_client()
    for name, value in stolen.items():
        replay.set_cookie(name, value)
    assert replay.get("/plans").status_code == 302  # to the sign-in page: the old cookies are dead


def test_a_password_change_needs_the_current_one_and_can_end_tokens(client, db, make_user):
    user = make_user(Role.VIEWER)
    _row, token = create_api_token(user, "script", actor=user)
    login(client, user)
    form = {
        "name": user.name,
        "locale": "",
        "new_password": "brand-new-pass",
        "confirm_password": "brand-new-pass",
    }
    missing = post_form(client, "/profile", form)
    assert missing.status_code == 200 and soup_of(missing).select(".invalid-feedback")
    wrong = post_form(client, "/profile", {**form, "current_password": "not-it"})
    assert wrong.status_code == 400
    right = post_form(client, "/profile", {**form, "current_password": PASSWORD, "revoke_tokens": "y"})
    assert right.status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert db.session.scalar(select(ApiToken.revoked_at).where(ApiToken.user_id == user.id)) is not None


# -- bounded input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/plans/2147483648", 404),
        ("/plans/99999999999999999999999", 404),
        ("/plans?year=99999999999", 400),
        ("/plans?year=1850", 400),
        ("/admin/audit?page=9999999999999", 400),
        ("/search?q=a%00b", 400),
        ("/search?plan=9999999999999999999", 200),
        ("/rating?from=9999-12-31", 400),
    ],
)
def test_out_of_range_values_are_refused_or_not_found(client, make_user, url, status):
    login(client, make_user(Role.ADMIN))
    assert client.get(url).status_code == status


def test_calendar_month_out_of_range_is_a_400(client, make_user, make_plan):
    plan = make_plan()
    login(client, make_user(Role.ADMIN))
    assert client.get(f"/plans/{plan.id}/calendar?month=9999-12").status_code == 400
    assert client.get(f"/plans/{plan.id}/calendar?month=2024-03").status_code == 200


# -- files follow the transaction ---------------------------------------------------------------


def test_a_stored_file_is_removed_when_the_transaction_rolls_back(app, db):
    checked = files.check_file(files.IncomingFile("note.txt", b"rolled back evidence"))
    path = files.store(checked)
    assert Path(path).exists()
    db.session.rollback()
    assert not Path(path).exists()


def test_a_stored_file_stays_when_the_transaction_commits(app, db):
    checked = files.check_file(files.IncomingFile("note.txt", b"kept evidence"))
    path = files.store(checked)
    db.session.commit()
    db.session.rollback()
    assert Path(path).exists()


# -- report jobs --------------------------------------------------------------------------------


def test_a_dead_workers_job_is_taken_up_again(db, make_plan, make_user, app):
    plan = make_plan()
    job = ReportJob(
        organization_id=plan.organization_id,
        kind="plan",
        plan_id=plan.id,
        options={"script": "cyrl"},
        state=JobState.RUNNING,
        lease_expires_at=utcnow() - timedelta(minutes=1),
    )
    fresh = ReportJob(
        organization_id=plan.organization_id,
        kind="plan",
        plan_id=plan.id,
        options={"script": "latn"},
        state=JobState.RUNNING,
        lease_expires_at=utcnow() + timedelta(minutes=5),
    )
    db.session.add_all([job, fresh])
    db.session.flush()
    assert jobs.claim(job.id) is True  # its lease ran out: the worker is gone
    assert jobs.claim(fresh.id) is False  # a live worker holds this one
    db.session.refresh(job)
    assert job.lease_expires_at > utcnow()


# -- organizations CLI and CSV ------------------------------------------------------------------


def test_orgs_cli_creates_and_lists(app, db):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["orgs", "create", "Statistika agentligi"])
    assert created.exit_code == 0, created.output
    assert db.session.scalar(select(Organization).where(Organization.name == "Statistika agentligi"))
    again = runner.invoke(args=["orgs", "create", "Statistika agentligi"])
    assert again.exit_code != 0
    listed = runner.invoke(args=["orgs", "list"])
    assert "Statistika agentligi" in listed.output


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_guard_quotes_every_formula_start(value):
    assert _csv_safe(value) == "'" + value


def test_behind_a_proxy_the_public_rate_limit_counts_each_forwarded_address(tmp_path, app, db):
    proxied = make_test_app(
        app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, TRACKER_PROXY_HOPS=1, OPEN_RATE_LIMIT=1
    )
    proxied.test_client_class = IsolatedClient
    client = proxied.test_client()

    def get(address: str) -> int:
        return client.get("/open/schema/plan-1.json", headers={"X-Forwarded-For": address}).status_code

    assert [get("203.0.113.7"), get("203.0.113.8"), get("203.0.113.7")] == [200, 200, 429]
