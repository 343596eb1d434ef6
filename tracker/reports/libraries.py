"""WeasyPrint imported without its library search: ~0.12 s of every process that lays out a report.

WeasyPrint loads GObject, Pango, HarfBuzz and Fontconfig by trying several names for each
library (for Linux, macOS and Windows) with cffi's ``ffi.dlopen``, and each name that is not
found as a file costs a ``ctypes.util.find_library`` call. On Linux that runs ``ldconfig -p``
and, when that finds nothing, ``gcc`` and ``ld``: 22 ``ldconfig``, 16 ``gcc`` and ~150 process
starts in all, 0.12 s of the 0.35 s import on the development machine (WeasyPrint issue #1125).
Every list ends with the library's Linux soname (``libpango-1.0.so.0``), which the dynamic loader
finds by itself, as it finds any library a program links to.

So on Linux, while this thread imports WeasyPrint, ``find_library`` answers "not found" at once
and each library is loaded by its soname: the same file the search would have named. Should that
fail (a system where only the search finds them), the import is done again the usual way.
Other threads keep the real ``find_library`` meanwhile.
"""

from __future__ import annotations

import ctypes.util
import importlib
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

_importing = threading.Lock()


@contextmanager
def no_library_search() -> Iterator[None]:
    """``ctypes.util.find_library`` finds nothing in this thread (and only here) until the end."""
    original = ctypes.util.find_library
    this_thread = threading.get_ident()

    def find_library(name: str) -> str | None:
        if threading.get_ident() == this_thread:
            return None  # cffi then reports the name as missing and WeasyPrint tries the next
        return original(name)

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint(name: str = "weasyprint") -> ModuleType:
    """The ``weasyprint`` module (``name``: another package, for the tests), imported quickly."""
    with _importing:  # one swap of find_library at a time
        if name not in sys.modules and sys.platform == "linux":
            try:
                with no_library_search():
                    return importlib.import_module(name)
            except OSError:
                # A library only the search finds: forget the half-done import and do it as usual.
                for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
                    del sys.modules[module]
        return importlib.import_module(name)
