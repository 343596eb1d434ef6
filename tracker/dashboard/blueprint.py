"""The dashboard's blueprint, apart from its views so that every views module registers on it
without importing another (:mod:`tracker.dashboard.views`, :mod:`tracker.dashboard.calendar_views`)."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)
