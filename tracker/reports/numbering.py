"""Page numbers of a report laid out in pieces, and the pieces joined into one PDF (pypdf).

The pieces are rendered without the page numbers (``@bottom-center`` is switched off); once the
total M is known, "N / M" is drawn on each page with the Liberation Serif glyphs WeasyPrint
embedded and the footer box's place, both learnt once per process from a reference render
(:func:`footer_glyphs`): the same font, size and place as a one-process render, without laying
out M pages. The pieces' content streams are copied, not decoded and rewritten.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from pypdf.generic import ArrayObject, DictionaryObject

#: The name the page-number font gets in each page's resources.
FOOTER_FONT = "/TrackerFooter"


def _register(writer: Any, obj: Any) -> Any:
    """``obj`` as a new indirect object of ``writer``; its reference.

    pypdf has no public call for this: ``PageObject.replace_contents`` would overwrite the
    page's own stream with the array that references it, and ``merge_page`` decodes and
    rewrites every content stream (the cost this module avoids). So this one private call,
    kept here alone.
    """
    return writer._add_object(obj)


@dataclass(frozen=True)
class FooterGlyphs:
    """How report.css draws its "N / M" footer, learnt once from a reference render.

    WeasyPrint embeds Liberation Serif as an Identity-H font; drawing the page numbers with the
    same font object and glyph codes gives the same footer as a one-process render, without
    laying out a page per number (that render was most of the cost of joining the pieces).
    """

    font: Any  # the reference page's font dictionary
    codes: dict[str, bytes]  # character → its 2-byte glyph code in that font
    widths: dict[str, float]  # character → advance in points
    size: float  # font size in points
    centre: float  # x of the footer box's centre, points
    baseline: float  # y of the baseline, points (PDF coordinates, origin bottom left)


FOOTER_SAMPLE = "0123456789 /"


@lru_cache(maxsize=1)
def footer_glyphs() -> FooterGlyphs:
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    from tracker.reports.engine import write_pdf

    html = (
        '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="css/report.css">'
        f'<style>@page {{ @bottom-center {{ content: "{FOOTER_SAMPLE}" }} }}</style></head><body><div></div>'
        "</body></html>"
    )
    reader = PdfReader(io.BytesIO(write_pdf(html)))
    page = reader.pages[0]
    height = float(page.mediabox.height)
    scale, text_matrix, font_name, size, glyphs = 1.0, None, None, None, b""
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"cm" and operands[0] not in (1, 1.0):  # WeasyPrint's px → pt scaling
            scale = float(operands[0])
        elif operator == b"Tm":
            text_matrix = [float(v) for v in operands]
        elif operator == b"Tf":
            font_name, size = operands[0], float(operands[1])
        elif operator in (b"TJ", b"Tj"):
            items = operands[0] if operator == b"TJ" else [operands[0]]
            glyphs += b"".join(_glyph_bytes(i) for i in items if hasattr(i, "get_original_bytes"))
    if text_matrix is None or font_name is None or size is None or len(glyphs) != 2 * len(FOOTER_SAMPLE):
        raise RuntimeError("cannot read the reference footer")
    # pypdf types every lookup as PdfObject; by the PDF spec these entries are dictionaries.
    resources = cast("DictionaryObject", page["/Resources"])
    font = cast("DictionaryObject", cast("DictionaryObject", resources["/Font"])[font_name].get_object())
    descendant = cast("DictionaryObject", cast("ArrayObject", font["/DescendantFonts"])[0].get_object())
    widths = _cid_widths(descendant.get("/W", []), float(descendant.get("/DW", 1000)))
    codes = {ch: glyphs[2 * i : 2 * i + 2] for i, ch in enumerate(FOOTER_SAMPLE)}
    size_pt = size * scale
    advance = {ch: widths(int.from_bytes(code, "big")) * size_pt / 1000 for ch, code in codes.items()}
    left = text_matrix[4] * scale
    return FooterGlyphs(
        font=font,
        codes=codes,
        widths=advance,
        size=size_pt,
        centre=left + sum(advance[ch] for ch in FOOTER_SAMPLE) / 2,
        baseline=height - text_matrix[5] * scale,
    )


def _glyph_bytes(text: Any) -> bytes:
    """The raw 2-byte codes of a string operand (pypdf reads them as UTF-16 and adds a BOM back)."""
    raw: bytes = text.get_original_bytes()
    return raw[2:] if raw.startswith(b"\xfe\xff") else raw


def _cid_widths(spec: Sequence[Any], default: float) -> Callable[[int], float]:
    """The glyph-width lookup of a CIDFont's /W array."""
    table: dict[int, float] = {}
    index = 0
    while index < len(spec):
        first = int(spec[index])
        if isinstance(spec[index + 1], list | tuple) or hasattr(spec[index + 1], "__iter__"):
            for offset, width in enumerate(spec[index + 1]):
                table[first + offset] = float(width)
            index += 2
        else:
            last, width = int(spec[index + 1]), float(spec[index + 2])
            table.update(dict.fromkeys(range(first, last + 1), width))
            index += 3
    return lambda glyph: table.get(glyph, default)


def merge(pieces: Sequence[bytes]) -> bytes:
    """The pieces one after another, numbered "1 / M" … "M / M", with the first piece's metadata."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    readers = [PdfReader(io.BytesIO(pdf)) for pdf in pieces]
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader)
    total = len(writer.pages)
    glyphs = footer_glyphs()
    font = glyphs.font.clone(writer).indirect_reference

    def stream(data: bytes):  # noqa: ANN202
        content = DecodedStreamObject()
        content.set_data(data)
        return _register(writer, content)

    save = stream(b"q\n")
    for number, page in enumerate(writer.pages, start=1):
        text = f"{number} / {total}"
        width = sum(glyphs.widths[ch] for ch in text)
        codes = b"".join(glyphs.codes[ch] for ch in text).hex()
        x = glyphs.centre - width / 2
        draw = stream(
            f"Q\nq BT {FOOTER_FONT} {glyphs.size:.4f} Tf 1 0 0 1 {x:.3f} {glyphs.baseline:.3f} Tm "
            f"<{codes}> Tj ET Q\n".encode()
        )
        resources = DictionaryObject(cast(DictionaryObject, page["/Resources"].get_object()))
        fonts = DictionaryObject(resources.get("/Font", DictionaryObject()).get_object())
        fonts[NameObject(FOOTER_FONT)] = font
        resources[NameObject("/Font")] = fonts
        page[NameObject("/Resources")] = resources
        contents = page.raw_get("/Contents")
        parts = list(contents.get_object()) if isinstance(contents.get_object(), list) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *parts, draw])
    first = readers[0]
    if first.metadata:
        writer.add_metadata({key: value for key, value in first.metadata.items() if key != "/Producer"})
    root = cast(DictionaryObject, first.trailer["/Root"])
    if "/Lang" in root:
        writer.root_object[NameObject("/Lang")] = root["/Lang"].clone(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
