"""``flask orgs create NAME`` and ``flask orgs list``: one deployment serving several agencies."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from tracker.auth.models import User
from tracker.extensions import db
from tracker.orgs.models import Organization
from tracker.orgs.services import get_or_create_organization

orgs_cli = AppGroup("orgs", help="Manage organizations (agencies).")


@orgs_cli.command("create")
@click.argument("name")
def create_organization(name: str) -> None:
    """Create an organization called NAME (its audit trail starts with this entry)."""
    name = name.strip()
    if not name or len(name) > 300:
        raise click.ClickException("Give a name of 1 to 300 characters.")
    if db.session.scalar(select(Organization.id).where(Organization.name == name)) is not None:
        raise click.ClickException(f"An organization named {name!r} already exists.")
    organization = get_or_create_organization(name)
    db.session.commit()
    click.echo(f"Created organization {organization.id} {organization.name!r}.")
    click.echo(
        f'Add its first administrator: flask users create EMAIL --organization "{name}" '
        "--role admin --name NAME"
    )


@orgs_cli.command("list")
def list_organizations() -> None:
    """List organizations with their number of users."""
    rows = db.session.execute(
        select(Organization.id, Organization.name, func.count(User.id))
        .outerjoin(User, User.organization_id == Organization.id)
        .group_by(Organization.id, Organization.name)
        .order_by(Organization.id)
    ).all()
    if not rows:
        click.echo("No organizations yet: flask orgs create NAME")
    for org_id, name, users in rows:
        click.echo(f"{org_id}\t{name}\t{users} user(s)")
