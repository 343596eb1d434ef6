"""Lean processes: no WeasyPrint until a report is laid out, no library chatter, helpers that go away."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.reports import layout_pool

ROOT = Path(__file__).resolve().parent.parent.parent

FLASK_HELP = """
import sys
from flask.cli import main
sys.argv = ["flask", "--help"]
try:
    main()
except SystemExit:
    pass
heavy = {"weasyprint", "pypdf", "fontTools", "pydyf"}
print("HEAVY:", sorted({m.split(".")[0] for m in sys.modules} & heavy))
"""

RENDER_ONE = """
from tracker import create_app
from tracker.reports.render import render_pdf
app = create_app()
with app.app_context():
    pdf = render_pdf("reports/status.html", {"kind": "status", "lang": "uz", "h": {}, "rows": [],
                                            "columns": [], "title": "Sinov"})
print("PDF", pdf[:5].decode())
"""


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FLASK_APP", "LOG_LEVEL")}
    env["REPORTS_LAYOUT_SHARED"] = "0"  # no shared helper left waiting for a next report after the test
    return subprocess.run(  # noqa: S603 (our interpreter, our code)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_flask_help_imports_no_weasyprint():
    result = _python(FLASK_HELP)
    assert result.returncode == 0, result.stderr
    assert "reports" in result.stdout  # the app was loaded: its commands are listed
    assert "HEAVY: []" in result.stdout, result.stdout


def test_a_report_built_in_a_fresh_process_logs_no_library_steps():
    """The root logger was at INFO: WeasyPrint printed "Step 1 - Fetching …" for every report."""
    result = _python(RENDER_ONE)
    assert result.returncode == 0, result.stderr
    assert "PDF %PDF-" in result.stdout
    assert "Step" not in result.stderr and "weasyprint" not in result.stderr.lower(), result.stderr


@pytest.fixture
def no_helpers():
    layout_pool.stop_workers()
    yield
    layout_pool.stop_workers()


def test_a_layout_helper_exits_when_idle_and_is_replaced(no_helpers):
    (helper,) = layout_pool.workers(1, idle_seconds=1)
    pdf = helper.pdf(
        '<!doctype html><html><head><link rel="stylesheet" href="css/report.css"></head>'
        "<body><p>Ижро ҳолати</p></body></html>"
    )
    assert pdf.startswith(b"%PDF")
    assert helper.process.wait(timeout=120) == 0  # it left on its own, no one closed its stdin
    assert layout_pool.running() == []
    (replacement,) = layout_pool.workers(1, idle_seconds=1)
    assert replacement is not helper and replacement.alive()


def test_a_helper_close_to_its_idle_end_is_not_handed_work(no_helpers, monkeypatch):
    (helper,) = layout_pool.workers(1, idle_seconds=30)
    monkeypatch.setattr(helper, "last_used", helper.last_used - 29)  # as if idle for 29 s
    (fresh,) = layout_pool.workers(1, idle_seconds=30)
    assert fresh is not helper and not helper.alive()


def test_pypdf_is_a_runtime_dependency():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(dep.startswith("pypdf") for dep in project["dependencies"])


#: A layout helper whose interpreter would say so at its teardown.
HELPER_THAT_TELLS = """
import atexit, sys
atexit.register(lambda: print("torn down", file=sys.stderr, flush=True))
from tracker.reports import layout_pool
layout_pool.main(["layout_pool", "60"])
"""


def test_a_helper_whose_stdin_closes_ends_without_the_interpreter_teardown():
    """The caller waits for a helper to end (a one-shot CLI, a stopping worker): no tearing down
    WeasyPrint's modules and objects first."""
    helper = subprocess.Popen(  # noqa: S603 (our interpreter, our snippet)
        [sys.executable, "-c", HELPER_THAT_TELLS],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    stdout, stderr = helper.communicate(timeout=120)  # closes stdin at once
    assert helper.returncode == 0, stderr
    assert stdout == layout_pool.READY  # warm, then nothing more was asked
    assert b"torn down" not in stderr
