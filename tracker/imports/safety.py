"""Refusing hostile Office files before python-docx or openpyxl read them.

A DOCX or XLSX must be a zip of the right kind, not a zip bomb, with well-formed XML that has no
DTD, no entities and no absurd element count or nesting. The merged ranges of each sheet are
collected on the way (openpyxl's streaming mode does not report them).
"""

from __future__ import annotations

import io
import zipfile

from flask_babel import gettext as _

from tracker.core.errors import InvalidInput

#: Zip-bomb limits: total unpacked size, entries, and how much one entry may expand.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_RATIO = 200
#: XML elements in all parts of one file, and their nesting: a 300-measure plan has ~100,000
#: elements; the cap keeps python-docx's tree of the largest accepted file near 150 MB.
MAX_XML_ELEMENTS = 1_000_000
MAX_XML_DEPTH = 100
#: Merged ranges read from one sheet, and the cells they may cover within the table's bounds.
MAX_MERGED_RANGES = 20_000

ZIP_MAGIC = b"PK\x03\x04"
_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"


def not_what_it_says(filename: str, kind: str) -> InvalidInput:
    return InvalidInput(
        _(
            "“%(name)s” is damaged or is not really a %(ext)s file. Open it in its program and save "
            "it again as %(ext)s.",
            name=filename,
            ext=kind.upper(),
        )
    )


_REQUIRED_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def check_zip(filename: str, data: bytes, kind: str) -> dict[str, list[str]]:
    """A real Office file of the right kind, not a zip bomb, with well-formed, DTD-free XML.

    Every XML part is read as a stream (nothing is kept), counting elements and nesting, so an
    XML bomb is refused before python-docx or openpyxl build a tree of it. Returns the merged
    ranges (``mergeCell``) found in each part, which openpyxl's streaming mode does not report.
    """
    if not data.startswith(ZIP_MAGIC):
        raise not_what_it_says(filename, kind)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_what_it_says(filename, kind) from None
    names = {e.filename for e in entries}
    if _REQUIRED_PART[kind] not in names:
        raise not_what_it_says(filename, kind)
    total = sum(e.file_size for e in entries)
    suspicious = len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNPACKED_BYTES
    suspicious = suspicious or any(
        e.file_size > 1024 * 1024 and e.file_size > MAX_RATIO * max(e.compress_size, 1) for e in entries
    )
    if suspicious:
        raise too_big(filename)
    budget = [MAX_XML_ELEMENTS]
    merges: dict[str, list[str]] = {}
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")):
            merges[entry.filename] = _scan_xml_part(filename, archive, entry, budget)
    return merges


def too_big(filename: str) -> InvalidInput:
    return InvalidInput(
        _("“%(name)s” unpacks to far more data than a plan can hold; it was refused.", name=filename)
    )


def _scan_xml_part(
    filename: str, archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: list[int]
) -> list[str]:
    """Stream one part: refuse a DTD, too many elements (shared ``budget``) or too deep nesting."""
    from lxml import etree  # on first upload: not at start-up

    merged: list[str] = []
    depth = 0
    try:
        with archive.open(entry) as handle:
            events = etree.iterparse(  # noqa: S320 (entities off, no DTD, no network)
                handle,
                events=("start", "end"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
            )
            for event, element in events:
                if event == "end":
                    depth -= 1
                    element.clear(keep_tail=False)
                    continue
                if depth == 0 and element.getroottree().docinfo.internalDTD is not None:
                    raise InvalidInput(
                        _(
                            "“%(name)s” contains XML declarations that are not allowed; it was refused.",
                            name=filename,
                        )
                    )
                depth += 1
                budget[0] -= 1
                if budget[0] < 0 or depth > MAX_XML_DEPTH:
                    raise too_big(filename)
                if element.tag == _MERGE_CELL and len(merged) < MAX_MERGED_RANGES:
                    merged.append(element.get("ref") or "")
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        raise InvalidInput(
            _(
                "“%(name)s” is damaged: its part %(part)s is not valid XML.",
                name=filename,
                part=entry.filename,
            )
        ) from None
    return merged
