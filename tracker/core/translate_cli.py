"""``flask translate extract|update|compile|check``: a thin wrapper around pybabel."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

import click
from babel.messages.catalog import Message
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


def extract(output: Path = TEMPLATE) -> None:
    keywords = ["-k", "_l", "-k", "lazy_gettext"]
    options = ["-F", str(ROOT / "babel.cfg"), *keywords, "--no-location", "--sort-output"]
    _pybabel(
        "extract",
        *options,
        "--project",
        "tracker",
        "-o",
        str(output),
        str(ROOT / "tracker"),
        str(ROOT / "templates"),
    )


def _ids(catalog: Iterable[Message]) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def code_message_ids() -> set[str]:
    """Every message id the code and templates use now (freshly extracted; the .pot is untouched)."""
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "messages.pot"
        extract(template)
        with template.open("rb") as handle:
            return _ids(read_po(handle))


def catalog_problems(locale: str, expected_ids: set[str] | None = None) -> list[str]:
    """Untranslated and fuzzy entries of one catalog, and code strings it lacks, as readable lines."""
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
    present = _ids(catalog)
    problems += [
        f"{locale}: missing (run flask translate update): {i!r}"
        for i in sorted((expected_ids or set()) - present)
    ]
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
    """Fail when any catalog lacks a string of the code, or has an untranslated or fuzzy entry."""
    expected = code_message_ids()
    problems = [p for locale in LOCALES for p in catalog_problems(locale, expected)]
    for line in problems[:50]:
        click.echo(line, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} catalog problem(s)")
    click.echo("All catalogs complete.")
