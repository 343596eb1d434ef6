"""Large reports laid out on every core: split the table, render the pieces at once, merge.

WeasyPrint lays out one page after another in one thread, so a 300-measure status report keeps
one core busy for seconds while the other idles. :func:`render` cuts the report's one table into
as many pieces as there are layout processes (by size of HTML, a proxy for layout work): the
first piece keeps everything before the table (approval block, title, "(… ҳолатига)" line), the
others start with the table itself, and every piece keeps ``<thead>``, so the header is repeated
on every page as before. The calling process renders the first piece while worker processes
(:class:`Worker`, started on first use and kept; they need nothing but the HTML: no app, no
database) render the rest.

The pieces are rendered without the page numbers (``@bottom-center`` is switched off); once the
total M is known, a numbers-only PDF of M empty pages is rendered with the same ``@page`` rule of
``report.css`` (same font, size and place) and each of its pages is laid over the merged page as
a form XObject, so the content streams of the pieces are copied, not decoded and rewritten.

A piece starts on a new page, so the page before each cut may be shorter than in a one-process
render (at most one such page per cut). Anything unexpected (a template this does not recognise,
a worker that dies) falls back to the one-process render.
"""

from __future__ import annotations

import atexit
import io
import logging
import os
import re
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

logger = logging.getLogger(__name__)

#: Tables with fewer body rows are rendered in one process (starting a worker costs more).
MIN_ROWS = 60
#: The first piece's size relative to an even share (joining and numbering the pages is cheap now).
FIRST_SHARE = 1.0
#: The name the page-number font gets in each page's resources.
FOOTER_FONT = "/TrackerFooter"
#: Switches the page numbers off in the pieces; the overlay puts them back.
NO_PAGE_NUMBERS = "@page { @bottom-center { content: none !important } }"

#: A row a piece may start with: not the later rows of a measure whose number and title span them.
_ROW = re.compile(r"<tr\b(?![^>]*\bcontinues\b)")
_BODY = re.compile(r"<body\b[^>]*>")
_TAIL = re.compile(r"\A\s*</table>\s*</body>\s*</html>\s*\Z")

#: The folder holding the ``tracker`` package (the workers' import path).
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def split_html(html: str, parts: int, min_rows: int = MIN_ROWS) -> list[str] | None:
    """The report cut into ``parts`` documents of whole table rows, or None when it cannot be cut.

    Only a document with exactly one table whose ``</table>`` ends the body is cut (the status
    and plan reports). User text is escaped before it reaches the HTML, so every ``<tr``,
    ``<table`` and ``<tbody>`` here is the template's own.
    """
    if parts < 2 or html.count("<table") != 1 or html.count("<tbody>") != 1 or html.count("</tbody>") != 1:
        return None
    body = _BODY.search(html)
    table_start = html.find("<table")
    rows_start = html.find("<tbody>") + len("<tbody>")
    rows_end = html.find("</tbody>")
    if body is None or not body.end() <= table_start < rows_start <= rows_end:
        return None
    if not _TAIL.match(html[rows_end + len("</tbody>") :]):
        return None
    rows_html = html[rows_start:rows_end]
    starts = [match.start() for match in _ROW.finditer(rows_html)]
    if len(starts) < max(min_rows, parts) or rows_html[: starts[0]].strip():
        return None
    bounds = [*starts, len(rows_html)]
    # cut where the running size of the rows passes the shares: the first piece is a little
    # smaller, as its process also numbers and merges the pages afterwards
    first = len(rows_html) * FIRST_SHARE / parts
    rest = (len(rows_html) - first) / (parts - 1)
    cuts = [0]
    for index in range(1, len(starts)):
        if len(cuts) < parts and bounds[index] >= first + rest * (len(cuts) - 1):
            cuts.append(index)
    if len(cuts) < parts:
        return None
    cuts.append(len(starts))
    first_head = html[:rows_start]
    other_head = html[: body.end()] + "\n" + html[table_start:rows_start]
    tail = html[rows_end:]
    return [
        (first_head if n == 0 else other_head) + rows_html[bounds[a] : bounds[b]] + tail
        for n, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False))
    ]


# -- the pieces -----------------------------------------------------------------------------------


def piece_pdf(html: str) -> bytes:
    """One piece, without page numbers (runs in the workers and in the calling process)."""
    import weasyprint

    from tracker.reports.render import write_pdf

    return write_pdf(html, stylesheets=[weasyprint.CSS(string=NO_PAGE_NUMBERS)])


def _warm_up() -> None:
    """Worker start: import WeasyPrint and load the fonts before the first piece arrives."""
    piece_pdf(
        '<!doctype html><html lang="uz-Cyrl"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="css/report.css"></head><body><table class="report"><thead><tr>'
        "<th>№</th><th>Чора-тадбир</th></tr></thead><tbody><tr><td>1.</td><td class=note>"
        '<span class="status-word">Ижро этилмоқда.</span> <i>Oʻzbekiston</i> <b>2024</b> йил'
        "</td></tr></tbody></table></body></html>"
    )


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("layout worker pipe closed")
    return data


class Worker:
    """A ``python -m tracker.reports.parallel`` process that turns pieces into PDFs, one at a time.

    A plain subprocess rather than :mod:`multiprocessing`: it imports nothing of the caller (no
    ``__main__`` re-run, no app, no database), and it ends when its stdin closes, i.e. with us.
    Messages on the pipes: 8-byte big-endian length, then the HTML (UTF-8) or, back, one status
    byte ("0" PDF follows, "1" error text follows), length and payload.
    """

    #: The worker program (tests run a dying or hanging program in its place).
    COMMAND: ClassVar[list[str]] = [sys.executable, "-m", "tracker.reports.parallel"]

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            self.COMMAND,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=str(PROJECT_ROOT),
        )
        self.lock = threading.Lock()

    def alive(self) -> bool:
        return self.process.poll() is None

    def pdf(self, html: str) -> bytes:
        data = html.encode("utf-8")
        with self.lock:
            stdin, stdout = self.process.stdin, self.process.stdout
            assert stdin is not None and stdout is not None
            stdin.write(struct.pack(">Q", len(data)) + data)
            stdin.flush()
            status = _read_exactly(stdout, 1)
            (size,) = struct.unpack(">Q", _read_exactly(stdout, 8))
            payload = _read_exactly(stdout, size)
        if status != b"0":
            raise RuntimeError(f"layout worker failed: {payload.decode('utf-8', 'replace')}")
        return payload

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    """The worker's loop: a piece in, its PDF out, until stdin closes."""
    _warm_up()
    while True:
        head = stdin.read(8)
        if len(head) < 8:
            return
        (size,) = struct.unpack(">Q", head)
        html = _read_exactly(stdin, size).decode("utf-8")
        try:
            status, payload = b"0", piece_pdf(html)
        except Exception as error:  # noqa: BLE001 (reported to the caller, which falls back)
            status, payload = b"1", f"{type(error).__name__}: {error}".encode()
        stdout.write(status + struct.pack(">Q", len(payload)) + payload)
        stdout.flush()


#: How long a worker may take over its piece before it is killed and the report is laid out in one process.
PIECE_TIMEOUT_SECONDS = 300

_workers: list[Worker] = []
_workers_lock = threading.Lock()


def workers(count: int) -> list[Worker]:
    """``count`` running workers, started on first use and kept for the next report."""
    with _workers_lock:
        _workers[:] = [w for w in _workers if w.alive()]
        while len(_workers) < count:
            _workers.append(Worker())
        return _workers[:count]


def prestart(count: int) -> None:
    """Start the workers now (they warm up on their own), so the next large report finds them ready."""
    try:
        workers(count)
    except OSError:
        logger.exception("could not start a report layout worker")


def stop_workers() -> None:
    with _workers_lock:
        for worker in _workers:
            worker.stop()
        _workers.clear()


atexit.register(stop_workers)


# -- page numbers and merging ----------------------------------------------------------------------


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

    from tracker.reports.render import write_pdf

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
    font = page["/Resources"]["/Font"][font_name].get_object()
    descendant = font["/DescendantFonts"][0].get_object()
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
    font = writer._add_object(glyphs.font.clone(writer))

    def stream(data: bytes):  # noqa: ANN202
        content = DecodedStreamObject()
        content.set_data(data)
        return writer._add_object(content)

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
        resources = DictionaryObject(page["/Resources"].get_object())
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
    if "/Lang" in first.trailer["/Root"]:
        writer._root_object[NameObject("/Lang")] = first.trailer["/Root"]["/Lang"].clone(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- the whole -------------------------------------------------------------------------------------


def render(html: str, processes: int, progress: Callable[[int], None] | None = None) -> bytes | None:
    """The PDF of ``html`` laid out by ``processes`` processes; None when it is not worth cutting."""
    pieces = split_html(html, processes)
    if pieces is None:
        return None
    try:
        start = time.perf_counter()
        helpers = workers(len(pieces) - 1)
        with ThreadPoolExecutor(max_workers=len(helpers)) as pipes:
            futures = [
                pipes.submit(worker.pdf, piece) for worker, piece in zip(helpers, pieces[1:], strict=True)
            ]
            pdfs = [piece_pdf(pieces[0])]
            own = time.perf_counter() - start
            try:
                pdfs += [future.result(timeout=PIECE_TIMEOUT_SECONDS) for future in futures]
            except FuturesTimeout:
                # A hung worker: killing it ends the blocked pipe read, so the pool can shut down.
                stop_workers()
                raise
        laid_out = time.perf_counter() - start
        if progress:
            progress(70)
        pdf = merge(pdfs)
        logger.debug(
            "%d pieces: first %.2f s, all %.2f s, merged %.2f s",
            len(pieces),
            own,
            laid_out,
            time.perf_counter() - start,
        )
        return pdf
    except Exception:  # noqa: BLE001 (any failure: the one-process render still works)
        logger.exception("parallel report layout failed; rendering in one process")
        stop_workers()
        return None


if __name__ == "__main__":
    # the PDFs go out on the original stdout; anything else printed goes to stderr
    protocol = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, protocol)
