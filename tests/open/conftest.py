"""Open-data tests: a published plan whose every internal field carries a marker.

The marker is made of digits, so that it survives transliteration into either script and a
search of any public output (page, PDF, JSON, CSV, XLSX, catalogue) finds it if it leaked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask import Flask

from tracker.auth.models import User
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.execution.files import IncomingFile
from tracker.execution.models import Attachment, StatusUpdate
from tracker.open import services as publishing
from tracker.open.cache import ContentCache, FingerprintMemo
from tracker.open.ratelimit import RateLimiter
from tracker.open.views import OpenState
from tracker.orgs.models import Unit
from tracker.plans.models import Measure, Plan

#: In every internal field; never in a public output.
MARKER = "90817263"


@pytest.fixture(autouse=True)
def fresh_open_state(app: Flask) -> None:
    """Each test starts with an empty page cache, no rate limit and fingerprints read afresh on
    every request (the tests of those set their own)."""
    app.extensions["open"] = OpenState(RateLimiter(0, 60), FingerprintMemo(0), ContentCache())


@dataclass
class Published:
    plan: Plan
    controller: User
    reporter: User
    unit: Unit
    public_measure: Measure
    internal_measure: Measure
    public_update: StatusUpdate
    internal_update: StatusUpdate
    public_file: Attachment
    unpublished_file: Attachment
    internal_file: Attachment


def _files(update: StatusUpdate) -> list[Attachment]:
    return list(update.attachments)


@pytest.fixture
def published(
    db: Any, make_plan: Callable[..., Plan], make_user: Callable[..., User], make_unit: Callable[..., Unit]
) -> Published:
    """An approved, published plan with public and internal notes, files and people."""
    unit = make_unit("Очиқ маълумотлар бўлими")
    controller = make_user("controller", name=f"Назоратчи {MARKER}", email=f"c{MARKER}@example.uz")
    reporter = make_user("executor", unit=unit, name=f"Ижрочи {MARKER}", email=f"e{MARKER}@example.uz")
    plan = make_plan(
        title="Очиқ маълумотлар бўйича йўл харитаси",
        measures=[
            {
                "number": "1",
                "title": "Очиқ маълумотлар порталини юритиш",
                "lead_unit_id": unit.id,
                "deadline_text": "2024 йил январь",
                "steps": [{"number": "1", "text": "Рўйхатни тасдиқлаш", "deadline_text": "2024 йил январь"}],
            },
            {
                "number": "2",
                "title": "Ҳисобот тайёрлаш",
                "lead_unit_id": unit.id,
                "deadline_text": "2024 йил март",
            },
        ],
    )
    first, second = plan.measures
    public_update = execution.submit_status_update(
        first,
        status=Status.IN_PROGRESS,
        note=f"Портал ишга туширилди. Масъул: m{MARKER}@mail.uz",
        actor=reporter,
        attachments=[
            IncomingFile("portal-hisobot.txt", "Ҳисобот".encode()),
            IncomingFile(f"ichki-{MARKER}.txt", "ички".encode()),
        ],
    )
    execution.submit_status_update(
        first.steps[0], status=Status.IN_PROGRESS, note="Рўйхат тайёрланмоқда", actor=reporter
    )
    claim = execution.submit_status_update(
        second, status=Status.DONE_CLAIMED, note="Ҳисобот юборилди", actor=reporter
    )
    execution.return_claim(claim, actor=controller, reason=f"Қайтарилди {MARKER}")
    internal_update = execution.submit_status_update(
        second,
        status=Status.IN_PROGRESS,
        note=f"Ички изоҳ {MARKER}",
        actor=controller,
        attachments=[IncomingFile(f"maxfiy-{MARKER}.txt", "махфий".encode())],
        is_internal=True,
    )
    public_file, unpublished_file = _files(public_update)
    publishing.publish_plan(plan, actor=controller)
    publishing.set_choices(
        plan,
        publishing.PublicationChoices(show_evidence=True, attachment_ids=frozenset({public_file.id})),
        actor=controller,
    )
    db.session.commit()
    return Published(
        plan=plan,
        controller=controller,
        reporter=reporter,
        unit=unit,
        public_measure=first,
        internal_measure=second,
        public_update=public_update,
        internal_update=internal_update,
        public_file=public_file,
        unpublished_file=unpublished_file,
        internal_file=_files(internal_update)[0],
    )


@pytest.fixture
def approved_day() -> date:
    return date(2024, 1, 4)
