"""``flask search rebuild``: fill the search index from the existing data (idempotent)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.extensions import db

search_cli = AppGroup("search", help="The search index (docs/search.md).")


@search_cli.command("rebuild")
def rebuild() -> None:
    """Rewrite every search entry from the plans, measures, steps and status notes.

    Run it once after ``flask db upgrade`` on a database that already holds plans (migration
    0004 creates the index empty), after loading data that bypassed the ORM, or to repair the
    index. Safe to run again: it empties and refills the index in one transaction.
    """
    from tracker.search.index import rebuild_index

    count = rebuild_index(db.session.connection())
    db.session.commit()
    click.echo(f"Search index rebuilt: {count} entries.")
