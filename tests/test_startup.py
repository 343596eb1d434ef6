"""Start-up stays lean: building the app imports neither Alembic nor APScheduler (issue 17);
the ``flask db`` commands still work, binding Flask-Migrate when one of them runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("alembic", "flask_migrate", "apscheduler", "openpyxl", "docx")

PROBE = """
import json, sys
from tracker import create_app
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1], "SECRET_KEY": "x" * 32})
print(json.dumps(sorted(name for name in %r if name in sys.modules)))
"""


def test_building_the_app_imports_no_migration_or_scheduler_library(tmp_path):
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


def test_flask_db_commands_are_there_when_asked_for(app):
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["db", "--help"])
    assert listing.exit_code == 0, listing.output
    assert "upgrade" in listing.output and "downgrade" in listing.output
    current = runner.invoke(args=["db", "current"])
    assert current.exit_code == 0, current.output
    assert app.extensions["migrate"].directory.endswith("migrations")
