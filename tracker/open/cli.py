"""``flask plans publish PLAN_ID`` and ``flask plans unpublish PLAN_ID`` (added to the plans group)."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask.cli import AppGroup

from tracker.core.errors import DomainError
from tracker.extensions import db
from tracker.open import services
from tracker.plans.models import Plan


def _plan(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise click.ClickException(f"No plan with id {plan_id}.")
    return plan


def _change_publication(plan_id: int, change: Callable[[Plan], object], done: str) -> None:
    plan = _plan(plan_id)
    try:
        change(plan)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(done)


@click.command("publish")
@click.argument("plan_id", type=int)
def publish_command(plan_id: int) -> None:
    """Make an approved plan public at /open/plans/PLAN_ID (audited; actor: the system)."""
    _change_publication(
        plan_id,
        lambda plan: services.publish_plan(plan, actor=None),
        f"Plan {plan_id} is public: /open/plans/{plan_id}",
    )


@click.command("unpublish")
@click.argument("plan_id", type=int)
def unpublish_command(plan_id: int) -> None:
    """Withdraw a plan from the public pages (audited; actor: the system)."""
    _change_publication(
        plan_id,
        lambda plan: services.unpublish_plan(plan, actor=None),
        f"Plan {plan_id} is no longer public.",
    )


def register(group: AppGroup) -> None:
    """Add the publishing commands to ``flask plans``."""
    group.add_command(publish_command)
    group.add_command(unpublish_command)
