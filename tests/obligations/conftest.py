"""These tests read the services' messages in English (the catalog tests check the translations)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask_babel import force_locale


@pytest.fixture(autouse=True)
def english_messages(db: Any) -> Iterator[None]:
    with force_locale("en"):
        yield
