"""Row links of long lists at the cost of one ``url_for`` per list (issue 17).

Werkzeug builds a URL in 10–20 µs; a list of 200 rows with two links each spends more on its
links than on its SQL. The URL of one endpoint differs between rows only by the id, so the
list asks Werkzeug once and fills the id in for each row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for

#: Stands for the id while Werkzeug builds the URL; digits only, so nothing quotes it.
_MARK = 918273645


def id_url(endpoint: str, key: str, **values: Any) -> Callable[..., str]:
    """``url_for(endpoint, **{key: id}, **values)`` for any id, as a function of the id (and of an
    optional ``anchor``: ``"#" + anchor`` is added, as ``url_for(..., _anchor=...)`` does for
    the letters and digits our anchors are made of)."""
    arguments: dict[str, Any] = {**values, key: _MARK}
    head, mark, tail = url_for(endpoint, **arguments).rpartition(str(_MARK))
    if not mark:  # the id is not in the URL as digits (a converter we do not expect)
        return lambda ident, anchor=None: url_for(endpoint, **{**arguments, key: ident}, _anchor=anchor)

    def build(ident: int, anchor: str | None = None) -> str:
        url = f"{head}{ident}{tail}"
        return f"{url}#{anchor}" if anchor else url

    return build
