"""``flask plans import FILE`` and ``flask plans export PLAN_ID``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from tracker.core.errors import DomainError
from tracker.extensions import db
from tracker.imports import services
from tracker.imports.minutes import ParsedMeeting
from tracker.imports.proposals import no_details_note
from tracker.orgs.models import Organization
from tracker.plans.models import Plan, PlanKind

plans_cli = AppGroup("plans", help="Import plans from Word, Excel, CSV or JSON; export them.")


def _organization(organization_id: int | None) -> Organization:
    if organization_id is not None:
        organization = db.session.get(Organization, organization_id)
        if organization is None:
            raise click.ClickException(f"No organization with id {organization_id}.")
        return organization
    organizations = list(db.session.scalars(select(Organization).order_by(Organization.id).limit(2)))
    if len(organizations) != 1:
        raise click.ClickException(
            "Say which organization the plan belongs to: --organization ID "
            f"({'there is none yet' if not organizations else 'there are several'})."
        )
    return organizations[0]


def print_preview(preview: services.Preview) -> None:
    plan = preview.plan
    click.echo(f"Title:    {plan.title}")
    click.echo(f"Kind:     {plan.kind.value}")
    click.echo(f"Period:   {plan.period_start or '—'} – {plan.period_end or '—'}")
    if plan.basis:
        click.echo(f"Basis:    {plan.basis}")
    if plan.approval:
        click.echo(
            f"Approval: {plan.approval.position or ''} {plan.approval.name}, {plan.approval.date.isoformat()}"
        )
    else:
        click.echo("Approval: none (the plan will be a draft)")
    if plan.as_of:
        click.echo(f"As of:    {plan.as_of.isoformat()}")
    click.echo(f"Measures: {len(plan.measures)}, steps: {plan.step_count}")
    if preview.meeting is not None:
        _print_meeting(preview.meeting)
    for item in preview.measures:
        measure = item.measure
        status = f" [{measure.status.value}]" if measure.status else ""
        click.echo(f"  {measure.number}. {measure.title[:90]}{status}")
        if measure.deadline_text:
            click.echo(f"      deadline: {measure.deadline_text}")
        for name in item.responsible:
            where = (
                f"unit #{name.unit_id}" if name.unit_id else ("all units" if name.is_all_units else "no unit")
            )
            click.echo(f"      responsible: {name.name} ({where})")
        for step in measure.steps:
            step_status = f" [{step.status.value}]" if step.status else ""
            deadline = f" — {step.deadline_text}" if step.deadline_text else ""
            click.echo(f"      {step.number}) {step.text[:80]}{deadline}{step_status}")
    if preview.shape == "proposal":
        click.echo(f"Note:     {no_details_note()}")
    for unit_name in preview.unmatched.values():
        click.echo(f"Unmatched unit: {unit_name}")
    for warning in preview.warnings:
        click.echo(f"Warning: {warning}")


def _print_meeting(meeting: ParsedMeeting) -> None:
    click.echo(
        f"Meeting:  {meeting.held_on.isoformat() if meeting.held_on else '—'} № {meeting.number or '—'}"
    )
    click.echo(f"Body:     {meeting.body or '—'}")
    click.echo(f"Chair:    {meeting.chair or '—'}; minute-taker: {meeting.secretary or '—'}")
    click.echo(f"Attendees: {', '.join(meeting.attendees) or '—'}")
    for item in meeting.agenda:
        click.echo(f"Agenda:   {item}")
    for number, deadline in enumerate(meeting.deadlines, start=1):
        if deadline is not None and deadline.due:
            click.echo(f"Decision {number} due: {deadline.due.isoformat()} ({deadline.text})")


@plans_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--organization", "organization_id", type=int, help="Organization id (needed when there are several)."
)
@click.option(
    "--kind", type=click.Choice([k.value for k in PlanKind]), help="Override the kind read from the title."
)
@click.option(
    "--meeting-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Minutes only: the meeting date (YYYY-MM-DD) when the minutes do not give it.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be created and change nothing.")
@click.option(
    "--create-units", is_flag=True, help="Create a unit for every responsible name that matches none."
)
def import_command(
    file: Path,
    organization_id: int | None,
    kind: str | None,
    meeting_date: datetime | None,
    dry_run: bool,
    create_units: bool,
) -> None:
    """Import a plan from FILE (.docx, .xlsx, .csv, open-data .json, or a proposal or minutes as
    .docx or .txt); prints the new plan's id."""
    organization = _organization(organization_id)
    try:
        preview = services.preview_file(
            file.name,
            file.read_bytes(),
            organization,
            kind=PlanKind(kind) if kind else None,
            meeting_date=meeting_date.date() if meeting_date is not None else None,
        )
        if dry_run:
            print_preview(preview)
            return
        plan = services.import_plan(preview, organization, actor=None, create_units=create_units)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(f"{file.name}: {error.message}") from None
    db.session.commit()
    for warning in preview.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(plan.id)


@plans_cli.command("export")
@click.argument("plan_id", type=int)
@click.option(
    "--format", "file_format", type=click.Choice(["json", "csv", "xlsx"]), default="json", show_default=True
)
@click.option("--script", type=click.Choice(["cyrl", "latn"]), help="Transliterate the content.")
@click.option(
    "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Statuses on this date (YYYY-MM-DD)."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout)."
)
def export_command(
    plan_id: int, file_format: str, script: str | None, as_of: datetime | None, output: Path | None
) -> None:
    """Export plan PLAN_ID as open-data JSON, CSV or XLSX."""
    from tracker.exports.data import plan_open_data
    from tracker.exports.writers import render

    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise click.ClickException(f"No plan with id {plan_id}.")
    day = as_of.date() if as_of is not None else None
    content = render(plan_open_data(plan, script=script, as_of=day), file_format)
    if output is None:
        if file_format == "xlsx":
            raise click.ClickException("XLSX is binary: write it to a file with -o FILE.")
        click.echo(content.decode("utf-8"), nl=False)
        return
    output.write_bytes(content)
    click.echo(f"Plan {plan_id} written to {output}", err=True)
