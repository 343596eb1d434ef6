"""Dates kept whole in print: the pattern finds the same pieces after its speed-up (issue 17)."""

from __future__ import annotations

import pytest

from tracker.reports.render import DATE_PATTERN, print_text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("2022-yil 4-oktabr holatiga", ["2022-yil", "4-oktabr"]),
        ("2022-yilning oxirigacha", ["2022-yilning"]),
        ("2024 йил январь-март", ["январь-март"]),
        ("yanvar-mart-aprel oylarida", ["yanvar-mart-aprel"]),
        ("Январь-Март, 12-декабрь", ["Январь-Март", "12-декабрь"]),
        ("2021-2022 йиллар, 2021 – 2022 йиллар", ["2021-2022", "2021 – 2022"]),
        ("04.10.2022 йилдаги хат", ["04.10.2022"]),
        ("(январь-март)", ["январь-март"]),
    ],
)
def test_dates_are_found_whole(text: str, kept: list[str]) -> None:
    assert [m.group(0) for m in DATE_PATTERN.finditer(text)] == kept


@pytest.mark.parametrize(
    "text",
    [
        "лойиҳа-лари координатори",  # a hyphen, no date
        "x-январь, январь-x, -январь-март",  # a month joined to something else
        "Бажарилди. Ҳисобот юборилди.",  # full stops, no date
        "12345-yil, 1.2, 2021-22",  # not the shapes of a date
    ],
)
def test_text_without_dates_is_left_alone(text: str) -> None:
    assert list(DATE_PATTERN.finditer(text)) == []


def test_print_text_wraps_dates_and_escapes_the_rest() -> None:
    assert print_text("<b> 2024 йил январь-март\nкейин") == (
        '&lt;b&gt; 2024 йил <span class="nw">январь-март</span><br>кейин'
    )
