"""Public outputs made from the public snapshot (:mod:`tracker.open.public`): PDF data, files, catalogue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker.exports.writers import MIME_TYPES, render
from tracker.open.public import without_extras
from tracker.plans.snapshot import PlanSnapshot
from tracker.reports.data import ReportOptions, snapshot_status_report

#: The open-data files of a plan, by extension.
DATA_FORMATS = ("json", "csv", "xlsx")
PDF_MIME = "application/pdf"
FORMAT_NAMES = {"json": "JSON", "csv": "CSV", "xlsx": "XLSX", "pdf": "PDF"}


def data_file(document: dict[str, Any], file_format: str) -> bytes:
    """The public document as JSON, CSV or XLSX (the export's writers, so they read back alike)."""
    if file_format == "json":
        return render(document, "json")
    return render(without_extras(document), file_format)


def mime_type(file_format: str) -> str:
    return PDF_MIME if file_format == "pdf" else MIME_TYPES[file_format]


def status_report_data(view: PlanSnapshot, *, show_statuses: bool) -> dict[str, Any]:
    """The status report (``reports/status.html``, seed 004's rows for roadmaps) of the public
    snapshot, written in its script; a dash for each status when statuses are not public."""
    script = view.script or "cyrl"
    data = snapshot_status_report(view, ReportOptions(as_of=view.as_of, script=script))
    for measure, row in zip(view.measures, data["rows"], strict=True):
        if measure.steps and measure.note:  # a public note on the measure itself: a row above its steps'
            own = {"number": "", "mechanism": measure.mechanism, "deadline": measure.deadline.text}
            shown = {"status": row["status"], "status_word": row["status_word"], "note_rest": measure.note}
            row["lines"].insert(0, {**own, **shown, "overdue": measure.is_overdue})
    if not show_statuses:
        for row in data["rows"]:
            for item in (row, *row["lines"]):
                item.update(status="", status_word="—", note="", note_rest="", overdue=False)
    return data


def _iso_time(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def dataset(
    document: dict[str, Any], *, base_url: str, modified: datetime, issued: datetime | None, licence: str
) -> dict[str, Any]:
    """One plan as a DCAT dataset with its four distributions."""
    plan_url = f"{base_url}/open/plans/{document['id']}"
    period = document["period"]
    distributions = [
        {
            "@type": "dcat:Distribution",
            "title": f"{document['title']} ({FORMAT_NAMES[fmt]})",
            "format": FORMAT_NAMES[fmt],
            "mediaType": mime_type(fmt).split(";")[0],
            "downloadURL": f"{plan_url}.{fmt}",
            **({"conformsTo": f"{base_url}/open/schema/plan-1.json"} if fmt == "json" else {}),
        }
        for fmt in (*DATA_FORMATS, "pdf")
    ]
    return {
        "@type": "dcat:Dataset",
        "identifier": plan_url,
        "title": document["title"],
        "description": document["basis"] or document["title"],
        "keyword": [document["kind"]],
        "publisher": {"@type": "org:Organization", "name": document["organization"]},
        "issued": _iso_time(issued) if issued else None,
        "modified": _iso_time(modified),
        "temporal": f"{period['start']}/{period['end']}" if period["start"] and period["end"] else None,
        "language": ["uz"],
        "accessLevel": "public",
        "license": licence,
        "landingPage": plan_url,
        "distribution": distributions,
    }


def catalogue(
    datasets: list[dict[str, Any]],
    *,
    base_url: str,
    title: str,
    publisher: str,
    modified: datetime,
    licence: str,
) -> dict[str, Any]:
    """A DCAT catalogue in the data.json layout (Project Open Data 1.1) that portals harvest."""
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": f"{base_url}/open/catalog.json",
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "title": title,
        "publisher": {"@type": "org:Organization", "name": publisher},
        "modified": _iso_time(modified),
        "license": licence,
        "homepage": f"{base_url}/open/",
        "dataset": datasets,
    }
