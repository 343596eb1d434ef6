"""Screenshots of the measure page (its one history) and the re-import preview, for docs/screenshots/.

    PYTHONPATH=. .venv/bin/python bench/screenshots_measure_import.py docs/screenshots

Serves the demo data on a fresh SQLite file in a thread, adds to measure 1 of the work plan
a comment from the secretariat naming the unit, the unit's progress report on step 1 and its
answer, and uploads seed 003 as a Word file with measure 4's title edited and a measure 32
added, so that the preview offers to update the demo plan as a new version. Drives Debian's
Chromium at 1366×768 and 390×844 in Uzbek Latin and Cyrillic, signed in as the controller;
writes ``{measure,reimport}-{laptop,phone}-{uz_Latn,uz_Cyrl}.png`` (the top three screens of
each page).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "imports"))
from _import_docs import docx_bytes, seed  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import serve  # noqa: E402

SIZES = ((1366, 768, "laptop"), (390, 844, "phone"))
LANGUAGES = ("uz_Latn", "uz_Cyrl")
NEW_ROW = [
    "32.",
    "Агентлик ходимлари учун очиқ маълумотлар бўйича ўқув курси ташкил этиш.",
    "1. Ўқув дастурини тайёрлаш.\n2. Курсни ўтказиш.",
    "2024 йил июнь",
    "",
    "Ходимлар малакаси оширилади.",
    "Кадрлар тармоғи",
]


def edited_seed() -> bytes:
    preamble, rows = seed("003")
    rows = [list(r) for r in rows]
    row = next(r for r in rows if r[0].strip() == "4.")
    row[1] = row[1].rstrip() + " ва унинг натижалари бўйича ҳисобот тайёрлаш"
    return docx_bytes(preamble, [*rows, NEW_ROW])


def add_comments() -> None:
    from tracker.auth.models import User
    from tracker.comments.services import add_comment
    from tracker.core.status import Status
    from tracker.execution.services import submit_status_update as report_progress
    from tracker.extensions import db
    from tracker.plans.models import Measure

    measure = db.session.get(Measure, 1)
    controller = db.session.scalar(select(User).where(User.email == "controller@demo.uz"))
    head = db.session.scalar(select(User).where(User.email == "head@demo.uz"))
    lead = measure.lead.unit if measure.lead else None
    add_comment(
        measure,
        "Илтимос, миллий маъруза лойиҳасини 15 мартгача юборинг.",
        actor=controller,
        mention_unit_ids=[lead.id] if lead else [],
    )
    report_progress(
        measure.steps[0], status=Status.IN_PROGRESS, note="Маъруза лойиҳаси тайёрланмоқда.", actor=head
    )
    add_comment(measure, "Лойиҳа тайёр, келишувга юборилди. @controller", actor=head)
    db.session.commit()


def main(out_dir: Path) -> None:
    url = serve(add_comments)
    out_dir.mkdir(parents=True, exist_ok=True)
    upload = Path(tempfile.mkdtemp()) / "ish-rejasi-2024.docx"
    upload.write_bytes(edited_seed())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for language in LANGUAGES:
            context = browser.new_context(
                base_url=url, viewport={"width": 1366, "height": 768}, locale="uz-UZ"
            )
            page = context.new_page()
            page.goto("/login")
            page.fill("input[name=email]", "controller@demo.uz")
            page.fill("input[name=password]", "demo-controller")
            page.locator("main form button[type=submit]").click()
            page.wait_for_url("**/inbox")
            page.locator("#user-menu-button").click()
            page.locator(f'#user-menu form[action="/language/{language}"] button').click()
            page.goto("/plans/import")
            page.set_input_files("input[type=file]", str(upload))
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_url("**/plans/import/preview")
            for width, height, tag in SIZES:
                page.set_viewport_size({"width": width, "height": height})
                for name, path in (("measure", "/measures/1"), ("reimport", "/plans/import/preview")):
                    page.goto(path)
                    # The preview's table of 31 measures goes on for metres: keep its top.
                    full = page.evaluate("document.documentElement.scrollHeight")
                    clip = {"x": 0, "y": 0, "width": width, "height": min(full, height * 3)}
                    page.screenshot(
                        path=str(out_dir / f"{name}-{tag}-{language}.png"), full_page=True, clip=clip
                    )
            context.close()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
