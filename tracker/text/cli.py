"""``flask text``: transliteration, deadline and legal-basis parsing from the command line.

Register with ``app.cli.add_command(text_cli)``. No command needs an application context.
"""

from __future__ import annotations

import json
import sys

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
def deadline_command(text: str, year: int | None) -> None:
    """Print the deadline(s) in TEXT as JSON: one object, or a list when there are several."""
    result = parse_deadline(text, default_year=year)
    data = [d.to_json() for d in result] if isinstance(result, list) else result.to_json()
    click.echo(json.dumps(data, ensure_ascii=False))


@text_cli.command("basis", with_appcontext=False)
@click.argument("text")
def basis_command(text: str) -> None:
    """Print the legal acts referenced in TEXT as a JSON list."""
    click.echo(json.dumps([a.to_json() for a in parse_legal_basis(text)], ensure_ascii=False))
