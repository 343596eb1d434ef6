"""The edge of every request: one transaction, input refused before it reaches a view, safe headers.

- :class:`TrackerFlask` commits once after the view returned a response below 400 and rolls
  back otherwise (STYLE rule 4); services only flush. A failure of that commit (a concurrent
  edit, a unique key taken meanwhile) becomes a 409 like any other conflict.
- Path ids are bounded by the ``int`` converter: a number beyond a database integer is a 404,
  never an overflow in the database driver.
- NUL characters are refused anywhere in the path, query, form or JSON body: PostgreSQL cannot
  store them in text, and no person types one.
- Security headers on every response (a short documented hook rather than another dependency).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, abort, current_app, g, request, session
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from tracker.core import transaction  # noqa: F401  (registers the commit/rollback listeners)
from tracker.extensions import db

logger = logging.getLogger(__name__)

#: The largest value of a PostgreSQL ``integer`` column (ids are integers on both engines).
MAX_ID = 2**31 - 1

#: No script, style or frame from anywhere but this site; nothing may frame us.
#: Style attributes stay allowed (``style-src-attr``): progress bars and table widths use them,
#: and a style attribute cannot run code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class TrackerFlask(Flask):
    """Flask with the request's transaction ended in one place, right after the view."""

    def dispatch_request(self) -> Any:
        response = self.make_response(super().dispatch_request())
        refused = g.pop("refused_status", None)
        if refused and response.status_code == 200:
            response.status_code = refused  # a form shown again after a refusal (run_service)
        end_transaction(response)
        return response


def end_transaction(response: Response) -> None:
    """Commit when the view succeeded (below 400), roll back otherwise.

    Exceptions from the commit propagate to the error handlers (409 for conflicts).
    """
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()


class IdConverter(IntegerConverter):
    """``<int:…>`` limited to what an integer column holds, so a huge id is simply not found."""

    def __init__(
        self,
        map: Any,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:  # noqa: A002,E501
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)


def _has_nul(value: str) -> bool:
    return "\x00" in value


def refuse_nul_bytes() -> None:
    """400 for a NUL anywhere in what a view could read as text."""
    if _has_nul(request.path):
        abort(400)
    for source in (request.args, request.form):
        for key, value in source.items(multi=True):
            if _has_nul(key) or _has_nul(value):
                abort(400)
    for upload in request.files.values():
        if _has_nul(upload.filename or ""):
            abort(400)
    if request.is_json and b"\\u0000" in request.get_data(cache=True):
        abort(400)


def security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("TRACKER_ENV") == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if _is_signed_in() and request.endpoint != "static":
        # Pages of a signed-in person must not stay in a shared browser's or proxy's cache.
        headers["Cache-Control"] = "no-store"
        headers.add("Vary", "Cookie")
    return response


def _is_signed_in() -> bool:
    # Read from the cookie session, not current_user: no database query after the commit.
    return "_user_id" in session or request.authorization is not None


def init_edge(app: Flask) -> None:
    """Install the converter, proxy handling, input checks and headers; call before blueprints."""
    app.url_map.converters["int"] = IdConverter
    hops = int(app.config.get("TRACKER_PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
    app.before_request(refuse_nul_bytes)
    app.after_request(security_headers)
