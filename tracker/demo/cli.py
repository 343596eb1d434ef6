"""``flask demo load``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.demo.loader import DEMO_USERS, load_demo
from tracker.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load() -> None:
    """Load the demo organization, users and the two seed plans (safe to run again)."""
    created = load_demo()
    db.session.commit()
    click.echo(
        f"Demo data: {created['units']} units, {created['users']} users, {created['plans']} plans created "
        "(existing ones kept)."
    )
    click.echo("Demo logins (e-mail / password):")
    for user in DEMO_USERS:
        click.echo(f"  {user.role.value:<11} {user.email:<22} {user.password}")
