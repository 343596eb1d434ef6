"""The plans pages' blueprint, apart from its views so that every views module registers on it
without importing another (:mod:`tracker.plans.views`, :mod:`tracker.plans.extension_views`)."""

from flask import Blueprint

bp = Blueprint("plans", __name__)
