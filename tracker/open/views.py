"""The public transparency pages and open data, without sign-in, cached by content.

Every public response is built in the same order: rate limit, fingerprint (404 unless
public), ETag from the fingerprint and the request's choices, 304 when the client has it,
else the rendered output from this process's cache or rendered now.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from flask import Blueprint, Flask, abort, current_app, request, send_file
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug import Response

from tracker.core.i18n import LANGUAGE_NAMES, html_lang
from tracker.core.paths import ROOT
from tracker.core.permissions import public
from tracker.core.time import TASHKENT, today
from tracker.execution import files
from tracker.open import outputs, services
from tracker.open.cache import (
    Cached,
    ContentCache,
    Fingerprint,
    FingerprintMemo,
    catalogue_fingerprint,
    make_etag,
    plan_fingerprint,
)
from tracker.open.choices import BadChoice, Choices, request_choices, request_locale
from tracker.open.models import PlanPublication
from tracker.open.public import counts, public_document, public_snapshot
from tracker.open.ratelimit import RateLimiter
from tracker.plans.models import Plan
from tracker.plans.snapshot import PlanSnapshot
from tracker.reports.headings import HEADINGS
from tracker.uzbek import detect_script, format_doc_date

bp = Blueprint("open", __name__, url_prefix="/open")
site_bp = Blueprint("site", __name__)

SCHEMA_PATH = ROOT / "docs" / "open-data.schema.json"


# -- per-process helpers ----------------------------------------------------------------------------


@dataclass
class OpenState:
    """Each worker's rate limiter, remembered fingerprints and rendered outputs."""

    limiter: RateLimiter
    fingerprints: FingerprintMemo
    cache: ContentCache


def open_state(app: Flask | None = None) -> OpenState:
    app = app or current_app
    found = app.extensions.get("open")
    if found is None:
        config = app.config
        found = OpenState(
            RateLimiter(int(config.get("OPEN_RATE_LIMIT", 120)), float(config.get("OPEN_RATE_WINDOW", 60))),
            FingerprintMemo(float(config.get("OPEN_FINGERPRINT_TTL", 1))),
            ContentCache(int(config.get("OPEN_CACHE_ENTRIES", 512))),
        )
        app.extensions["open"] = found
    return found


def fingerprint_of(plan_id: int) -> Fingerprint | None:
    return open_state().fingerprints.get(plan_id, lambda: plan_fingerprint(plan_id))


def fingerprint_of_catalogue() -> Fingerprint:
    found = open_state().fingerprints.get("catalogue", catalogue_fingerprint)
    assert found is not None
    return found


def render_public(template: str, locale: str, **context: Any) -> str:
    """Render without the app's context processors: nothing of the visitor's session (no CSRF
    token, no user) can end up in a page that is cached and served to everyone."""
    with force_locale(locale):
        return current_app.jinja_env.get_template(template).render(
            html_lang=html_lang(locale),
            current_locale=locale,
            LANGUAGE_NAMES=LANGUAGE_NAMES,
            page_path=request.path,
            **context,
        )


@bp.before_request
def limit_per_address() -> Response | None:
    # The client's address: behind TRACKER_PROXY_HOPS proxies, ProxyFix (tracker.core.edge) has
    # already put the forwarded one here.
    wait = open_state().limiter.check(request.remote_addr or "unknown")
    if wait is None:
        return None
    locale = request_locale()
    body = render_public(
        "open/message.html",
        locale,
        code=429,
        message=_("Too many requests from your address. Please wait %(seconds)s seconds.", seconds=wait),
    )
    response = Response(body, 429, mimetype="text/html")
    response.headers["Retry-After"] = str(wait)
    return response


def _bad_request(message: str) -> Response:
    body = render_public("open/message.html", request_locale(), code=400, message=message)
    return Response(body, 400, mimetype="text/html")


# -- conditional responses --------------------------------------------------------------------------


def _last_modified(fingerprint: Fingerprint, choices: Choices | None) -> datetime:
    """A view of "today" also changes at midnight in Tashkent (what is overdue moves on)."""
    last = fingerprint.last_modified
    if choices is None or not choices.is_fixed_day:
        last = max(last, datetime.combine(today(), time.min, TASHKENT))
    return last.replace(microsecond=0)


def conditional(
    etag: str, last_modified: datetime, make: Callable[[], Cached], *, vary_language: bool = False
) -> Response:
    """304 when the client holds this version; else the output, from the cache or made now."""
    if request.if_none_match:
        is_fresh = request.if_none_match.contains(etag)
    else:
        since = request.if_modified_since
        is_fresh = since is not None and last_modified <= since
    if is_fresh:
        response = Response(status=304)
    else:
        cached = open_state().cache.get_or_make(etag, make)
        response = Response(cached.body, mimetype=cached.mimetype)
        if cached.download_name:
            response.headers["Content-Disposition"] = f'attachment; filename="{cached.download_name}"'
    response.set_etag(etag)
    response.last_modified = last_modified
    response.headers["Cache-Control"] = "public, no-cache"
    if vary_language:
        response.vary.add("Accept-Language")
    return response


def _fingerprint_or_404(plan_id: int) -> Fingerprint:
    fingerprint = fingerprint_of(plan_id)
    if fingerprint is None:
        abort(404)
    return fingerprint


def _public_view(plan_id: int, choices: Choices) -> tuple[PlanSnapshot, PlanPublication]:
    found = services.public_plan(plan_id)
    if found is None:
        abort(404)
    plan, publication = found
    return public_snapshot(plan, publication, as_of=choices.as_of, script=choices.script), publication


def _document(plan_id: int, choices: Choices) -> tuple[dict[str, Any], PlanPublication]:
    view, publication = _public_view(plan_id, choices)
    return public_document(view, publication), publication


# -- pages ------------------------------------------------------------------------------------------


def _published_documents(
    script: str | None,
) -> Iterator[tuple[Plan, PlanPublication, datetime, dict[str, Any]]]:
    """Each public plan with its publication, its last change and its public document today, for
    the index page and the catalogue (a plan no longer public when its fingerprint is read is left out)."""
    for plan, publication in services.published_plans():
        fingerprint = plan_fingerprint(plan.id)
        if fingerprint is None:
            continue
        view = public_snapshot(plan, publication, as_of=today(), script=script)
        yield plan, publication, fingerprint.last_modified, public_document(view, publication)


def _plan_summaries(script: str | None) -> list[dict[str, Any]]:
    """Each public plan's header and counts today, grouped by organization in the template."""
    summaries = []
    for plan, publication, last_update, document in _published_documents(script):
        summaries.append(
            {
                "id": plan.id,
                "organization": document["organization"],
                "title": document["title"],
                "kind": plan.kind_label,
                "period": document["period"],
                "counts": counts(document),
                "show_statuses": publication.show_statuses,
                "last_update": last_update,
            }
        )
    return summaries


@bp.get("/")
@public
def index() -> Response:
    try:
        choices = request_choices(default_script_from_locale=True)
    except BadChoice as error:
        return _bad_request(str(error))
    fingerprint = fingerprint_of_catalogue()
    etag = make_etag("index", fingerprint.key, today(), *choices.key())

    def make() -> Cached:
        with force_locale(choices.locale):
            summaries = _plan_summaries(choices.script)
        body = render_public("open/index.html", choices.locale, plans=summaries, choices=choices)
        return Cached(body.encode(), "text/html; charset=utf-8")

    return conditional(etag, _last_modified(fingerprint, None), make, vary_language=True)


def _document_words(document: dict[str, Any]) -> dict[str, str]:
    """What the page prints as the document does, in the document's script: the approval date
    ("2024 йил 04 январь") and "all structural units"."""
    script = document["script"] or ("latn" if detect_script(document["title"]) == "latn" else "cyrl")
    approval = document["approval"]
    return {
        "approval_date": format_doc_date(date.fromisoformat(approval["date"]), script, "approval")
        if approval
        else "",
        "all_units": HEADINGS[script]["all_units"],
    }


@bp.get("/plans/<int:plan_id>")
@public
def plan_page(plan_id: int) -> Response:
    fingerprint = _fingerprint_or_404(plan_id)
    try:
        choices = request_choices(default_script_from_locale=True)
    except BadChoice as error:
        return _bad_request(str(error))
    etag = make_etag("page", plan_id, fingerprint.key, today(), *choices.key())

    def make() -> Cached:
        document, publication = _document(plan_id, choices)
        body = render_public(
            "open/plan.html",
            choices.locale,
            plan=document,
            counts=counts(document),
            publication=publication,
            choices=choices,
            is_today=not choices.is_fixed_day,
            last_update=fingerprint.last_modified,
            **_document_words(document),
        )
        return Cached(body.encode(), "text/html; charset=utf-8")

    return conditional(etag, _last_modified(fingerprint, choices), make, vary_language=True)


@bp.get("/plans/<int:plan_id>.<any(json, csv, xlsx, pdf):file_format>")
@public
def plan_file(plan_id: int, file_format: str) -> Response:
    fingerprint = _fingerprint_or_404(plan_id)
    try:
        choices = request_choices(default_script_from_locale=False)
    except BadChoice as error:
        return _bad_request(str(error))
    if file_format == "pdf" and choices.script is None:
        choices = replace(choices, script="cyrl")  # a printed report is in one script
    etag = make_etag(file_format, plan_id, fingerprint.key, choices.as_of, choices.script)

    def make() -> Cached:
        if file_format == "pdf":
            from tracker.reports.render import render_pdf

            view, publication = _public_view(plan_id, choices)
            report = outputs.status_report_data(view, show_statuses=publication.show_statuses)
            return Cached(render_pdf("reports/status.html", report), outputs.PDF_MIME)
        document, _publication = _document(plan_id, choices)
        name = f"plan-{plan_id}-{choices.as_of.isoformat()}{'-' + choices.script if choices.script else ''}"
        download = f"{name}.{file_format}" if file_format in ("csv", "xlsx") else None
        return Cached(outputs.data_file(document, file_format), outputs.mime_type(file_format), download)

    return conditional(etag, _last_modified(fingerprint, choices), make)


@bp.get("/plans/<int:plan_id>/files/<int:attachment_id>")
@public
def evidence_file(plan_id: int, attachment_id: int) -> Response:
    """A file the publisher chose to show (always downloaded, never rendered inline)."""
    found = services.public_plan(plan_id)
    if found is None:
        abort(404)
    attachment = services.public_file(found[1], attachment_id)
    if attachment is None:
        abort(404)
    return files.send_attachment(attachment)


@bp.get("/catalog.json")
@public
def catalog() -> Response:
    fingerprint = fingerprint_of_catalogue()
    etag = make_etag("catalog", fingerprint.key, today())

    def make() -> Cached:
        config = current_app.config
        base_url = str(config.get("TRACKER_BASE_URL") or request.host_url).rstrip("/")
        licence = str(config.get("OPEN_DATA_LICENSE") or "https://creativecommons.org/licenses/by/4.0/")
        datasets, publishers = [], set()
        for _plan, publication, last_update, document in _published_documents(None):
            publishers.add(document["organization"])
            datasets.append(
                outputs.dataset(
                    document,
                    base_url=base_url,
                    modified=last_update,
                    issued=publication.published_at,
                    licence=licence,
                )
            )
        body = outputs.catalogue(
            datasets,
            base_url=base_url,
            title=str(config.get("OPEN_DATA_TITLE") or "Work plans and their execution"),
            publisher=str(
                config.get("OPEN_DATA_PUBLISHER") or (publishers.pop() if len(publishers) == 1 else "")
            ),
            modified=fingerprint.last_modified,
            licence=licence,
        )
        return Cached(json.dumps(body, ensure_ascii=False, indent=1).encode(), "application/json")

    return conditional(etag, _last_modified(fingerprint, None), make)


@bp.get("/schema/plan-1.json")
@public
def schema() -> Response:
    """The JSON Schema the plan files follow (the catalogue's ``conformsTo``)."""
    response = send_file(SCHEMA_PATH, mimetype="application/schema+json", max_age=3600)
    return response


@bp.app_template_filter("fromiso")
def from_iso(value: str | None) -> date | None:
    """An ISO date of the open-data document, for the date filters of the templates."""
    return date.fromisoformat(value) if value else None


@site_bp.get("/robots.txt")
@public
def robots() -> Response:
    """Search engines may index the public pages and nothing else."""
    body = "User-agent: *\nAllow: /open/\nDisallow: /\n"
    return Response(body, mimetype="text/plain")
