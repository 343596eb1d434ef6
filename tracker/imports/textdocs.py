"""Documents of running text (proposals, minutes): .txt files, pasted text, Word files without a table.

A table import reads cells (:mod:`tracker.imports.readers`); these shapes are read line by line
instead. A Word paragraph is a line (a manual line break inside it starts another), so a line
number in a message is the paragraph's number in Word, and the line's number in a .txt file.
The same safety checks apply: size limit, zip-bomb and strict-XML checks for .docx.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

from flask_babel import gettext as _

from tracker.core.errors import InvalidInput
from tracker.imports import readers, safety

#: The name a pasted text is given in messages and the audit trail.
PASTED_NAME = "pasted.txt"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Line:
    #: 1-based line (or Word paragraph) number, for messages.
    number: int
    text: str


@dataclass(frozen=True)
class IncomingSource:
    """The uploaded file as it came, kept with what it became (the minutes of a meeting)."""

    filename: str
    data: bytes


@dataclass
class TextDocument:
    filename: str
    format: str
    lines: list[Line]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def is_text_file(filename: str) -> bool:
    return os.path.splitext(filename.lower())[1] == ".txt"


def is_running_text(filename: str, data: bytes) -> bool:
    """A .txt file, or a Word file without a table: a proposal or minutes, not a table import."""
    if is_text_file(filename):
        return True
    if os.path.splitext(filename.lower())[1] != ".docx" or not data or len(data) > readers.max_upload_bytes():
        return False
    safety.check_zip(filename, data, "docx")  # same package: one zip-bomb and XML check
    return not docx_has_table(data)


def docx_has_table(data: bytes) -> bool:
    """Whether a (checked) Word file holds a table, i.e. is a table import."""
    import docx

    body = docx.Document(io.BytesIO(data)).element.body
    return any(child.tag == f"{_W}tbl" for child in body.iterchildren())


def lines_of_text(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    return [Line(number, raw.rstrip()) for number, raw in enumerate(text.split("\n"), start=1)]


def read_text_document(filename: str, data: bytes) -> TextDocument:
    """The lines of a .txt or table-less .docx file. Raises :class:`InvalidInput`."""
    limit = readers.max_upload_bytes()
    if len(data) > limit:
        raise InvalidInput(
            _("“%(name)s” is too large: at most %(mb)s MB.", name=filename, mb=round(limit / 1048576))
        )
    if not data.strip():
        raise InvalidInput(_("“%(name)s” is empty.", name=filename))
    if is_text_file(filename):
        if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
            raise InvalidInput(_("“%(name)s” is not a UTF-8 text file.", name=filename))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput(_("“%(name)s” is not a UTF-8 text file.", name=filename)) from None
        return TextDocument(filename, "txt", lines_of_text(text))
    readers.format_of(filename)
    safety.check_zip(filename, data, "docx")  # same package: one zip-bomb and XML check
    return TextDocument(filename, "docx", _docx_lines(data))


def _docx_lines(data: bytes) -> list[Line]:
    import docx

    body = docx.Document(io.BytesIO(data)).element.body
    texts: list[str] = []
    for paragraph in body.iter(f"{_W}p"):
        texts.extend(readers.paragraph_text(paragraph).split("\n"))
    return [Line(number, text.rstrip()) for number, text in enumerate(texts, start=1)]
