"""Static files under content-hashed names, cached for a year; gzip for text responses.

- ``url_for("static", filename="css/tracker.css")`` gives ``/static/css/tracker.<hash>.css``: a
  ``url_defaults`` hook adds the first 12 hex digits of the file's SHA-256, so every template gets
  the hashed name without a change. A request for the current hashed name is answered with
  ``Cache-Control: public, max-age=31536000, immutable``; a changed file gets a new name, so a
  browser never keeps a stale copy. An old hash or a plain name is still served, revalidated as
  before (a page cached before a deployment keeps its styles).
- Text responses (HTML, CSS, JS, JSON, SVG, …) of more than ~1 KB are gzip-compressed when the
  client accepts it (brotli is not installed here). Static text files are compressed once per
  process and kept in memory (a few hundred KB for Bootstrap).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from flask import Flask, Response, current_app, request, send_from_directory
from werkzeug.exceptions import NotFound

#: A year, the most a cache keeps anything (RFC 9111 practice).
IMMUTABLE = "public, max-age=31536000, immutable"
#: Responses smaller than this are not worth compressing (a TCP packet or two).
MIN_COMPRESS_BYTES = 1024
COMPRESSIBLE = re.compile(
    r"^(text/|application/(json|javascript|xml|xhtml\+xml|problem\+json)|image/svg\+xml)"
)
T = TypeVar("T")

_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")


class AssetCache:
    """Content hashes and gzip bodies of static files, keyed by path and modification time."""

    def __init__(self, root: Path, *, watch: bool = True) -> None:
        self.root = root
        #: Re-read a file when it changes (debug mode, tests); a release's files never change, so
        #: a served app trusts the first digest and links pages without touching the disk.
        self.watch = watch
        self._digests: dict[str, tuple[float, str]] = {}
        self._gzipped: dict[str, tuple[float, bytes]] = {}

    def _file(self, filename: str) -> Path | None:
        path = (self.root / filename).resolve()
        if not path.is_relative_to(self.root.resolve()) or not path.is_file():
            return None
        return path

    def digest(self, filename: str) -> str | None:
        if not self.watch and filename in self._digests:
            return self._digests[filename][1]
        return self._derived(self._digests, filename, lambda data: hashlib.sha256(data).hexdigest()[:12])

    def gzipped(self, filename: str) -> bytes | None:
        return self._derived(
            self._gzipped, filename, lambda data: gzip.compress(data, compresslevel=9, mtime=0)
        )

    def _derived(
        self, store: dict[str, tuple[float, T]], filename: str, derive: Callable[[bytes], T]
    ) -> T | None:
        """``derive`` of the file's bytes, computed again only when its modification time changes."""
        path = self._file(filename)
        if path is None:
            return None
        mtime = path.stat().st_mtime
        cached = store.get(filename)
        if cached is None or cached[0] != mtime:
            cached = (mtime, derive(path.read_bytes()))
            store[filename] = cached
        return cached[1]


def hashed_name(cache: AssetCache, filename: str) -> str:
    """``css/tracker.css`` → ``css/tracker.<12 hex>.css``; unchanged for a file that does not exist."""
    digest = cache.digest(filename)
    if digest is None:
        return filename
    path = Path(filename)
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def _cache() -> AssetCache:
    return current_app.extensions["tracker_assets"]


def _add_hash(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = hashed_name(_cache(), values["filename"])


def serve_static(filename: str) -> Response:
    """The ``static`` endpoint: hashed names for a year, plain ones revalidated; gzip for text."""
    cache = _cache()
    immutable = False
    match = _HASHED.match(filename)
    if match and cache.digest(filename) is None:
        plain = match["stem"] + match["suffix"]
        immutable = cache.digest(plain) == match["digest"]
        filename = plain
    if cache.digest(filename) is None:
        raise NotFound()
    response = send_from_directory(cache.root, filename, max_age=None)
    if immutable:
        response.cache_control.clear()
        response.headers["Cache-Control"] = IMMUTABLE
    if response.status_code == 200 and _accepts_gzip() and COMPRESSIBLE.match(response.mimetype or ""):
        body = cache.gzipped(filename)
        if body is not None and len(body) < (response.content_length or 0):
            response.close()  # the file send_from_directory opened
            response.direct_passthrough = False
            response.set_data(body)
            response.headers["Content-Encoding"] = "gzip"
            response.vary.add("Accept-Encoding")
            etag = response.get_etag()[0]
            if etag:
                response.set_etag(etag + "-gz")
    return response


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0  # quality 0 means "not this"


def compress_response(response: Response) -> Response:
    """gzip a text response above ~1 KB when the client says it accepts gzip."""
    if (
        response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or response.status_code < 200
        or response.status_code in (204, 206, 304)
        or not COMPRESSIBLE.match(response.mimetype or "")
        or request.method == "HEAD"
    ):
        return response
    response.vary.add("Accept-Encoding")
    if not _accepts_gzip():
        return response
    data = response.get_data()
    if len(data) < MIN_COMPRESS_BYTES:
        return response
    response.set_data(gzip.compress(data, compresslevel=5, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(etag + "-gz", weak=bool(weak))
    return response


def init_app(app: Flask) -> None:
    """Hash static names in ``url_for``, serve them with a year of caching, compress text."""
    assert app.static_folder is not None
    watch = app.debug or app.testing
    app.extensions["tracker_assets"] = AssetCache(Path(app.static_folder), watch=watch)
    app.url_defaults(_add_hash)
    app.view_functions["static"] = serve_static
    app.after_request(compress_response)
