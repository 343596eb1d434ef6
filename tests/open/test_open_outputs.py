"""What the public sees: nothing internal anywhere, valid open data, the catalogue, ETags."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from tests.conftest import login, soup_of
from tests.open.conftest import MARKER
from tracker.core.status import Status
from tracker.execution import services as execution
from tracker.open import services as publishing
from tracker.open.cache import ContentCache, FingerprintMemo
from tracker.open.ratelimit import RateLimiter
from tracker.open.views import OpenState

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "open-data.schema.json").read_text())
LANGUAGES = ("uz_Latn", "uz_Cyrl", "ru", "en")


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "public.pdf"
    source.write_bytes(pdf)
    args = ["/usr/bin/pdftotext", "-enc", "UTF-8", str(source), "-"]
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")  # noqa: S603


def xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)


def public_outputs(client, plan_id: int, tmp_path: Path) -> dict[str, str]:
    """Every public output of the plan, as text: pages in four languages and both scripts, files."""
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        texts[f"index {lang}"] = client.get(f"/open/?lang={lang}").get_data(as_text=True)
        for script in ("cyrl", "latn"):
            response = client.get(f"/open/plans/{plan_id}?lang={lang}&script={script}")
            assert response.status_code == 200
            texts[f"page {lang} {script}"] = response.get_data(as_text=True)
    for script in ("", "cyrl", "latn"):
        query = f"?script={script}" if script else ""
        texts[f"json {script}"] = client.get(f"/open/plans/{plan_id}.json{query}").get_data(as_text=True)
        texts[f"csv {script}"] = client.get(f"/open/plans/{plan_id}.csv{query}").data.decode("utf-8-sig")
        texts[f"xlsx {script}"] = xlsx_text(client.get(f"/open/plans/{plan_id}.xlsx{query}").data)
    for script in ("cyrl", "latn"):
        pdf = client.get(f"/open/plans/{plan_id}.pdf?script={script}")
        assert pdf.mimetype == "application/pdf"
        texts[f"pdf {script}"] = pdf_text(pdf.data, tmp_path)
    texts["catalogue"] = client.get("/open/catalog.json").get_data(as_text=True)
    return texts


def test_nothing_internal_reaches_any_public_output(client, published, tmp_path):
    texts = public_outputs(client, published.plan.id, tmp_path)
    leaks = [name for name, text in texts.items() if MARKER in text]
    assert leaks == []
    # what is public is there: the public note and the file chosen, in page, files and PDF
    assert "Портал ишга туширилди" in texts["page uz_Cyrl cyrl"]
    assert "Portal ishga tushirildi" in texts["page uz_Latn latn"]
    assert "Портал ишга туширилди" in texts["pdf cyrl"]
    assert "Портал ишга туширилди" in texts["csv "] and "Портал ишга туширилди" in texts["xlsx "]
    assert "portal-hisobot.txt" in texts["page en cyrl"]
    # the status of the measure whose latest note is internal is public, its note is not
    data = json.loads(texts["json "])
    second = next(m for m in data["measures"] if m["number"] == "2")
    assert second["status"] == "in_progress" and second["status_note"] is None


def test_the_marker_is_where_the_organization_sees_it(client, published):
    """The leak test can fail: the same markers are in what signed-in users get."""
    login(client, published.controller)
    page = client.get(f"/measures/{published.internal_measure.id}").get_data(as_text=True)
    for placed in ("Ички изоҳ", "maxfiy-", "Қайтарилди", "Назоратчи"):  # note, file, reason, name
        assert f"{placed} {MARKER}" in page or f"{placed}{MARKER}" in page
    export = client.get(f"/plans/{published.plan.id}/export?format=json")
    assert MARKER in export.get_data(as_text=True)


def test_public_json_follows_the_schema_in_every_variant(client, db, published):
    for query in ("", "?script=cyrl", "?script=latn", "?as_of=2024-01-04"):
        data = client.get(f"/open/plans/{published.plan.id}.json{query}").get_json()
        jsonschema.validate(data, SCHEMA)
    publishing.set_choices(
        published.plan, publishing.PublicationChoices(show_statuses=False, show_steps=False), actor=None
    )
    db.session.commit()
    data = client.get(f"/open/plans/{published.plan.id}.json").get_json()
    jsonschema.validate(data, SCHEMA)
    assert {m["status"] for m in data["measures"]} == {None}
    assert all(m["steps"] == [] and m["evidence"] == [] for m in data["measures"])
    page = soup_of(client.get(f"/open/plans/{published.plan.id}"))
    assert page.select("#measures [data-status]") == []


def test_evidence_files_are_public_one_by_one(client, published):
    plan_id = published.plan.id
    chosen = client.get(f"/open/plans/{plan_id}/files/{published.public_file.id}")
    assert chosen.status_code == 200 and chosen.headers["Content-Disposition"].startswith("attachment")
    assert chosen.data == "Ҳисобот".encode()
    chosen.close()
    for other in (published.unpublished_file, published.internal_file):
        assert client.get(f"/open/plans/{plan_id}/files/{other.id}").status_code == 404


def test_a_file_of_an_internal_note_cannot_be_chosen(db, published):
    from tracker.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        publishing.set_choices(
            published.plan,
            publishing.PublicationChoices(
                show_evidence=True, attachment_ids=frozenset({published.internal_file.id})
            ),
            actor=published.controller,
        )


def test_catalogue_lists_exactly_the_published_plans(client, db, make_plan, published):
    other_public = make_plan(title="Иккинчи режа")
    never_public = make_plan(title="Учинчи режа")
    withdrawn = make_plan(title="Тўртинчи режа")
    for plan in (other_public, withdrawn):
        publishing.publish_plan(plan, actor=None)
    publishing.unpublish_plan(withdrawn, actor=None)
    db.session.commit()
    catalogue = client.get("/open/catalog.json").get_json()
    listed = {d["identifier"].rsplit("/", 1)[1] for d in catalogue["dataset"]}
    assert listed == {str(published.plan.id), str(other_public.id)}
    assert str(never_public.id) not in listed
    dataset = next(d for d in catalogue["dataset"] if d["identifier"].endswith(f"/{published.plan.id}"))
    assert dataset["title"] == published.plan.title
    assert dataset["publisher"]["name"] == published.plan.organization.name
    assert dataset["license"] and dataset["modified"]
    media = {d["mediaType"] for d in dataset["distribution"]}
    assert media == {
        "application/json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/pdf",
    }
    for distribution in dataset["distribution"]:
        path = distribution["downloadURL"].split("://", 1)[1].split("/", 1)[1]
        assert client.get("/" + path).status_code == 200


def test_etag_and_last_modified_give_304_until_a_status_changes(client, db, published):
    url = f"/open/plans/{published.plan.id}"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    json_etag = client.get(url + ".json").headers["ETag"]
    assert client.get(url + ".json", headers={"If-None-Match": json_etag}).status_code == 304

    execution.submit_status_update(
        published.public_measure, status=Status.IN_PROGRESS, note="Янги босқич бошланди", actor=None
    )
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Yangi bosqich boshlandi" in changed.get_data(as_text=True)  # the Latin UI reads Latin
    assert client.get(url + ".json", headers={"If-None-Match": json_etag}).status_code == 200


def test_an_internal_note_changes_the_status_but_shows_no_note(client, db, published):
    url = f"/open/plans/{published.plan.id}.json"
    # On the measure's only step: the step reported today already, and a measure made of steps
    # takes its status from them unless its own report is later (docs/history.md).
    execution.submit_status_update(
        published.public_measure.steps[0],
        status=Status.CANCELLED,
        note=f"Бекор {MARKER}",
        actor=None,
        is_internal=True,
    )
    db.session.commit()
    first = client.get(url).get_json()["measures"][0]
    step = first["steps"][0]
    assert step["status"] == "cancelled" and step["status_note"] is None
    assert first["status"] == "cancelled" and MARKER not in str(first)


def test_the_page_as_of_a_day_and_in_a_script(client, published):
    plan_id = published.plan.id
    before = client.get(f"/open/plans/{plan_id}.json?as_of=2023-12-31").get_json()
    assert before["as_of"] == "2023-12-31" and before["measures"] == []  # added today
    latin = soup_of(client.get(f"/open/plans/{plan_id}?script=latn&lang=en"))
    assert "Ochiq maʼlumotlar" in latin.select_one("h1").get_text()
    assert latin.select_one("html")["lang"] == "en"
    cyrillic = soup_of(client.get(f"/open/plans/{plan_id}?lang=uz_Cyrl"))
    assert "Очиқ маълумотлар" in cyrillic.select_one("h1").get_text()


@pytest.mark.parametrize("query", ["as_of=2024-13-01", "as_of=yesterday", "script=arab", "as_of=2999-01-01"])
def test_bad_choices_are_a_translated_400(client, published, query):
    response = client.get(f"/open/plans/{published.plan.id}?{query}&lang=ru")
    assert response.status_code == 400
    assert soup_of(response).select_one("html")["lang"] == "ru"


def test_per_address_limit_answers_429_with_retry_after(app, client, published):
    now = [1000.0]
    app.extensions["open"] = OpenState(
        RateLimiter(3, 60, clock=lambda: now[0]), FingerprintMemo(0), ContentCache()
    )
    url = f"/open/plans/{published.plan.id}"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    other = client.get(url, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert other.status_code == 200  # the limit is per address
    now[0] += 60
    assert client.get(url).status_code == 200


def test_a_busy_worker_reads_the_fingerprint_once_per_second(app, client, db, published):
    now = [1000.0]
    app.extensions["open"] = OpenState(
        RateLimiter(0, 60), FingerprintMemo(1, clock=lambda: now[0]), ContentCache()
    )
    url = f"/open/plans/{published.plan.id}.json"
    etag = client.get(url).headers["ETag"]
    execution.submit_status_update(
        published.public_measure, status=Status.IN_PROGRESS, note="Бир сониядан кейин", actor=None
    )
    db.session.commit()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304  # within the second
    now[0] += 1
    fresh = client.get(url, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and "Бир сониядан кейин" in fresh.get_data(as_text=True)


def test_robots_allow_only_the_public_pages(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines == ["User-agent: *", "Allow: /open/", "Disallow: /"]


def test_public_pages_set_no_cookie_and_name_no_one(client, published):
    response = client.get(f"/open/plans/{published.plan.id}?script=cyrl")
    assert "Set-Cookie" not in response.headers
    text = response.get_data(as_text=True)
    assert "@" not in soup_of(response).get_text()
    assert "А. Бурханов" in text  # the approval block as printed is the one name shown
