"""WeasyPrint is imported without running ldconfig, gcc and ld for every name of its C libraries."""

from __future__ import annotations

import ctypes.util
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tracker.reports.libraries import import_weasyprint, no_library_search

ROOT = Path(__file__).resolve().parent.parent.parent

#: Imports ``sys.argv[1]`` in a fresh interpreter; prints the processes it started and the
#: text libraries it mapped.
IMPORT_AND_COUNT = """
import importlib, json, sys
started = []
sys.addaudithook(lambda event, args: started.append(str(args[0])) if event == "subprocess.Popen" else None)
importlib.import_module(sys.argv[1])
libraries = sorted({line.split()[-1] for line in open("/proc/self/maps")
                    if any(name in line for name in ("pango", "harfbuzz", "gobject", "fontconfig"))})
print(json.dumps({"started": started, "libraries": libraries}))
"""

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the shortcut is taken on Linux only")


def _import_in_fresh_process(module: str) -> dict[str, list[str]]:
    result = subprocess.run(  # noqa: S603 (our interpreter, our snippet)
        [sys.executable, "-c", IMPORT_AND_COUNT, module],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@linux_only
def test_the_report_engine_loads_weasyprint_without_starting_a_process():
    plain = _import_in_fresh_process("weasyprint")
    ours = _import_in_fresh_process("tracker.reports.engine")
    assert ours["started"] == []
    # The same files of Pango, HarfBuzz, GObject and Fontconfig as WeasyPrint's own search finds.
    assert ours["libraries"] == plain["libraries"]
    assert any("libpango-1.0.so" in path for path in ours["libraries"])
    if Path("/sbin/ldconfig").exists():  # where the search has something to run, it runs it
        assert any("ldconfig" in program for program in plain["started"])


def test_find_library_finds_nothing_in_the_importing_thread_only():
    original = ctypes.util.find_library
    seen_by_other_thread: list[str | None] = []
    with no_library_search():
        assert ctypes.util.find_library("c") is None
        other = threading.Thread(target=lambda: seen_by_other_thread.append(ctypes.util.find_library("c")))
        other.start()
        other.join()
    assert ctypes.util.find_library is original
    assert seen_by_other_thread == [original("c")]


@linux_only
def test_a_library_only_the_search_finds_is_imported_the_usual_way(tmp_path, monkeypatch):
    package = tmp_path / "needs_library_search"
    package.mkdir()
    (package / "__init__.py").write_text(
        "import ctypes.util\n"
        "from needs_library_search import part\n"
        "FOUND = ctypes.util.find_library('c')\n"
        "if FOUND is None:\n"
        "    raise OSError('cannot load library: c')\n"
    )
    runs = tmp_path / "part-runs.txt"
    (package / "part.py").write_text(f"with open({str(runs)!r}, 'a') as runs:\n    runs.write('run\\n')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        module = import_weasyprint("needs_library_search")
        assert module.FOUND  # the second import searched
        # the half-done first import was forgotten: its submodule ran again with the second
        assert runs.read_text().splitlines() == ["run", "run"]
        assert sys.modules["needs_library_search"] is module
    finally:
        for name in [m for m in sys.modules if m.startswith("needs_library_search")]:
            del sys.modules[name]
