"""Every text field is stripped, and binding a form leaves its class as it was.

WTForms binds a form's fields from unbound fields that belong to the form class and are shared
by every instance. ``BaseForm`` once added its strip filter to those shared fields, so each
form made (one or more a request) left one more filter behind: a worker's forms grew slower and
bigger for as long as it ran.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from wtforms import IntegerField, StringField
from wtforms.fields.core import UnboundField

from tests.conftest import login
from tracker.auth.models import User
from tracker.core.forms import BaseForm
from tracker.core.permissions import Role
from tracker.plans.models import Plan


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


def _all_form_classes() -> list[type[BaseForm]]:
    found, todo = [], list(BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def _frozen(value: Any) -> Any:
    """A copy of a list, tuple or dict argument (so that a change in place shows); anything else itself."""
    return copy.copy(value) if isinstance(value, list | tuple | dict) else value


def _unbound_state() -> dict[tuple[str, str], dict[str, Any]]:
    """Every form class's unbound fields' arguments (what each binding starts from)."""
    state = {}
    for cls in _all_form_classes():
        for name, value in vars(cls).items():
            if isinstance(value, UnboundField):
                state[(cls.__qualname__, name)] = {k: _frozen(v) for k, v in value.kwargs.items()}
    return state


def test_pages_with_forms_leave_every_form_class_unchanged(
    client: FlaskClient, make_user: Callable[..., User], make_plan: Callable[..., Plan]
) -> None:
    plan = make_plan(measures=[{"number": "1", "title": "Миллий маъруза"}])
    measure = plan.measures[0]
    login(client, make_user(Role.DIRECTOR, Role.CONTROLLER, Role.ADMIN))
    pages = [
        *(f"/plans/{plan.id}{page}" for page in ("", "/report", "/export")),
        f"/measures/{measure.id}",
        *("/plans", "/search?q=маъруза", "/inbox", "/notifications/settings", "/profile", "/dashboard"),
    ]
    for page in pages:  # once, so that every form class is imported and bound a first time
        assert client.get(page).status_code == 200, page
    before = _unbound_state()
    for _ in range(3):
        for page in pages:
            assert client.get(page).status_code == 200, page
    assert _unbound_state() == before
