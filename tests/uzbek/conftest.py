"""Make the helper module ``_uzbek_seeds`` importable however pytest lays out the test packages
(with or without an ``__init__.py`` in tests/uzbek)."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
