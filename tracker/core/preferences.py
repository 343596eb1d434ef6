"""A signed-in person's own display preferences (UI language, reading script).

In core because the language switch (:mod:`tracker.core.views`) sets them for whoever is signed
in; the user model is duck-typed (any object with these attributes), so core needs no feature.
"""

from __future__ import annotations

from typing import Any

from tracker.extensions import db

#: The preferences a person may set for themselves.
PREFERENCES = frozenset({"locale", "reading_script"})


def set_own_preferences(user: Any, **preferences: str | None) -> None:
    """One's own display preferences (UI language, reading script). Not audited: they change
    nothing anyone else sees, and a language click per page would drown the audit trail.
    Raises ValueError for a name that is not a preference (a programming error)."""
    unknown = set(preferences) - PREFERENCES
    if unknown:
        raise ValueError(f"not preferences: {sorted(unknown)}")
    for name, value in preferences.items():
        setattr(user, name, value)
    db.session.flush()
