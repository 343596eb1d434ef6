"""``flask users create`` and ``flask users token``."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from tracker.auth import services
from tracker.auth.models import User
from tracker.core.errors import DomainError
from tracker.core.permissions import Role
from tracker.extensions import db
from tracker.orgs.models import Organization, Unit

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="A role; repeat for several.",
)
@click.option("--unit", "unit_name", help="Name of the user's unit.")
@click.option(
    "--organization", "organization_name", help="Organization name (needed when there are several)."
)
@click.option("--position", help="Job title as printed in approval blocks.")
@click.option("--password", help="Prompted for when not given.")
def create_user(
    email: str,
    name: str,
    roles: tuple[str, ...],
    unit_name: str | None,
    organization_name: str | None,
    position: str | None,
    password: str | None,
) -> None:
    """Create a user account."""
    organizations = db.session.scalars(select(Organization).order_by(Organization.id)).all()
    if organization_name:
        organizations = [o for o in organizations if o.name == organization_name]
    if not organizations:
        raise click.ClickException(
            "No such organization. Create one first (flask demo load creates a demo one)."
        )
    if len(organizations) > 1:
        raise click.ClickException("Several organizations exist; name one with --organization.")
    organization = organizations[0]
    unit = None
    if unit_name:
        unit = db.session.scalar(
            select(Unit).where(Unit.organization_id == organization.id, Unit.name == unit_name)
        )
        if unit is None:
            raise click.ClickException(f"No unit named {unit_name!r} in {organization.name}.")
    if not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.ClickException("The password must have at least 8 characters.")
    try:
        user = services.create_user(
            email=email,
            name=name,
            password=password,
            organization=organization,
            roles={Role(r) for r in roles},
            unit=unit,
            position=position,
            actor=None,
        )
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created user {user.id} <{user.email}> with roles {', '.join(sorted(user.roles))}.")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="CLI", show_default=True, help="A name to recognise the token by.")
def create_token(email: str, name: str) -> None:
    """Print a new personal API token for EMAIL (shown once)."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user {email}.")
    _api_token, token = services.create_api_token(user, name, actor=None)
    db.session.commit()
    click.echo(token)
