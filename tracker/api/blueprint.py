"""The API's blueprint, apart from its views so that every operations module registers on it
without importing another (:mod:`tracker.api.views`, :mod:`tracker.api.deadlines`,
:mod:`tracker.api.workflow`). Exempt from CSRF here; the views enforce it for session callers."""

from flask import Blueprint

from tracker.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
