"""A report's layout leaves nothing behind: no garbage in the collector's older generations, and
the C heap's free pages given back (issue 17: every web worker and layout helper grew by ~38 MiB
with each large report)."""

from __future__ import annotations

import gc
import platform

import pytest

from tests.reports.test_report_speed_paths import status_data
from tracker.core import collector
from tracker.reports.engine import write_pdf
from tracker.reports.render import render_html


def _in_older_generations() -> int:
    return len(gc.get_objects(1)) + len(gc.get_objects(2))


def test_a_laid_out_document_is_freed_with_the_young_generation(app):
    with app.app_context():
        html = render_html("reports/status.html", status_data(40))
    write_pdf(html)  # fonts, caches and the like are made once
    gc.collect()
    before = _in_older_generations()
    for _ in range(3):
        assert write_pdf(html).startswith(b"%PDF")
    # Paused apart for the layout and the writing, the collection between them moved each live
    # document (~12,400 objects here) to an older generation, where it stayed as garbage.
    assert _in_older_generations() - before < 1_000


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_free_memory_is_given_back_through_glibc():
    assert collector._malloc_trim() is not None
    collector.give_back_free_memory()  # and it does not fail
