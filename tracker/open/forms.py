from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, widgets

from tracker.core.forms import BaseForm


class PublicationForm(BaseForm):
    """What of an approved plan the public sees."""

    show_statuses = BooleanField(_l("Statuses and their notes (internal notes never)"))
    show_steps = BooleanField(_l("Steps of the mechanisms"))
    show_evidence = BooleanField(_l("Evidence files chosen below"))
    files = SelectMultipleField(
        _l("Evidence files to publish"),
        choices=[],
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
        validate_choice=False,  # the service checks that each file is the plan's own
    )
