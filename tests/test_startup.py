"""Start-up stays lean (issue 17): building the app imports neither Alembic nor APScheduler nor
the command groups' modules; ``flask --help`` lists the commands without building the app's
database, models or pages; the ``flask db`` commands still work, binding Flask-Migrate when one
of them runs. No timing here: bench/report_speed.py prints the figures."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

from tracker import COMMAND_GROUPS

ROOT = Path(__file__).resolve().parent.parent
HEAVY = (
    "alembic",
    "flask_migrate",
    "apscheduler",
    "openpyxl",
    "docx",
    "weasyprint",
    "babel.messages.frontend",  # `flask translate` only
    # the API's models: imported by the first API request that reads a body or the OpenAPI document
    "pydantic",
    "tracker.api.schemas",
    "tracker.api.workflow_schemas",
    # the command groups are imported when one of their commands runs (tracker.core.lazy_cli)
    "tracker.reports.cli",
    "tracker.imports.cli",
    "tracker.core.translate_cli",
    "tracker.demo.cli",
    "tracker.text.cli",
)
#: What `flask --help` must not import: the database, the models, the pages, the API schemas.
NOT_FOR_HELP = (
    *HEAVY,
    "sqlalchemy",
    "flask_sqlalchemy",
    "flask_babel",
    "flask_wtf",
    "tracker.models",
)

PROBE = """
import json, sys
from tracker import create_app
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1], "SECRET_KEY": "x" * 32})
print(json.dumps(sorted(name for name in %r if name in sys.modules)))
"""


def test_building_the_app_imports_no_library_only_some_requests_or_commands_need(tmp_path):
    env = {**os.environ, "TRACKER_SCHEDULER": "embedded"}
    result = subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", PROBE % (HEAVY,), str(tmp_path / "probe.db")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


FLASK_HELP = """
import json, sys
from flask.cli import main
sys.argv = ["flask", "--help"]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(name for name in %r if name in sys.modules)))
"""


def _run(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )


def test_flask_help_lists_every_group_without_building_the_app(tmp_path):
    result = _run(FLASK_HELP % (NOT_FOR_HELP,), env={"DATABASE_URL": f"sqlite:///{tmp_path / 'help.db'}"})
    *listing, imported = result.stdout.strip().splitlines()
    assert json.loads(imported) == []
    text = "\n".join(listing)
    for name, help_line, _module, _attribute in COMMAND_GROUPS:
        assert f"  {name} " in text and help_line in text
    assert "  db " in text and "Perform database migrations." in text


def test_the_listed_help_lines_are_the_groups_own(app):
    for name, help_line, module, attribute in COMMAND_GROUPS:
        real = getattr(importlib.import_module(module), attribute)
        assert real.name == name and real.help == help_line
    assert set(app.cli.list_commands(None)) >= {name for name, *_rest in COMMAND_GROUPS}


def test_a_lazy_group_runs_its_commands_and_shows_its_own_help(app):
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["plans", "--help"])
    assert listing.exit_code == 0, listing.output
    # the publishing commands of tracker.open are added to the plans group when it is loaded
    assert all(command in listing.output for command in ("import", "export", "publish", "unpublish"))
    shown = runner.invoke(args=["text", "translit", "--to", "latn"], input="Тошкент\n")
    assert shown.exit_code == 0, shown.output
    assert "Toshkent" in shown.output


def test_flask_routes_sees_the_whole_url_map(tmp_path):
    """Commands other than the bare listing get the whole app (here: every blueprint's routes)."""
    code = "import sys\nfrom flask.cli import main\nsys.argv = ['flask', 'routes']\nmain()"
    result = subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'routes.db'}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "/api/v1/" in result.stdout and "/plans/" in result.stdout


def test_flask_db_commands_are_there_when_asked_for(app):
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["db", "--help"])
    assert listing.exit_code == 0, listing.output
    assert "upgrade" in listing.output and "downgrade" in listing.output
    current = runner.invoke(args=["db", "current"])
    assert current.exit_code == 0, current.output
    assert app.extensions["migrate"].directory.endswith("migrations")
