"""Make the helper module ``_import_docs`` importable however pytest lays out the test packages."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask_babel import force_locale

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


@pytest.fixture(autouse=True)
def english_messages(db: Any) -> Iterator[None]:
    """These tests read the importer's messages in English.

    Outside a request the default UI language (Uzbek Latin) applies; the messages' translations
    are checked by the catalog tests, what these tests check is which message is given.
    """
    with force_locale("en"):
        yield
