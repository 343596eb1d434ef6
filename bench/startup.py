"""Start-up, the last row of issue 17's table: a fresh process that builds the app, beside two
floors under it: the same fresh process importing only the third-party modules the app loads,
and one importing only the stack the brief fixes (Flask, Flask-SQLAlchemy, Flask-Login,
Flask-WTF, Flask-Babel) with the PostgreSQL driver.

    .venv/bin/python bench/startup.py [--repeat 9] [--python OTHER_VENV/bin/python] [--instructions]

The first floor is what no change to tracker's own code can remove (the libraries it uses,
pydantic and Babel's data included, imported in the order the app imports them); the second is
what no application on this stack can go under. It also prints the interpreter and the time of a
fixed pure-Python loop on it, so that figures from different hosts, days or interpreters can be
compared. ``bench/report_speed.py`` prints all of these with its other rows. Compile the
bytecode first (report_speed does): without ``__pycache__`` each process compiles tracker's
modules again. Figures only; nothing here asserts a time.

``--instructions`` also counts the machine instructions of the same three processes under
valgrind's callgrind (one run each, ~2 minutes in all). Seconds on a shared host moved by 20–30 %
within an hour; the count moves by ~0.3 % whatever the host is doing (the hash seed fixed), so
two versions of the code compare on it where their seconds cannot.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

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


#: A fixed piece of pure Python: its time says how fast this machine runs this interpreter, so
#: figures taken on different days, hosts or interpreters can be compared (an interpreter built
#: without profile-guided optimisation, as pyenv builds by default, ran it ~20 % slower here).
_REFERENCE_LOOP = """
import sys, time
started = time.perf_counter()
total = 0
for i in range(10_000_000):
    total += i
print(time.perf_counter() - started, sys.version.split()[0], sys.base_prefix)
"""


def interpreter(repeat: int = 5, env: dict[str, str] | None = None) -> str:
    """Which Python the benches run, and the median seconds of :data:`_REFERENCE_LOOP` on it."""
    runs = [_output(_REFERENCE_LOOP, env).split() for _ in range(repeat)]
    loops = [float(seconds) for seconds, _version, _prefix in runs]
    _loop, version, prefix = runs[0]
    return (
        f"Python {version} from {prefix}; reference loop (10,000,000 additions) "
        f"{statistics.median(loops):.2f} s ({min(loops):.2f}–{max(loops):.2f})"
    )


def _seconds(arguments: list[str], env: dict[str, str] | None) -> float:
    start = time.perf_counter()
    subprocess.run([PYTHON, *arguments], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - start


def _output(code: str, env: dict[str, str] | None) -> str:
    """What a fresh interpreter running ``code`` prints."""
    return subprocess.run(  # noqa: S603
        [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def libraries(env: dict[str, str] | None = None) -> list[str]:
    """The third-party modules a freshly built app holds (the stack's part of its start)."""
    return _output(_LIST_LIBRARIES, env).split()


#: The stack the brief fixes (Flask, Flask-SQLAlchemy and SQLAlchemy's ORM, Flask-Login, Flask-WTF,
#: Flask-Babel) and the PostgreSQL driver, without anything tracker chose: what every process of
#: any application on this stack imports before its own first line runs.
FIXED_STACK = [
    "flask",
    "flask_sqlalchemy",
    "sqlalchemy.orm",
    "flask_login",
    "flask_wtf",
    "flask_babel",
    "psycopg",
]


class Start(NamedTuple):
    """Median seconds of three fresh processes, measured alternately."""

    app: float  #: building the app
    libraries: float  #: importing only the third-party modules the app loads
    fixed_stack: float  #: importing only :data:`FIXED_STACK`


def app_start(repeat: int, env: dict[str, str] | None = None, modules: list[str] | None = None) -> Start:
    """A fresh process building the app, beside its two floors: one importing only its third-party
    ``modules`` (default: :func:`libraries`) and one importing only the fixed stack."""
    modules = modules if modules is not None else libraries(env)
    builds, floors, stacks = [], [], []
    for _ in range(repeat):
        builds.append(_seconds(["-c", BUILD_APP], env))
        floors.append(_seconds(["-c", _IMPORT_LIBRARIES, *modules], env))
        stacks.append(_seconds(["-c", _IMPORT_LIBRARIES, *FIXED_STACK], env))
    return Start(statistics.median(builds), statistics.median(floors), statistics.median(stacks))


def instructions(arguments: list[str], env: dict[str, str] | None) -> int:
    """Machine instructions a fresh process runs (valgrind's callgrind, hash seed fixed)."""
    run = subprocess.run(  # noqa: S603
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", PYTHON, *arguments],  # noqa: S607
        cwd=ROOT,
        env={**(env if env is not None else os.environ), "PYTHONHASHSEED": "0"},
        check=True,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise RuntimeError(f"valgrind printed no count: {run.stderr[-500:]}")
    return int(found.group(1))


def start_instructions(env: dict[str, str] | None, modules: list[str]) -> Start:
    """:func:`app_start`'s three processes counted in instructions (billions) instead of seconds."""
    return Start(
        *(
            instructions(arguments, env) / 1e9
            for arguments in (
                ["-c", BUILD_APP],
                ["-c", _IMPORT_LIBRARIES, *modules],
                ["-c", _IMPORT_LIBRARIES, *FIXED_STACK],
            )
        )
    )


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--python", help="another virtualenv's interpreter, tracker installed in it")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind (apt-get install valgrind)")
    if args.python:
        global PYTHON  # noqa: PLW0603 (a script's setting, read by every function here)
        PYTHON = args.python
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    modules = libraries(env)
    start = app_start(args.repeat, env, modules)
    print(interpreter(env=env))
    print(f"third-party modules the app loads: {len(modules)}")
    print(f"a process building the app      {start.app:6.3f} s (median of {args.repeat}; goal < 0.5 s)")
    print(f"the same, the libraries alone   {start.libraries:6.3f} s (every library the app loads)")
    print(f"the same, the fixed stack alone {start.fixed_stack:6.3f} s ({', '.join(FIXED_STACK)})")
    print(f"tracker's own share             {start.app - start.libraries:6.3f} s")
    if args.instructions:
        counted = start_instructions(env, modules)
        print("instructions (billions; the same on a busy host, ~0.3 %):")
        print(f"  building the app {counted.app:.3f}, the libraries alone {counted.libraries:.3f}, ", end="")
        print(f"the fixed stack alone {counted.fixed_stack:.3f}; ", end="")
        print(f"tracker's own share {counted.app - counted.libraries:.3f}")


if __name__ == "__main__":
    main()
