"""The text of one cell: page-break pieces joined, normalised, a status word read, "1. … 2. …" split."""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.core.status import Status
from tracker.uzbek import normalise, search_key
from tracker.uzbek.normalise import strip_html

# -- cell text ----------------------------------------------------------------------------------


def plain_text(raw: str) -> str:
    """HTML removed, lines stripped, blank lines dropped (paragraphs stay on their own lines)."""
    lines = [line.strip() for line in strip_html(raw or "").replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


_OPENS_PARAGRAPH = re.compile(r"^\s*<p\b", re.IGNORECASE)
_BROKEN_WORD = re.compile(r"\w-$")


def join_pieces(above: str, raw_piece: str) -> str:
    """Join a cell continued after a page break to the text above it.

    No space after a word broken by a hyphen ("IT-" + "технологиялар"); a new line when the
    piece opens a paragraph and the text above ends a sentence; one space otherwise.
    """
    piece = plain_text(raw_piece)
    if not above:
        return piece
    if not piece:
        return above
    if _BROKEN_WORD.search(above) and piece[0].islower():
        return above + piece
    if _OPENS_PARAGRAPH.match(raw_piece) and above[-1] in ".;:!?":
        return above + "\n" + piece
    return above + " " + piece


@lru_cache(maxsize=4096)  # legal bases, deadlines and unit names repeat down a table
def clean(text: str | None) -> str | None:
    """The cell's text normalised (tracker.uzbek.normalise); None when nothing is left."""
    if not text:
        return None
    return normalise(text) or None


def one_line(text: str | None) -> str | None:
    cleaned = clean(text)
    return re.sub(r"\s*\n\s*", " ", cleaned) if cleaned else None


# -- statuses -----------------------------------------------------------------------------------

_STATUS_WORDS: tuple[tuple[str, Status], ...] = (
    ("bajarilmokda", Status.IN_PROGRESS),
    ("ijrosi taminlanmokda", Status.IN_PROGRESS),
    ("bajarildi", Status.DONE),
    ("ijro etildi", Status.DONE),
    ("boshlanmagan", Status.NOT_STARTED),
    ("bekor kilindi", Status.CANCELLED),
    ("tekshiruvda", Status.IN_PROGRESS),
    ("kaytarildi", Status.IN_PROGRESS),
    ("ispolnyayetsya", Status.IN_PROGRESS),
    ("v protsesse", Status.IN_PROGRESS),
    ("ispolneno", Status.DONE),
    ("vipolneno", Status.DONE),
    ("ne nachato", Status.NOT_STARTED),
    ("otmeneno", Status.CANCELLED),
    ("in progress", Status.IN_PROGRESS),
    ("done", Status.DONE),
    ("not started", Status.NOT_STARTED),
    ("cancelled", Status.CANCELLED),
)


def status_from_word(text: str | None) -> Status | None:
    """The status a note starts with ("Бажарилди. …" → done), or a status cell's word or code."""
    if not text:
        return None
    stripped = text.strip().lower()
    if stripped in {s.value for s in Status}:
        return Status(stripped) if stripped != Status.DONE_CLAIMED else Status.IN_PROGRESS
    key = search_key(text[:80])
    for word, status in _STATUS_WORDS:
        if key == word or key.startswith(word + " "):
            return status
    return None


# -- numbered mechanisms ------------------------------------------------------------------------

_ITEM_RE = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\.\s+(?=\S)")


def split_numbered(text: str) -> list[tuple[str, str]] | None:
    """ "1. … 2. … 3. …" (after an optional intro ending in ":") → [(number, text)], else None.

    The items must be numbered 1, 2, 3 … in order; dates ("27.11.2023") and numbers inside
    words are not item markers.
    """
    markers = []
    expected = 1
    for match in _ITEM_RE.finditer(text):
        if int(match.group(1)) == expected:
            markers.append(match)
            expected += 1
    if len(markers) < 2:
        return None
    intro = text[: markers[0].start()].strip()
    if intro and not intro.endswith(":"):
        return None
    items = []
    for index, match in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        body = text[match.end() : end].strip()
        if not body:
            return None
        items.append((match.group(1), body))
    return items


STEP_PREFIX = re.compile(r"^\s*(\d{1,3})\.\s+")
