"""Seed 004: every step's own status note is printed in its own row, in both scripts."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from tests.reports.conftest import pdf_text
from tracker.demo.loader import load_demo, load_fixture
from tracker.plans.models import Plan, PlanKind
from tracker.plans.snapshot_load import in_script
from tracker.reports import services as report_services
from tracker.reports.data import ReportOptions, status_report
from tracker.reports.headings import HEADINGS, STATUS_WORDS
from tracker.reports.models import ReportKind

AS_OF = date(2022, 10, 4)
PAGE_NUMBER = re.compile(r"(?m)^\s*\d+\s*/\s*\d+\s*$")


@pytest.fixture
def roadmap(db: Any) -> Plan:
    load_demo()
    db.session.commit()
    return db.session.scalars(select(Plan).where(Plan.kind == PlanKind.ROADMAP)).one()


def words(text: str) -> list[str]:
    """Words split at spaces and hyphens, without punctuation at their ends."""
    text = PAGE_NUMBER.sub(" ", text)
    cleaned = (w.strip(".,;:()“”\"'«»/") for w in re.split(r"[\s\-–/]+", text))
    return [w for w in cleaned if w]


def contains_in_order(haystack: list[str], needle: list[str], gap: int = 40, upto: int = 12) -> bool:
    """The words of ``needle`` in order, with fewer than ``gap`` others between two of them
    (pdftotext may interleave the lines of two neighbouring cells that share a baseline). A word
    broken at a hyphen at a line end comes out joined with the next ("2022-" "yillarda" →
    "2022yillarda"): it stands for both. Only the first ``upto`` words need be found."""
    for start in (i for i, word in enumerate(haystack) if word == needle[0]):
        position, index = start, 0
        while index < min(len(needle), upto):
            window = haystack[position : position + gap]
            word = needle[index]
            joined = word + needle[index + 1] if index + 1 < len(needle) else None
            if word in window:
                position += window.index(word) + 1
                index += 1
            elif joined in window:
                position += window.index(joined) + 1
                index += 2
            else:
                break
        else:
            return True
    return False


def _halves(word: str, wanted: Counter[str] | set[str]) -> tuple[str, str] | None:
    return next(
        ((word[:i], word[i:]) for i in range(1, len(word)) if word[:i] in wanted and word[i:] in wanted), None
    )


def missing_words(needed: Counter[str], haystack: list[str]) -> Counter[str]:
    """Words of ``needed`` not printed. A word broken at a hyphen at a line end comes out
    joined ("ochiq-" "maʼlumotlar" → "ochiqmaʼlumotlar"): such a word counts as its halves."""
    printed: Counter[str] = Counter()
    for word in haystack:
        halves = None if word in needed else _halves(word, needed)
        printed.update(halves or [word])
    missing = needed - printed
    for word, surplus in (printed - needed).items():  # "ma-" "lumotlar" → "malumotlar", a word itself
        halves = _halves(word, +missing)
        for _ in range(surplus if halves else 0):
            if missing[halves[0]] and missing[halves[1]]:
                missing.subtract(halves)
    return +missing


def expected_notes(script: str) -> list[tuple[str, str]]:
    """(row, note without its leading status word) for every step, and every measure without steps."""
    fixture = load_fixture("open_data_roadmap_2021")
    notes = []
    for measure in fixture["measures"]:
        for item, row in [(s, f"{measure['number']}.{s['number']}") for s in measure.get("steps", [])] or [
            (measure, measure["number"])
        ]:
            note = in_script(item["status_note"], script)
            for word in STATUS_WORDS[script].values():
                if note.startswith(word):
                    note = note[len(word) :]
            notes.append((row, note))
    return notes


@pytest.mark.parametrize("script", ["cyrl", "latn"])
def test_every_step_note_of_seed_004_is_in_the_status_pdf(roadmap, tmp_path, script):
    options = ReportOptions(as_of=AS_OF, script=script)
    job = report_services.ReportRequest(ReportKind.STATUS, roadmap.organization_id, roadmap.id, options)
    raw = pdf_text(report_services.build_report(job).path.read_bytes(), tmp_path)
    printed = words(raw)

    notes = expected_notes(script)
    assert len(notes) == 4 + 12  # measures 1, 2, 5, 7 have no steps; 12 steps in 3, 4, 6 and 8
    for row, note in notes:
        # each note opens where its row is, in order
        assert contains_in_order(printed, words(note)), (row, words(note)[:12])
    # and every word of every note is printed: the notes' words together are all in the PDF
    needed = Counter(word for _row, note in notes for word in words(note))
    assert missing_words(needed, printed) == Counter()
    # the roadmap's own table heading: "Т/р | Чора-тадбир номи | … | Ижро ҳолати"
    flat = " ".join(raw.split())
    assert all(HEADINGS[script][k] in flat for k in ("roadmap_no", "measure", "deadline", "status"))


@pytest.mark.parametrize("script", ["cyrl", "latn"])
def test_no_cell_holds_two_status_words(roadmap, script):
    data = status_report(roadmap, ReportOptions(as_of=AS_OF, script=script))
    status_words = set(STATUS_WORDS[script].values())
    lines = [line for row in data["rows"] for line in row["lines"]]
    assert len(lines) == 16
    for line in lines:
        opening = words(line["note_rest"])[:1]
        assert not status_words & set(opening), line
    # item 3: its sub-rows done, done, in progress, each with its own word; the measure is in progress
    item = next(r for r in data["rows"] if r["number"] == "3")
    words_of_3 = [line["status_word"] for line in item["lines"]]
    assert words_of_3 == [STATUS_WORDS[script][s] for s in ("done", "done", "in_progress")]
    assert item["status"] == "in_progress" and not item["overdue"]
