"""Every text field is stripped, and binding a form leaves its class as it was.

WTForms binds a form's fields from unbound fields that belong to the form class and are shared
by every instance. ``BaseForm`` once added its strip filter to those shared fields, so each
form made (one or more a request) left one more filter behind: a worker's forms grew slower and
bigger for as long as it ran.
"""

from __future__ import annotations

from flask import Flask
from wtforms import IntegerField, StringField

from tracker.core.forms import BaseForm


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


class _Form(BaseForm):
    name = StringField()
    shout = StringField(filters=[_upper])
    count = IntegerField()


def test_text_is_stripped_before_the_fields_own_filters(app: Flask) -> None:
    data = {"name": "  Ҳисобот ", "shout": " a b ", "count": "3"}
    with app.test_request_context("/", method="POST", data=data):
        form = _Form(meta={"csrf": False})
        assert form.name.data == "Ҳисобот"
        assert form.shout.data == "A B"
        assert form.count.data == 3


def test_binding_a_form_many_times_leaves_its_class_unchanged(app: Flask) -> None:
    unbound_before = dict(_Form.shout.kwargs)
    with app.test_request_context("/", method="POST", data={"name": " x "}):
        forms = [_Form(meta={"csrf": False}) for _ in range(50)]
    last = forms[-1]
    assert len(last.name.filters) == 1  # the strip filter, once
    assert len(last.shout.filters) == 2  # strip, then the field's own
    assert last.name.data == "x"
    assert _Form.shout.kwargs == unbound_before
    assert "filters" not in _Form.name.kwargs
