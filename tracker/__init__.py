"""tracker: agencies' work plans and roadmaps, their execution and reports.

Importing this package does nothing; :func:`create_app` builds an application.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.core.collector import collector_paused
from tracker.core.paths import ROOT

if TYPE_CHECKING:
    import click
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides what ``config.py`` reads from the environment."""
    # Start-up allocates a few hundred thousand objects that live as long as the process; the
    # collector's passes over them while they are made cost ~0.1 s. gc.freeze() below takes them
    # out of its sight afterwards.
    with collector_paused():
        return _build_app(config)


def _build_app(config: Mapping[str, Any] | None) -> Flask:
    listing = lists_commands_only()
    if listing:
        from flask import Flask

        app = Flask(__name__, instance_path=str(ROOT / "instance"))
    else:
        from tracker.core.edge import TrackerFlask

        app = TrackerFlask(
            __name__,
            instance_path=str(ROOT / "instance"),
            template_folder=str(ROOT / "templates"),
            static_folder="static",
        )
    from config import load_config

    app.config.from_mapping(load_config(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    # Our loggers at LOG_LEVEL, libraries at WARNING: the root at INFO made every command print
    # WeasyPrint's "Step 2 - Fetching and parsing CSS" lines and flooded the server log.
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("tracker").setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # chatter on every command
    _register_cli(app)
    if listing:
        from tracker.core.migrate import add_db_command

        add_db_command(app)
        return app  # `flask --help` only lists the command groups: nothing else is looked at

    from tracker.core import assets
    from tracker.core.edge import init_edge

    assets.init_app(app)  # first: its after_request hook (gzip) then runs last
    _init_extensions(app)
    init_edge(app)  # before the blueprints: it sets the bounded <int:…> converter
    _register_blueprints(app)

    from tracker.core import templating
    from tracker.core.errors_web import register_error_handlers

    templating.init_app(app)
    register_error_handlers(app)
    # What start-up built (modules, the URL map, catalogs) lives as long as the process: move it out
    # of the collector's sight, or every full collection during a request walks it all again
    # (a third of a 100-row plan page's time was spent there). Also keeps forked workers' pages shared.
    # Not in tests: they build many apps in one process, and frozen cycles are never collected.
    if not app.testing:
        gc.freeze()
        # A page allocates some 100,000 short-lived objects (rows, markup), most freed by reference
        # counting soon after: at CPython's threshold of 700 a 100-row plan page started 7 young
        # collections and a middle one every other request (~2 ms of its 25); at 10,000, almost none.
        gc.set_threshold(10_000, 10, 10)
    return app


def lists_commands_only() -> bool:
    """True in ``flask`` and ``flask --help``, which only print the list of command groups.

    Flask's CLI builds the app to list its commands; the extensions, models and blueprints are not
    looked at, and building them was most of the 1.2 s that listing took. Any other command (and
    ``flask <group> --help``) gets the whole app. FLASK_RUN_FROM_CLI is set by Flask's CLI itself.
    """
    import os
    import sys

    return os.environ.get("FLASK_RUN_FROM_CLI") == "true" and sys.argv[1:] in ([], ["--help"])


def _init_extensions(app: Flask) -> None:
    from tracker import models  # noqa: F401  (every table, for Alembic and relationships)
    from tracker.auth.loaders import init_login
    from tracker.core.i18n import install_template_gettext, select_locale
    from tracker.extensions import babel, csrf, db, migrate

    db.init_app(app)
    with app.app_context():
        from tracker.core.sqlite import configure_sqlite

        configure_sqlite(db.engine, app.config.get("SQLITE_BUSY_TIMEOUT_MS", 30_000))
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    init_login(app)


def _register_blueprints(app: Flask) -> None:
    from tracker.admin.views import bp as admin_bp
    from tracker.api.views import bp as api_bp
    from tracker.auth.views import bp as auth_bp
    from tracker.comments.views import bp as comments_bp
    from tracker.core.views import bp as core_bp
    from tracker.dashboard.views import bp as dashboard_bp
    from tracker.execution.views import bp as execution_bp
    from tracker.exports.views import bp as exports_bp
    from tracker.imports.views import bp as imports_bp
    from tracker.inbox.views import bp as inbox_bp
    from tracker.meetings.views import bp as meetings_bp
    from tracker.notifications.views import bp as notifications_bp
    from tracker.obligations.views import bp as obligations_bp
    from tracker.open.publishing_views import bp as publishing_bp
    from tracker.open.views import bp as open_bp
    from tracker.open.views import site_bp
    from tracker.plans.grid_views import bp as plan_grid_bp
    from tracker.plans.views import bp as plans_bp
    from tracker.reminders.views import bp as reminders_bp
    from tracker.reports.views import bp as reports_bp
    from tracker.search.views import bp as search_bp

    for blueprint in (
        core_bp,
        auth_bp,
        plans_bp,
        execution_bp,
        admin_bp,
        api_bp,
        reports_bp,
        dashboard_bp,
        search_bp,
        reminders_bp,
        imports_bp,
        meetings_bp,
        obligations_bp,
        plan_grid_bp,
        exports_bp,
        open_bp,
        publishing_bp,
        site_bp,
        notifications_bp,
        inbox_bp,
        comments_bp,
    ):
        app.register_blueprint(blueprint)
    from tracker.notifications import delivery

    delivery.init_app(app)
    if _may_embed_scheduler(app):
        from tracker.reminders.scheduler import start_embedded_if_asked

        start_embedded_if_asked(app)


def _may_embed_scheduler(app: Flask) -> bool:
    """A cheap first look (APScheduler and the job modules cost ~60 ms to import): only ``flask run``
    can embed the scheduler; ``start_embedded_if_asked`` makes the real decision."""
    import sys

    return (
        not app.testing
        and app.config.get("TRACKER_SCHEDULER", "embedded") == "embedded"
        and ("run" in sys.argv[1:])
    )


#: The command groups: name, one-line help (what `flask --help` lists), module and group.
#: tests/test_startup.py checks each line against the group's own help.
COMMAND_GROUPS = (
    ("orgs", "Manage organizations (agencies).", "tracker.orgs.cli", "orgs_cli"),
    ("users", "Manage user accounts.", "tracker.auth.cli", "users_cli"),
    ("demo", "Demo data.", "tracker.demo.cli", "demo_cli"),
    ("translate", "Translation catalogs (pybabel).", "tracker.core.translate_cli", "translate_cli"),
    ("text", "Uzbek text tools: transliteration, deadlines, legal basis.", "tracker.text.cli", "text_cli"),
    ("reports", "PDF reports.", "tracker.reports.cli", "reports_cli"),
    ("reminders", "Deadline reminders and their e-mail.", "tracker.reminders.cli", "reminders_cli"),
    ("scheduler", "The process that runs periodic jobs.", "tracker.reminders.cli", "scheduler_cli"),
    ("plans", "Import plans from Word, Excel, CSV or JSON; export them.", "tracker.imports.cli", "plans_cli"),
    ("search", "The search index (docs/search.md).", "tracker.search.cli", "search_cli"),
)


def _register_cli(app: Flask) -> None:
    """Each group is imported when one of its commands runs, not to list them (tracker.core.lazy_cli)."""
    from tracker.core.lazy_cli import LazyGroup, group_at

    for name, help_line, module, attribute in COMMAND_GROUPS:
        load = _plans_group if name == "plans" else group_at(module, attribute)
        app.cli.add_command(LazyGroup(name, help_line, load))


def _plans_group() -> click.Group:
    from tracker.imports.cli import plans_cli
    from tracker.open.cli import register as register_publishing_commands

    if "publish" not in plans_cli.commands:
        register_publishing_commands(plans_cli)
    return plans_cli
