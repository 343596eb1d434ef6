"""Dates on pages: the official document forms in the Uzbek UIs, Babel's elsewhere."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tracker.core.templating import doc_date, show_date


@pytest.mark.parametrize(
    ("locale", "short", "long", "approval"),
    [
        ("uz_Cyrl", "04.01.2024", "2024 йил 4 январь", "2024 йил 04 январь"),
        ("uz_Latn", "04.01.2024", "2024-yil 4-yanvar", "2024-yil 04-yanvar"),
        ("ru", "04.01.2024", "4 янв. 2024\u202fг.", "4 января 2024\u202fг."),
        ("en", "1/4/24", "Jan 4, 2024", "January 4, 2024"),
    ],
)
def test_dates_follow_the_documents_in_uzbek(app, locale, short, long, approval):
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale(locale):
        assert show_date(date(2024, 1, 4), "short") == short
        assert show_date(date(2024, 1, 4)) == long
        assert doc_date(date(2024, 1, 4), "approval") == approval


def test_times_are_shown_in_tashkent(app):
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("uz_Cyrl"):
        assert show_date(datetime(2024, 1, 4, 20, 30, tzinfo=UTC)) == "05.01.2024 01:30"
