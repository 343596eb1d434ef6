"""Report tests: PDFs go to a temporary folder, jobs run only when a test runs them."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(autouse=True)
def report_settings(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "reports"
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(folder))
    monkeypatch.setitem(app.config, "REPORTS_WORKER", "off")
    monkeypatch.setitem(app.config, "REPORTS_BACKGROUND_THRESHOLD", 100)
    return folder


def pdf_text(pdf: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    """The text of a PDF as pdftotext reads it (pages separated by form feeds)."""
    source = tmp_path / "read.pdf"
    source.write_bytes(pdf)
    args = ["/usr/bin/pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(source), "-"]
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")  # noqa: S603


@pytest.fixture
def read_pdf(tmp_path: Path) -> Callable[..., str]:
    def read(pdf: bytes, **kwargs: Any) -> str:
        return pdf_text(pdf, tmp_path, **kwargs)

    return read


def page_count(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def row_numbers(layout_text: str) -> list[str]:
    """The numbers of the first column ("12."), in order, from ``pdftotext -layout``."""
    return re.findall(r"(?m)^\s{0,6}(\d+(?:\.\d+)?)\.\s", layout_text)
