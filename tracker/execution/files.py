"""Evidence files: checked against what their extension claims, stored once by SHA-256."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import abort, current_app, send_file
from flask_babel import gettext as _

from tracker.core.errors import InvalidInput
from tracker.core.transaction import remove_on_rollback

if TYPE_CHECKING:
    from werkzeug import Response

    from tracker.execution.models import Attachment

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)

#: Extension → (MIME type, accepted leading bytes; None means UTF-8 text).
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
}


@dataclass(frozen=True)
class IncomingFile:
    """An uploaded file, read into memory (the request size is already capped)."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    data: bytes
    sha256: str
    mime_type: str

    @property
    def size(self) -> int:
        return len(self.data)


def clean_filename(name: str) -> str:
    """The last path component, without control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().strip(".")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + dot + ext) if dot and len(ext) <= 8 else name[:200]
    return name


def check_file(upload: IncomingFile) -> CheckedFile:
    """Accept the file only if its content is what its extension says. Raises :class:`InvalidInput`."""
    name = clean_filename(upload.filename)
    if not name:
        raise InvalidInput(_("A file has no name."))
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED_TYPES:
        raise InvalidInput(
            _(
                "“%(name)s”: this kind of file is not accepted. Use PDF, an image, or a Word, Excel "
                "or OpenDocument file.",
                name=name,
            )
        )
    if not upload.data:
        raise InvalidInput(_("“%(name)s” is empty.", name=name))
    mime_type, signatures = ALLOWED_TYPES[extension]
    if signatures is None:
        try:
            upload.data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(_("“%(name)s” is not a UTF-8 text file.", name=name)) from None
    elif not upload.data.startswith(signatures) or (
        signatures is _ZIP and not zipfile.is_zipfile(io.BytesIO(upload.data))
    ):
        raise InvalidInput(
            _("“%(name)s” is damaged or is not really a %(ext)s file.", name=name, ext=extension[1:].upper())
        )
    return CheckedFile(name, upload.data, hashlib.sha256(upload.data).hexdigest(), mime_type)


def storage_path(sha256: str) -> Path:
    return Path(current_app.config["ATTACHMENTS_DIR"]) / sha256[:2] / sha256


def store(checked: CheckedFile) -> Path:
    """Write the bytes once under their hash (atomically), so a retry or a duplicate costs nothing."""
    path = storage_path(checked.sha256)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(checked.data)
        temporary = Path(handle.name)
    temporary.replace(path)
    remove_on_rollback(path)  # a file without its committed row must not stay behind
    return path


def send_attachment(attachment: Attachment) -> Response:
    """The stored file as a download (never rendered inline: it came from a user); 404 when
    the file is missing from storage. The caller has checked who may have it."""
    path = storage_path(attachment.sha256)
    if not path.exists():
        abort(404)
    return send_file(
        path,
        mimetype=attachment.mime_type,
        as_attachment=True,
        download_name=attachment.original_name,
        max_age=0,
    )
