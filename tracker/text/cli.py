"""``flask text``: transliteration, deadline and legal-basis parsing from the command line.

Register with ``app.cli.add_command(text_cli)``. No command needs an application context.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click
from flask.cli import AppGroup

from tracker.uzbek import parse_deadline, parse_legal_basis, transliterate

__all__ = ["text_cli"]

text_cli = AppGroup("text", help="Uzbek text tools: transliteration, deadlines, legal basis.")


@text_cli.command("translit", with_appcontext=False)
@click.option(
    "--to",
    "script",
    type=click.Choice(["latn", "cyrl"]),
    required=True,
    help="Target script: latn (Latin) or cyrl (Cyrillic).",
)
def translit_command(script: str) -> None:
    """Transliterate standard input to standard output, line for line."""
    # Read bytes and decode as UTF-8 ourselves: the console's locale may not be UTF-8.
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read().decode("utf-8", errors="replace") if stream is not None else sys.stdin.read()
    for line in data.splitlines(keepends=True):
        # Keep each line's own ending so empty lines and the last line come out as they went in.
        body = line.rstrip("\r\n")
        click.echo(transliterate(body, script) + line[len(body) :], nl=False)


@text_cli.command("deadline", with_appcontext=False)
@click.argument("text")
@click.option("--year", type=int, default=None, help="Year to use when the text has none (the plan year).")
@click.option(
    "--from",
    "reference",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help=(
        "Date relative terms count from (the plan's approval date, the decree's or the meeting's "
        "date): '15 кун ичида' is due 15 days after it. Without --year, its year is the year "
        "for texts that leave it out."
    ),
)
def deadline_command(text: str, year: int | None, reference: datetime | None) -> None:
    """Print the deadline(s) in TEXT as JSON: one object, or a list when there are several.

    Each object has text, kind, start, due, recurrence (an RFC 5545 RRULE) and term (an ISO 8601
    duration such as P1M for relative deadlines). See docs/deadlines.md for the grammar.
    """
    result = parse_deadline(text, default_year=year, reference=reference.date() if reference else None)
    data = [d.to_json() for d in result] if isinstance(result, list) else result.to_json()
    click.echo(json.dumps(data, ensure_ascii=False))


@text_cli.command("basis", with_appcontext=False)
@click.argument("text")
def basis_command(text: str) -> None:
    """Print the legal acts referenced in TEXT as a JSON list."""
    click.echo(json.dumps([a.to_json() for a in parse_legal_basis(text)], ensure_ascii=False))
