"""The export tests build their plans from the seed documents through ``tests/imports/_import_docs``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask_babel import force_locale

_IMPORTS = str(Path(__file__).resolve().parents[1] / "imports")
if _IMPORTS not in sys.path:
    sys.path.insert(0, _IMPORTS)


@pytest.fixture(autouse=True)
def english_messages(db: Any) -> Iterator[None]:
    """Messages in English, as in tests/imports (the catalog tests check the translations)."""
    with force_locale("en"):
        yield
