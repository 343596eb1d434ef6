"""Flask-Migrate bound on first use: it imports Alembic (about 0.3 s), which only `flask db …` and
the test fixtures need, so neither the web workers nor `flask --help` should pay for it.

``app.extensions["migrate"]`` holds a stand-in that binds the real extension the first time an
attribute is read (``flask_migrate.upgrade()``, ``migrations/env.py``); the ``db`` command group
resolves its sub-commands from ``flask_migrate.cli`` only when one is asked for.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext


class LazyMigrate:
    """Drop-in for ``flask_migrate.Migrate`` whose ``init_app`` imports nothing heavy."""

    def init_app(self, app: Flask, db: Any, **kwargs: Any) -> None:
        app.extensions["migrate"] = _PendingMigrate(app, db, kwargs)
        add_db_command(app)


def add_db_command(app: Flask) -> None:
    """``flask db``, its sub-commands read from Flask-Migrate when one is asked for."""
    app.cli.add_command(_LazyDbGroup(), name="db")


class _PendingMigrate:
    def __init__(self, app: Flask, db: Any, kwargs: dict[str, Any]) -> None:
        self._app, self._db, self._kwargs = app, db, kwargs

    def __getattr__(self, name: str) -> Any:
        from flask_migrate import Migrate

        Migrate().init_app(self._app, self._db, **self._kwargs)  # replaces this stand-in
        return getattr(self._app.extensions["migrate"], name)


class _LazyDbGroup(click.Group):
    def __init__(self) -> None:
        super().__init__(
            name="db",
            help="Perform database migrations.",
            callback=with_appcontext(_remember_options),
            params=[
                click.Option(["-d", "--directory"], default=None, help="Migration script directory"),
                click.Option(["-x", "--x-arg"], multiple=True, help="Additional arguments for env.py"),
            ],
        )

    def _real(self) -> click.Group:
        from flask_migrate.cli import db as real_group

        return real_group

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._real().get_command(ctx, cmd_name)


def _remember_options(directory: str | None, x_arg: tuple[str, ...]) -> None:
    # What flask_migrate.cli.db does: its sub-commands read these from g.
    g.directory = directory
    g.x_arg = x_arg
    current_app.extensions["migrate"].directory  # noqa: B018  (bind the real extension now)
