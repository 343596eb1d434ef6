"""The files a report may load (its stylesheets and fonts) and their digest; no WeasyPrint here.

Kept apart from :mod:`tracker.reports.engine` so that the web and CLI processes can key the
cache and serve cached PDFs without importing WeasyPrint.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version
from pathlib import Path

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"
#: The only folders a report may load from: its stylesheet and its fonts.
ALLOWED_FOLDERS = ("css", "fonts")
#: Relative URLs in report templates resolve against this ("css/report.css").
BASE_URL = STATIC_ROOT.as_uri() + "/"


@cache
def renderer_version() -> str:
    """Bumped when the rendering changes in a way the HTML does not show (part of the cache key).

    The installed WeasyPrint's version is read from its package metadata, not by importing it.
    """
    return f"1/weasyprint-{version('weasyprint')}"


@cache
def assets_digest() -> str:
    """SHA-256 over the stylesheets and fonts a report may load (part of the cache key)."""
    digest = hashlib.sha256(renderer_version().encode())
    for folder in ALLOWED_FOLDERS:
        for path in sorted((STATIC_ROOT / folder).glob("report*")) + sorted(
            (STATIC_ROOT / folder).glob("*.ttf")
        ):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
