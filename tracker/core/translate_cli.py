"""``flask translate extract|update|compile|check``: a thin wrapper around pybabel."""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LOCALES = ("uz_Latn", "uz_Cyrl", "ru", "en")

translate_cli = AppGroup("translate", help="Translation catalogs (pybabel).")


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> None:
    _pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--no-location",
        "--sort-output",
        "--project",
        "tracker",
        "-o",
        str(TEMPLATE),
        str(ROOT / "tracker"),
        str(ROOT / "templates"),
    )


def catalog_problems(locale: str) -> list[str]:
    """Untranslated and fuzzy entries of one catalog, as readable lines."""
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return [f"{locale}: catalog missing ({path})"]
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy:
            problems.append(f"{locale}: fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"{locale}: untranslated: {message.id!r}")
    return problems


@translate_cli.command("extract")
def extract_command() -> None:
    """Collect the UI strings into translations/messages.pot."""
    extract()


@translate_cli.command("update")
def update_command() -> None:
    """Extract, then merge new strings into every catalog (creating missing ones)."""
    extract()
    for locale in LOCALES:
        if (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").exists():
            _pybabel(
                "update", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", locale, "--no-fuzzy-matching"
            )
        else:
            _pybabel("init", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", locale)


@translate_cli.command("compile")
def compile_command() -> None:
    """Compile the catalogs into .mo files (done at setup; .mo files are not committed)."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


@translate_cli.command("check")
def check_command() -> None:
    """Fail when any catalog has an untranslated or fuzzy entry."""
    problems = [p for locale in LOCALES for p in catalog_problems(locale)]
    for line in problems[:50]:
        click.echo(line, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} catalog problem(s)")
    click.echo("All catalogs complete.")
