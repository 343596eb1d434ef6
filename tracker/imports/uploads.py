"""Uploads kept under the instance folder between the import preview and its confirmation, and the
record that makes one upload give one plan."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.imports import textdocs
from tracker.imports.models import ImportConfirmation
from tracker.imports.readers import format_of
from tracker.orgs.models import Organization
from tracker.plans.models import Plan

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}\.(docx|xlsx|csv|json|txt)$")


def _upload_dir() -> Path:
    return Path(current_app.config["IMPORTS_DIR"])


def save_upload(filename: str, data: bytes) -> str:
    """Keep an uploaded file under the instance folder; returns the token naming it."""
    extension = "txt" if textdocs.is_text_file(filename) else format_of(filename)
    token = f"{secrets.token_urlsafe(24)}.{extension}"
    folder = _upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / token).write_bytes(data)
    return token


def load_upload(token: str | None) -> bytes | None:
    if not token or not _TOKEN_RE.match(token):
        return None
    path = _upload_dir() / token
    return path.read_bytes() if path.is_file() else None


def delete_upload(token: str | None) -> None:
    if token and _TOKEN_RE.match(token):
        path = _upload_dir() / token
        if path.is_file():
            os.unlink(path)


def claim_upload(token: str, organization: Organization) -> ImportConfirmation | None:
    """Mark the upload ``token`` as being imported; None when it already was (a second "Confirm").

    The unique token makes a concurrent second click wait for the first and then find its row,
    so one upload gives one plan.
    """
    existing = db.session.scalar(select(ImportConfirmation).where(ImportConfirmation.token == token))
    if existing is not None:
        return None
    confirmation = ImportConfirmation(token=token, organization_id=organization.id)
    try:
        with db.session.begin_nested():
            db.session.add(confirmation)
    except IntegrityError:
        return None
    return confirmation


def imported_plan(token: str | None, organization: Organization) -> Plan | None:
    """The plan an upload was already imported as, if any (within ``organization``)."""
    if not token:
        return None
    confirmation = db.session.scalar(
        select(ImportConfirmation).where(
            ImportConfirmation.token == token, ImportConfirmation.organization_id == organization.id
        )
    )
    return db.session.get(Plan, confirmation.plan_id) if confirmation and confirmation.plan_id else None
