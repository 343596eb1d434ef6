"""Start-up, the last row of issue 17's table: a fresh process that builds the app, beside the
floor under it, the same fresh process importing only the third-party modules the app loads.

    .venv/bin/python bench/startup.py [--repeat 9]

The floor is what no change to tracker can remove: Python itself and the fixed stack (Flask,
SQLAlchemy, Jinja, Werkzeug, WTForms, Babel, pydantic, …), imported in the order the app imports
them. ``bench/report_speed.py`` prints both with its other rows. Compile the bytecode first
(report_speed does): without ``__pycache__`` each process compiles tracker's modules again.
Figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
#: A fresh process building the app, as gunicorn's workers and every ``flask`` command do.
BUILD_APP = "from tracker import create_app; create_app()"
#: Prints the third-party modules a built app has loaded, in the order they were imported.
_LIST_LIBRARIES = """
import sys
from tracker import create_app
create_app()
ours = ("tracker", "config", "wsgi", "__main__", "__editable__")
for name in sys.modules:
    top = name.split(".")[0]
    if top not in sys.stdlib_module_names and not top.startswith(ours):
        print(name)
"""
#: Imports the given modules, skipping any that cannot be imported on their own (aliases), with
#: the cycle collector handled as ``create_app`` handles it: paused while the modules load (its
#: passes over the new objects cost ~0.1 s), then the survivors frozen (without that, the last
#: collection at exit walks them all: ~0.2 s that the app's own process does not spend).
_IMPORT_LIBRARIES = """
import gc, importlib, sys
gc.disable()
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception:
        pass
gc.freeze()
"""


def _seconds(arguments: list[str], env: dict[str, str] | None) -> float:
    start = time.perf_counter()
    subprocess.run([PYTHON, *arguments], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - start


def libraries(env: dict[str, str] | None = None) -> list[str]:
    """The third-party modules a freshly built app holds (the stack's part of its start)."""
    out = subprocess.run(  # noqa: S603
        [PYTHON, "-c", _LIST_LIBRARIES], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.split()


def app_start(
    repeat: int, env: dict[str, str] | None = None, modules: list[str] | None = None
) -> tuple[float, float]:
    """Median seconds of a fresh process building the app, and of one importing only its
    third-party ``modules`` (default: :func:`libraries`), measured alternately ``repeat`` times each."""
    modules = modules if modules is not None else libraries(env)
    builds, floors = [], []
    for _ in range(repeat):
        builds.append(_seconds(["-c", BUILD_APP], env))
        floors.append(_seconds(["-c", _IMPORT_LIBRARIES, *modules], env))
    return statistics.median(builds), statistics.median(floors)


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    modules = libraries(env)
    build, floor = app_start(args.repeat, env, modules)
    print(f"third-party modules the app loads: {len(modules)}")
    print(f"a process building the app      {build:6.3f} s (median of {args.repeat}; goal < 0.5 s)")
    print(f"the same, the libraries alone   {floor:6.3f} s (Python and the fixed stack: the floor)")
    print(f"tracker's own share             {build - floor:6.3f} s")


if __name__ == "__main__":
    main()
