"""Public outputs made from :func:`tracker.open.public.public_document`: PDF data, files, catalogue."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tracker.core.status import Status
from tracker.exports.writers import MIME_TYPES, render
from tracker.open.public import without_extras
from tracker.reports.headings import HEADINGS, HTML_LANG, STATUS_WORDS
from tracker.uzbek import format_doc_date

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


def status_report_data(document: dict[str, Any], script: str) -> dict[str, Any]:
    """The plain data of ``reports/status.html`` for the public document (written in ``script``)."""
    h, words = HEADINGS[script], STATUS_WORDS[script]

    def word(status: str | None) -> str:
        return words[Status(status)] if status else "—"

    rows = []
    for m in document["measures"]:
        steps = [
            {
                "number": s["number"],
                "text": s["text"],
                "deadline": s["deadline"]["text"] or "",
                "status": s["status"] or "",
                "status_word": word(s["status"]),
                "overdue": s["overdue"],
            }
            for s in m["steps"]
        ]
        rows.append(
            {
                "number": m["number"],
                "title": m["title"],
                "mechanism": "" if steps else (m["mechanism"] or ""),
                "steps": steps,
                "deadline": m["deadline"]["text"] or "",
                "status": m["status"] or "",
                "status_word": word(m["status"]),
                "note": m["status_note"] or "",
                "note_rest": m["status_note"] or "",
                "overdue": m["overdue"],
            }
        )
    as_of = date.fromisoformat(document["as_of"])
    return {
        "kind": "status",
        "script": script,
        "lang": HTML_LANG[script],
        "h": h,
        "title": document["title"],
        "as_of": document["as_of"],
        "as_of_line": format_doc_date(as_of, script, "as_of"),
        "filters_line": "",
        "columns": [],
        "rows": rows,
    }


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
